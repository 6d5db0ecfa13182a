import { outsideApprovedSpend } from './discovery-section';

describe('outsideApprovedSpend', () => {
  it('adds shadow-IT and unmatched spend per budget and month, shares to four decimals', () => {
    const out = outsideApprovedSpend(
      [202603, 202604],
      [
        { month: 202603, kind: 'MARKETING', shadowIt: false, amountMinor: 60000n },
        { month: 202603, kind: 'MARKETING', shadowIt: true, amountMinor: 10000n },
        { month: 202604, kind: 'IT', shadowIt: false, amountMinor: 30000n },
        { month: 202512, kind: 'IT', shadowIt: true, amountMinor: 99999n }, // outside the months: budget and total only
      ],
      [
        { month: 202604, kind: 'MARKETING', amountMinor: 30000n },
        { month: 202604, kind: 'UNASSIGNED', amountMinor: 333n },
      ],
      'EUR',
    );
    const marketing = out.byBudget.find((b) => b.budget === 'MARKETING')!;
    expect(marketing).toMatchObject({
      softwareSpend: { amount: '1000.00' },
      outsideApproved: { amount: '400.00' },
      unmatched: { amount: '300.00' },
      share: '0.4000',
    });
    expect(out.byBudget.find((b) => b.budget === 'UNASSIGNED')!.share).toBe('1.0000');
    expect(out.trend).toEqual([
      expect.objectContaining({ month: '2026-03', softwareSpend: { amount: '700.00', currency: 'EUR' }, share: '0.1429' }),
      expect.objectContaining({ month: '2026-04', softwareSpend: { amount: '603.33', currency: 'EUR' }, share: '0.5028' }),
    ]);
    expect(out.byBudget.find((b) => b.budget === 'OTHER')!.share).toBe('0.0000');
  });
});
