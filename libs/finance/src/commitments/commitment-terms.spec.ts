import fc from 'fast-check';
import { commitmentAmount, commitmentSchedule, pendingPerCostCenter } from './commitment-terms';

describe('approved, not yet contracted commitment', () => {
  it('spreads the annual estimate over the 12 months from the approval month, to the cent', () => {
    const months = commitmentSchedule(6_000_000n, '2026-05-20');
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ month: 202605, amountMinor: 500_000n });
    expect(months[11].month).toBe(202704);
    expect(months.reduce((t, m) => t + m.amountMinor, 0n)).toBe(6_000_000n);
    const odd = commitmentSchedule(100_001n, '2026-01-01');
    expect(odd.reduce((t, m) => t + m.amountMinor, 0n)).toBe(100_001n);
  });

  it('splits the pending amount per cost center by the request allocation (60/40, 1/3)', () => {
    expect(
      pendingPerCostCenter(6_000_000n, '2026-05-20', [
        { costCenterId: 'mkt', shareBps: 6000 },
        { costCenterId: 'it', shareBps: 4000 },
      ]),
    ).toEqual(
      new Map([
        ['mkt', 3_600_000n],
        ['it', 2_400_000n],
      ]),
    );
    const thirds = pendingPerCostCenter(100_000n, '2026-01-01', [
      { costCenterId: 'a', shareBps: 3333 },
      { costCenterId: 'b', shareBps: 3333 },
      { costCenterId: 'c', shareBps: 3334 },
    ]);
    expect([...thirds.values()].reduce((t, v) => t + v, 0n)).toBe(100_000n);
  });

  it('sums per cost center exactly to the estimate for any amount and split (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 1, max: 9999 }), (amount, bps) => {
        const perCostCenter = pendingPerCostCenter(amount, '2026-03-31', [
          { costCenterId: 'a', shareBps: bps },
          { costCenterId: 'b', shareBps: 10000 - bps },
        ]);
        expect([...perCostCenter.values()].reduce((t, v) => t + v, 0n)).toBe(amount);
      }),
    );
  });

  it('carries the estimate in the base currency as the request converted it, else in its own currency', () => {
    expect(commitmentAmount({ annualAmountMinor: 6_500_000n, currency: 'USD', annualBaseMinor: 6_000_000n }, 'EUR')).toEqual({
      amountMinor: 6_000_000n,
      currency: 'EUR',
    });
    expect(commitmentAmount({ annualAmountMinor: 6_000_000n, currency: 'EUR', annualBaseMinor: null }, 'EUR')).toEqual({
      amountMinor: 6_000_000n,
      currency: 'EUR',
    });
    expect(commitmentAmount({ annualAmountMinor: 6_500_000n, currency: 'USD', annualBaseMinor: null }, 'EUR')).toEqual({
      amountMinor: 6_500_000n,
      currency: 'USD',
    });
  });
});
