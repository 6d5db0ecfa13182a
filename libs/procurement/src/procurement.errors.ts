import { DomainError, ErrorStatusMap, errorCodes } from '@stackgate/platform';

/**
 * The procurement lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const PROCUREMENT_ERROR_STATUS = {
  NOT_REQUESTER: 403,
  PROPOSED_TOOL_REQUIRED: 400,
  PROPOSED_TOOL_NOT_ALLOWED: 400,
  TOOL_REQUIRED: 400,
  TOOL_NOT_ALLOWED: 400,
  TOOL_NAME_TAKEN: 409,
  TOOL_NAME_RESERVED: 409,
  TOOL_RETIRED: 422,
  SAME_TOOL: 422,
  FX_RATE_MISSING: 422,
  REQUEST_NOT_EDITABLE: 409,
  REQUEST_NOT_SUBMITTABLE: 409,
  REQUEST_NOT_WITHDRAWABLE: 409,
  STAGE_ALREADY_DECIDED: 409,
  WRONG_ROLE: 403,
  OWN_REQUEST: 403,
  ONE_STAGE_PER_PERSON: 403,
  REQUEST_FINAL: 409,
  NOT_IN_REVIEW: 409,
  STALE_VERSION: 409,
  NOT_CURRENT_STAGE: 409,
  COMMENT_REQUIRED: 400,
  CONDITIONS_REQUIRED: 400,
  ASSESSMENT_REQUIRED: 422,
  CONDITION_ITEMS_INVALID: 400,
  CONDITION_OWNER_UNKNOWN: 422,
  CONDITION_NOT_OWNER: 403,
  CONDITION_VERIFIER_ONLY: 403,
  CONDITION_SELF_VERIFY: 403,
  CONDITION_STATE: 409,
  CONDITION_NOT_ACTIVE: 409,
  REASON_REQUIRED: 400,
} as const satisfies ErrorStatusMap<string>;
export type ProcurementErrorCode = keyof typeof PROCUREMENT_ERROR_STATUS;
/** The codes by name (`ProcurementErrorCode.X`), derived from the status map. */
export const ProcurementErrorCode = errorCodes(PROCUREMENT_ERROR_STATUS);

export class ProcurementError extends DomainError<ProcurementErrorCode> {
  constructor(code: ProcurementErrorCode, message: string, details?: unknown) {
    super(PROCUREMENT_ERROR_STATUS, code, message, details);
  }
}
