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

/** yyyymm + n months. */
export function addMonthsToMonth(month: number, n: number): number {
  const idx = Math.floor(month / 100) * 12 + (month % 100) - 1 + n;
  return Math.floor(idx / 12) * 100 + (idx % 12) + 1;
}

export const monthOfDate = (date: string): number => Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7));
export const monthToString = (m: number): string => `${Math.floor(m / 100)}-${String(m % 100).padStart(2, '0')}`;
export const monthFromString = (s: string): number => Number(s.slice(0, 4)) * 100 + Number(s.slice(5, 7));
/** Months from a to b inclusive (b ≥ a), e.g. 202601..202612 → 12. */
export const monthSpan = (a: number, b: number): number => (Math.floor(b / 100) - Math.floor(a / 100)) * 12 + (b % 100) - (a % 100) + 1;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Adds calendar months, clamping the day to the target month's length (Jan 31 + 1 month = Feb 28/29). */
export function addMonthsToDate(date: string, n: number): string {
  const target = addMonthsToMonth(monthOfDate(date), n);
  const y = Math.floor(target / 100);
  const m = target % 100;
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(y, m));
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, n: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

export interface ContractDates {
  endDate: string;
  cancelByDate: string;
  reviewStartDate: string;
}

/** endDate = start + termMonths months − 1 day; cancelBy = end − noticeDays; reviewStart = cancelBy − internalLeadDays. */
export function contractDates(c: Pick<ContractTerms, 'startDate' | 'termMonths' | 'noticeDays' | 'internalLeadDays'>): ContractDates {
  const endDate = addDays(addMonthsToDate(c.startDate, c.termMonths), -1);
  const cancelByDate = addDays(endDate, -c.noticeDays);
  return { endDate, cancelByDate, reviewStartDate: addDays(cancelByDate, -c.internalLeadDays) };
}

/** Amount per billing period × periods per year; ONE_TIME: the amount itself. */
export function annualValueMinor(c: Pick<ContractTerms, 'billing' | 'amountMinor'>): bigint {
  const period = PERIOD_MONTHS[c.billing];
  return period === 0 ? c.amountMinor : c.amountMinor * BigInt(12 / period);
}

/** Number of billing periods in the term; a trailing partial period counts as a whole one. */
export function billingPeriods(c: Pick<ContractTerms, 'billing' | 'termMonths'>): number {
  const period = PERIOD_MONTHS[c.billing];
  return period === 0 ? 1 : Math.ceil(c.termMonths / period);
}

/** What the whole term commits: amount × billing periods (see accrualSchedule for partial periods). */
export function contractValueMinor(c: Pick<ContractTerms, 'billing' | 'termMonths' | 'amountMinor'>): bigint {
  return c.amountMinor * BigInt(billingPeriods(c));
}

/** Spreads `total` over `months` months evenly; the first (total mod months) months take one unit more. */
export function spreadEvenly(total: bigint, months: number): bigint[] {
  const n = BigInt(months);
  const neg = total < 0n;
  const abs = neg ? -total : total;
  const base = abs / n;
  const rem = Number(abs % n);
  return Array.from({ length: months }, (_, i) => {
    const v = base + (i < rem ? 1n : 0n);
    return neg ? -v : v;
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
export function accrualSchedule(c: Pick<ContractTerms, 'startDate' | 'termMonths' | 'billing' | 'amountMinor'>): AccrualMonth[] {
  const start = monthOfDate(c.startDate);
  if (c.billing === Billing.ONE_TIME) return [{ month: start, amountMinor: c.amountMinor }];
  const period = PERIOD_MONTHS[c.billing];
  const out: AccrualMonth[] = [];
  for (let offset = 0; offset < c.termMonths; offset += period) {
    const months = Math.min(period, c.termMonths - offset);
    spreadEvenly(c.amountMinor, months).forEach((amountMinor, i) => out.push({ month: addMonthsToMonth(start, offset + i), amountMinor }));
  }
  return out;
}
