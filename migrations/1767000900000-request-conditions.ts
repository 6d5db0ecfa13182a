import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Conditions of an approval as trackable items (procurement): owner, due date, state open → done → verified. */
export class RequestConditions1767000900000 implements MigrationInterface {
  name = 'RequestConditions1767000900000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'request_conditions',
      columns: [
        c.id(), c.uuid('requestId'), c.varchar('stage', 20), c.int('round'), c.int('position'), c.varchar('text', 1000), c.uuid('ownerId'), c.date('dueDate'),
        c.varchar('state', 20), c.uuid('createdById'), c.uuid('doneById', true), c.datetime('doneAt', true), c.uuid('verifiedById', true), c.datetime('verifiedAt', true),
        c.uuid('reopenedById', true), c.datetime('reopenedAt', true), c.text('reopenReason'), ...c.timestamps(),
      ],
      indices: [
        new TableIndex({ name: 'IDX_request_conditions_request', columnNames: ['requestId', 'round', 'position'] }),
        new TableIndex({ name: 'IDX_request_conditions_owner', columnNames: ['ownerId', 'state', 'dueDate'] }),
        new TableIndex({ name: 'IDX_request_conditions_due', columnNames: ['state', 'dueDate'] }),
      ],
      foreignKeys: foreignKeys([fk('requestId', 'tool_requests', 'CASCADE'), fk('ownerId', 'users'), fk('createdById', 'users')]),
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('request_conditions');
  }
}
