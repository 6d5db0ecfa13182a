import { toErrorBody } from '@stackgate/platform';
import { IDENTITY_ERROR_STATUS, IdentityError, IdentityErrorCode } from './identity.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('IdentityError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(IDENTITY_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      CANNOT_DEACTIVATE_SELF: 422,
      EMAIL_TAKEN: 409,
      INVALID_CREDENTIALS: 401,
      LAST_ADMIN: 422,
      OWN_ROLES: 403,
      PASSWORD_LOGIN_DISABLED: 403,
      SSO_ACCOUNT_INACTIVE: 403,
      SSO_EMAIL_UNTRUSTED: 403,
      SSO_FAILED: 401,
      SSO_IDENTITY_CONFLICT: 403,
      SSO_NOT_CONFIGURED: 404,
      SSO_NO_ACCOUNT: 403,
      SSO_NO_MAPPED_GROUP: 403,
      SSO_PROVIDER_UNAVAILABLE: 502,
      SERVICE_ACCOUNT_ADMIN: 422,
      SERVICE_ACCOUNT_NAME_TAKEN: 409,
      TOKEN_LIFETIME_TOO_LONG: 400,
      TOKEN_LIMIT: 422,
      TOKEN_NOT_ALLOWED: 403,
      TOKEN_SCOPE_MISSING: 403,
      TOO_MANY_LOGIN_ATTEMPTS: 429,
      TOO_MANY_TOKEN_ATTEMPTS: 429,
      UNAUTHENTICATED: 401,
    });
  });

  itAnswersEveryCode(IDENTITY_ERROR_STATUS, (code, message, details) => new IdentityError(code, message, details));

  it('keeps the headers an error carries (Retry-After of a slowed-down sign-in)', () => {
    const err = new IdentityError(IdentityErrorCode.TOO_MANY_LOGIN_ATTEMPTS, 'Too many', undefined, { 'Retry-After': '30' });
    expect(toErrorBody(err, 'rid').headers).toEqual({ 'Retry-After': '30' });
  });
});
