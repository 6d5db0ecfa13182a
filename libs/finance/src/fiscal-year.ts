/*
 * Fiscal years (SPEC §2): they start in FISCAL_YEAR_START_MONTH and are named by the calendar year
 * in which they end (FY2027 with start month 4 runs April 2026 to March 2027).
 */

/** The fiscal year a month (yyyymm) belongs to. */
export function fiscalYearOf(month: number, startMonth: number): number {
  const year = Math.floor(month / 100);
  const monthOfYear = month % 100;
  return startMonth === 1 || monthOfYear < startMonth ? year : year + 1;
}

/** First and last month (yyyymm) of a fiscal year. */
export function fiscalYearRange(fy: number, startMonth: number): { from: number; to: number } {
  if (startMonth === 1) return { from: fy * 100 + 1, to: fy * 100 + 12 };
  return { from: (fy - 1) * 100 + startMonth, to: fy * 100 + startMonth - 1 };
}
