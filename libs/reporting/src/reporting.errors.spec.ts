import { DomainError, toErrorBody } from '@stackgate/platform';
import { REPORTING_ERROR_STATUS, ReportingError, ReportingErrorCode } from './reporting.errors';

describe('ReportingError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(REPORTING_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      FX_RATE_MISSING: 422,
      RANGE_TOO_LONG: 400,
    });
    expect(Object.values(ReportingErrorCode).sort()).toEqual(Object.keys(REPORTING_ERROR_STATUS).sort());
    for (const [key, value] of Object.entries(ReportingErrorCode)) expect(value).toBe(key);
  });

  it.each(Object.values(ReportingErrorCode))('%s is answered by the filter with its status, code, message and details', (code) => {
    const err = new ReportingError(code, 'Why it was refused', { field: 'x' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(REPORTING_ERROR_STATUS[code]);
    expect(toErrorBody(err, 'req-1').body).toEqual({
      statusCode: REPORTING_ERROR_STATUS[code], error: expect.any(String), message: 'Why it was refused', code, details: { field: 'x' }, requestId: 'req-1',
    });
    expect(toErrorBody(err, 'req-1').body.error).not.toBe('Error');
  });
});
