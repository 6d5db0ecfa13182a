import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/** Approved requests' estimates awaiting a contract ("approved, not yet contracted"), owned by finance. */
export class ApprovedCommitments1767000800000 implements MigrationInterface {
  name = 'ApprovedCommitments1767000800000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'approved_commitments',
        columns: [
          col.id(),
          col.uuid('requestId'),
          col.varchar('requestTitle', 200),
          col.uuid('toolId'),
          col.bigint('annualAmountMinor'),
          col.varchar('currency', 3),
          col.bigint('annualBaseMinor', true),
          col.text('allocation', false),
          col.date('approvedOn'),
          col.varchar('status', 20),
          col.uuid('contractId', true),
          col.uuid('approvedById', true),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_approved_commitments_request', columnNames: ['requestId'], isUnique: true }),
          new TableIndex({ name: 'IDX_approved_commitments_status', columnNames: ['status', 'approvedOn'] }),
          new TableIndex({ name: 'IDX_approved_commitments_tool', columnNames: ['toolId', 'status'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('approved_commitments');
  }
}
