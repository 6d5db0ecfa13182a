import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Tool requests, review stages (one row per stage and round), comments and IT assessments. */
export class Procurement1767000300000 implements MigrationInterface {
  name = 'Procurement1767000300000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'tool_requests',
        columns: [
          col.id(),
          col.varchar('type', 20),
          col.varchar('title', 200),
          col.varchar('status', 30),
          col.uuid('requesterId'),
          col.uuid('toolId', true),
          col.text('proposedTool'),
          { ...col.text('businessCase'), isNullable: false },
          col.text('expectedOutcomes'),
          col.text('alternativesConsidered'),
          col.bigint('estimatedAnnualCostMinor'),
          col.varchar('estimatedAnnualCostCurrency', 3),
          col.bigint('estimatedAnnualCostBaseMinor', true),
          { ...col.text('allocation'), isNullable: false },
          { ...col.text('dataCategories'), isNullable: false },
          { ...col.text('requiredIntegrations'), isNullable: false },
          col.date('neededBy', true),
          col.int('round', false, 0),
          col.varchar('currentStage', 20, true),
          col.datetime('submittedAt', true),
          col.datetime('closedAt', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_tool_requests_requester', columnNames: ['requesterId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_tool_requests_status', columnNames: ['status', 'currentStage'] }),
          new TableIndex({ name: 'IDX_tool_requests_tool', columnNames: ['toolId'] }),
        ],
        foreignKeys: foreignKeys([fk('requesterId', 'users'), fk('toolId', 'tools', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'review_stages',
        columns: [
          col.id(),
          col.uuid('requestId'),
          col.int('round'),
          col.varchar('stage', 20),
          col.int('position'),
          col.varchar('status', 30),
          col.datetime('openedAt', true),
          col.datetime('dueAt', true),
          col.uuid('decidedById', true),
          col.datetime('decidedAt', true),
          col.varchar('decision', 30, true),
          col.text('comment'),
          col.text('conditions'),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_review_stages_round', columnNames: ['requestId', 'round', 'stage'], isUnique: true }),
          new TableIndex({ name: 'IDX_review_stages_open', columnNames: ['status', 'dueAt'] }),
          new TableIndex({ name: 'IDX_review_stages_decided', columnNames: ['decidedAt'] }),
        ],
        foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('decidedById', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'request_comments',
        columns: [col.id(), col.uuid('requestId'), col.uuid('authorId'), { ...col.text('body'), isNullable: false }, ...col.timestamps()],
        indices: [new TableIndex({ name: 'IDX_request_comments_request', columnNames: ['requestId', 'createdAt'] })],
        foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('authorId', 'users')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'it_assessments',
        columns: [
          col.id(),
          col.uuid('requestId'),
          col.uuid('assessorId'),
          col.int('round'),
          { ...col.text('checklist'), isNullable: false },
          ...col.timestamps(),
        ],
        indices: [new TableIndex({ name: 'IDX_it_assessments_request', columnNames: ['requestId', 'createdAt'] })],
        foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('assessorId', 'users')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const table of ['it_assessments', 'request_comments', 'review_stages', 'tool_requests']) await qr.dropTable(table);
  }
}
