import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

const COMMON = ['basis', 'month', 'currency', 'costCenterKind', 'costType', 'shadowIt'];
/** Each grain keeps one dimension besides COMMON; the other dimension columns hold ''. */
const GRAINS: Record<string, string[]> = {
  COST_CENTER: ['costCenterId'],
  CATEGORY: ['categoryId'],
  SUBCATEGORY: ['categoryId', 'subcategoryId'],
};
const DIMENSIONS = ['costCenterId', 'categoryId', 'subcategoryId'];

/**
 * Reports at enterprise scale: the ledger carries the tool's shadow-IT flag (no join to tools per
 * row), a covering index serves the spend report's tool and vendor groupings, and ledger_totals
 * holds the ledger summed per month at three grains (cost center, category, subcategory) without
 * tool, vendor and source, for every other grouping and for budget-vs-actual. Existing ledgers are
 * backfilled here (libs/finance/src/ledger/ledger-totals.ts keeps them in step from then on).
 */
export class LedgerTotals1767000500000 implements MigrationInterface {
  name = 'LedgerTotals1767000500000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    const quote = (n: string) => qr.connection.driver.escape(n);
    await qr.addColumn('ledger_entries', new TableColumn(col.bool('shadowIt')));
    await qr.query(
      `UPDATE ${quote('ledger_entries')} SET ${quote('shadowIt')} = 1 WHERE ${quote('toolId')} ` +
        `IN (SELECT ${quote('id')} FROM ${quote('tools')} WHERE ${quote('shadowIt')} = 1)`,
    );
    await qr.dropIndex('ledger_entries', 'IDX_ledger_basis_month');
    await qr.createIndex(
      'ledger_entries',
      new TableIndex({
        name: 'IDX_ledger_basis_month_cover',
        columnNames: ['basis', 'month', 'currency', 'costCenterKind', 'costType', 'shadowIt', 'toolId', 'vendorId', 'amountMinor'],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'ledger_totals',
        columns: [
          ...[
            col.varchar('grain', 12),
            col.varchar('basis', 20),
            col.int('month'),
            col.varchar('currency', 3),
            col.varchar('costCenterKind', 20),
            col.varchar('costType', 20),
            col.bool('shadowIt'),
            col.varchar('costCenterId', 36),
            col.varchar('categoryId', 36),
            col.varchar('subcategoryId', 36),
          ].map((keyColumn) => ({ ...keyColumn, isPrimary: true })),
          col.bigint('amountMinor'),
          col.int('entryCount'),
        ],
      }),
    );
    const key = ['grain', ...COMMON, ...DIMENSIONS].map(quote).join(', ');
    for (const [grain, kept] of Object.entries(GRAINS)) {
      const dims = DIMENSIONS.map((d) => (kept.includes(d) ? quote(d) : "''")).join(', ');
      const groupBy = [...COMMON, ...kept].map(quote).join(', ');
      await qr.query(
        `INSERT INTO ${quote('ledger_totals')} (${key}, ${quote('amountMinor')}, ${quote('entryCount')}) ` +
          `SELECT '${grain}', ${COMMON.map(quote).join(', ')}, ${dims}, SUM(${quote('amountMinor')}), ` +
          `COUNT(*) FROM ${quote('ledger_entries')} GROUP BY ${groupBy}`,
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('ledger_totals');
    await qr.dropIndex('ledger_entries', 'IDX_ledger_basis_month_cover');
    await qr.createIndex('ledger_entries', new TableIndex({ name: 'IDX_ledger_basis_month', columnNames: ['basis', 'month'] }));
    await qr.dropColumn('ledger_entries', 'shadowIt');
  }
}
