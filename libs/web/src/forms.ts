import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

export type FieldErrors = Record<string, string>;

function collect(errors: ValidationError[], prefix = '', out: FieldErrors = {}): FieldErrors {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    // "property x should not exist" names no rule of the field itself: the page sent a field its DTO does not have.
    if (error.constraints?.whitelistValidation) out[field] = 'is not accepted here';
    else if (error.constraints) out[field] = Object.values(error.constraints)[0].replace(/^\S+/, '').trim() || 'is invalid';
    if (error.children?.length) collect(error.children, field, out);
  }
  return out;
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
export async function validateForm<T extends object>(cls: new () => T, plain: Record<string, unknown>): Promise<{ dto?: T; errors: FieldErrors }> {
  const { _csrf, ...rest } = plain;
  void _csrf;
  const dto = plainToInstance(cls, rest);
  const errors = await validate(dto as object, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  if (errors.length) return { errors: collect(errors) };
  return { dto, errors: {} };
}

/** Form values arrive as strings: empty strings become undefined, "on" checkboxes booleans. */
export function cleanForm(body: Record<string, unknown>, opts: { booleans?: string[]; arrays?: string[]; ints?: string[] } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (value === '' || value === undefined) continue;
    out[key] = value;
  }
  for (const field of opts.booleans ?? []) out[field] = body?.[field] === 'on' || body?.[field] === 'true' || (Array.isArray(body?.[field]) && (body[field] as string[]).includes('on'));
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
