import { DomainError, toErrorBody } from '@stackgate/platform';
import { WEB_ERROR_STATUS, WebError, WebErrorCode } from './web.errors';

describe('WebError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(WEB_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      CSRF_TOKEN_INVALID: 403,
    });
    expect(Object.values(WebErrorCode).sort()).toEqual(Object.keys(WEB_ERROR_STATUS).sort());
    for (const [key, value] of Object.entries(WebErrorCode)) expect(value).toBe(key);
  });

  it.each(Object.values(WebErrorCode))('%s is answered by the filter with its status, code, message and details', (code) => {
    const err = new WebError(code, 'Why it was refused', { field: 'x' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(WEB_ERROR_STATUS[code]);
    expect(toErrorBody(err, 'req-1').body).toEqual({
      statusCode: WEB_ERROR_STATUS[code], error: expect.any(String), message: 'Why it was refused', code, details: { field: 'x' }, requestId: 'req-1',
    });
    expect(toErrorBody(err, 'req-1').body.error).not.toBe('Error');
  });
});
