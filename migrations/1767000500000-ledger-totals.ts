import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

const COMMON = ['basis', 'month', 'currency', 'costCenterKind', 'costType', 'shadowIt'];
/** Each grain keeps one dimension besides COMMON; the other dimension columns hold ''. */
const GRAINS: Record<string, string[]> = { COST_CENTER: ['costCenterId'], CATEGORY: ['categoryId'], SUBCATEGORY: ['categoryId', 'subcategoryId'] };
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
    const c = columns(qr);
    const e = (n: string) => qr.connection.driver.escape(n);
    await qr.addColumn('ledger_entries', new TableColumn(c.bool('shadowIt')));
    await qr.query(`UPDATE ${e('ledger_entries')} SET ${e('shadowIt')} = 1 WHERE ${e('toolId')} IN (SELECT ${e('id')} FROM ${e('tools')} WHERE ${e('shadowIt')} = 1)`);
    await qr.dropIndex('ledger_entries', 'IDX_ledger_basis_month');
    await qr.createIndex('ledger_entries', new TableIndex({
      name: 'IDX_ledger_basis_month_cover',
      columnNames: ['basis', 'month', 'currency', 'costCenterKind', 'costType', 'shadowIt', 'toolId', 'vendorId', 'amountMinor'],
    }));
    await qr.createTable(new Table({
      name: 'ledger_totals',
      columns: [
        ...[
          c.varchar('grain', 12), c.varchar('basis', 20), c.int('month'), c.varchar('currency', 3), c.varchar('costCenterKind', 20), c.varchar('costType', 20),
          c.bool('shadowIt'), c.varchar('costCenterId', 36), c.varchar('categoryId', 36), c.varchar('subcategoryId', 36),
        ].map((col) => ({ ...col, isPrimary: true })),
        c.bigint('amountMinor'), c.int('entryCount'),
      ],
    }));
    const key = ['grain', ...COMMON, ...DIMENSIONS].map(e).join(', ');
    for (const [grain, kept] of Object.entries(GRAINS)) {
      const dims = DIMENSIONS.map((d) => (kept.includes(d) ? e(d) : "''")).join(', ');
      const groupBy = [...COMMON, ...kept].map(e).join(', ');
      await qr.query(`INSERT INTO ${e('ledger_totals')} (${key}, ${e('amountMinor')}, ${e('entryCount')}) ` +
        `SELECT '${grain}', ${COMMON.map(e).join(', ')}, ${dims}, SUM(${e('amountMinor')}), COUNT(*) FROM ${e('ledger_entries')} GROUP BY ${groupBy}`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('ledger_totals');
    await qr.dropIndex('ledger_entries', 'IDX_ledger_basis_month_cover');
    await qr.createIndex('ledger_entries', new TableIndex({ name: 'IDX_ledger_basis_month', columnNames: ['basis', 'month'] }));
    await qr.dropColumn('ledger_entries', 'shadowIt');
  }
}
