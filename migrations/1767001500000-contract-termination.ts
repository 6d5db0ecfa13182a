import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from '@stackgate/platform';

/**
 * A terminated contract keeps when and why on itself: `terminatedOn` (the effective date) and
 * `terminationReason`, written by POST /contracts/:id/terminate. Contracts terminated before this
 * migration keep null (their date and reason stay in the audit event `contract.terminated`).
 */
export class ContractTermination1767001500000 implements MigrationInterface {
  name = 'ContractTermination1767001500000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.addColumns('contracts', [
      new TableColumn(col.date('terminatedOn', true)),
      new TableColumn(col.varchar('terminationReason', 500, true)),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('contracts', 'terminationReason');
    await qr.dropColumn('contracts', 'terminatedOn');
  }
}
