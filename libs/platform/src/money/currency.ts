/** ISO 4217 codes and their minor-unit exponents, from the runtime's ICU data. */
const supported = new Set<string>((Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('currency'));
// Funds, precious metals and testing codes are not money anyone is invoiced in.
for (const code of ['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']) supported.delete(code);

const digitsCache = new Map<string, number>();

/** A boolean rather than a type guard: a string that is not a currency code is still a string. */
export function isCurrencyCode(code: unknown): boolean {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code) && supported.has(code);
}

/** Number of decimal places of the currency's minor unit (EUR 2, JPY 0, KWD 3). */
export function minorDigits(code: string): number {
  let digits = digitsCache.get(code);
  if (digits === undefined) {
    if (!isCurrencyCode(code)) throw new Error(`Unknown currency ${code}`);
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(code, digits);
  }
  return digits;
}
