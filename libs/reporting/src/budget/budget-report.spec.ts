import { budgetLines, budgetRowJson, budgetTotals } from './budget-report';
import { rateKey } from '../report-math';

/** The conversion grain's classes: one class is enough where no rounding is at stake. */
const grain = { kind: 'MARKETING', costType: 'LICENSE', shadowIt: false };

describe('budget vs actual', () => {
  const centers = [
    { id: 'i', code: 'IT1', name: 'IT', kind: 'IT' },
    { id: 'm', code: 'MK1', name: 'Mkt', kind: 'MARKETING' },
    { id: 'o', code: 'OT1', name: 'Other', kind: 'OTHER' },
  ];
  const rates = new Map([[rateKey('USD', 202606), '2']]);
  const lines = budgetLines(
    centers,
    new Map([
      ['m', 100000n],
      ['o', 500n],
    ]),
    [
      { ...grain, costCenterId: 'm', basis: 'COMMITTED' as const, currency: 'EUR', month: 202605, amountMinor: 1000n },
      { ...grain, costCenterId: 'm', basis: 'COMMITTED' as const, currency: 'EUR', month: 202607, amountMinor: 3000n },
      { ...grain, costCenterId: 'm', basis: 'ACTUAL' as const, currency: 'EUR', month: 202605, amountMinor: 1200n },
      { ...grain, costCenterId: 'i', basis: 'ACTUAL' as const, currency: 'USD', month: 202606, amountMinor: 50n },
    ],
    202606,
    rates,
    'EUR',
  );

  it('computes committed, actual and the forecast (actual to date + committed after)', () => {
    expect(lines.map((l) => [l.costCenter.id, l.budget, l.committed, l.actual, l.forecast])).toEqual([
      ['m', 100000n, 4000n, 1200n, 4200n],
      ['i', null, 0n, 100n, 100n],
      ['o', 500n, 0n, 0n, 0n],
    ]);
    expect(budgetRowJson(lines[0], 'EUR')).toEqual({
      budget: '1000.00',
      committed: '40.00',
      actual: '12.00',
      remaining: '988.00',
      forecast: '42.00',
      variance: '958.00',
      approvedNotContracted: '0.00',
    });
    expect(budgetRowJson(lines[1], 'EUR')).toMatchObject({ budget: null, remaining: null, variance: null });
    expect(budgetTotals(lines)).toEqual({ budget: 100500n, committed: 4000n, actual: 1300n, forecast: 4300n, approvedNotContracted: 0n });
  });

  it('carries approved, not yet contracted amounts in their own column, and in the forecast after the as-of month', () => {
    const lines = budgetLines(
      centers,
      new Map([['m', 100000n]]),
      [
        { ...grain, costCenterId: 'm', basis: 'COMMITTED' as const, currency: 'EUR', month: 202607, amountMinor: 3000n },
        { ...grain, costCenterId: 'm', basis: 'APPROVED' as const, currency: 'EUR', month: 202605, amountMinor: 500n },
        { ...grain, costCenterId: 'm', basis: 'APPROVED' as const, currency: 'EUR', month: 202607, amountMinor: 700n },
        { ...grain, costCenterId: 'i', basis: 'APPROVED' as const, currency: 'USD', month: 202606, amountMinor: 1n },
      ],
      202606,
      rates,
      'EUR',
    );
    expect(lines.map((x) => [x.costCenter.id, x.committed, x.approvedNotContracted, x.forecast])).toEqual([
      ['m', 3000n, 1200n, 3700n],
      ['i', 0n, 2n, 0n],
    ]);
    expect(budgetRowJson(lines[0], 'EUR')).toMatchObject({
      committed: '30.00',
      approvedNotContracted: '12.00',
      forecast: '37.00',
      variance: '963.00',
    });
    expect(budgetTotals(lines).approvedNotContracted).toBe(1202n);
  });
});
