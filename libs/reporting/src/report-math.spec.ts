import fc from 'fast-check';
import { convertMinor } from '@stackgate/platform';
import { monthToString } from '@stackgate/finance';
import { baseConverter, missingRates, RateTable, rateKey, toBigInt } from './report-math';

/** One cell converted on its own: that month's rate looked up, then convertMinor. */
function cellByCell(amount: bigint, currency: string, month: number, rates: RateTable, base: string): bigint {
  if (currency === base) return amount;
  const rate = rates.get(rateKey(currency, month));
  if (!rate) throw new Error(`no ${currency} rate for ${monthToString(month)}`);
  return convertMinor(amount, currency, base, rate);
}

const CURRENCIES = ['EUR', 'USD', 'JPY', 'KWD', 'GBP'];
const MONTHS = [202401, 202402, 202412, 202501];
const rateArb = fc
  .tuple(fc.integer({ min: 0, max: 999 }), fc.stringMatching(/^[0-9]{0,10}$/))
  .map(([i, f]) => (f ? `${i}.${f}` : String(i)));

describe('baseConverter', () => {
  it('converts every cell exactly as converting it on its own with convertMinor does, whatever the order of cells', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.array(fc.tuple(fc.constantFrom(...CURRENCIES), fc.constantFrom(...MONTHS), rateArb), { maxLength: 12 }),
        fc.array(fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.constantFrom(...CURRENCIES), fc.constantFrom(...MONTHS)), {
          minLength: 1,
          maxLength: 60,
        }),
        (base, rateList, cells) => {
          const rates: RateTable = new Map();
          for (const [cur, month, rate] of rateList) rates.set(`${cur}|${String(month).slice(0, 4)}-${String(month).slice(4)}`, rate);
          const convert = baseConverter(rates, base);
          for (const [amount, cur, month] of cells) {
            let expected: bigint | Error;
            try {
              expected = cellByCell(amount, cur, month, rates, base);
            } catch (error) {
              expected = error as Error;
            }
            if (expected instanceof Error) expect(() => convert(amount, cur, month)).toThrow(expected.message);
            else {
              expect(convert(amount, cur, month)).toBe(expected);
              const rate = rates.get(`${cur}|${String(month).slice(0, 4)}-${String(month).slice(4)}`);
              if (cur !== base) expect(expected).toBe(convertMinor(amount, cur, base, rate!));
            }
          }
        },
      ),
    );
  });

  it('rounds half away from zero once, with the currencies’ minor units', () => {
    const rates: RateTable = new Map([
      ['JPY|2024-01', '0.0061'],
      ['KWD|2024-01', '3.0123'],
      ['USD|2024-01', '0.925'],
    ]);
    const convert = baseConverter(rates, 'EUR');
    expect(convert(1000n, 'JPY', 202401)).toBe(610n); // ¥1,000 → €6.10
    expect(convert(1001n, 'KWD', 202401)).toBe(302n); // 1.001 KWD → €3.02 (3.0153… rounded)
    expect(convert(-1n, 'USD', 202401)).toBe(-1n); // -0.925 cent → -1 cent
    expect(convert(12345n, 'EUR', 202401)).toBe(12345n);
    expect(() => convert(1n, 'USD', 202402)).toThrow('no USD rate for 2024-02');
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
