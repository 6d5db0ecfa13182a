import { DomainError, ErrorStatusMap } from '@stackgate/platform';

/**
 * The reporting lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Never rename a value. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const ReportingErrorCode = {
  FX_RATE_MISSING: 'FX_RATE_MISSING',
  RANGE_TOO_LONG: 'RANGE_TOO_LONG',
} as const;
export type ReportingErrorCode = (typeof ReportingErrorCode)[keyof typeof ReportingErrorCode];

/** The HTTP status of each code; exhaustive, so a new code without a status does not compile. */
export const REPORTING_ERROR_STATUS: ErrorStatusMap<ReportingErrorCode> = {
  FX_RATE_MISSING: 422,
  RANGE_TOO_LONG: 400,
};

export class ReportingError extends DomainError<ReportingErrorCode> {
  constructor(code: ReportingErrorCode, message: string, details?: unknown) {
    super(REPORTING_ERROR_STATUS, code, message, details);
  }
}
