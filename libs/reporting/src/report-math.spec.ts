import fc from 'fast-check';
import { conversionFactor, convertMinor, divRoundHalfAway } from '@stackgate/platform';
import { convertToBase, LedgerCellAmount, missingRates, RateTable, rateKey, roundToTotal, toBigInt } from './report-math';

const CURRENCIES = ['EUR', 'USD', 'JPY', 'KWD', 'GBP'];
const MONTHS = [202401, 202402, 202412, 202501];
const rateArb = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.stringMatching(/^[0-9]{0,10}$/))
  .map(([i, f]) => (f ? `${i}.${f}` : String(i)));

describe('roundToTotal (largest remainder of exact fractions)', () => {
  it.each([
    ['thirds: the tie goes to the earlier part', 1n, [1n, 1n, 1n], 3n, [1n, 0n, 0n]],
    ['two thirds each', 2n, [2n, 2n, 2n], 3n, [1n, 1n, 0n]],
    ['largest remainder first', 2n, [5n, 3n], 4n, [1n, 1n]],
    ['negative amounts (credits) floor downwards', -2n, [-5n, -3n], 4n, [-1n, -1n]],
    ['a credit and a charge that cancel out', 0n, [3n, -3n], 10n, [0n, 0n]],
    ['a zero total of zero amounts', 0n, [0n, 0n], 7n, [0n, 0n]],
    ['one cell rounded up', 4n, [7n], 2n, [4n]],
    ['one cell rounded down', 3n, [7n], 2n, [3n]],
    ['an exact part keeps its value', 3n, [4n, 1n, 1n], 2n, [2n, 1n, 0n]],
    ['half a unit each, one unit to share', 1n, [1n, 1n], 2n, [1n, 0n]],
    ['no parts', 0n, [], 5n, []],
  ])('%s', (_name, target, numerators, den, parts) => {
    const result = roundToTotal(target, numerators, den);
    expect(result).toEqual(parts);
    expect(result.reduce((sum, part) => sum + part, 0n)).toBe(target);
  });

  it('breaks ties by the tie order (code units), then by index, also past a safe-integer denominator', () => {
    expect(roundToTotal(1n, [1n, 1n, 1n], 2n, ['b', 'a', 'c'])).toEqual([0n, 1n, 0n]);
    expect(roundToTotal(3n, [1n, 1n, 1n, 3n], 2n, ['b', 'a', 'c', 'd'])).toEqual([1n, 1n, 0n, 1n]);
    const huge = 10n ** 20n;
    expect(roundToTotal(2n, [huge / 2n, huge / 2n, huge / 2n, (huge * 3n) / 4n], huge, ['b', 'a', 'c', 'd'])).toEqual([0n, 1n, 0n, 1n]);
    expect(roundToTotal(-1n, [-huge / 2n, -huge / 2n], huge)).toEqual([0n, -1n]);
  });

  it('refuses a total that is no rounding of the parts', () => {
    expect(() => roundToTotal(5n, [1n], 2n)).toThrow('is not a rounding');
    expect(() => roundToTotal(-1n, [1n, 1n], 2n)).toThrow('is not a rounding');
  });

  it('sums to the rounded total, each part within one unit of its exact value (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), { maxLength: 40 }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (numerators, den) => {
          const sum = numerators.reduce((total, n) => total + n, 0n);
          const target = divRoundHalfAway(sum, den);
          const parts = roundToTotal(target, numerators, den);
          expect(parts.reduce((total, part) => total + part, 0n)).toBe(target);
          parts.forEach((part, index) => {
            const error = part * den - numerators[index];
            expect(error > -den && error < den).toBe(true);
            if (numerators[index] % den === 0n) expect(part).toBe(numerators[index] / den);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});

const KINDS = ['MARKETING', 'IT', 'OTHER'];
const COST_TYPES = ['LICENSE', 'OPERATIONS'];
interface TestCell extends LedgerCellAmount {
  tool: string;
  center: string;
}
const cellArb = fc.record({
  currency: fc.constantFrom(...CURRENCIES),
  month: fc.constantFrom(...MONTHS),
  kind: fc.constantFrom(...KINDS),
  costType: fc.constantFrom(...COST_TYPES),
  shadowIt: fc.boolean(),
  tool: fc.constantFrom('t1', 't2', 't3', 't4'),
  center: fc.constantFrom('c1', 'c2', 'c3'),
  amountMinor: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
});

/** Sums of base amounts per the given label of each visited cell. */
function convertedBy(cells: TestCell[], rates: RateTable, keyOf: (cell: TestCell) => string, labelOf: (cell: TestCell) => string) {
  const sums = new Map<string, bigint>();
  convertToBase(cells, { rates, base: 'EUR', keyOf }, (cell, amount) => sums.set(labelOf(cell), (sums.get(labelOf(cell)) ?? 0n) + amount));
  return sums;
}
const classOf = (cell: TestCell) => `${cell.currency}|${cell.month}|${cell.kind}|${cell.costType}|${cell.shadowIt}`;

describe('convertToBase (the reports\u2019 conversion grain)', () => {
  const usd = (amountMinor: bigint, more: Partial<TestCell> = {}): TestCell => ({
    currency: 'USD',
    month: 202401,
    kind: 'MARKETING',
    costType: 'LICENSE',
    shadowIt: false,
    tool: 't1',
    center: 'c1',
    amountMinor,
    ...more,
  });
  const rates: RateTable = new Map([
    ['USD|2024-01', '0.5'],
    ['USD|2024-02', '0.925'],
  ]);

  it('converts each (currency, month) once: a hundred 1-cent lines at 0.5 are 50 cents, grouped any way', () => {
    const cells = Array.from({ length: 100 }, (_unused, i) => usd(1n, { tool: `t${String(i).padStart(3, '0')}`, kind: KINDS[i % 3] }));
    const byTool = convertedBy(
      cells,
      rates,
      (cell) => cell.tool,
      (cell) => cell.tool,
    );
    const byKind = convertedBy(
      cells,
      rates,
      (cell) => cell.kind,
      (cell) => cell.kind,
    );
    const total = (sums: Map<string, bigint>) => [...sums.values()].reduce((sum, amount) => sum + amount, 0n);
    expect(total(byTool)).toBe(50n);
    expect(total(byKind)).toBe(50n);
    // Per kind, the same figures from the tool grouping: 34, 33 and 33 cents are 17, 16.5 and 16.5.
    const kindOfTools = new Map<string, bigint>();
    for (const cell of cells) kindOfTools.set(cell.kind, (kindOfTools.get(cell.kind) ?? 0n) + byTool.get(cell.tool)!);
    expect(kindOfTools).toEqual(byKind);
    expect(byKind).toEqual(
      new Map([
        ['MARKETING', 17n],
        ['IT', 17n],
        ['OTHER', 16n],
      ]),
    );
    // Ties go to the first keys in order: marketing's 17 cents go to its first 17 of 34 tools (t000, t003, … t048).
    const marketingTools = cells.filter((cell) => cell.kind === 'MARKETING').map((cell) => cell.tool);
    expect(marketingTools.map((tool) => byTool.get(tool))).toEqual(marketingTools.map((_tool, rank) => (rank < 17 ? 1n : 0n)));
  });

  it('passes the base currency unchanged and adds up the cells of one (currency, month, class, key) before converting', () => {
    const cells = [usd(1n), usd(1n), usd(1n, { tool: 't2' }), { ...usd(12345n), currency: 'EUR' }];
    const visited: [string, string, bigint][] = [];
    convertToBase(cells, { rates, base: 'EUR', keyOf: (cell) => cell.tool }, (cell, amount) =>
      visited.push([cell.currency, cell.tool, amount]),
    );
    expect(visited).toEqual([
      ['EUR', 't1', 12345n],
      ['USD', 't1', 1n], // 2 cents at 0.5
      ['USD', 't2', 1n], // 3 cents are 1.5 → 2: the half cent goes to t2's larger remainder
    ]);
  });

  it('apportions credits and refunds: a month that nets to zero converts to zero', () => {
    const cells = [usd(3n, { tool: 'a' }), usd(-2n, { tool: 'b' }), usd(-1n, { tool: 'c', kind: 'IT' })];
    const sums = convertedBy(
      cells,
      rates,
      (cell) => cell.tool,
      (cell) => cell.tool,
    );
    expect([...sums.values()].reduce((sum, amount) => sum + amount, 0n)).toBe(0n);
    expect(sums).toEqual(
      new Map([
        ['a', 1n],
        ['b', -1n],
        ['c', 0n],
      ]),
    );
  });

  it('names a missing rate', () => {
    expect(() => convertToBase([usd(1n, { month: 202403 })], { rates, base: 'EUR', keyOf: () => '' }, () => undefined)).toThrow(
      'no USD rate for 2024-03',
    );
  });

  it('gives every grouping the same class totals, whatever the order of cells, each part within a unit of its exact value (property)', () => {
    fc.assert(
      fc.property(
        fc.array(cellArb, { maxLength: 80 }),
        fc.array(rateArb, { minLength: CURRENCIES.length * MONTHS.length, maxLength: CURRENCIES.length * MONTHS.length }),
        fc.integer({ min: 0, max: 1000 }),
        (cells, rateList, seed) => {
          const rateTable: RateTable = new Map(
            CURRENCIES.flatMap((cur, i) =>
              MONTHS.map((month, j) => [rateKey(cur, month), rateList[i * MONTHS.length + j]] as [string, string]),
            ),
          );
          const byTool = convertedBy(cells, rateTable, (cell) => cell.tool, classOf);
          const byCenter = convertedBy(cells, rateTable, (cell) => cell.center, classOf);
          const byClass = convertedBy(cells, rateTable, () => '', classOf);
          expect(byTool).toEqual(byClass);
          expect(byCenter).toEqual(byClass);
          // The same rows from the cells in another order.
          const shuffled = [...cells].sort((a, b) => ((cells.indexOf(a) * 7919 + seed) % 101) - ((cells.indexOf(b) * 7919 + seed) % 101));
          const label = (cell: TestCell) => `${classOf(cell)}|${cell.tool}`;
          expect(convertedBy(shuffled, rateTable, (cell) => cell.tool, label)).toEqual(
            convertedBy(cells, rateTable, (cell) => cell.tool, label),
          );
          // Each (currency, month) is its sum converted once; each part is within a unit of its exact value.
          const pairs = new Map<string, bigint>();
          for (const cell of cells)
            pairs.set(`${cell.currency}|${cell.month}`, (pairs.get(`${cell.currency}|${cell.month}`) ?? 0n) + cell.amountMinor);
          for (const [pair, amount] of pairs) {
            const [cur, month] = pair.split('|');
            const converted = [...byClass].filter(([id]) => id.startsWith(`${pair}|`)).reduce((sum, [, part]) => sum + part, 0n);
            expect(converted).toBe(cur === 'EUR' ? amount : convertMinor(amount, cur, 'EUR', rateTable.get(rateKey(cur, Number(month)))!));
          }
          const exact = new Map<string, bigint>();
          for (const cell of cells) exact.set(label(cell), (exact.get(label(cell)) ?? 0n) + cell.amountMinor);
          for (const [id, part] of convertedBy(cells, rateTable, (cell) => cell.tool, label)) {
            const [cur, month] = id.split('|');
            if (cur === 'EUR') {
              expect(part).toBe(exact.get(id));
              continue;
            }
            const factor = conversionFactor(cur, 'EUR', rateTable.get(rateKey(cur, Number(month)))!);
            const error = part * factor.den - exact.get(id)! * factor.num;
            expect(error > -factor.den && error < factor.den).toBe(true);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('missingRates', () => {
  it('lists each missing (currency, month) once, sorted, however many cells need it', () => {
    const rates: RateTable = new Map([['USD|2024-01', '0.9']]);
    const cells = Array.from({ length: 500 }).flatMap((_, i) => [
      { currency: 'USD', month: 202401 + (i % 2) },
      { currency: 'EUR', month: 202403 },
      { currency: 'GBP', month: 202401 },
    ]);
    expect(missingRates(cells, rates, 'EUR')).toEqual([
      { currency: 'GBP', month: '2024-01' },
      { currency: 'USD', month: '2024-02' },
    ]);
  });
});

describe('toBigInt', () => {
  it.each([
    [null, 0n],
    [undefined, 0n],
    [12, 12n],
    [12.9, 12n],
    [-12.9, -12n],
    ['123456789012345678901', 123456789012345678901n],
    ['-42.0000', -42n],
    [7n, 7n],
  ])('%p → %p', (input, out) => {
    expect(toBigInt(input)).toBe(out);
  });
});
