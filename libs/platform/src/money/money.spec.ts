import fc from 'fast-check';
import {
  applyConversion,
  conversionFactor,
  convertMinor,
  divRoundHalfAway,
  formatMinor,
  MAX_MONEY_INTEGER_DIGITS,
  maxMoneyAmount,
  maxMoneyMinor,
  Money,
  MoneyFormatError,
  moneyInputProblem,
  parseDecimalToMinor,
  parseMoneyInput,
  ratioString,
} from './money';
import { isCurrencyCode, minorDigits } from './currency';

describe('currency', () => {
  it('knows ISO 4217 exponents', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(isCurrencyCode('EUR')).toBe(true);
    expect(isCurrencyCode('eur')).toBe(false);
    expect(isCurrencyCode('ABC')).toBe(false);
    expect(isCurrencyCode('XAU')).toBe(false);
  });
});

describe('parseDecimalToMinor', () => {
  it('parses exact decimal strings', () => {
    expect(parseDecimalToMinor('12000.00', 'EUR')).toBe(1200000n);
    expect(parseDecimalToMinor('12000', 'EUR')).toBe(1200000n);
    expect(parseDecimalToMinor('0.5', 'EUR')).toBe(50n);
    expect(parseDecimalToMinor('-3.25', 'USD')).toBe(-325n);
    expect(parseDecimalToMinor('-0.00', 'USD')).toBe(0n);
    expect(parseDecimalToMinor('1500', 'JPY')).toBe(1500n);
    expect(parseDecimalToMinor('1.234', 'KWD')).toBe(1234n);
    expect(parseDecimalToMinor('999999999999999.99', 'EUR')).toBe(99999999999999999n);
  });

  it('refuses more decimals than the currency has instead of rounding', () => {
    expect(() => parseDecimalToMinor('12.345', 'EUR')).toThrow(MoneyFormatError);
    expect(() => parseDecimalToMinor('1.5', 'JPY')).toThrow(/at most 0 decimal places/);
  });

  it.each(['', ' 1', '1 ', '1,00', '1e3', '+1', '.5', '5.', 'NaN', '0x10', '1.2.3', '--1'])('refuses malformed amount %p', (amount) => {
    expect(() => parseDecimalToMinor(amount, 'EUR')).toThrow(MoneyFormatError);
  });

  it('reads report totals of any size back exactly (no limit on integer digits: issue 21 item 7)', () => {
    // A 999999999999999.99 MONTHLY contract over a year: 17 integer digits, once refused with a 500.
    expect(parseDecimalToMinor('11999999999999999.88', 'EUR')).toBe(1199999999999999988n);
    // 120 months of cells at the BIGINT maximum, summed in a report.
    const huge = (2n ** 63n - 1n) * 120n;
    expect(parseDecimalToMinor(formatMinor(huge, 'EUR'), 'EUR')).toBe(huge);
    expect(parseDecimalToMinor(formatMinor(-huge, 'KWD'), 'KWD')).toBe(-huge);
  });

  it('refuses unknown currencies', () => {
    expect(() => parseDecimalToMinor('1.00', 'EURO')).toThrow(MoneyFormatError);
    expect(() => Money.of(1n, 'ZZZ')).toThrow(MoneyFormatError);
  });

  it('round-trips every minor amount through format and parse (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 17n) + 1n, max: 10n ** 17n - 1n }),
        fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'GBP', 'CHF'),
        (minor, cur) => {
          const text = formatMinor(minor, cur);
          const digits = minorDigits(cur);
          if (digits > 0) expect(text).toMatch(new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
          expect(parseDecimalToMinor(text, cur)).toBe(minor);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parse agrees with an independent string computation (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,12}$/), fc.stringMatching(/^[0-9]{0,2}$/), fc.boolean(), (whole, frac, neg) => {
        const text = `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
        const expected = BigInt(whole) * 100n + BigInt((frac || '0').padEnd(2, '0'));
        expect(parseDecimalToMinor(text, 'EUR')).toBe(neg ? -expected : expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the money input maximum (issue 21 item 6)', () => {
  it("is 12 integer digits with the currency's decimals", () => {
    expect(MAX_MONEY_INTEGER_DIGITS).toBe(12);
    expect(maxMoneyAmount('EUR')).toBe('999999999999.99');
    expect(maxMoneyAmount('JPY')).toBe('999999999999');
    expect(maxMoneyAmount('KWD')).toBe('999999999999.999');
    expect(maxMoneyMinor('EUR')).toBe(99999999999999n);
  });

  it.each([
    ['999999999999.99', 'EUR', 99999999999999n],
    ['-999999999999.99', 'EUR', -99999999999999n],
    ['999999999999', 'JPY', 999999999999n],
    ['999999999999.999', 'KWD', 999999999999999n],
    ['0.01', 'EUR', 1n],
    ['000000000001', 'EUR', 100n],
  ])('accepts %s %s at the boundary', (amount, cur, minor) => {
    expect(moneyInputProblem(amount, cur)).toBeNull();
    expect(parseMoneyInput(amount, cur)).toBe(minor);
  });

  it.each([
    ['1000000000000.00', 'EUR'],
    ['-1000000000000.00', 'EUR'],
    ['1000000000000', 'JPY'],
    ['1000000000000.000', 'KWD'],
    ['90071992547409.93', 'EUR'],
    ['999999999999999.99', 'EUR'],
    ['0000000000001', 'EUR'],
  ])('refuses %s %s, naming the maximum', (amount, cur) => {
    expect(moneyInputProblem(amount, cur)).toContain(`between -${maxMoneyAmount(cur)} and ${maxMoneyAmount(cur)} ${cur}`);
    expect(() => parseMoneyInput(amount, cur)).toThrow(MoneyFormatError);
  });

  it('still refuses malformed amounts, extra decimals and unknown currencies', () => {
    expect(moneyInputProblem('1e3', 'EUR')).toMatch(/decimal string/);
    expect(moneyInputProblem(12, 'EUR')).toMatch(/decimal string/);
    expect(moneyInputProblem('1.234', 'EUR')).toMatch(/at most 2 decimal places/);
    expect(moneyInputProblem('1.00', 'ZZZ')).toMatch(/ISO 4217/);
    expect(moneyInputProblem('1'.repeat(100000), 'ZZZ')).toMatch(/at most 12 digits/);
  });

  it('accepts exactly the amounts with at most 12 integer digits (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9][0-9]{0,15}$/), fc.stringMatching(/^[0-9]{0,2}$/), fc.boolean(), (whole, frac, neg) => {
        const text = `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
        expect(moneyInputProblem(text, 'EUR') === null).toBe(whole.length <= 12);
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps every ledger sum of the maximum inside BIGINT and SQLite's integer SUM()", () => {
    // One contract's ledger month is at most one amount; a month of one cost center in the ledger
    // totals holds thousands of maximum contracts (the largest minor amount is KWD's) before 2^63.
    const perMonth = maxMoneyMinor('KWD');
    expect(perMonth * 9000n).toBeLessThan(2n ** 63n);
    // Reports sum months in JS bigints; a maximum EUR contract over the longest term and report range (120 months):
    expect(maxMoneyMinor('EUR') * 120n).toBe(11999999999999880n);
  });
});

describe('Money', () => {
  it('adds and serializes exactly', () => {
    const tenCents = Money.parse({ amount: '0.10', currency: 'EUR' });
    const twentyCents = Money.parse({ amount: '0.20', currency: 'EUR' });
    expect(tenCents.plus(twentyCents).toJSON()).toEqual({ amount: '0.30', currency: 'EUR' });
    expect(tenCents.minus(twentyCents).toJSON()).toEqual({ amount: '-0.10', currency: 'EUR' });
    expect(() => tenCents.plus(Money.zero('USD'))).toThrow();
  });
});

describe('convertMinor', () => {
  it('converts with a decimal rate and rounds once, half away from zero', () => {
    expect(convertMinor(10000n, 'USD', 'EUR', '0.9')).toBe(9000n);
    expect(convertMinor(1n, 'USD', 'EUR', '0.5')).toBe(1n);
    expect(convertMinor(-1n, 'USD', 'EUR', '0.5')).toBe(-1n);
    expect(convertMinor(1000n, 'JPY', 'EUR', '0.0062')).toBe(620n);
    expect(convertMinor(12345n, 'EUR', 'EUR', '7')).toBe(12345n);
  });

  it('applies a parsed factor as one half-away-from-zero division of minor × num by den (property)', () => {
    // Reference: quotient and remainder of |minor × num| by den, rounded up when the remainder is at least half.
    const reference = (minor: bigint, num: bigint, den: bigint) => {
      const product = minor * num;
      const magnitude = product < 0n ? -product : product;
      const quotient = magnitude / den + (2n * (magnitude % den) >= den ? 1n : 0n);
      return product < 0n ? -quotient : quotient;
    };
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.stringMatching(/^[0-9]{1,12}$/),
        fc.stringMatching(/^[0-9]{0,10}$/),
        fc.constantFrom(['USD', 'EUR'], ['JPY', 'EUR'], ['EUR', 'JPY'], ['KWD', 'EUR'], ['EUR', 'KWD'], ['GBP', 'USD']),
        (minor, whole, frac, [from, to]) => {
          const factor = conversionFactor(from, to, frac ? `${whole}.${frac}` : whole);
          expect(applyConversion(minor, factor)).toBe(reference(minor, factor.num, factor.den));
          expect(applyConversion(minor, factor)).toBe(divRoundHalfAway(minor * factor.num, factor.den));
        },
      ),
      { numRuns: 3000 },
    );
    expect(applyConversion(-5n, conversionFactor('USD', 'EUR', '0.1'))).toBe(-1n); // -0.5 cent → -1 cent
    expect(applyConversion(-4n, conversionFactor('USD', 'EUR', '0.1'))).toBe(0n);
    expect(applyConversion(-7n, conversionFactor('USD', 'EUR', '0'))).toBe(0n);
  });
});

describe('ratioString', () => {
  it('prints shares with four decimals', () => {
    expect(ratioString(1n, 3n)).toBe('0.3333');
    expect(ratioString(2n, 3n)).toBe('0.6667');
    expect(ratioString(0n, 0n)).toBe('0.0000');
    expect(ratioString(5n, 5n)).toBe('1.0000');
  });
});
