import { EntityManager } from 'typeorm';
import { sqlBool } from '@stackgate/platform';

/*
 * ledger_totals: the ledger summed per month, at three grains, without the tool, vendor and source
 * record. Each grain keeps basis, month, currency, cost-center kind, cost type and the shadow-IT
 * flag, plus one dimension: COST_CENTER (costCenterId), CATEGORY (categoryId) or SUBCATEGORY
 * (categoryId, subcategoryId); the columns a grain does not keep hold ''. The spend report (every
 * grouping but tool and vendor) and budget-vs-actual read it, so a report over years of contracts
 * and invoices scans thousands of rows instead of a million. It is written only here, in the same
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
] as const;
export const TOTALS_KEY = ['grain', ...LEDGER_TOTALS_COLUMNS] as const;
export const TOTALS_GRAINS = {
  COST_CENTER: ['costCenterId'],
  CATEGORY: ['categoryId'],
  SUBCATEGORY: ['categoryId', 'subcategoryId'],
} as const;
export type TotalsGrain = keyof typeof TOTALS_GRAINS;
const DIMENSIONS = ['costCenterId', 'categoryId', 'subcategoryId'] as const;
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
const q = (m: EntityManager, name: string) => m.connection.driver.escape(name);
const isMysql = (m: EntityManager) => ['mysql', 'mariadb'].includes(m.connection.options.type);

/** Sums totals rows (or ledger rows projected onto them) per key, in key order. */
function sumByKey(items: Array<{ key: TotalsKey; amountMinor: bigint; entryCount: number }>): TotalsDelta[] {
  const byKey = new Map<string, TotalsDelta>();
  for (const it of items) {
    const s = keyString(it.key);
    const d = byKey.get(s) ?? { key: it.key, amountMinor: 0n, entryCount: 0 };
    d.amountMinor += it.amountMinor;
    d.entryCount += it.entryCount;
    byKey.set(s, d);
  }
  // Always in key order: two transactions touching the same keys lock them in the same order.
  return [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, d]) => d);
}

/** Ledger rows (drafts, or rows summed by SQL with an entryCount) projected onto the three grains and summed per totals key. */
export function totalsOf(rows: LedgerKeyRow[], sign: 1 | -1): TotalsDelta[] {
  const items: Array<{ key: TotalsKey; amountMinor: bigint; entryCount: number }> = [];
  for (const r of rows) {
    const amountMinor = BigInt(r.amountMinor) * BigInt(sign);
    const entryCount = (r.entryCount === undefined ? 1 : Number(r.entryCount)) * sign;
    const common = {
      basis: String(r.basis),
      month: Number(r.month),
      currency: String(r.currency),
      costCenterKind: String(r.costCenterKind),
      costType: String(r.costType),
      shadowIt: sqlBool(r.shadowIt),
    };
    for (const [grain, kept] of Object.entries(TOTALS_GRAINS) as [TotalsGrain, readonly string[]][]) {
      const dims = Object.fromEntries(DIMENSIONS.map((c) => [c, kept.includes(c) ? String(r[c]) : '']));
      items.push({ key: { grain, ...common, ...dims } as TotalsKey, amountMinor, entryCount });
    }
  }
  return sumByKey(items);
}

/** Applies deltas to ledger_totals (upsert), then removes the keys no ledger row is left in. */
export async function applyTotals(m: EntityManager, deltas: TotalsDelta[]): Promise<void> {
  const cols = [...TOTALS_KEY, 'amountMinor', 'entryCount'];
  const table = q(m, 'ledger_totals');
  const mysql = isMysql(m);
  const add = (c: string) => (mysql ? `${q(m, c)} = ${q(m, c)} + VALUES(${q(m, c)})` : `${q(m, c)} = ${q(m, c)} + excluded.${q(m, c)}`);
  const onConflict = mysql
    ? ` ON DUPLICATE KEY UPDATE ${add('amountMinor')}, ${add('entryCount')}`
    : ` ON CONFLICT (${TOTALS_KEY.map((c) => q(m, c)).join(', ')}) DO UPDATE SET ${add('amountMinor')}, ${add('entryCount')}`;
  const tuple = `(${cols.map(() => '?').join(', ')})`;
  const value = (d: TotalsDelta, c: string): unknown => {
    if (c === 'amountMinor') return d.amountMinor.toString();
    if (c === 'entryCount') return d.entryCount;
    const v = d.key[c as KeyColumn];
    return c === 'shadowIt' ? (v ? 1 : 0) : v;
  };
  for (let i = 0; i < deltas.length; i += 200) {
    const part = deltas.slice(i, i + 200);
    await m.query(
      `INSERT INTO ${table} (${cols.map((c) => q(m, c)).join(', ')}) VALUES ${part.map(() => tuple).join(', ')}${onConflict}`,
      part.flatMap((d) => cols.map((c) => value(d, c))),
    );
  }
  const emptied = deltas.filter((d) => d.entryCount < 0);
  for (let i = 0; i < emptied.length; i += 100) {
    const part = emptied.slice(i, i + 100);
    const match = `(${TOTALS_KEY.map((c) => `${q(m, c)} = ?`).join(' AND ')})`;
    await m.query(
      `DELETE FROM ${table} WHERE ${q(m, 'entryCount')} <= 0 AND (${part.map(() => match).join(' OR ')})`,
      part.flatMap((d) => TOTALS_KEY.map((c) => (c === 'shadowIt' ? (d.key[c] ? 1 : 0) : d.key[c]))),
    );
  }
}

/** The ledger rows matching `where`, summed per totals key (what deleting or changing them takes out of the totals). */
export async function ledgerTotalsWhere(m: EntityManager, where: string, params: unknown[]): Promise<TotalsDelta[]> {
  const cols = LEDGER_TOTALS_COLUMNS.map((c) => q(m, c)).join(', ');
  const rows: LedgerKeyRow[] = await m.query(
    `SELECT ${cols}, SUM(${q(m, 'amountMinor')}) AS ${q(m, 'amountMinor')}, COUNT(*) AS ${q(m, 'entryCount')} FROM ${q(m, 'ledger_entries')} WHERE ${where} GROUP BY ${cols}`,
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
export async function totalsDrift(m: EntityManager): Promise<Array<{ key: string; ledger: string; totals: string }>> {
  const fromLedger = await ledgerTotalsWhere(m, '1 = 1', []);
  const keys = TOTALS_KEY.map((c) => q(m, c)).join(', ');
  const storedRows: Array<Record<KeyColumn, unknown> & { amountMinor: string; entryCount: string }> = await m.query(
    `SELECT ${keys}, ${q(m, 'amountMinor')}, ${q(m, 'entryCount')} FROM ${q(m, 'ledger_totals')}`,
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
  const a = new Map(fromLedger.map((d) => [keyString(d.key), `${d.amountMinor}/${d.entryCount}`]));
  const b = new Map(stored.map((d) => [keyString(d.key), `${d.amountMinor}/${d.entryCount}`]));
  const drift: Array<{ key: string; ledger: string; totals: string }> = [];
  for (const k of new Set([...a.keys(), ...b.keys()]))
    if (a.get(k) !== b.get(k)) drift.push({ key: k, ledger: a.get(k) ?? '-', totals: b.get(k) ?? '-' });
  return drift;
}
