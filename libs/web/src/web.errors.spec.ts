import { WEB_ERROR_STATUS, WebError } from './web.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('WebError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(WEB_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      CSRF_TOKEN_INVALID: 403,
      FORM_ALREADY_SENT: 409,
      FORM_KEY_INVALID: 400,
    });
  });

  itAnswersEveryCode(WEB_ERROR_STATUS, (code, message, details) => new WebError(code, message, details));
});
