import { DomainError, toErrorBody } from '@stackgate/platform';
import { IDENTITY_ERROR_STATUS, IdentityError, IdentityErrorCode } from './identity.errors';

describe('IdentityError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(IDENTITY_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      CANNOT_DEACTIVATE_SELF: 422,
      EMAIL_TAKEN: 409,
      INVALID_CREDENTIALS: 401,
      LAST_ADMIN: 422,
      OWN_ROLES: 403,
      TOO_MANY_LOGIN_ATTEMPTS: 429,
      UNAUTHENTICATED: 401,
    });
    expect(Object.values(IdentityErrorCode).sort()).toEqual(Object.keys(IDENTITY_ERROR_STATUS).sort());
    for (const [key, value] of Object.entries(IdentityErrorCode)) expect(value).toBe(key);
  });

  it.each(Object.values(IdentityErrorCode))('%s is answered by the filter with its status, code, message and details', (code) => {
    const err = new IdentityError(code, 'Why it was refused', { field: 'x' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(IDENTITY_ERROR_STATUS[code]);
    expect(toErrorBody(err, 'req-1').body).toEqual({
      statusCode: IDENTITY_ERROR_STATUS[code], error: expect.any(String), message: 'Why it was refused', code, details: { field: 'x' }, requestId: 'req-1',
    });
    expect(toErrorBody(err, 'req-1').body.error).not.toBe('Error');
  });

  it('keeps the headers an error carries (Retry-After of a slowed-down sign-in)', () => {
    const err = new IdentityError(IdentityErrorCode.TOO_MANY_LOGIN_ATTEMPTS, 'Too many', undefined, { 'Retry-After': '30' });
    expect(toErrorBody(err, 'rid').headers).toEqual({ 'Retry-After': '30' });
  });
});
