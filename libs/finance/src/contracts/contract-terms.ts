import { Billing } from '../finance.enums';

/*
 * The arithmetic of a contract (SPEC §2, §4): derived dates, annual value and the monthly accrual
 * schedule of its committed spend. Pure functions; months are integers yyyymm, dates "YYYY-MM-DD".
 */

export const PERIOD_MONTHS: Record<Billing, number> = {
  [Billing.MONTHLY]: 1,
  [Billing.QUARTERLY]: 3,
  [Billing.ANNUAL]: 12,
  [Billing.ONE_TIME]: 0,
};

export interface ContractTerms {
  startDate: string;
  termMonths: number;
  billing: Billing;
  /** Minor units per billing period (ONE_TIME: the whole amount). */
  amountMinor: bigint;
  noticeDays: number;
  internalLeadDays: number;
}

export interface AccrualMonth {
  month: number;
  amountMinor: bigint;
}

/** yyyymm + `months` months. */
export function addMonthsToMonth(month: number, months: number): number {
  const idx = Math.floor(month / 100) * 12 + (month % 100) - 1 + months;
  return Math.floor(idx / 12) * 100 + (idx % 12) + 1;
}

export const monthOfDate = (date: string): number => Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7));
export const monthToString = (m: number): string => `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`;
export const monthFromString = (s: string): number => Number(s.slice(0, 4)) * 100 + Number(s.slice(5, 7));
/** Months from a to b inclusive (b ≥ a), e.g. 202601..202612 → 12. */
export const monthSpan = (a: number, b: number): number => (Math.floor(b / 100) - Math.floor(a / 100)) * 12 + (b % 100) - (a % 100) + 1;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds calendar months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsToDate(date: string, months: number): string {
  const target = addMonthsToMonth(monthOfDate(date), months);
  const year = Math.floor(target / 100);
  const month = target % 100;
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const time = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (to − from). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface ContractDates {
  endDate: string;
  cancelByDate: string;
  reviewStartDate: string;
}

/** endDate = start + termMonths months − 1 day; cancelBy = end − noticeDays; reviewStart = cancelBy − internalLeadDays. */
export function contractDates(terms: Pick<ContractTerms, 'startDate' | 'termMonths' | 'noticeDays' | 'internalLeadDays'>): ContractDates {
  const endDate = addDays(addMonthsToDate(terms.startDate, terms.termMonths), -1);
  const cancelByDate = addDays(endDate, -terms.noticeDays);
  return { endDate, cancelByDate, reviewStartDate: addDays(cancelByDate, -terms.internalLeadDays) };
}

/** Amount per billing period × periods per year; ONE_TIME: the amount itself. */
export function annualValueMinor(terms: Pick<ContractTerms, 'billing' | 'amountMinor'>): bigint {
  const period = PERIOD_MONTHS[terms.billing];
  return period === 0 ? terms.amountMinor : terms.amountMinor * BigInt(12 / period);
}

/** Number of billing periods in the term; a trailing partial period counts as a whole one. */
export function billingPeriods(terms: Pick<ContractTerms, 'billing' | 'termMonths'>): number {
  const period = PERIOD_MONTHS[terms.billing];
  return period === 0 ? 1 : Math.ceil(terms.termMonths / period);
}

/** What the whole term commits: amount × billing periods (see accrualSchedule for partial periods). */
export function contractValueMinor(terms: Pick<ContractTerms, 'billing' | 'termMonths' | 'amountMinor'>): bigint {
  return terms.amountMinor * BigInt(billingPeriods(terms));
}

/** Spreads `total` over `months` months evenly; the first (total mod months) months take one unit more. */
export function spreadEvenly(total: bigint, months: number): bigint[] {
  const count = BigInt(months);
  const neg = total < 0n;
  const abs = neg ? -total : total;
  const base = abs / count;
  const rem = Number(abs % count);
  return Array.from({ length: months }, (_, index) => {
    const share = base + (index < rem ? 1n : 0n);
    return neg ? -share : share;
  });
}

/**
 * The committed spend of a contract, month by month (SPEC §4). MONTHLY puts the amount in each
 * month; QUARTERLY and ANNUAL spread each period's amount over its 3 or 12 months, earlier months
 * taking the remainder; ONE_TIME puts the amount in the start month.
 *
 * Partial last period (termMonths not a multiple of the period, e.g. a 14-month ANNUAL contract):
 * the vendor bills the full period amount when the period starts, so the whole amount of that
 * period is committed and spread evenly over the months of the period that fall inside the term.
 * The schedule therefore always sums to contractValueMinor() = amount × billingPeriods().
 * Months with a zero amount (tiny amounts over many months) are kept, so every term month appears.
 */
export function accrualSchedule(terms: Pick<ContractTerms, 'startDate' | 'termMonths' | 'billing' | 'amountMinor'>): AccrualMonth[] {
  const start = monthOfDate(terms.startDate);
  if (terms.billing === Billing.ONE_TIME) return [{ month: start, amountMinor: terms.amountMinor }];
  const period = PERIOD_MONTHS[terms.billing];
  const out: AccrualMonth[] = [];
  for (let offset = 0; offset < terms.termMonths; offset += period) {
    const months = Math.min(period, terms.termMonths - offset);
    spreadEvenly(terms.amountMinor, months).forEach((amountMinor, i) =>
      out.push({ month: addMonthsToMonth(start, offset + i), amountMinor }),
    );
  }
  return out;
}
