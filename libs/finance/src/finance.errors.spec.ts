import { DomainError, toErrorBody } from '@stackgate/platform';
import { FINANCE_ERROR_STATUS, FinanceError, FinanceErrorCode } from './finance.errors';

describe('FinanceError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(FINANCE_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      BASE_CURRENCY_RATE: 422,
      CONTRACT_HAS_SPEND: 409,
      CONTRACT_TOOL_MISMATCH: 422,
      DUPLICATE_BUDGET: 409,
      DUPLICATE_EXTERNAL_REF: 409,
      DUPLICATE_FX_RATE: 409,
    });
    expect(Object.values(FinanceErrorCode).sort()).toEqual(Object.keys(FINANCE_ERROR_STATUS).sort());
    for (const [key, value] of Object.entries(FinanceErrorCode)) expect(value).toBe(key);
  });

  it.each(Object.values(FinanceErrorCode))('%s is answered by the filter with its status, code, message and details', (code) => {
    const err = new FinanceError(code, 'Why it was refused', { field: 'x' });
    expect(err).toBeInstanceOf(DomainError);
    expect(err.status).toBe(FINANCE_ERROR_STATUS[code]);
    expect(toErrorBody(err, 'req-1').body).toEqual({
      statusCode: FINANCE_ERROR_STATUS[code], error: expect.any(String), message: 'Why it was refused', code, details: { field: 'x' }, requestId: 'req-1',
    });
    expect(toErrorBody(err, 'req-1').body.error).not.toBe('Error');
  });
});
