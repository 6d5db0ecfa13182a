import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Tool requests, review stages (one row per stage and round), comments and IT assessments. */
export class Procurement1767000300000 implements MigrationInterface {
  name = 'Procurement1767000300000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'tool_requests',
      columns: [
        c.id(), c.varchar('type', 20), c.varchar('title', 200), c.varchar('status', 30), c.uuid('requesterId'), c.uuid('toolId', true),
        c.text('proposedTool'), { ...c.text('businessCase'), isNullable: false }, c.text('expectedOutcomes'), c.text('alternativesConsidered'),
        c.bigint('estimatedAnnualCostMinor'), c.varchar('estimatedAnnualCostCurrency', 3), c.bigint('estimatedAnnualCostBaseMinor', true),
        { ...c.text('allocation'), isNullable: false }, { ...c.text('dataCategories'), isNullable: false }, { ...c.text('requiredIntegrations'), isNullable: false },
        c.date('neededBy', true), c.int('round', false, 0), c.varchar('currentStage', 20, true), c.datetime('submittedAt', true), c.datetime('closedAt', true),
        ...c.timestamps(), c.version(),
      ],
      indices: [
        new TableIndex({ name: 'IDX_tool_requests_requester', columnNames: ['requesterId', 'createdAt'] }),
        new TableIndex({ name: 'IDX_tool_requests_status', columnNames: ['status', 'currentStage'] }),
        new TableIndex({ name: 'IDX_tool_requests_tool', columnNames: ['toolId'] }),
      ],
      foreignKeys: foreignKeys([fk('requesterId', 'users'), fk('toolId', 'tools', 'SET NULL')]),
    }));
    await qr.createTable(new Table({
      name: 'review_stages',
      columns: [
        c.id(), c.uuid('requestId'), c.int('round'), c.varchar('stage', 20), c.int('position'), c.varchar('status', 30),
        c.datetime('openedAt', true), c.datetime('dueAt', true), c.uuid('decidedById', true), c.datetime('decidedAt', true),
        c.varchar('decision', 30, true), c.text('comment'), c.text('conditions'), ...c.timestamps(),
      ],
      indices: [
        new TableIndex({ name: 'UQ_review_stages_round', columnNames: ['requestId', 'round', 'stage'], isUnique: true }),
        new TableIndex({ name: 'IDX_review_stages_open', columnNames: ['status', 'dueAt'] }),
        new TableIndex({ name: 'IDX_review_stages_decided', columnNames: ['decidedAt'] }),
      ],
      foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('decidedById', 'users', 'SET NULL')]),
    }));
    await qr.createTable(new Table({
      name: 'request_comments',
      columns: [c.id(), c.uuid('requestId'), c.uuid('authorId'), { ...c.text('body'), isNullable: false }, ...c.timestamps()],
      indices: [new TableIndex({ name: 'IDX_request_comments_request', columnNames: ['requestId', 'createdAt'] })],
      foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('authorId', 'users')]),
    }));
    await qr.createTable(new Table({
      name: 'it_assessments',
      columns: [c.id(), c.uuid('requestId'), c.uuid('assessorId'), c.int('round'), { ...c.text('checklist'), isNullable: false }, ...c.timestamps()],
      indices: [new TableIndex({ name: 'IDX_it_assessments_request', columnNames: ['requestId', 'createdAt'] })],
      foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('assessorId', 'users')]),
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['it_assessments', 'request_comments', 'review_stages', 'tool_requests']) await qr.dropTable(t);
  }
}
