import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

export type FieldErrors = Record<string, string>;

function collect(errors: ValidationError[], prefix = '', out: FieldErrors = {}): FieldErrors {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    // "property x should not exist" names no rule of the field itself: the page sent a field its DTO does not have.
    if (e.constraints?.whitelistValidation) out[field] = 'is not accepted here';
    else if (e.constraints) out[field] = Object.values(e.constraints)[0].replace(/^\S+/, '').trim() || 'is invalid';
    if (e.children?.length) collect(e.children, field, out);
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
export function cleanForm(body: Record<string, unknown>, opts: { booleans?: string[]; arrays?: string[]; ints?: string[] } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body ?? {})) {
    if (v === '' || v === undefined) continue;
    out[k] = v;
  }
  for (const b of opts.booleans ?? []) out[b] = body?.[b] === 'on' || body?.[b] === 'true' || (Array.isArray(body?.[b]) && (body[b] as string[]).includes('on'));
  for (const a of opts.arrays ?? []) {
    const v = body?.[a];
    out[a] = v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v];
  }
  for (const i of opts.ints ?? []) if (typeof out[i] === 'string' && /^-?\d+$/.test(out[i] as string)) out[i] = Number(out[i]);
  return out;
}

/** Only same-site relative paths are followed after sign-in (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) && !next.startsWith('/api/') ? next : '/';
}
