import { FINANCE_ERROR_STATUS, FinanceError } from './finance.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('FinanceError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(FINANCE_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      BASE_CURRENCY_RATE: 422,
      CONTRACT_ALREADY_TERMINATED: 409,
      CONTRACT_HAS_SPEND: 409,
      CONTRACT_TOOL_MISMATCH: 422,
      DUPLICATE_BUDGET: 409,
      DUPLICATE_EXTERNAL_REF: 409,
      DUPLICATE_FX_RATE: 409,
      RENEWAL_CONTRACT_NOT_ACTIVE: 422,
      RENEWAL_SEATS_NOT_FEWER: 422,
      REQUEST_ALREADY_ATTACHED: 409,
      REQUEST_NOT_AWAITING_CONTRACT: 409,
      TERMINATION_BEFORE_START: 422,
    });
  });

  itAnswersEveryCode(FINANCE_ERROR_STATUS, (code, message, details) => new FinanceError(code, message, details));
});
