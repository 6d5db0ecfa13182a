import { PROCUREMENT_ERROR_STATUS, ProcurementError, ProcurementErrorCode } from './procurement.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('ProcurementError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(PROCUREMENT_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      ASSESSMENT_REQUIRED: 422,
      COMMENT_REQUIRED: 400,
      CONDITIONS_REQUIRED: 400,
      CONDITION_ITEMS_INVALID: 400,
      CONDITION_NOT_ACTIVE: 409,
      CONDITION_NOT_OWNER: 403,
      CONDITION_OWNER_UNKNOWN: 422,
      CONDITION_SELF_VERIFY: 403,
      CONDITION_STATE: 409,
      CONDITION_VERIFIER_ONLY: 403,
      FX_RATE_MISSING: 422,
      NOT_CURRENT_STAGE: 409,
      NOT_IN_REVIEW: 409,
      NOT_REQUESTER: 403,
      ONE_STAGE_PER_PERSON: 403,
      OWN_REQUEST: 403,
      PROPOSED_TOOL_NOT_ALLOWED: 400,
      PROPOSED_TOOL_REQUIRED: 400,
      REASON_REQUIRED: 400,
      REQUEST_FINAL: 409,
      REQUEST_NOT_EDITABLE: 409,
      REQUEST_NOT_SUBMITTABLE: 409,
      REQUEST_NOT_WITHDRAWABLE: 409,
      SAME_TOOL: 422,
      STAGE_ALREADY_DECIDED: 409,
      STALE_VERSION: 409,
      TOOL_NAME_RESERVED: 409,
      TOOL_NAME_TAKEN: 409,
      TOOL_NOT_ALLOWED: 400,
      TOOL_REQUIRED: 400,
      TOOL_RETIRED: 422,
      WRONG_ROLE: 403,
    });
  });

  itAnswersEveryCode(PROCUREMENT_ERROR_STATUS, (code, message, details) => new ProcurementError(code, message, details));

  it('answers a review refusal with the status the review policy gives it', () => {
    // The pure review policy states each refusal's status; the map must agree with it.
    const stated: Record<string, number> = {
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
    };
    for (const [code, status] of Object.entries(stated)) expect(PROCUREMENT_ERROR_STATUS[code as ProcurementErrorCode]).toBe(status);
  });

  it('answers a condition refusal with the status the condition policy gives it', () => {
    const stated: Record<string, number> = {
      CONDITION_NOT_OWNER: 403,
      CONDITION_VERIFIER_ONLY: 403,
      CONDITION_SELF_VERIFY: 403,
      CONDITION_STATE: 409,
      CONDITION_NOT_ACTIVE: 409,
      REASON_REQUIRED: 400,
    };
    for (const [code, status] of Object.entries(stated)) expect(PROCUREMENT_ERROR_STATUS[code as ProcurementErrorCode]).toBe(status);
  });
});
