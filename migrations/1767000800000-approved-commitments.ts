import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/** Approved requests' estimates awaiting a contract ("approved, not yet contracted"), owned by finance. */
export class ApprovedCommitments1767000800000 implements MigrationInterface {
  name = 'ApprovedCommitments1767000800000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'approved_commitments',
      columns: [
        c.id(), c.uuid('requestId'), c.varchar('requestTitle', 200), c.uuid('toolId'), c.bigint('annualAmountMinor'), c.varchar('currency', 3),
        c.bigint('annualBaseMinor', true), c.text('allocation', false), c.date('approvedOn'), c.varchar('status', 20), c.uuid('contractId', true),
        c.uuid('approvedById', true), ...c.timestamps(), c.version(),
      ],
      indices: [
        new TableIndex({ name: 'UQ_approved_commitments_request', columnNames: ['requestId'], isUnique: true }),
        new TableIndex({ name: 'IDX_approved_commitments_status', columnNames: ['status', 'approvedOn'] }),
        new TableIndex({ name: 'IDX_approved_commitments_tool', columnNames: ['toolId', 'status'] }),
      ],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('approved_commitments');
  }
}
