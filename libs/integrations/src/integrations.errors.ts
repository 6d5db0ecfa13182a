import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The integrations lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const INTEGRATIONS_ERROR_STATUS = {
  DUPLICATE_INTEGRATION: 409,
  SAME_TOOL: 422,
  TOOL_RETIRED: 422,
} as const satisfies ErrorStatusMap<string>;
export type IntegrationsErrorCode = keyof typeof INTEGRATIONS_ERROR_STATUS;
/** The codes by name (`IntegrationsErrorCode.X`), derived from the status map. */
export const IntegrationsErrorCode = errorCodes(INTEGRATIONS_ERROR_STATUS);

export class IntegrationsError extends DomainError<IntegrationsErrorCode> {
  constructor(code: IntegrationsErrorCode, message: string, details?: unknown) {
    super(INTEGRATIONS_ERROR_STATUS, code, message, details);
  }
}
