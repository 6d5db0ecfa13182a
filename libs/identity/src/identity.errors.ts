import { DomainError, ErrorStatusMap } from '@stackgate/platform';

/**
 * The identity lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Never rename a value. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const IdentityErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  TOO_MANY_LOGIN_ATTEMPTS: 'TOO_MANY_LOGIN_ATTEMPTS',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  OWN_ROLES: 'OWN_ROLES',
  CANNOT_DEACTIVATE_SELF: 'CANNOT_DEACTIVATE_SELF',
  LAST_ADMIN: 'LAST_ADMIN',
} as const;
export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

/** The HTTP status of each code; exhaustive, so a new code without a status does not compile. */
export const IDENTITY_ERROR_STATUS: ErrorStatusMap<IdentityErrorCode> = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_LOGIN_ATTEMPTS: 429,
  EMAIL_TAKEN: 409,
  OWN_ROLES: 403,
  CANNOT_DEACTIVATE_SELF: 422,
  LAST_ADMIN: 422,
};

export class IdentityError extends DomainError<IdentityErrorCode> {
  constructor(code: IdentityErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
    super(IDENTITY_ERROR_STATUS, code, message, details, headers);
  }
}
