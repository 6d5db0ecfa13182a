import { compareFields, sameValue } from './row-changes';

interface Row {
  name?: string;
  tags?: string[];
  owner?: string | null;
  amount?: bigint;
  split?: { id: string; bps: number }[] | null;
  price?: { amount: string; currency: string };
}
interface Stored {
  name: string;
  tags: string[] | null;
  owner: string | null;
  amountMinor: bigint | string;
  split: { id: string; bps: number }[] | null;
  priceMinor: number;
}

const stored: Stored = { name: 'Acme', tags: ['a', 'b'], owner: null, amountMinor: '1050', split: null, priceMinor: 1000 };

describe('sameValue', () => {
  it('treats null and undefined alike, compares arrays and objects by value and bigints by digits', () => {
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue('', null)).toBe(false);
    expect(sameValue(0, null)).toBe(false);
    expect(sameValue(false, null)).toBe(false);
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue({ id: 'x', n: 1n }, { id: 'x', n: 1n })).toBe(true);
    expect(sameValue(1050n, '1050')).toBe(true);
    expect(sameValue(1050n, 1051n)).toBe(false);
    expect(sameValue([], null)).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
  });
});

describe('compareFields (the one "did the row change?" rule of the import kinds)', () => {
  const compare = compareFields<Row, Stored>(
    'name',
    { field: 'tags', comparable: (v) => [...new Set(((v as string[] | null) ?? []).map((t) => t.toLowerCase()))] },
    'owner',
    { field: 'amount', current: (s) => s.amountMinor },
    { field: 'split', comparable: (v) => ((v as unknown[] | null)?.length ? v : null) },
    { field: 'price', current: (s) => ({ amount: (s.priceMinor / 100).toFixed(2), currency: 'EUR' }) },
  );

  it('lists its fields', () => {
    expect(compare.fields).toEqual(['name', 'tags', 'owner', 'amount', 'split', 'price']);
  });

  it("answers only the declared fields whose value differs, with the row's values", () => {
    expect(
      compare.changes(
        { name: 'Acme', tags: ['a', 'B', 'b'], owner: null, amount: 1050n, split: [], price: { amount: '10.00', currency: 'EUR' } },
        stored,
      ),
    ).toEqual({});
    expect(
      compare.changes(
        {
          name: 'ACME',
          tags: ['a'],
          owner: 'u1',
          amount: 1051n,
          split: [{ id: 'c', bps: 10000 }],
          price: { amount: '10.00', currency: 'USD' },
        },
        stored,
      ),
    ).toEqual({
      name: 'ACME',
      tags: ['a'],
      owner: 'u1',
      amount: 1051n,
      split: [{ id: 'c', bps: 10000 }],
      price: { amount: '10.00', currency: 'USD' },
    });
  });

  it('never changes a field the row leaves undefined (its column is absent), and clears one the row sets to null', () => {
    expect(compare.changes({}, stored)).toStrictEqual({});
    expect(compare.changes({ owner: null }, { ...stored, owner: 'u1' })).toEqual({ owner: null });
    expect(compare.changes({ split: null }, { ...stored, split: [{ id: 'c', bps: 10000 }] })).toEqual({ split: null });
  });

  it('ignores fields it does not declare', () => {
    const onlyName = compareFields<Row, Stored>('name');
    expect(onlyName.changes({ name: 'Acme', owner: 'someone else', tags: ['z'] }, stored)).toEqual({});
  });
});
