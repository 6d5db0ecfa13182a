import { EntityManager } from 'typeorm';
import { sqlBool } from '@stackgate/platform';
import { bumpLedgerGenerations } from './ledger-generations';

/*
 * ledger_totals: the ledger summed per month, at four grains, without the source record. Each grain
 * keeps basis, month, currency, cost-center kind, cost type and the shadow-IT flag, plus its own
 * dimensions: COST_CENTER (costCenterId), CATEGORY (categoryId), SUBCATEGORY (categoryId,
 * subcategoryId) or TOOL (toolId and the ledger row's vendorId: the tool's vendor, or the vendor a
 * contract names); the columns a grain does not keep hold ''. The spend report (every grouping;
 * tool and vendor read the TOOL grain) and budget-vs-actual read it, so a report over years of
 * contracts and invoices reads the sums instead of every ledger row. It is written only here, in the same
 * transaction as the ledger rows it sums: every insert adds, every delete subtracts, and a key
 * whose last ledger row goes is removed (entryCount 0), so a report over the totals answers
 * exactly what the same GROUP BY over ledger_entries answers.
 */

/** The ledger columns the totals are built from. */
export const LEDGER_TOTALS_COLUMNS = [
  'basis',
  'month',
  'currency',
  'costCenterKind',
  'costType',
  'shadowIt',
  'costCenterId',
  'categoryId',
  'subcategoryId',
  'toolId',
  'vendorId',
] as const;
export const TOTALS_KEY = ['grain', ...LEDGER_TOTALS_COLUMNS] as const;
export const TOTALS_GRAINS = {
  COST_CENTER: ['costCenterId'],
  CATEGORY: ['categoryId'],
  SUBCATEGORY: ['categoryId', 'subcategoryId'],
  TOOL: ['toolId', 'vendorId'],
} as const;
export type TotalsGrain = keyof typeof TOTALS_GRAINS;
const DIMENSIONS = ['costCenterId', 'categoryId', 'subcategoryId', 'toolId', 'vendorId'] as const;
type KeyColumn = (typeof TOTALS_KEY)[number];

/** The key of one totals row. */
export type TotalsKey = Record<KeyColumn, string | number | boolean>;
export interface TotalsDelta {
  key: TotalsKey;
  amountMinor: bigint;
  entryCount: number;
}
type LedgerKeyRow = Record<(typeof LEDGER_TOTALS_COLUMNS)[number], unknown> & {
  amountMinor: bigint | string | number;
  entryCount?: number | string;
};

const keyString = (k: TotalsKey) => TOTALS_KEY.map((c) => (c === 'shadowIt' ? (sqlBool(k[c]) ? '1' : '0') : String(k[c]))).join('|');
const quoteName = (m: EntityManager, name: string) => m.connection.driver.escape(name);
const isMysql = (m: EntityManager) => ['mysql', 'mariadb'].includes(m.connection.options.type);

/** Sums totals rows (or ledger rows projected onto them) per key, in key order. */
function sumByKey(items: Array<{ key: TotalsKey; amountMinor: bigint; entryCount: number }>): TotalsDelta[] {
  const byKey = new Map<string, TotalsDelta>();
  for (const it of items) {
    const keyText = keyString(it.key);
    const delta = byKey.get(keyText) ?? { key: it.key, amountMinor: 0n, entryCount: 0 };
    delta.amountMinor += it.amountMinor;
    delta.entryCount += it.entryCount;
    byKey.set(keyText, delta);
  }
  // Always in key order: two transactions touching the same keys lock them in the same order.
  return [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, d]) => d);
}

/** Ledger rows (drafts, or rows summed by SQL with an entryCount) projected onto the four grains and summed per totals key. */
export function totalsOf(rows: LedgerKeyRow[], sign: 1 | -1): TotalsDelta[] {
  const items: Array<{ key: TotalsKey; amountMinor: bigint; entryCount: number }> = [];
  for (const keyRow of rows) {
    const amountMinor = BigInt(keyRow.amountMinor) * BigInt(sign);
    const entryCount = (keyRow.entryCount === undefined ? 1 : Number(keyRow.entryCount)) * sign;
    const common = {
      basis: String(keyRow.basis),
      month: Number(keyRow.month),
      currency: String(keyRow.currency),
      costCenterKind: String(keyRow.costCenterKind),
      costType: String(keyRow.costType),
      shadowIt: sqlBool(keyRow.shadowIt),
    };
    for (const [grain, kept] of Object.entries(TOTALS_GRAINS) as [TotalsGrain, readonly string[]][]) {
      const dims = Object.fromEntries(DIMENSIONS.map((c) => [c, kept.includes(c) ? String(keyRow[c]) : '']));
      items.push({ key: { grain, ...common, ...dims } as TotalsKey, amountMinor, entryCount });
    }
  }
  return sumByKey(items);
}

/**
 * Applies deltas to ledger_totals (upsert), then removes the keys no ledger row is left in, and counts
 * the change in each month it touched (ledger_generations, for the report cache).
 */
export async function applyTotals(manager: EntityManager, deltas: TotalsDelta[]): Promise<void> {
  const cols = [...TOTALS_KEY, 'amountMinor', 'entryCount'];
  const table = quoteName(manager, 'ledger_totals');
  const mysql = isMysql(manager);
  const add = (c: string) =>
    mysql
      ? `${quoteName(manager, c)} = ${quoteName(manager, c)} + VALUES(${quoteName(manager, c)})`
      : `${quoteName(manager, c)} = ${quoteName(manager, c)} + excluded.${quoteName(manager, c)}`;
  const onConflict = mysql
    ? ` ON DUPLICATE KEY UPDATE ${add('amountMinor')}, ${add('entryCount')}`
    : ` ON CONFLICT (${TOTALS_KEY.map((c) => quoteName(manager, c)).join(', ')}) DO UPDATE SET ${add('amountMinor')}, ${add('entryCount')}`;
  const tuple = `(${cols.map(() => '?').join(', ')})`;
  const value = (delta: TotalsDelta, column: string): unknown => {
    if (column === 'amountMinor') return delta.amountMinor.toString();
    if (column === 'entryCount') return delta.entryCount;
    const keyValue = delta.key[column as KeyColumn];
    return column === 'shadowIt' ? (keyValue ? 1 : 0) : keyValue;
  };
  for (let i = 0; i < deltas.length; i += 200) {
    const part = deltas.slice(i, i + 200);
    await manager.query(
      `INSERT INTO ${table} (${cols.map((c) => quoteName(manager, c)).join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${onConflict}`,
      part.flatMap((d) => cols.map((c) => value(d, c))),
    );
  }
  const emptied = deltas.filter((d) => d.entryCount < 0);
  for (let i = 0; i < emptied.length; i += 100) {
    const part = emptied.slice(i, i + 100);
    const match = `(${TOTALS_KEY.map((c) => `${quoteName(manager, c)} = ?`).join(' AND ')})`;
    await manager.query(
      `DELETE FROM ${table} WHERE ${quoteName(manager, 'entryCount')} <= 0 AND (${part.map(() => match).join(' OR ')})`,
      part.flatMap((d) => TOTALS_KEY.map((c) => (c === 'shadowIt' ? (d.key[c] ? 1 : 0) : d.key[c]))),
    );
  }
  await bumpLedgerGenerations(
    manager,
    deltas.map((d) => Number(d.key.month)),
  );
}

/** The ledger rows matching `where`, summed per totals key (what deleting or changing them takes out of the totals). */
export async function ledgerTotalsWhere(manager: EntityManager, where: string, params: unknown[]): Promise<TotalsDelta[]> {
  const cols = LEDGER_TOTALS_COLUMNS.map((c) => quoteName(manager, c)).join(', ');
  const rows: LedgerKeyRow[] = await manager.query(
    `SELECT ${cols}, SUM(${quoteName(manager, 'amountMinor')}) AS ${quoteName(manager, 'amountMinor')}, COUNT(*) AS ` +
      `${quoteName(manager, 'entryCount')} FROM ${quoteName(manager, 'ledger_entries')} WHERE ${where} GROUP BY ${cols}`,
    params,
  );
  return totalsOf(rows, 1);
}

export const negate = (deltas: TotalsDelta[]): TotalsDelta[] =>
  deltas.map((d) => ({ key: d.key, amountMinor: -d.amountMinor, entryCount: -d.entryCount }));

/**
 * The keys where ledger_totals and a GROUP BY over ledger_entries disagree (empty when they agree).
 * Tests run it after every kind of write; operators can run it as a consistency check.
 */
export async function totalsDrift(manager: EntityManager): Promise<Array<{ key: string; ledger: string; totals: string }>> {
  const fromLedger = await ledgerTotalsWhere(manager, '1 = 1', []);
  const keys = TOTALS_KEY.map((c) => quoteName(manager, c)).join(', ');
  const storedRows: Array<Record<KeyColumn, unknown> & { amountMinor: string; entryCount: string }> = await manager.query(
    `SELECT ${keys}, ${quoteName(manager, 'amountMinor')}, ${quoteName(manager, 'entryCount')} FROM ${quoteName(manager, 'ledger_totals')}`,
  );
  const stored = sumByKey(
    storedRows.map((r) => ({
      key: Object.fromEntries(
        TOTALS_KEY.map((c) => [c, c === 'shadowIt' ? sqlBool(r[c]) : c === 'month' ? Number(r[c]) : String(r[c])]),
      ) as TotalsKey,
      amountMinor: BigInt(r.amountMinor),
      entryCount: Number(r.entryCount),
    })),
  );
  const fromLedgerByKey = new Map(fromLedger.map((d) => [keyString(d.key), `${d.amountMinor}/${d.entryCount}`]));
  const storedByKey = new Map(stored.map((d) => [keyString(d.key), `${d.amountMinor}/${d.entryCount}`]));
  const drift: Array<{ key: string; ledger: string; totals: string }> = [];
  for (const key of new Set([...fromLedgerByKey.keys(), ...storedByKey.keys()]))
    if (fromLedgerByKey.get(key) !== storedByKey.get(key))
      drift.push({ key: key, ledger: fromLedgerByKey.get(key) ?? '-', totals: storedByKey.get(key) ?? '-' });
  return drift;
}
