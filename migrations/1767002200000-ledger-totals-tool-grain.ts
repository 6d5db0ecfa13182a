import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from '@stackgate/platform';

const COMMON = ['basis', 'month', 'currency', 'costCenterKind', 'costType', 'shadowIt'];
const OTHER_DIMENSIONS = ['costCenterId', 'categoryId', 'subcategoryId'];
const TOOL_DIMENSIONS = ['toolId', 'vendorId'];

/**
 * The spend report by tool and by vendor at enterprise scale: ledger_totals gains a TOOL grain (the
 * ledger summed per month, tool and the ledger row's vendor), so those groupings read the sums instead
 * of every ledger row. toolId and vendorId join the key ('' in the other grains); the grain is
 * backfilled from the ledger here, and libs/finance/src/ledger/ledger-totals.ts keeps it in step.
 */
export class LedgerTotalsToolGrain1767002200000 implements MigrationInterface {
  name = 'LedgerTotalsToolGrain1767002200000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    const quote = (name: string) => qr.connection.driver.escape(name);
    await qr.addColumns(
      'ledger_totals',
      TOOL_DIMENSIONS.map((name) => new TableColumn({ ...col.varchar(name, 36), default: "''", isPrimary: true })),
    );
    const key = ['grain', ...COMMON, ...OTHER_DIMENSIONS, ...TOOL_DIMENSIONS].map(quote).join(', ');
    await qr.query(
      `INSERT INTO ${quote('ledger_totals')} (${key}, ${quote('amountMinor')}, ${quote('entryCount')}) ` +
        `SELECT 'TOOL', ${COMMON.map(quote).join(', ')}, '', '', '', ${TOOL_DIMENSIONS.map(quote).join(', ')}, ` +
        `SUM(${quote('amountMinor')}), COUNT(*) FROM ${quote('ledger_entries')} ` +
        `GROUP BY ${[...COMMON, ...TOOL_DIMENSIONS].map(quote).join(', ')}`,
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query(`DELETE FROM ${qr.connection.driver.escape('ledger_totals')} WHERE ${qr.connection.driver.escape('grain')} = 'TOOL'`);
    await qr.dropColumns('ledger_totals', TOOL_DIMENSIONS);
  }
}
