import fc from 'fast-check';
import { Billing } from '../finance.enums';
import {
  accrualSchedule,
  addDays,
  addMonthsToDate,
  addMonthsToMonth,
  annualValueMinor,
  billingPeriods,
  contractDates,
  contractValueMinor,
  monthSpan,
  spreadEvenly,
} from './contract-terms';

const sum = (xs: { amountMinor: bigint }[]) => xs.reduce((s, x) => s + x.amountMinor, 0n);

describe('contract dates', () => {
  it('derives end, cancel-by and review-start dates', () => {
    expect(contractDates({ startDate: '2026-01-01', termMonths: 12, noticeDays: 30, internalLeadDays: 14 })).toEqual({
      endDate: '2026-12-31',
      cancelByDate: '2026-12-01',
      reviewStartDate: '2026-11-17',
    });
    expect(contractDates({ startDate: '2026-03-15', termMonths: 1, noticeDays: 0, internalLeadDays: 0 })).toEqual({
      endDate: '2026-04-14',
      cancelByDate: '2026-04-14',
      reviewStartDate: '2026-04-14',
    });
    expect(contractDates({ startDate: '2027-02-01', termMonths: 24, noticeDays: 90, internalLeadDays: 30 }).endDate).toBe('2029-01-31');
  });

  it('clamps month ends and crosses years and leap days', () => {
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDate('2026-11-30', 3)).toBe('2027-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addMonthsToMonth(202611, 2)).toBe(202701);
    expect(addMonthsToMonth(202601, -1)).toBe(202512);
    expect(monthSpan(202604, 202703)).toBe(12);
  });
});

describe('annual value and contract value', () => {
  it('annualizes per billing type', () => {
    expect(annualValueMinor({ billing: Billing.MONTHLY, amountMinor: 100000n })).toBe(1200000n);
    expect(annualValueMinor({ billing: Billing.QUARTERLY, amountMinor: 100000n })).toBe(400000n);
    expect(annualValueMinor({ billing: Billing.ANNUAL, amountMinor: 100000n })).toBe(100000n);
    expect(annualValueMinor({ billing: Billing.ONE_TIME, amountMinor: 100000n })).toBe(100000n);
  });

  it('counts a partial last period as a whole one', () => {
    expect(billingPeriods({ billing: Billing.ANNUAL, termMonths: 14 })).toBe(2);
    expect(billingPeriods({ billing: Billing.QUARTERLY, termMonths: 12 })).toBe(4);
    expect(billingPeriods({ billing: Billing.ONE_TIME, termMonths: 36 })).toBe(1);
    expect(contractValueMinor({ billing: Billing.QUARTERLY, termMonths: 7, amountMinor: 300n })).toBe(900n);
  });
});

describe('accrual schedule', () => {
  it('MONTHLY puts the amount in each month', () => {
    expect(accrualSchedule({ startDate: '2026-11-15', termMonths: 3, billing: Billing.MONTHLY, amountMinor: 500n })).toEqual([
      { month: 202611, amountMinor: 500n },
      { month: 202612, amountMinor: 500n },
      { month: 202701, amountMinor: 500n },
    ]);
  });

  it('QUARTERLY spreads each amount over 3 months, earlier months taking the remainder', () => {
    expect(
      accrualSchedule({ startDate: '2026-01-01', termMonths: 6, billing: Billing.QUARTERLY, amountMinor: 100n }).map((a) => a.amountMinor),
    ).toEqual([34n, 33n, 33n, 34n, 33n, 33n]);
  });

  it('ANNUAL spreads over 12 months', () => {
    const schedule = accrualSchedule({ startDate: '2026-04-01', termMonths: 12, billing: Billing.ANNUAL, amountMinor: 1200005n });
    expect(schedule).toHaveLength(12);
    expect(schedule[0]).toEqual({ month: 202604, amountMinor: 100001n });
    expect(schedule[4]).toEqual({ month: 202608, amountMinor: 100001n });
    expect(schedule[5]).toEqual({ month: 202609, amountMinor: 100000n });
    expect(schedule[11]).toEqual({ month: 202703, amountMinor: 100000n });
  });

  it('ONE_TIME puts everything in the start month', () => {
    expect(accrualSchedule({ startDate: '2026-05-20', termMonths: 12, billing: Billing.ONE_TIME, amountMinor: 999n })).toEqual([
      { month: 202605, amountMinor: 999n },
    ]);
  });

  it('spreads a partial last period over the months that exist', () => {
    const schedule = accrualSchedule({ startDate: '2026-01-01', termMonths: 14, billing: Billing.ANNUAL, amountMinor: 1200n });
    expect(schedule).toHaveLength(14);
    expect(schedule.slice(0, 12).every((a) => a.amountMinor === 100n)).toBe(true);
    expect(schedule.slice(12)).toEqual([
      { month: 202701, amountMinor: 600n },
      { month: 202702, amountMinor: 600n },
    ]);
    const quarterly = accrualSchedule({ startDate: '2026-01-01', termMonths: 4, billing: Billing.QUARTERLY, amountMinor: 10n });
    expect(quarterly.map((a) => a.amountMinor)).toEqual([4n, 3n, 3n, 10n]);
  });

  it('handles negative amounts (credits) symmetrically', () => {
    expect(spreadEvenly(-10n, 3)).toEqual([-4n, -3n, -3n]);
  });

  it('sums exactly to the contract value for every billing type and term (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(Billing)),
        fc.integer({ min: 1, max: 120 }),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 2000, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (billing, termMonths, amountMinor, year, month, day) => {
          const startDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const contract = { startDate, termMonths, billing, amountMinor };
          const schedule = accrualSchedule(contract);
          expect(sum(schedule)).toBe(contractValueMinor(contract));
          // Every month of the term appears once, in order (ONE_TIME: only the start month).
          expect(schedule.length).toBe(billing === Billing.ONE_TIME ? 1 : termMonths);
          schedule.forEach((a, i) => i && expect(a.month).toBe(addMonthsToMonth(schedule[i - 1].month, 1)));
          // Within a period, amounts never increase and differ by at most one minor unit.
          const max = schedule.reduce((x, a) => (a.amountMinor > x ? a.amountMinor : x), 0n);
          const min = schedule.reduce((x, a) => (a.amountMinor < x ? a.amountMinor : x), max);
          if (billing === Billing.MONTHLY) expect(max).toBe(min);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('spreadEvenly always sums to the whole with earlier months taking the remainder (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 1, max: 12 }), (total, months) => {
        const parts = spreadEvenly(total, months);
        expect(parts.reduce((s, p) => s + p, 0n)).toBe(total);
        for (let i = 1; i < parts.length; i++) {
          const previous = parts[i - 1] < 0n ? -parts[i - 1] : parts[i - 1];
          const current = parts[i] < 0n ? -parts[i] : parts[i];
          expect(previous >= current && previous - current <= 1n).toBe(true);
        }
      }),
    );
  });
});
