import { EntityManager } from 'typeorm';

/*
 * ledger_generations: one change counter per ledger month (yyyymm). applyTotals adds one to every
 * month whose totals it changes and the FX rates add one to their month, in the writer's transaction,
 * so the counters' sum over months from..to grows with every committed change a report over those
 * months can see (figures summed, a tool's shadow-IT flag or vendor rewritten, a rate recorded,
 * corrected or deleted). A reader that takes the sum first and the figures after computes from data at
 * least as new as the sum: what it keeps under that sum is never older than the sum says.
 */

const quoteName = (m: EntityManager, name: string) => m.connection.driver.escape(name);
const isMysql = (m: EntityManager) => ['mysql', 'mariadb'].includes(m.connection.options.type);

/** Adds one to the counter of each month (yyyymm), in ascending order: writers lock shared months in the same order. */
export async function bumpLedgerGenerations(manager: EntityManager, months: Iterable<number>): Promise<void> {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  if (!sorted.length) return;
  const table = quoteName(manager, 'ledger_generations');
  const generation = quoteName(manager, 'generation');
  const onConflict = isMysql(manager)
    ? ` ON DUPLICATE KEY UPDATE ${generation} = ${generation} + 1`
    : ` ON CONFLICT (${quoteName(manager, 'month')}) DO UPDATE SET ${generation} = ${generation} + 1`;
  await manager.query(
    `INSERT INTO ${table} (${quoteName(manager, 'month')}, ${generation}) VALUES ${sorted.map(() => '(?, 1)').join(', ')}${onConflict}`,
    sorted,
  );
}

/** The sum of the counters of the months from..to (yyyymm), as a decimal string ('0' before any change). */
export async function ledgerGenerationOf(manager: EntityManager, from: number, to: number): Promise<string> {
  const [row] = await manager.query<Array<{ total: string | number | bigint | null }>>(
    `SELECT COALESCE(SUM(${quoteName(manager, 'generation')}), 0) AS ${quoteName(manager, 'total')} FROM ${quoteName(manager, 'ledger_generations')} ` +
      `WHERE ${quoteName(manager, 'month')} >= ? AND ${quoteName(manager, 'month')} <= ?`,
    [from, to],
  );
  return String(row?.total ?? '0');
}
