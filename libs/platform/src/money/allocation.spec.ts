import fc from 'fast-check';
import { allocationProblems, splitAllocation, splitByShares } from './allocation';

describe('splitByShares (largest remainder)', () => {
  it('splits 100.00 into thirds to the cent', () => {
    expect(splitByShares(10000n, [3334, 3333, 3333])).toEqual([3334n, 3333n, 3333n]);
    expect(splitByShares(100n, [3333, 3333, 3334])).toEqual([33n, 33n, 34n]);
    expect(splitByShares(1n, [5000, 5000])).toEqual([1n, 0n]);
    expect(splitByShares(-1n, [5000, 5000])).toEqual([-1n, 0n]);
    expect(splitByShares(0n, [10000])).toEqual([0n]);
  });

  it('refuses shares that do not sum to 10000', () => {
    expect(() => splitByShares(100n, [5000, 4999])).toThrow();
    expect(() => splitByShares(100n, [])).toThrow();
  });

  const sharesArb = fc
    .array(fc.integer({ min: 1, max: 10000 }), { minLength: 1, maxLength: 12 })
    .map((weights) => {
      const total = weights.reduce((s, w) => s + w, 0);
      const bps = weights.map((w) => Math.floor((w * 10000) / total));
      bps[0] += 10000 - bps.reduce((s, b) => s + b, 0);
      return bps;
    })
    .filter((bps) => bps.every((b) => b >= 0));

  it('parts always sum exactly to the whole (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), sharesArb, (total, bps) => {
        const parts = splitByShares(total, bps);
        expect(parts.reduce((s, p) => s + p, 0n)).toBe(total);
        expect(parts).toHaveLength(bps.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('each part is within one minor unit of its exact share (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), sharesArb, (total, bps) => {
        const parts = splitByShares(total, bps);
        parts.forEach((part, index) => {
          const exactTimes10000 = total * BigInt(bps[index]);
          const diff = part * 10000n - exactTimes10000;
          expect(diff > -10000n && diff < 10000n).toBe(true);
        });
      }),
      { numRuns: 3000 },
    );
  });
});

describe('allocationProblems', () => {
  it('accepts a valid allocation', () => {
    expect(
      allocationProblems([
        { costCenterId: 'a', shareBps: 6000 },
        { costCenterId: 'b', shareBps: 4000 },
      ]),
    ).toEqual([]);
  });
  it('names every problem', () => {
    expect(allocationProblems([])).toHaveLength(1);
    expect(
      allocationProblems([
        { costCenterId: 'a', shareBps: 6000 },
        { costCenterId: 'a', shareBps: 3000 },
      ]).join(' '),
    ).toMatch(/more than once.*sum to 10000/);
    expect(
      allocationProblems([
        { costCenterId: 'a', shareBps: 0 },
        { costCenterId: 'b', shareBps: 10000 },
      ])[0],
    ).toMatch(/1 to 10000/);
  });
  it('keeps the cost center of each part', () => {
    expect(
      splitAllocation(1001n, [
        { costCenterId: 'm', shareBps: 5000 },
        { costCenterId: 'i', shareBps: 5000 },
      ]),
    ).toEqual([
      { costCenterId: 'm', amountMinor: 501n },
      { costCenterId: 'i', amountMinor: 500n },
    ]);
  });
});
