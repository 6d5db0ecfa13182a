import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Conditions of an approval as trackable items (procurement): owner, due date, state open → done → verified. */
export class RequestConditions1767000900000 implements MigrationInterface {
  name = 'RequestConditions1767000900000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'request_conditions',
        columns: [
          col.id(),
          col.uuid('requestId'),
          col.varchar('stage', 20),
          col.int('round'),
          col.int('position'),
          col.varchar('text', 1000),
          col.uuid('ownerId'),
          col.date('dueDate'),
          col.varchar('state', 20),
          col.uuid('createdById'),
          col.uuid('doneById', true),
          col.datetime('doneAt', true),
          col.uuid('verifiedById', true),
          col.datetime('verifiedAt', true),
          col.uuid('reopenedById', true),
          col.datetime('reopenedAt', true),
          col.text('reopenReason'),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_request_conditions_request', columnNames: ['requestId', 'round', 'position'] }),
          new TableIndex({ name: 'IDX_request_conditions_owner', columnNames: ['ownerId', 'state', 'dueDate'] }),
          new TableIndex({ name: 'IDX_request_conditions_due', columnNames: ['state', 'dueDate'] }),
        ],
        foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('ownerId', 'users'), fk('createdById', 'users')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('request_conditions');
  }
}
