import { INTEGRATIONS_ERROR_STATUS, IntegrationsError } from './integrations.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('IntegrationsError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(INTEGRATIONS_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      DUPLICATE_INTEGRATION: 409,
      SAME_TOOL: 422,
      TOOL_RETIRED: 422,
    });
  });

  itAnswersEveryCode(INTEGRATIONS_ERROR_STATUS, (code, message, details) => new IntegrationsError(code, message, details));
});
