import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The web lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const WEB_ERROR_STATUS = {
  CSRF_TOKEN_INVALID: 403,
  /** A create form's one-time key (`_once`) is malformed, someone else's, or was used for another form. */
  FORM_KEY_INVALID: 400,
  /** The same create form was sent again while its first submission is still being saved. */
  FORM_ALREADY_SENT: 409,
} as const satisfies ErrorStatusMap<string>;
export type WebErrorCode = keyof typeof WEB_ERROR_STATUS;
/** The codes by name (`WebErrorCode.X`), derived from the status map. */
export const WebErrorCode = errorCodes(WEB_ERROR_STATUS);

export class WebError extends DomainError<WebErrorCode> {
  constructor(code: WebErrorCode, message: string, details?: unknown) {
    super(WEB_ERROR_STATUS, code, message, details);
  }
}
