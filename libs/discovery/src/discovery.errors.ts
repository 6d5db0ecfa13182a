import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The discovery lib's error codes (the public `code` of the error JSON) with their HTTP status;
 * never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, REFERENCE_NOT_FOUND, ...) are
 * the platform's.
 */
export const DISCOVERY_ERROR_STATUS = {
  /** The action is not allowed from the candidate's current status (see candidate-states.ts). */
  CANDIDATE_STATE: 409,
  /** Another import created the same candidates at the same moment (nothing of this one was written). */
  DISCOVERY_CONFLICT: 409,
  /** A candidate cannot be linked to a retired tool. */
  CANDIDATE_TOOL_RETIRED: 422,
  /** A new saved spend mapping names one the workspace already has (the web form creates; PUT replaces). */
  SPEND_MAPPING_EXISTS: 409,
} as const satisfies ErrorStatusMap<string>;
export type DiscoveryErrorCode = keyof typeof DISCOVERY_ERROR_STATUS;
export const DiscoveryErrorCode = errorCodes(DISCOVERY_ERROR_STATUS);

export class DiscoveryError extends DomainError<DiscoveryErrorCode> {
  constructor(code: DiscoveryErrorCode, message: string, details?: unknown) {
    super(DISCOVERY_ERROR_STATUS, code, message, details);
  }
}
