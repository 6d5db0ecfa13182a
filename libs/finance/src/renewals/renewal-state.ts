/*
 * The renewal state of a contract term (pure rule; dates are calendar days "YYYY-MM-DD").
 *
 *   DECIDED       a renewal decision is recorded for the current term (its end date) — whatever the date;
 *   MISSED        no decision and today is after the cancel-by date (the notice window is gone:
 *                 an auto-renewing contract has renewed, a fixed-term one can no longer be renegotiated in time);
 *   DECISION_DUE  no decision and the review has started (reviewStartDate ≤ today ≤ cancelByDate);
 *   UPCOMING      no decision and the review has not started yet (today < reviewStartDate).
 *
 * The cancel-by date itself is still in time (notice given that day counts). A DECISION_DUE term is
 * OVERDUE in its last OVERDUE_DAYS days (the week of the "one week left" reminder); MISSED and overdue
 * rows are shown in red. "Today" is a calendar day taken in one time zone (`calendarDay`; the service
 * uses UTC, like the renewal reminders job and the reports), so a cancel-by date ends at midnight of
 * that zone; callers may pass another day (`asOf`).
 */

export const RENEWAL_STATES = ['UPCOMING', 'DECISION_DUE', 'MISSED', 'DECIDED'] as const;
export type RenewalState = (typeof RENEWAL_STATES)[number];
export const RenewalState = Object.fromEntries(RENEWAL_STATES.map((s) => [s, s])) as { [K in RenewalState]: K };

/** A DECISION_DUE term is overdue when at most this many days are left before its cancel-by date. */
export const OVERDUE_DAYS = 7;

export interface RenewalDates {
  cancelByDate: string;
  reviewStartDate: string;
}

export interface RenewalStatus {
  state: RenewalState;
  /** Red: MISSED, or DECISION_DUE within OVERDUE_DAYS of the cancel-by date. */
  overdue: boolean;
  /** Days from today to the cancel-by date (negative once it has passed). */
  daysToCancelBy: number;
}

const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);

export function renewalStatus(dates: RenewalDates, today: string, decided: boolean): RenewalStatus {
  const daysToCancelBy = dayNumber(dates.cancelByDate) - dayNumber(today);
  if (decided) return { state: 'DECIDED', overdue: false, daysToCancelBy };
  if (daysToCancelBy < 0) return { state: 'MISSED', overdue: true, daysToCancelBy };
  if (today >= dates.reviewStartDate) return { state: 'DECISION_DUE', overdue: daysToCancelBy <= OVERDUE_DAYS, daysToCancelBy };
  return { state: 'UPCOMING', overdue: false, daysToCancelBy };
}

/** The calendar day ("YYYY-MM-DD") of `now` in the IANA time zone `timeZone` (e.g. "Europe/Berlin"). */
export function calendarDay(now: Date, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
