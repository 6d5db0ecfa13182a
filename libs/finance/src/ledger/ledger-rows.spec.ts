import fc from 'fast-check';
import { CostType, LedgerBasis, LedgerSource } from '../finance.enums';
import { buildLedgerRows, effectiveAllocation } from './ledger-rows';

const dims = {
  toolId: 't',
  categoryId: 'c',
  subcategoryId: 's',
  vendorId: 'v',
  shadowIt: false,
  costType: CostType.LICENSE,
  currency: 'EUR',
  basis: LedgerBasis.COMMITTED,
  sourceType: LedgerSource.CONTRACT,
  sourceId: 'x',
};

describe('effective allocation', () => {
  const recordAllocation = [{ costCenterId: 'a', shareBps: 10000 }];
  const contractAllocation = [{ costCenterId: 'b', shareBps: 10000 }];
  const toolAllocation = [{ costCenterId: 'c', shareBps: 10000 }];
  it('prefers the record, then the contract, then the tool, then the budget owner', () => {
    expect(effectiveAllocation(recordAllocation, contractAllocation, toolAllocation, 'bo')).toBe(recordAllocation);
    expect(effectiveAllocation(null, contractAllocation, toolAllocation, 'bo')).toBe(contractAllocation);
    expect(effectiveAllocation(undefined, null, toolAllocation, 'bo')).toBe(toolAllocation);
    expect(effectiveAllocation(null, [], null, 'bo')).toEqual([{ costCenterId: 'bo', shareBps: 10000 }]);
  });
});

describe('ledger rows', () => {
  it('splits each month across the allocation by largest remainder', () => {
    const rows = buildLedgerRows(
      [{ month: 202601, amountMinor: 100n }],
      [
        { costCenterId: 'm', shareBps: 3333 },
        { costCenterId: 'i', shareBps: 6667 },
      ],
      (id) => (id === 'm' ? 'MARKETING' : 'IT'),
      dims,
    );
    expect(rows.map((r) => [r.costCenterId, r.costCenterKind, r.amountMinor])).toEqual([
      ['m', 'MARKETING', 33n],
      ['i', 'IT', 67n],
    ]);
  });

  it('sums exactly to the schedule for random allocations (property)', () => {
    const alloc = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }).map((ws) => {
      const total = ws.reduce((s, w) => s + w, 0);
      const bps = ws.map((w) => Math.floor((w * 10000) / total));
      bps[0] += 10000 - bps.reduce((s, b) => s + b, 0);
      return bps.map((shareBps, i) => ({ costCenterId: `cc${i}`, shareBps })).filter((x) => x.shareBps > 0);
    });
    fc.assert(
      fc.property(
        alloc,
        fc.array(fc.bigInt({ min: -(10n ** 10n), max: 10n ** 10n }), { minLength: 1, maxLength: 24 }),
        (allocation, amounts) => {
          const schedule = amounts.map((amountMinor, i) => ({ month: 202601 + i, amountMinor }));
          const rows = buildLedgerRows(schedule, allocation, () => 'OTHER', dims);
          expect(rows.reduce((s, r) => s + r.amountMinor, 0n)).toBe(amounts.reduce((s, a) => s + a, 0n));
          for (const accrual of schedule) {
            expect(rows.filter((r) => r.month === accrual.month).reduce((s, r) => s + r.amountMinor, 0n)).toBe(accrual.amountMinor);
          }
        },
      ),
    );
  });
});
