import { DomainError } from '@stackgate/platform';
import { FieldErrors } from '../forms';

/**
 * A service's refusal as form errors: on the field it names (the `field` of its details, or the
 * field a code is about, `byCode`), mapped to the form's own field name by `toForm`. A refusal that
 * names no field the form shows gives no field error; the page then shows its message on top.
 */
export function refusalErrors(err: DomainError, byCode: Record<string, string>, toForm: (field: string) => string = (f) => f): FieldErrors {
  const details = err.details;
  const named = Array.isArray(details)
    ? (details[0] as { field?: unknown } | undefined)?.field
    : (details as { field?: unknown } | undefined)?.field;
  const field = typeof named === 'string' ? named : byCode[err.code];
  return field ? { [toForm(field)]: readerRefusal(err) } : {};
}

/** The message a person reads for a refusal: the service's, with the stale-version one said plainly. */
export function readerRefusal(err: DomainError): string {
  if (err.code === 'STALE_VERSION') return 'Someone changed this meanwhile. Reload the page to see their change, then try again.';
  return err.message;
}

/** Form errors keyed by body field ("amount.amount", "allocation.0.shareBps") as the form's field names. */
export function formFieldErrors(errors: FieldErrors, toForm: (field: string) => string): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    const formName = toForm(field);
    out[formName] ??= /^allocation\.\d+\.shareBps$/.test(field) ? 'Enter each share as a percentage such as 60 or 33.33' : message;
  }
  return out;
}

/** Money and allocation fields of the finance and catalog forms: body field → form field. */
export function moneyFormField(field: string): string {
  if (field === 'amount' || field === 'amount.amount') return 'amount';
  if (field === 'amount.currency') return 'currency';
  if (field.startsWith('allocation')) return 'allocation';
  return field;
}
