import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** The renewal decision recorded for a contract term (finance): one row per contract and term end date, versioned. */
export class RenewalDecisions1767001000000 implements MigrationInterface {
  name = 'RenewalDecisions1767001000000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'renewal_decisions',
        columns: [
          col.id(),
          col.uuid('contractId'),
          col.date('termEndDate'),
          col.varchar('decision', 20),
          col.int('seats', true),
          col.uuid('ownerId'),
          col.text('rationale', false),
          col.uuid('decidedById'),
          col.datetime('decidedAt'),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_renewal_decisions_term', columnNames: ['contractId', 'termEndDate'], isUnique: true }),
          new TableIndex({ name: 'IDX_renewal_decisions_decision', columnNames: ['decision'] }),
        ],
        foreignKeys: foreignKeys([fk('contractId', 'contracts', 'CASCADE'), fk('ownerId', 'users'), fk('decidedById', 'users')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('renewal_decisions');
  }
}
