import { DomainError, ErrorStatusMap } from '@stackgate/platform';

/**
 * The web lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Never rename a value. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const WebErrorCode = {
  CSRF_TOKEN_INVALID: 'CSRF_TOKEN_INVALID',
} as const;
export type WebErrorCode = (typeof WebErrorCode)[keyof typeof WebErrorCode];

/** The HTTP status of each code; exhaustive, so a new code without a status does not compile. */
export const WEB_ERROR_STATUS: ErrorStatusMap<WebErrorCode> = {
  CSRF_TOKEN_INVALID: 403,
};

export class WebError extends DomainError<WebErrorCode> {
  constructor(code: WebErrorCode, message: string, details?: unknown) {
    super(WEB_ERROR_STATUS, code, message, details);
  }
}
