import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The finance lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const FINANCE_ERROR_STATUS = {
  DUPLICATE_FX_RATE: 409,
  BASE_CURRENCY_RATE: 422,
  DUPLICATE_EXTERNAL_REF: 409,
  CONTRACT_TOOL_MISMATCH: 422,
  DUPLICATE_BUDGET: 409,
  CONTRACT_HAS_SPEND: 409,
  RENEWAL_CONTRACT_NOT_ACTIVE: 422,
  RENEWAL_SEATS_NOT_FEWER: 422,
  REQUEST_NOT_AWAITING_CONTRACT: 409,
  REQUEST_ALREADY_ATTACHED: 409,
  CONTRACT_ALREADY_TERMINATED: 409,
  TERMINATION_BEFORE_START: 422,
} as const satisfies ErrorStatusMap<string>;
export type FinanceErrorCode = keyof typeof FINANCE_ERROR_STATUS;
/** The codes by name (`FinanceErrorCode.X`), derived from the status map. */
export const FinanceErrorCode = errorCodes(FINANCE_ERROR_STATUS);

export class FinanceError extends DomainError<FinanceErrorCode> {
  constructor(code: FinanceErrorCode, message: string, details?: unknown) {
    super(FINANCE_ERROR_STATUS, code, message, details);
  }
}
