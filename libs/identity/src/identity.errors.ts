import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The identity lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const IDENTITY_ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_LOGIN_ATTEMPTS: 429,
  /** Too many invalid API tokens from one address (TOKEN_MAX_FAILURES_PER_IP); Retry-After says when to try again. */
  TOO_MANY_TOKEN_ATTEMPTS: 429,
  EMAIL_TAKEN: 409,
  OWN_ROLES: 403,
  CANNOT_DEACTIVATE_SELF: 422,
  LAST_ADMIN: 422,
  PASSWORD_LOGIN_DISABLED: 403,
  SSO_NOT_CONFIGURED: 404,
  SSO_FAILED: 401,
  SSO_PROVIDER_UNAVAILABLE: 502,
  SSO_EMAIL_UNTRUSTED: 403,
  SSO_NO_MAPPED_GROUP: 403,
  SSO_NO_ACCOUNT: 403,
  SSO_ACCOUNT_INACTIVE: 403,
  SSO_IDENTITY_CONFLICT: 403,
  /** An API token whose scopes do not cover the route (details.requiredScopes, details.missingScopes). */
  TOKEN_SCOPE_MISSING: 403,
  /** A route that API tokens may never call (signing out, managing tokens and service accounts). */
  TOKEN_NOT_ALLOWED: 403,
  /** Separation of duties: a service account never holds ADMIN. */
  SERVICE_ACCOUNT_ADMIN: 422,
  SERVICE_ACCOUNT_NAME_TAKEN: 409,
  /** Too many live tokens on one principal. */
  TOKEN_LIMIT: 422,
  /** expiresAt beyond API_TOKEN_MAX_DAYS (details.maxDays, details.latestExpiresAt). */
  TOKEN_LIFETIME_TOO_LONG: 400,
} as const satisfies ErrorStatusMap<string>;
export type IdentityErrorCode = keyof typeof IDENTITY_ERROR_STATUS;
/** The codes by name (`IdentityErrorCode.X`), derived from the status map. */
export const IdentityErrorCode = errorCodes(IDENTITY_ERROR_STATUS);

export class IdentityError extends DomainError<IdentityErrorCode> {
  constructor(code: IdentityErrorCode, message: string, details?: unknown, headers?: Record<string, string>) {
    super(IDENTITY_ERROR_STATUS, code, message, details, headers);
  }
}
