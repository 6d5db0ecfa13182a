import {
  DomainError,
  forbidden,
  invalidRange,
  notFound,
  PLATFORM_ERROR_STATUS,
  PlatformError,
  staleVersion,
  unknownReference,
  validationFailed,
} from './domain-error';
import { toErrorBody } from './http-error.filter';
import { itAnswersEveryCode } from '../../../../test/support/error-table';

describe('PlatformError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(PLATFORM_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      FORBIDDEN: 403,
      INVALID_RANGE: 400,
      INVALID_SORT: 400,
      MALFORMED_REQUEST: 400,
      NOT_FOUND: 404,
      PAYLOAD_TOO_LARGE: 413,
      REFERENCE_NOT_FOUND: 422,
      REQUEST_HEADERS_TOO_LARGE: 431,
      REQUEST_TIMEOUT: 408,
      STALE_VERSION: 409,
      VALIDATION_FAILED: 400,
    });
  });

  itAnswersEveryCode(PLATFORM_ERROR_STATUS, (code, message, details) => new PlatformError(code, message, details));

  it('builds the generic refusals with the messages of the API contract', () => {
    const body = (e: DomainError) => toErrorBody(e, undefined).body;
    expect(body(forbidden())).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: 'You are not allowed to do this' });
    expect(body(notFound('Tool', 'abc'))).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Tool abc not found' });
    expect(body(notFound('Tool'))).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: 'Tool not found' });
    expect(body(staleVersion('Budget'))).toMatchObject({
      statusCode: 409,
      code: 'STALE_VERSION',
      message: 'Budget was changed by someone else; reload and try again',
    });
    expect(body(invalidRange())).toMatchObject({ statusCode: 400, code: 'INVALID_RANGE', message: 'from must not be after to' });
    expect(body(validationFailed('bad', [{ field: 'a' }]))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'bad',
      code: 'VALIDATION_FAILED',
      details: [{ field: 'a' }],
      requestId: undefined,
    });
    expect(body(unknownReference('gone'))).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'gone',
      code: 'REFERENCE_NOT_FOUND',
      requestId: undefined,
    });
  });
});
