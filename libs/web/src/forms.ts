import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

export type FieldErrors = Record<string, string>;

function collect(errors: ValidationError[], prefix = '', out: FieldErrors = {}): FieldErrors {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    // "property x should not exist" names no rule of the field itself: the page sent a field its DTO does not have.
    if (error.constraints?.whitelistValidation) out[field] = 'is not accepted here';
    else if (error.constraints) out[field] = readerMessage(error.constraints, error.value);
    if (error.children?.length) collect(error.children, field, out);
  }
  return out;
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const CHOICES = ['isUuid', 'isEnum', 'isIn'];

/**
 * What a person reads next to a field, from the rules it broke: the shared DTO rules speak to
 * integrators ("must be a UUID", "summing to exactly 10000 basis points"); a form says what to do.
 * One rule is worded, the first that applies; an unknown rule keeps its own message.
 */
export function readerMessage(constraints: Record<string, string>, value: unknown): string {
  const names = Object.keys(constraints);
  if (isBlank(value)) return names.some((n) => CHOICES.includes(n)) ? 'Choose one' : 'Fill this in';
  const number = (name: string) => /(\d+)/.exec(constraints[name])?.[1];
  for (const name of names) {
    const message = constraints[name];
    switch (name) {
      case 'maxLength':
        return `Use at most ${number(name)} characters`;
      case 'minLength':
        return `Use at least ${number(name)} characters`;
      case 'isUuid':
      case 'isEnum':
      case 'isIn':
        return 'Choose one of the options';
      case 'isEmail':
        return 'Enter an e-mail address such as name@example.com';
      case 'isUrl':
        return 'Enter a web address such as https://example.com';
      case 'isCurrency':
        return 'Enter a three-letter currency code such as EUR';
      case 'moneyPrecision':
        return 'Too many decimals for this currency (EUR and USD take 2, JPY none)';
      case 'allocationSum':
        return 'The shares must add up to 100 %, each cost center once';
      case 'matches':
        if (message.includes('decimal string')) return 'Enter an amount such as 60000 or 60,000.00';
        if (message.includes('YYYY-MM-DD')) return 'Enter a date such as 2026-04-30';
        if (message.includes('YYYY-MM')) return 'Enter a month such as 2026-04';
        if (message.includes('http(s) URL')) return 'Enter a web address such as https://example.com';
        break;
    }
  }
  return Object.values(constraints)[0].replace(/^\S+/, '').trim() || 'is invalid';
}

/**
 * A money amount as people type it into a form: spaces and thousand separators ("60,000",
 * "60 000.50") go; anything else is left for the validator to word. Only the English reading is
 * accepted ("1,5" is not one and a half: the comma must group thousands).
 */
export function formAmount(raw: unknown): string {
  const typed = typeof raw === 'string' ? raw.replace(/[\s\u00a0\u202f]/g, '') : '';
  return /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(typed) ? typed.replace(/,/g, '') : typed;
}

/** A currency code as typed: "eur" is EUR. */
export function formCurrency(raw: unknown): string {
  return typeof raw === 'string' ? raw.trim().toUpperCase() : '';
}

/**
 * A percent share as typed ("60", "60.5", "60 %") in basis points, or NaN when it is not one (the
 * validator then words it). At most two decimals: 0.01 % is one basis point.
 */
export function percentToBps(raw: unknown): number {
  const match = typeof raw === 'string' ? /^(\d{1,3})(?:[.](\d{1,2}))?\s*%?$/.exec(raw.trim()) : null;
  return match ? Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0') : NaN;
}

/**
 * The message above a form that failed validation. Errors of fields the form shows are marked next
 * to them; an error of any other field (one the page sent but the form does not show, or the body
 * as a whole) is spelled out here, so a user never reads "fields need attention" with nothing
 * marked. `shown`: the error keys the form's template marks.
 */
export function formErrorSummary(errors: FieldErrors, shown: readonly string[]): string | undefined {
  const all = Object.entries(errors);
  if (!all.length) return undefined;
  const unmarked = all.filter(([field]) => !shown.includes(field));
  if (!unmarked.length) return 'Some fields need attention (marked below).';
  const list = unmarked.map(([field, message]) => `${field} ${message}`).join('; ');
  return unmarked.length === all.length ? `This could not be saved: ${list}.` : `Some fields need attention (marked below), and: ${list}.`;
}

/**
 * Validates a submitted form with the same DTO class the API uses, so a page can never accept what
 * the API would refuse. Returns the typed DTO or the errors per field (to show next to the field).
 */
export async function validateForm<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): Promise<{ dto?: T; errors: FieldErrors }> {
  // The CSRF token and the one-time form key are the page's, not the record's.
  const { _csrf, _once, ...rest } = plain;
  void _csrf;
  void _once;
  const dto = plainToInstance(cls, rest);
  const errors = await validate(dto as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) return { errors: collect(errors) };
  return { dto, errors: {} };
}

/** Form values arrive as strings: empty strings become undefined, "on" checkboxes booleans. */
export function cleanForm(
  body: Record<string, unknown>,
  opts: { booleans?: string[]; arrays?: string[]; ints?: string[] } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(body ?? {})) {
    if (value === '' || value === undefined) continue;
    out[field] = value;
  }
  for (const field of opts.booleans ?? [])
    out[field] =
      body?.[field] === 'on' || body?.[field] === 'true' || (Array.isArray(body?.[field]) && (body[field] as string[]).includes('on'));
  for (const field of opts.arrays ?? []) {
    const value = body?.[field];
    out[field] = value === undefined || value === '' ? [] : Array.isArray(value) ? value.filter((x) => x !== '') : [value];
  }
  for (const field of opts.ints ?? []) if (typeof out[field] === 'string' && /^-?\d+$/.test(out[field])) out[field] = Number(out[field]);
  return out;
}

/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) && !next.startsWith('/api/') ? next : '/';
}
