import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The reporting lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const REPORTING_ERROR_STATUS = {
  FX_RATE_MISSING: 422,
  RANGE_TOO_LONG: 400,
} as const satisfies ErrorStatusMap<string>;
export type ReportingErrorCode = keyof typeof REPORTING_ERROR_STATUS;
/** The codes by name (`ReportingErrorCode.X`), derived from the status map. */
export const ReportingErrorCode = errorCodes(REPORTING_ERROR_STATUS);

export class ReportingError extends DomainError<ReportingErrorCode> {
  constructor(code: ReportingErrorCode, message: string, details?: unknown) {
    super(REPORTING_ERROR_STATUS, code, message, details);
  }
}
