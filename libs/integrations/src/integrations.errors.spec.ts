import { DomainError, toErrorBody } from '@stackgate/platform';
import { INTEGRATIONS_ERROR_STATUS, IntegrationsError, IntegrationsErrorCode } from './integrations.errors';

describe('IntegrationsError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(INTEGRATIONS_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      DUPLICATE_INTEGRATION: 409,
      SAME_TOOL: 422,
      TOOL_RETIRED: 422,
    });
    expect(Object.values(IntegrationsErrorCode).sort()).toEqual(Object.keys(INTEGRATIONS_ERROR_STATUS).sort());
    for (const [key, value] of Object.entries(IntegrationsErrorCode)) expect(value).toBe(key);
  });

  it.each(Object.values(IntegrationsErrorCode))('%s is answered by the filter with its status, code, message and details', (code) => {
    const err = new IntegrationsError(code, 'Why it was refused', { field: 'x' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(INTEGRATIONS_ERROR_STATUS[code]);
    expect(toErrorBody(err, 'req-1').body).toEqual({
      statusCode: INTEGRATIONS_ERROR_STATUS[code], error: expect.any(String), message: 'Why it was refused', code, details: { field: 'x' }, requestId: 'req-1',
    });
    expect(toErrorBody(err, 'req-1').body.error).not.toBe('Error');
  });
});
