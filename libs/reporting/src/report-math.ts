import { applyConversion, conversionFactor, invalidRange, sqlBigInt } from '@stackgate/platform';
import { monthSpan, monthToString } from '@stackgate/finance';
import { ReportingError, ReportingErrorCode } from './reporting.errors';

/*
 * Shared report arithmetic: FX conversion per ledger month (SPEC §4) with exact bigint math on one
 * fixed grain for every report (convertToBase), and the missing-rate rule: a report that needs a
 * rate that does not exist is a 422 listing every missing (currency, month) pair — never a silent 1.
 */

export type RateTable = Map<string, string>;
export const rateKey = (currency: string, month: number | string) =>
  `${currency}|${typeof month === 'number' ? monthToString(month) : month}`;

export interface MissingRate {
  currency: string;
  month: string;
}

export function missingRates(pairs: Iterable<{ currency: string; month: number }>, rates: RateTable, base: string): MissingRate[] {
  const missing = new Map<string, MissingRate>();
  // A report has thousands of cells but few (currency, month) pairs: each pair is looked up once.
  const checked = new Map<string, Set<number>>();
  for (const pair of pairs) {
    if (pair.currency === base) continue;
    let months = checked.get(pair.currency);
    if (!months) checked.set(pair.currency, (months = new Set()));
    if (months.has(pair.month)) continue;
    months.add(pair.month);
    const key = rateKey(pair.currency, pair.month);
    if (!rates.has(key)) missing.set(key, { currency: pair.currency, month: monthToString(pair.month) });
  }
  return [...missing.values()].sort((a, b) =>
    a.currency === b.currency ? a.month.localeCompare(b.month) : a.currency.localeCompare(b.currency),
  );
}

export function assertRates(pairs: Iterable<{ currency: string; month: number }>, rates: RateTable, base: string): void {
  const missing = missingRates(pairs, rates, base);
  if (missing.length) throwMissingRates(missing, base);
}

/** The 422 FX_RATE_MISSING listing these pairs (each (currency, month) of different batches once, in order). */
export function throwMissingRates(missing: MissingRate[], base: string): never {
  const pairs = [...new Map(missing.map((m) => [`${m.currency}|${m.month}`, m])).values()].sort((a, b) =>
    a.currency === b.currency ? a.month.localeCompare(b.month) : a.currency.localeCompare(b.currency),
  );
  throw new ReportingError(
    ReportingErrorCode.FX_RATE_MISSING,
    `Missing FX rates to ${base}: ${pairs.map((m) => `${m.currency} ${m.month}`).join(', ')}`,
    pairs,
  );
}

/**
 * Largest remainder on exact fractions numerators[i] / den (den > 0): every part is the floor of its
 * fraction or one more, the extra units going to the largest remainders, so the parts sum to
 * `target` exactly. Ties go to the smaller `tieOrder[i]` (code-unit order), else to the earlier index.
 * `target` must lie between the sums of the floors and of the ceilings, as the rounded sum of the
 * fractions does; negative fractions floor downwards (a credit's part is its own part, negated).
 */
export function roundToTotal(target: bigint, numerators: readonly bigint[], den: bigint, tieOrder?: readonly string[]): bigint[] {
  const count = numerators.length;
  const parts: bigint[] = [];
  const remainders: bigint[] = [];
  let leftover = target;
  let positive = 0;
  for (let i = 0; i < count; i++) {
    let quotient = numerators[i] / den;
    let remainder = numerators[i] % den;
    if (remainder < 0n) {
      quotient -= 1n;
      remainder += den;
    }
    if (remainder > 0n) positive++;
    parts.push(quotient);
    remainders.push(remainder);
    leftover -= quotient;
  }
  if (leftover === 0n) return parts;
  if (leftover < 0n || leftover > BigInt(positive)) throw new Error(`${target} is not a rounding of the parts' sum`);
  const extra = Number(leftover);
  const tie = tieOrder
    ? (a: number, b: number) => (tieOrder[a] < tieOrder[b] ? -1 : tieOrder[a] > tieOrder[b] ? 1 : a - b)
    : (a: number, b: number) => a - b;
  if (den > BigInt(Number.MAX_SAFE_INTEGER)) {
    const order = remainders.flatMap((remainder, i) => (remainder > 0n ? [i] : []));
    order.sort((a, b) => (remainders[a] === remainders[b] ? tie(a, b) : remainders[a] > remainders[b] ? -1 : 1));
    for (let rank = 0; rank < extra; rank++) parts[order[rank]] += 1n;
    return parts;
  }
  // Remainders are below den, a safe integer (as every rate's is), so as doubles they compare exactly. The extra
  // units go to every remainder above the extra-th largest, then to those equal to it in tie order.
  const asDoubles = new Float64Array(count);
  for (let i = 0; i < count; i++) asDoubles[i] = Number(remainders[i]);
  const threshold = asDoubles.slice().sort()[count - extra];
  const tied: number[] = [];
  let given = 0;
  for (let i = 0; i < count; i++) {
    if (asDoubles[i] > threshold) {
      parts[i] += 1n;
      given++;
    } else if (asDoubles[i] === threshold) tied.push(i);
  }
  tied.sort(tie);
  for (let rank = 0; given < extra; rank++, given++) parts[tied[rank]] += 1n;
  return parts;
}

/** A ledger sum in its own currency, with the columns every report's sums carry (the conversion grain's classes). */
export interface LedgerCellAmount {
  currency: string;
  /** yyyymm. */
  month: number;
  /** The cost-center kind (MARKETING, IT, OTHER). */
  kind: string;
  costType: string;
  shadowIt: boolean;
  amountMinor: bigint;
}

interface ClassPart<T> {
  id: string;
  amount: bigint;
  keys: Map<string, { cell: T; amount: bigint }>;
}
interface PairPart<T> {
  currency: string;
  month: number;
  amount: bigint;
  /** kind → cost type → [not shadow IT, shadow IT]: found without building a string per cell. */
  classes: Map<string, Map<string, (ClassPart<T> | undefined)[]>>;
  list: ClassPart<T>[];
}

/**
 * The one conversion rule of every report that converts ledger sums (README "Money: conversion and
 * rounding"). The minor units of each (currency, month) are summed, converted with that month's rate
 * and rounded once (half away from zero); that base amount is then apportioned by largest remainder
 * of the exact converted values, first over the (cost-center kind, cost type, shadow IT) classes,
 * then within each class over the report's keys (`keyOf`: cost center, tool, vendor…; one key for a
 * grouping by time). Ties go to the class id, then the key, in code-unit order. So every grouping of
 * the same months and basis gives the same per-class amounts — the same grand total, marketing / IT
 * / other, operations and shadow-IT figures — and each part is within one minor unit of its own exact
 * conversion. Cells of one (currency, month, class, key) are added up first (a finer GROUP BY gives
 * the same figures); cells in the base currency pass unchanged. `visit` gets each (merged) cell once,
 * with its base amount; the rates must exist (see assertRates).
 */
export function convertToBase<T extends LedgerCellAmount>(
  cells: Iterable<T>,
  opts: { rates: RateTable; base: string; keyOf: (cell: T) => string },
  visit: (cell: T, baseMinor: bigint) => void,
): void {
  const conversion = new BaseConversion(opts, visit);
  for (const cell of cells) conversion.add(cell);
  conversion.end();
}

/**
 * convertToBase one cell at a time, for cells that arrive as a stream: add() visits a cell in the base
 * currency at once and keeps the others' amounts per (currency, month, class, key); end() converts and
 * visits those. Every cell of a (currency, month) must be added before end().
 */
export class BaseConversion<T extends LedgerCellAmount> {
  private readonly pairs = new Map<string, Map<number, PairPart<T>>>();

  constructor(
    private readonly opts: { rates: RateTable; base: string; keyOf: (cell: T) => string },
    private readonly visit: (cell: T, baseMinor: bigint) => void,
  ) {}

  add(cell: T): void {
    if (cell.currency === this.opts.base) {
      this.visit(cell, cell.amountMinor);
      return;
    }
    let months = this.pairs.get(cell.currency);
    if (!months) this.pairs.set(cell.currency, (months = new Map<number, PairPart<T>>()));
    let pair = months.get(cell.month);
    if (!pair) months.set(cell.month, (pair = { currency: cell.currency, month: cell.month, amount: 0n, classes: new Map(), list: [] }));
    let costTypes = pair.classes.get(cell.kind);
    if (!costTypes) pair.classes.set(cell.kind, (costTypes = new Map<string, (ClassPart<T> | undefined)[]>()));
    let flags = costTypes.get(cell.costType);
    if (!flags) costTypes.set(cell.costType, (flags = [undefined, undefined]));
    const flag = cell.shadowIt ? 1 : 0;
    let group = flags[flag];
    if (!group) pair.list.push((flags[flag] = group = { id: `${cell.kind}|${cell.costType}|${flag}`, amount: 0n, keys: new Map() }));
    const key = this.opts.keyOf(cell);
    const part = group.keys.get(key);
    if (part) part.amount += cell.amountMinor;
    else group.keys.set(key, { cell, amount: cell.amountMinor });
  }

  end(): void {
    const { rates, base } = this.opts;
    for (const months of this.pairs.values())
      for (const pair of months.values()) {
        const rate = rates.get(rateKey(pair.currency, pair.month));
        if (!rate) throw new Error(`no ${pair.currency} rate for ${monthToString(pair.month)}`);
        const factor = conversionFactor(pair.currency, base, rate);
        // The class and pair sums, from the (fewer) merged key parts.
        for (const group of pair.list) for (const part of group.keys.values()) group.amount += part.amount;
        for (const group of pair.list) pair.amount += group.amount;
        const classTotals = roundToTotal(
          applyConversion(pair.amount, factor),
          pair.list.map((group) => group.amount * factor.num),
          factor.den,
          pair.list.map((group) => group.id),
        );
        pair.list.forEach((group, index) => {
          if (group.keys.size === 1) {
            this.visit(group.keys.values().next().value!.cell, classTotals[index]);
            return;
          }
          const keys = [...group.keys.keys()];
          const keyParts = [...group.keys.values()];
          const parts = roundToTotal(
            classTotals[index],
            keyParts.map((part) => part.amount * factor.num),
            factor.den,
            keys,
          );
          keyParts.forEach((part, rank) => this.visit(part.cell, parts[rank]));
        });
      }
    this.pairs.clear();
  }
}

export const MAX_REPORT_MONTHS = 120;

/** from/to (yyyymm) of a report: from ≤ to, at most 10 years. */
export function assertRange(from: number, to: number): void {
  if (from > to) throw invalidRange();
  if (monthSpan(from, to) > MAX_REPORT_MONTHS)
    throw new ReportingError(ReportingErrorCode.RANGE_TOO_LONG, 'A report covers at most 10 years (120 months)');
}

/** SQL aggregates as exact bigints (platform's sqlBigInt; the bench's baseline hydrates with it too). */
export const toBigInt = sqlBigInt;
