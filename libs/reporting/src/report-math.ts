import { applyConversion, conversionFactor, ConversionFactor, invalidRange, sqlBigInt } from '@stackgate/platform';
import { monthSpan, monthToString } from '@stackgate/finance';
import { ReportingError, ReportingErrorCode } from './reporting.errors';

/*
 * Shared report arithmetic: FX conversion per ledger month (SPEC §4) with exact bigint math, and
 * the missing-rate rule: a report that needs a rate that does not exist is a 422 listing every
 * missing (currency, month) pair — never a silent 1.
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
  if (missing.length) {
    throw new ReportingError(
      ReportingErrorCode.FX_RATE_MISSING,
      `Missing FX rates to ${base}: ${missing.map((m) => `${m.currency} ${m.month}`).join(', ')}`,
      missing,
    );
  }
}

/**
 * Minor units of `currency` in `month` → minor units of `base` (convertMinor with that month's
 * rate), for the many cells of one report: each (currency, month) rate is looked up and parsed once,
 * then applied to every amount of that pair. The rates must exist (see assertRates).
 */
export function baseConverter(rates: RateTable, base: string): (amountMinor: bigint, currency: string, month: number) => bigint {
  const factors = new Map<string, Map<number, ConversionFactor>>();
  return (amountMinor, currency, month) => {
    if (currency === base) return amountMinor;
    let byMonth = factors.get(currency);
    if (!byMonth) factors.set(currency, (byMonth = new Map<number, ConversionFactor>()));
    let factor = byMonth.get(month);
    if (!factor) {
      const rate = rates.get(rateKey(currency, month));
      if (!rate) throw new Error(`no ${currency} rate for ${monthToString(month)}`);
      byMonth.set(month, (factor = conversionFactor(currency, base, rate)));
    }
    return applyConversion(amountMinor, factor);
  };
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
