import { DomainError, ErrorStatusMap } from '@stackgate/platform';

/**
 * The finance lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Never rename a value. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const FinanceErrorCode = {
  DUPLICATE_FX_RATE: 'DUPLICATE_FX_RATE',
  BASE_CURRENCY_RATE: 'BASE_CURRENCY_RATE',
  DUPLICATE_EXTERNAL_REF: 'DUPLICATE_EXTERNAL_REF',
  CONTRACT_TOOL_MISMATCH: 'CONTRACT_TOOL_MISMATCH',
  DUPLICATE_BUDGET: 'DUPLICATE_BUDGET',
  CONTRACT_HAS_SPEND: 'CONTRACT_HAS_SPEND',
} as const;
export type FinanceErrorCode = (typeof FinanceErrorCode)[keyof typeof FinanceErrorCode];

/** The HTTP status of each code; exhaustive, so a new code without a status does not compile. */
export const FINANCE_ERROR_STATUS: ErrorStatusMap<FinanceErrorCode> = {
  DUPLICATE_FX_RATE: 409,
  BASE_CURRENCY_RATE: 422,
  DUPLICATE_EXTERNAL_REF: 409,
  CONTRACT_TOOL_MISMATCH: 422,
  DUPLICATE_BUDGET: 409,
  CONTRACT_HAS_SPEND: 409,
};

export class FinanceError extends DomainError<FinanceErrorCode> {
  constructor(code: FinanceErrorCode, message: string, details?: unknown) {
    super(FINANCE_ERROR_STATUS, code, message, details);
  }
}
