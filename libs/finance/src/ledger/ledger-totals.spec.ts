import fc from 'fast-check';
import { negate, totalsOf, TotalsDelta } from './ledger-totals';

const rowArb = fc.record({
  basis: fc.constantFrom('COMMITTED', 'ACTUAL'),
  month: fc.constantFrom(202601, 202602, 202603),
  costCenterId: fc.constantFrom('cc1', 'cc2'),
  costCenterKind: fc.constant('IT'),
  categoryId: fc.constant('cat'),
  subcategoryId: fc.constantFrom('s1', 's2'),
  toolId: fc.constantFrom('t1', 't2'),
  vendorId: fc.constantFrom('v1', 'v2'),
  costType: fc.constantFrom('LICENSE', 'OPERATIONS'),
  currency: fc.constantFrom('EUR', 'USD'),
  shadowIt: fc.boolean(),
  amountMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
});

/** What applyTotals does to a table, on a Map: add per key, drop a key whose count reaches 0. */
function apply(table: Map<string, { amountMinor: bigint; entryCount: number }>, deltas: TotalsDelta[]) {
  for (const delta of deltas) {
    const key = JSON.stringify(delta.key);
    const cur = table.get(key) ?? { amountMinor: 0n, entryCount: 0 };
    const next = { amountMinor: cur.amountMinor + delta.amountMinor, entryCount: cur.entryCount + delta.entryCount };
    if (next.entryCount <= 0) table.delete(key);
    else table.set(key, next);
  }
}

describe('ledger totals', () => {
  it('sums rows per key to the cent, in one stable key order', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 60 }), (rows) => {
        const deltas = totalsOf(rows, 1);
        for (const grain of ['COST_CENTER', 'CATEGORY', 'SUBCATEGORY', 'TOOL']) {
          const of = deltas.filter((d) => d.key.grain === grain);
          expect(of.reduce((s, d) => s + d.amountMinor, 0n)).toBe(rows.reduce((s, r) => s + r.amountMinor, 0n));
          expect(of.reduce((s, d) => s + d.entryCount, 0)).toBe(rows.length);
        }
        expect(totalsOf([...rows].reverse(), 1).map((d) => JSON.stringify(d.key))).toEqual(deltas.map((d) => JSON.stringify(d.key)));
      }),
    );
  });

  it('adding A and B then taking B out leaves exactly the totals of A, with no emptied key left behind', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.array(rowArb, { maxLength: 40 }), (first, second) => {
        const table = new Map<string, { amountMinor: bigint; entryCount: number }>();
        apply(table, totalsOf(first, 1));
        apply(table, totalsOf(second, 1));
        apply(table, negate(totalsOf(second, 1)));
        const want = new Map<string, { amountMinor: bigint; entryCount: number }>();
        apply(want, totalsOf(first, 1));
        expect(table).toEqual(want);
      }),
    );
  });

  it('reads rows back from SQL (0/1 flags, string sums and counts) under the same keys as drafts, once per grain', () => {
    const draft = {
      basis: 'ACTUAL',
      month: 202601,
      costCenterId: 'c',
      costCenterKind: 'IT',
      categoryId: 'k',
      subcategoryId: 's',
      toolId: 't',
      vendorId: 'v',
      costType: 'LICENSE',
      currency: 'EUR',
      shadowIt: true,
      amountMinor: 5n,
    };
    const sql = { ...draft, month: '202601' as unknown as number, shadowIt: 1 as unknown as boolean, amountMinor: '12', entryCount: '3' };
    const common = { basis: 'ACTUAL', month: 202601, currency: 'EUR', costCenterKind: 'IT', costType: 'LICENSE', shadowIt: true };
    const none = { costCenterId: '', categoryId: '', subcategoryId: '', toolId: '', vendorId: '' };
    expect(totalsOf([draft, sql], 1)).toEqual([
      { key: { grain: 'CATEGORY', ...common, ...none, categoryId: 'k' }, amountMinor: 17n, entryCount: 4 },
      { key: { grain: 'COST_CENTER', ...common, ...none, costCenterId: 'c' }, amountMinor: 17n, entryCount: 4 },
      { key: { grain: 'SUBCATEGORY', ...common, ...none, categoryId: 'k', subcategoryId: 's' }, amountMinor: 17n, entryCount: 4 },
      { key: { grain: 'TOOL', ...common, ...none, toolId: 't', vendorId: 'v' }, amountMinor: 17n, entryCount: 4 },
    ]);
  });

  it('keeps the tool and vendor of a row only in the TOOL grain', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 40 }), (rows) => {
        const deltas = totalsOf(rows, 1);
        for (const delta of deltas) {
          const tool = delta.key.grain === 'TOOL';
          expect(delta.key.toolId !== '').toBe(tool);
          expect(delta.key.vendorId !== '').toBe(tool);
        }
        // The TOOL grain equals a GROUP BY of the rows by the common columns, tool and vendor.
        const byToolKey = new Map<string, bigint>();
        for (const row of rows) {
          const groupKey = [row.basis, row.month, row.currency, row.costType, row.shadowIt, row.toolId, row.vendorId].join('|');
          byToolKey.set(groupKey, (byToolKey.get(groupKey) ?? 0n) + row.amountMinor);
        }
        const toolDeltas = deltas.filter((d) => d.key.grain === 'TOOL');
        expect(toolDeltas).toHaveLength(byToolKey.size);
        for (const delta of toolDeltas) {
          const { basis, month, currency, costType, shadowIt, toolId, vendorId } = delta.key;
          expect(delta.amountMinor).toBe(byToolKey.get([basis, month, currency, costType, shadowIt, toolId, vendorId].join('|')));
        }
      }),
    );
  });
});
