import { REPORTING_ERROR_STATUS, ReportingError } from './reporting.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('ReportingError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(REPORTING_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      FX_RATE_MISSING: 422,
      RANGE_TOO_LONG: 400,
    });
  });

  itAnswersEveryCode(REPORTING_ERROR_STATUS, (code, message, details) => new ReportingError(code, message, details));
});
