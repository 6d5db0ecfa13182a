import { DomainError, ErrorStatusMap } from '@stackgate/platform';

/**
 * The integrations lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Never rename a value. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const IntegrationsErrorCode = {
  DUPLICATE_INTEGRATION: 'DUPLICATE_INTEGRATION',
  SAME_TOOL: 'SAME_TOOL',
  TOOL_RETIRED: 'TOOL_RETIRED',
} as const;
export type IntegrationsErrorCode = (typeof IntegrationsErrorCode)[keyof typeof IntegrationsErrorCode];

/** The HTTP status of each code; exhaustive, so a new code without a status does not compile. */
export const INTEGRATIONS_ERROR_STATUS: ErrorStatusMap<IntegrationsErrorCode> = {
  DUPLICATE_INTEGRATION: 409,
  SAME_TOOL: 422,
  TOOL_RETIRED: 422,
};

export class IntegrationsError extends DomainError<IntegrationsErrorCode> {
  constructor(code: IntegrationsErrorCode, message: string, details?: unknown) {
    super(INTEGRATIONS_ERROR_STATUS, code, message, details);
  }
}
