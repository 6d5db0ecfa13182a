import { calendarDay, OVERDUE_DAYS, renewalStatus } from './renewal-state';

// Cancel by 2026-12-01, review from 2026-11-01 (the example contract).
const dates = { cancelByDate: '2026-12-01', reviewStartDate: '2026-11-01' };

describe('renewalStatus', () => {
  it('is UPCOMING before the review starts', () => {
    expect(renewalStatus(dates, '2026-10-31', false)).toEqual({ state: 'UPCOMING', overdue: false, daysToCancelBy: 31 });
  });

  it('is DECISION_DUE from the review-start day through the cancel-by day (both inclusive)', () => {
    expect(renewalStatus(dates, '2026-11-01', false)).toEqual({ state: 'DECISION_DUE', overdue: false, daysToCancelBy: 30 });
    expect(renewalStatus(dates, '2026-12-01', false)).toEqual({ state: 'DECISION_DUE', overdue: true, daysToCancelBy: 0 });
  });

  it(`is overdue in the last ${OVERDUE_DAYS} days before the cancel-by date`, () => {
    expect(renewalStatus(dates, '2026-11-23', false).overdue).toBe(false);
    expect(renewalStatus(dates, '2026-11-24', false)).toEqual({ state: 'DECISION_DUE', overdue: true, daysToCancelBy: 7 });
  });

  it('is MISSED (and red) the day after the cancel-by date without a decision', () => {
    expect(renewalStatus(dates, '2026-12-02', false)).toEqual({ state: 'MISSED', overdue: true, daysToCancelBy: -1 });
    expect(renewalStatus(dates, '2026-12-04', false)).toEqual({ state: 'MISSED', overdue: true, daysToCancelBy: -3 });
  });

  it('is DECIDED whenever a decision is recorded, even before the review or after the cancel-by date', () => {
    expect(renewalStatus(dates, '2026-01-01', true)).toEqual({ state: 'DECIDED', overdue: false, daysToCancelBy: 334 });
    expect(renewalStatus(dates, '2027-01-01', true).state).toBe('DECIDED');
  });

  it('counts whole days across the end of a leap February and across years', () => {
    expect(renewalStatus({ cancelByDate: '2028-03-01', reviewStartDate: '2028-02-01' }, '2028-02-28', false).daysToCancelBy).toBe(2);
    expect(renewalStatus({ cancelByDate: '2027-01-01', reviewStartDate: '2026-12-01' }, '2026-12-31', false).daysToCancelBy).toBe(1);
  });

  it('treats a review start after the cancel-by date (no lead time) as due only on the cancel-by day', () => {
    const noLead = { cancelByDate: '2026-12-01', reviewStartDate: '2026-12-01' };
    expect(renewalStatus(noLead, '2026-11-30', false).state).toBe('UPCOMING');
    expect(renewalStatus(noLead, '2026-12-01', false).state).toBe('DECISION_DUE');
  });
});

describe('calendarDay (what "today" is in a time zone)', () => {
  // 23:30 UTC on the cancel-by day is already the next day in Berlin and still the same day in New York.
  const late = new Date('2026-12-01T23:30:00Z');
  it('takes the calendar day of the zone', () => {
    expect(calendarDay(late)).toBe('2026-12-01');
    expect(calendarDay(late, 'UTC')).toBe('2026-12-01');
    expect(calendarDay(late, 'Europe/Berlin')).toBe('2026-12-02');
    expect(calendarDay(new Date('2026-12-02T03:00:00Z'), 'America/New_York')).toBe('2026-12-01');
  });

  it('so the same instant is DECISION_DUE in UTC and MISSED in Berlin', () => {
    expect(renewalStatus(dates, calendarDay(late, 'UTC'), false).state).toBe('DECISION_DUE');
    expect(renewalStatus(dates, calendarDay(late, 'Europe/Berlin'), false).state).toBe('MISSED');
  });

  it('handles the daylight-saving change day', () => {
    expect(calendarDay(new Date('2026-03-29T00:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29');
    expect(calendarDay(new Date('2026-03-28T22:59:59Z'), 'Europe/Berlin')).toBe('2026-03-28');
  });
});
