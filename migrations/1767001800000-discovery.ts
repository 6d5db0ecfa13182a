import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/** Discovery of tools nobody registered: candidates, the imported spend lines behind them, learned merchant aliases, saved spend mappings. */
export class Discovery1767001800000 implements MigrationInterface {
  name = 'Discovery1767001800000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'discovery_candidates',
        columns: [
          col.id(),
          col.varchar('source', 10),
          col.varchar('merchantKey', 120),
          col.varchar('displayName', 200),
          col.varchar('status', 20),
          col.uuid('suggestedSubcategoryId', true),
          col.bigint('totalBaseMinor'),
          col.int('transactions'),
          col.int('payers'),
          col.date('firstSeen', true),
          col.date('lastSeen', true),
          col.int('assignedUsers', true),
          col.int('activeUsers', true),
          col.uuid('toolId', true),
          col.text('dismissReason'),
          col.uuid('decidedById', true),
          col.datetime('decidedAt', true),
          col.version(),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_discovery_candidates_key', columnNames: ['source', 'merchantKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_discovery_candidates_status', columnNames: ['status', 'totalBaseMinor'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'discovery_transactions',
        columns: [
          col.id(),
          col.varchar('txKey', 200),
          col.varchar('baseKey', 200),
          col.date('date'),
          col.int('month'),
          col.varchar('merchantRaw', 200),
          col.varchar('merchantKey', 120),
          col.bigint('amountMinor'),
          col.varchar('currency', 3),
          col.bigint('baseAmountMinor'),
          col.varchar('employee', 200, true),
          col.uuid('costCenterId', true),
          col.text('memo'),
          col.varchar('reference', 180, true),
          col.uuid('candidateId', true),
          col.uuid('toolId', true),
          col.uuid('spendEntryId', true),
          col.varchar('matchKind', 20, true),
          col.datetime('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_discovery_transactions_key', columnNames: ['txKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_discovery_transactions_base', columnNames: ['baseKey'] }),
          new TableIndex({ name: 'IDX_discovery_transactions_candidate', columnNames: ['candidateId', 'date'] }),
          new TableIndex({ name: 'IDX_discovery_transactions_month', columnNames: ['month'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'merchant_aliases',
        columns: [
          col.id(),
          col.varchar('merchantKey', 120),
          col.uuid('toolId'),
          col.uuid('candidateId', true),
          col.uuid('createdById', true),
          col.datetime('createdAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_merchant_aliases_key', columnNames: ['merchantKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_merchant_aliases_candidate', columnNames: ['candidateId'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'spend_import_mappings',
        columns: [
          col.id(),
          col.varchar('name', 60),
          col.varchar('nameKey', 60),
          col.text('headers', false),
          col.varchar('dateOrder', 3),
          col.uuid('createdById', true),
          col.version(),
          ...col.timestamps(),
        ],
        indices: [new TableIndex({ name: 'UQ_spend_import_mappings_name', columnNames: ['nameKey'], isUnique: true })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('spend_import_mappings');
    await qr.dropTable('merchant_aliases');
    await qr.dropTable('discovery_transactions');
    await qr.dropTable('discovery_candidates');
  }
}
