import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { columns } from '@stackgate/platform';

/**
 * A change counter per ledger month (finance): every write to ledger_totals and every FX rate of the
 * month adds one, in the same transaction. A report over months from..to that found the same sum of
 * counters before can answer what it computed then (libs/reporting's spend report cache). No backfill:
 * a month without a row has counted nothing yet, and a cache starts empty with each process.
 */
export class LedgerGenerations1767002400000 implements MigrationInterface {
  name = 'LedgerGenerations1767002400000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({ name: 'ledger_generations', columns: [{ ...col.int('month'), isPrimary: true }, col.bigint('generation')] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('ledger_generations');
  }
}
