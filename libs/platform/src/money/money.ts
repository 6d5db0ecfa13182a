import { isCurrencyCode, minorDigits } from './currency';

export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyFormatError';
  }
}

// Any number of integer digits: report totals (sums of many BIGINT ledger cells) are parsed back
// for charts and may be far larger than any single input. Inputs are bounded by moneyInputProblem.
const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string ("12000.00", "-3.5", "7") into integer minor units of `currency`.
 * More decimals than the currency has is an error, never a rounding ("12.345" EUR is refused).
 * It does not apply the input maximum (see parseMoneyInput): it also reads totals and stored values.
 */
export function parseDecimalToMinor(value: string, currency: string): bigint {
  if (!isCurrencyCode(currency)) throw new MoneyFormatError(`"${currency}" is not an ISO 4217 currency code`);
  if (typeof value !== 'string') throw new MoneyFormatError('amount must be a decimal string');
  const match = DECIMAL.exec(value);
  if (!match) throw new MoneyFormatError(`"${value}" is not a decimal amount such as 1234.50`);
  const digits = minorDigits(currency);
  const frac = match[3] ?? '';
  if (frac.length > digits) {
    throw new MoneyFormatError(`${currency} amounts have at most ${digits} decimal place${digits === 1 ? '' : 's'}; got "${value}"`);
  }
  const minor = BigInt(match[2] + frac.padEnd(digits, '0'));
  return match[1] && minor !== 0n ? -minor : minor;
}

/**
 * The largest money input, in every currency: 12 digits before the decimal point
 * (999,999,999,999.99 EUR, 999,999,999,999 JPY, 999,999,999,999.999 KWD), negative amounts likewise.
 * Why 12: a single amount is then at most 10^15 minor units, a contract's ledger month at most
 * that, its 120-month term 1.2·10^17, so a BIGINT column (2^63 − 1 ≈ 9.2·10^18) and SQLite's
 * integer SUM() (which fails with "integer overflow" beyond it) hold the sums the ledger and the
 * reports make for thousands of maximum-size contracts in the same month and cost center.
 */
export const MAX_MONEY_INTEGER_DIGITS = 12;

/** The largest accepted amount of `currency` in minor units (99999999999999 for EUR). */
export function maxMoneyMinor(currency: string): bigint {
  return 10n ** BigInt(MAX_MONEY_INTEGER_DIGITS + minorDigits(currency)) - 1n;
}

/** The largest accepted amount of `currency` as a decimal string ("999999999999.99" for EUR). */
export const maxMoneyAmount = (currency: string): string => formatMinor(maxMoneyMinor(currency), currency);

/**
 * What is wrong with a money input (a decimal string in `currency`), or null when it is accepted:
 * the shape, more decimals than the currency has, more than MAX_MONEY_INTEGER_DIGITS integer digits.
 * The one rule behind the API's money fields (MoneyField) and the contract and spend imports.
 */
export function moneyInputProblem(value: unknown, currency: string): string | null {
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return 'amount must be a decimal string such as "1234.50"';
  const whole = value.replace(/^-/, '').split('.')[0];
  if (whole.length > MAX_MONEY_INTEGER_DIGITS) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    const range = isCurrencyCode(currency) ? `between -${maxMoneyAmount(currency)} and ${maxMoneyAmount(currency)} ${currency} ` : '';
    return `amount must be ${range}(at most ${MAX_MONEY_INTEGER_DIGITS} digits before the decimal point); got "${shown}"`;
  }
  if (!isCurrencyCode(currency)) return `"${currency}" is not an ISO 4217 currency code`;
  try {
    parseDecimalToMinor(value, currency);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A money input in minor units, or a MoneyFormatError saying what is wrong (moneyInputProblem). */
export function parseMoneyInput(value: string, currency: string): bigint {
  const problem = moneyInputProblem(value, currency);
  if (problem) throw new MoneyFormatError(problem);
  return parseDecimalToMinor(value, currency);
}

/** Prints minor units as a plain decimal string with exactly the currency's decimals ("1234.50"). */
export function formatMinor(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const neg = minor < 0n;
  const abs = (neg ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = digits ? abs.slice(0, abs.length - digits) : abs;
  const frac = digits ? '.' + abs.slice(abs.length - digits) : '';
  return `${neg ? '-' : ''}${whole}${frac}`;
}

export interface MoneyJson {
  amount: string;
  currency: string;
}

/** An exact amount: integer minor units and an ISO 4217 code. */
export class Money {
  private constructor(
    readonly minor: bigint,
    readonly currency: string,
  ) {}

  static of(minor: bigint, currency: string): Money {
    if (!isCurrencyCode(currency)) throw new MoneyFormatError(`"${currency}" is not an ISO 4217 currency code`);
    return new Money(minor, currency);
  }

  static parse(json: MoneyJson): Money {
    return new Money(parseDecimalToMinor(json.amount, json.currency), json.currency);
  }

  static zero(currency: string): Money {
    return Money.of(0n, currency);
  }

  plus(other: Money): Money {
    this.assertSame(other);
    return new Money(this.minor + other.minor, this.currency);
  }

  minus(other: Money): Money {
    this.assertSame(other);
    return new Money(this.minor - other.minor, this.currency);
  }

  toJSON(): MoneyJson {
    return { amount: formatMinor(this.minor, this.currency), currency: this.currency };
  }

  toString(): string {
    return `${formatMinor(this.minor, this.currency)} ${this.currency}`;
  }

  private assertSame(other: Money) {
    if (other.currency !== this.currency) throw new Error(`Cannot combine ${this.currency} with ${other.currency}`);
  }
}

/** Money JSON from stored minor units, or null when there is no amount. */
export function moneyJson(minor: bigint | null | undefined, currency: string | null | undefined): MoneyJson | null {
  if (minor === null || minor === undefined || !currency) return null;
  return { amount: formatMinor(minor, currency), currency };
}

/**
 * Converts minor units of `currency` to minor units of `base` with a decimal rate string
 * ("1.0825": base units per 1 unit of currency), rounding half away from zero once, at the end.
 */
export function convertMinor(minor: bigint, currency: string, base: string, rate: string): bigint {
  if (currency === base) return minor;
  return applyConversion(minor, conversionFactor(currency, base, rate));
}

/**
 * A rate as the exact fraction convertMinor multiplies by (num ≥ 0, den > 0): parsed once, applied to
 * many amounts. twiceNum and twiceDen are 2·num and 2·den, what rounding half away from zero divides by.
 */
export interface ConversionFactor {
  num: bigint;
  den: bigint;
  twiceNum: bigint;
  twiceDen: bigint;
}

export function conversionFactor(currency: string, base: string, rate: string): ConversionFactor {
  const match = /^(\d{1,12})(?:\.(\d{1,10}))?$/.exec(rate);
  if (!match) throw new MoneyFormatError(`"${rate}" is not a decimal rate`);
  const frac = match[2] ?? '';
  const shift = minorDigits(base) - minorDigits(currency);
  const num = BigInt(match[1] + frac) * (shift > 0 ? 10n ** BigInt(shift) : 1n);
  const den = 10n ** BigInt(frac.length) * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return { num, den, twiceNum: 2n * num, twiceDen: 2n * den };
}

/** divRoundHalfAway(minor · num, den) for a factor's non-negative num and positive den, in three operations. */
export function applyConversion(minor: bigint, factor: ConversionFactor): bigint {
  return minor >= 0n
    ? (minor * factor.twiceNum + factor.den) / factor.twiceDen
    : -((-minor * factor.twiceNum + factor.den) / factor.twiceDen);
}

export function divRoundHalfAway(num: bigint, den: bigint): bigint {
  const neg = num < 0n !== den < 0n;
  const numerator = num < 0n ? -num : num;
  const denominator = den < 0n ? -den : den;
  const quotient = (numerator * 2n + denominator) / (denominator * 2n);
  return neg ? -quotient : quotient;
}

/** A ratio of two bigints as a decimal string with `places` decimals (half away from zero). */
export function ratioString(part: bigint, whole: bigint, places = 4): string {
  if (whole === 0n) return (0).toFixed(places);
  const scaled = divRoundHalfAway(part * 10n ** BigInt(places), whole);
  const neg = scaled < 0n;
  const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
}
