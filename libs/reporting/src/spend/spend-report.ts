import { formatMinor, ratioString } from '@stackgate/platform';
import { fiscalYearOf } from '@stackgate/finance';
import { BaseConversion, RateTable } from '../report-math';

/*
 * The spend report (SPEC §5, §8) from ledger cells: group, convert each cell to the base currency
 * with the rate of its month, split by cost-center kind, and derive the operations and shadow-IT
 * shares. Pure: the service runs one GROUP BY and hands the cells here.
 *
 * Rounding rule (convertToBase): each (currency, month) is converted and rounded once, then
 * apportioned over the (kind, cost type, shadow IT) classes and within each over the row keys, so
 * every grouping of the same range and basis has the same totals, marketing / IT / other,
 * operations and shadow-IT amounts. Rows and totals are sums of those parts, so
 * total = marketing + it + other on every row and the totals are the sum of the rows.
 */

/** committed: contracts; actual: spend entries; approved: approved requests not yet contracted (ledger basis APPROVED). */
export const SPEND_BASES = ['committed', 'actual', 'approved'] as const;
export type SpendBasis = (typeof SPEND_BASES)[number];

/** The ledger bases a spend report sums: committed may add the approved, not yet contracted amounts. */
export function ledgerBasesOf(basis: SpendBasis, includeApproved = false): string[] {
  if (basis === 'actual') return ['ACTUAL'];
  if (basis === 'approved') return ['APPROVED'];
  return includeApproved ? ['COMMITTED', 'APPROVED'] : ['COMMITTED'];
}

export const SPEND_GROUP_BY = [
  'budget',
  'costCenter',
  'category',
  'subcategory',
  'tool',
  'vendor',
  'costType',
  'month',
  'quarter',
  'fiscalYear',
] as const;
export type SpendGroupBy = (typeof SPEND_GROUP_BY)[number];
export const TIME_GROUPS: SpendGroupBy[] = ['month', 'quarter', 'fiscalYear'];

export interface SpendCell {
  /** The grouping column's value (cost-center kind, id, cost type); ignored for time groupings. */
  key: string | null;
  currency: string;
  month: number;
  kind: string;
  costType: string;
  shadowIt: boolean;
  amountMinor: bigint;
}

export interface SpendRowTotals {
  total: bigint;
  marketing: bigint;
  it: bigint;
  other: bigint;
}
export interface SpendRowMinor extends SpendRowTotals {
  key: string;
  label: string;
}

export interface SpendResultMinor {
  rows: SpendRowMinor[];
  totals: SpendRowTotals;
  operationsMinor: bigint;
  shadowItMinor: bigint;
}

export function quarterOf(month: number): string {
  return `${Math.floor(month / 100)}-Q${Math.floor(((month % 100) - 1) / 3) + 1}`;
}

export function timeKey(groupBy: SpendGroupBy, month: number, fyStartMonth: number): string {
  if (groupBy === 'month') return `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`;
  if (groupBy === 'quarter') return quarterOf(month);
  return `FY${fiscalYearOf(month, fyStartMonth)}`;
}

const KIND_ORDER = ['MARKETING', 'IT', 'OTHER'];

/**
 * The figures of some months of a report, compact (what the report cache keeps per month): the row
 * keys, and the marketing, IT and other amounts of keys[i] at amounts[3i], [3i + 1] and [3i + 2], in
 * 64-bit integers (plain bigints in the unheard-of case of a sum beyond them).
 */
export interface SpendPart {
  keys: string[];
  amounts: BigInt64Array | bigint[];
  operationsMinor: bigint;
  shadowItMinor: bigint;
}

const fitsInt64 = (value: bigint) => BigInt.asIntN(64, value) === value;

/**
 * The report's figures per row key, added up from batches of cells (labelled with the key itself, in
 * no order): what the spend report cache keeps. Each (currency, month) must come whole in one batch
 * (it is converted and shared out there), so a report can read its months a few at a time and hold
 * only one batch's cells; the figures are the same as from one batch of them all.
 */
export class SpendAccumulator {
  private readonly time: boolean;
  private readonly rows = new Map<string, SpendRowMinor>();
  // A time grouping finds each cell's row by its month, without building the period's key per cell.
  private readonly rowOfMonth = new Map<number, SpendRowMinor>();
  private operationsMinor = 0n;
  private shadowItMinor = 0n;

  constructor(
    private readonly groupBy: SpendGroupBy,
    private readonly opts: { rates: RateTable; base: string; fyStartMonth: number },
  ) {
    this.time = TIME_GROUPS.includes(groupBy);
  }

  add(cells: Iterable<SpendCell>): void {
    const batch = this.batch();
    for (const cell of cells) batch.add(cell);
    batch.end();
  }

  /** One batch of cells added as they arrive (a streamed month): every (currency, month) of it whole before end(). */
  batch(): { add(cell: SpendCell): void; end(): void } {
    // A time grouping's row follows from the month, which the conversion grain already has: one key per class.
    const keyOf = this.time ? () => '' : (cell: SpendCell) => cell.key ?? '';
    return new BaseConversion<SpendCell>({ rates: this.opts.rates, base: this.opts.base, keyOf }, (cell, amount) => {
      const row = this.rowOf(cell);
      if (cell.kind === 'MARKETING') row.marketing += amount;
      else if (cell.kind === 'IT') row.it += amount;
      else row.other += amount;
      if (cell.costType === 'OPERATIONS') this.operationsMinor += amount;
      if (cell.shadowIt) this.shadowItMinor += amount;
    });
  }

  /** Adds figures computed apart (months that hold every (currency, month) of theirs whole). */
  addPart(part: SpendPart): void {
    part.keys.forEach((key, index) => {
      const row = this.rowFor(key);
      row.marketing += BigInt(part.amounts[3 * index]);
      row.it += BigInt(part.amounts[3 * index + 1]);
      row.other += BigInt(part.amounts[3 * index + 2]);
    });
    this.operationsMinor += part.operationsMinor;
    this.shadowItMinor += part.shadowItMinor;
  }

  /** The figures added so far, compact; `keyOf` may hand back an equal string already held (fewer copies kept). */
  part(keyOf: (key: string) => string = (key) => key): SpendPart {
    const rows = [...this.rows.values()];
    const values = rows.flatMap((row) => [row.marketing, row.it, row.other]);
    return {
      keys: rows.map((row) => keyOf(row.key)),
      amounts: values.every(fitsInt64) ? BigInt64Array.from(values) : values,
      operationsMinor: this.operationsMinor,
      shadowItMinor: this.shadowItMinor,
    };
  }

  result(): SpendResultMinor {
    // Exact integers: each row's total and the report's totals are the sums of the converted parts.
    const totals: SpendRowTotals = { total: 0n, marketing: 0n, it: 0n, other: 0n };
    const list = [...this.rows.values()].map((row) => ({ ...row, total: row.marketing + row.it + row.other }));
    for (const row of list) {
      totals.marketing += row.marketing;
      totals.it += row.it;
      totals.other += row.other;
    }
    totals.total = totals.marketing + totals.it + totals.other;
    return { rows: list, totals, operationsMinor: this.operationsMinor, shadowItMinor: this.shadowItMinor };
  }

  private rowOf(cell: SpendCell): SpendRowMinor {
    if (this.time) {
      const found = this.rowOfMonth.get(cell.month);
      if (found) return found;
      const row = this.rowFor(timeKey(this.groupBy, cell.month, this.opts.fyStartMonth));
      this.rowOfMonth.set(cell.month, row);
      return row;
    }
    return this.rowFor(cell.key ?? '');
  }

  private rowFor(key: string): SpendRowMinor {
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { key, label: key, total: 0n, marketing: 0n, it: 0n, other: 0n }));
    return row;
  }
}

/** The figures of one batch that holds every (currency, month) of the report. */
export function sumSpend(
  cells: SpendCell[],
  groupBy: SpendGroupBy,
  opts: { rates: RateTable; base: string; fyStartMonth: number },
): SpendResultMinor {
  const sums = new SpendAccumulator(groupBy, opts);
  sums.add(cells);
  return sums.result();
}

/**
 * The rows of sumSpend's result labelled (a grouping by time is its own label) and in the report's
 * order: by period, by budget kind, else by total descending then label. The result is left as it was.
 */
export function labelSpend(result: SpendResultMinor, groupBy: SpendGroupBy, labelOf: (key: string) => string): SpendResultMinor {
  const time = TIME_GROUPS.includes(groupBy);
  const list = result.rows.map((row) => ({ ...row, label: time ? row.key : labelOf(row.key) }));
  if (time) list.sort((a, b) => a.key.localeCompare(b.key));
  else if (groupBy === 'budget') list.sort((a, b) => KIND_ORDER.indexOf(a.key) - KIND_ORDER.indexOf(b.key));
  else list.sort((a, b) => (a.total === b.total ? a.label.localeCompare(b.label) : a.total > b.total ? -1 : 1));
  return { ...result, rows: list };
}

export function aggregateSpend(
  cells: SpendCell[],
  groupBy: SpendGroupBy,
  opts: { rates: RateTable; base: string; fyStartMonth: number; labelOf: (key: string) => string },
): SpendResultMinor {
  return labelSpend(sumSpend(cells, groupBy, opts), groupBy, opts.labelOf);
}

export interface SpendReport {
  from: string;
  to: string;
  basis: SpendBasis;
  /** true when committed figures include the approved, not yet contracted amounts. */
  includeApproved: boolean;
  groupBy: SpendGroupBy;
  currency: string;
  rows: { key: string; label: string; total: string; marketing: string; it: string; other: string }[];
  totals: { total: string; marketing: string; it: string; other: string };
  operationsShare: string;
  shadowItShare: string;
}

const fmt = (t: SpendRowTotals, cur: string) => ({
  total: formatMinor(t.total, cur),
  marketing: formatMinor(t.marketing, cur),
  it: formatMinor(t.it, cur),
  other: formatMinor(t.other, cur),
});

export function spendReportJson(
  result: SpendResultMinor,
  meta: Pick<SpendReport, 'from' | 'to' | 'basis' | 'groupBy' | 'currency'> & { includeApproved?: boolean },
): SpendReport {
  return {
    ...meta,
    includeApproved: meta.includeApproved ?? false,
    rows: result.rows.map((row) => ({ key: row.key, label: row.label, ...fmt(row, meta.currency) })),
    totals: fmt(result.totals, meta.currency),
    operationsShare: ratioString(result.operationsMinor, result.totals.total),
    shadowItShare: ratioString(result.shadowItMinor, result.totals.total),
  };
}
