import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/** One-time keys of requests that create something (the web UI's create forms), so a form sent twice creates one record. */
export class IdempotencyKeys1767000700000 implements MigrationInterface {
  name = 'IdempotencyKeys1767000700000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          { ...col.varchar('idemKey', 64), isPrimary: true },
          col.uuid('userId'),
          col.varchar('action', 100),
          col.varchar('location', 500, true),
          col.datetime('createdAt'),
        ],
        indices: [new TableIndex({ name: 'IDX_idempotency_keys_created', columnNames: ['createdAt'] })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('idempotency_keys');
  }
}
