import { EntityManager } from 'typeorm';

/*
 * ledger_generations: one change counter per ledger month (yyyymm). applyTotals adds one to every
 * month whose totals it changes and the FX rates add one to their month, in the writer's transaction,
 * so a month's counter (and the counters' sum over months from..to) grows with every committed change
 * a report over that month can see (figures summed, a tool's shadow-IT flag or vendor rewritten, a rate
 * recorded, corrected or deleted). A reader that takes the counters first and the figures after computes
 * from data at least as new as the counters: what it keeps under them is never older than they say.
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

/** The counter of each month from..to (yyyymm) that has one (a month never changed has none: read it as 0). */
export async function ledgerGenerationsOf(manager: EntityManager, from: number, to: number): Promise<Map<number, bigint>> {
  const rows = await manager.query<Array<{ month: string | number; generation: string | number | bigint }>>(
    `SELECT ${quoteName(manager, 'month')} AS ${quoteName(manager, 'month')}, ${quoteName(manager, 'generation')} AS ${quoteName(manager, 'generation')} ` +
      `FROM ${quoteName(manager, 'ledger_generations')} WHERE ${quoteName(manager, 'month')} >= ? AND ${quoteName(manager, 'month')} <= ?`,
    [from, to],
  );
  return new Map(rows.map((row) => [Number(row.month), BigInt(row.generation)]));
}
