import fc from 'fast-check';
import {
  addBusinessDays,
  applyDecision,
  awaitsAssessment,
  businessHoursBetween,
  canSubmit,
  canWithdraw,
  checkAssessment,
  checkDecision,
  checkDecisionBeforeInput,
  Decision,
  DecisionContext,
  isEditable,
  isFinal,
  itApprovalFrom,
  percentile,
  RequestStatus,
  Stage,
  StageStatus,
  stagesFor,
} from './review-policy';

const ctx = (
  over: Partial<{
    status: RequestStatus;
    version: number;
    requesterId: string;
    currentStage: Stage | null;
    roles: string[];
    actorId: string;
    stage: Stage;
    decision: Decision;
    inputVersion: number;
    comment: string | null;
    conditions: string | null;
    decided: Stage[];
    assessed: boolean;
  }> = {},
): DecisionContext => ({
  request: {
    status: over.status ?? RequestStatus.IN_REVIEW,
    version: over.version ?? 3,
    requesterId: over.requesterId ?? 'requester',
    currentStage: over.currentStage === undefined ? Stage.MARKETING : over.currentStage,
  },
  actor: { id: over.actorId ?? 'cmo', roles: over.roles ?? ['CMO'] },
  input: {
    stage: over.stage ?? Stage.MARKETING,
    decision: over.decision ?? Decision.APPROVE,
    version: over.inputVersion ?? over.version ?? 3,
    comment: over.comment ?? null,
    conditions: over.conditions ?? null,
  },
  stagesDecidedByActor: over.decided ?? [],
  assessedThisRound: over.assessed ?? true,
});

describe('stagesFor', () => {
  it('adds FINANCE at or above the threshold only', () => {
    expect(stagesFor(4_999_999n, 5_000_000n)).toEqual(['MARKETING', 'IT']);
    expect(stagesFor(5_000_000n, 5_000_000n)).toEqual(['MARKETING', 'IT', 'FINANCE']);
    expect(stagesFor(9_000_000n, 5_000_000n)).toEqual(['MARKETING', 'IT', 'FINANCE']);
    expect(stagesFor(0n, 0n)).toEqual(['MARKETING', 'IT', 'FINANCE']);
  });
});

describe('request states', () => {
  it.each([
    [RequestStatus.DRAFT, true, true, true, false],
    [RequestStatus.CHANGES_REQUESTED, true, true, true, false],
    [RequestStatus.IN_REVIEW, false, false, true, false],
    [RequestStatus.APPROVED, false, false, false, true],
    [RequestStatus.REJECTED, false, false, false, true],
    [RequestStatus.WITHDRAWN, false, false, false, true],
  ])('%s: editable %s, submittable %s, withdrawable %s, final %s', (status, edit, submit, withdraw, final) => {
    expect(isEditable(status)).toBe(edit);
    expect(canSubmit(status)).toBe(submit);
    expect(canWithdraw(status)).toBe(withdraw);
    expect(isFinal(status)).toBe(final);
  });
});

describe('checkDecision', () => {
  it('allows the right role on the current stage with the current version', () => {
    expect(checkDecision(ctx())).toBeNull();
    expect(checkDecision(ctx({ roles: ['CIO'], actorId: 'cio', stage: Stage.IT, currentStage: Stage.IT }))).toBeNull();
    expect(checkDecision(ctx({ roles: ['FINANCE'], actorId: 'fin', stage: Stage.FINANCE, currentStage: Stage.FINANCE }))).toBeNull();
  });

  it.each([
    [Stage.MARKETING, ['CIO']],
    [Stage.MARKETING, ['MARKETER']],
    [Stage.IT, ['IT']],
    [Stage.IT, ['CMO']],
    [Stage.FINANCE, ['CIO', 'CMO']],
    [Stage.MARKETING, ['ADMIN']],
  ])('refuses the wrong role for %s (%j) with 403', (stage, roles) => {
    expect(checkDecision(ctx({ stage, currentStage: stage, roles }))).toMatchObject({ status: 403, code: 'WRONG_ROLE' });
  });

  it("refuses deciding one's own request, whatever the roles", () => {
    expect(checkDecision(ctx({ requesterId: 'cmo', actorId: 'cmo', roles: ['CMO', 'CIO', 'FINANCE'] }))).toMatchObject({
      status: 403,
      code: 'OWN_REQUEST',
    });
  });

  it('refuses a second stage by the same person (the CIO who decided IT, also holding FINANCE)', () => {
    const refusal = checkDecision(
      ctx({ actorId: 'boss', roles: ['CIO', 'FINANCE'], stage: Stage.FINANCE, currentStage: Stage.FINANCE, decided: [Stage.IT] }),
    );
    expect(refusal).toMatchObject({ status: 403, code: 'ONE_STAGE_PER_PERSON' });
    expect(checkDecision(ctx({ decided: [Stage.MARKETING] }))).toBeNull();
  });

  it.each([RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN])('refuses a %s request with 409', (status) => {
    expect(checkDecision(ctx({ status }))).toMatchObject({ status: 409, code: 'REQUEST_FINAL' });
  });

  it('refuses a draft or a request sent back with 409', () => {
    expect(checkDecision(ctx({ status: RequestStatus.DRAFT }))).toMatchObject({ status: 409, code: 'NOT_IN_REVIEW' });
    expect(checkDecision(ctx({ status: RequestStatus.CHANGES_REQUESTED }))).toMatchObject({ status: 409, code: 'NOT_IN_REVIEW' });
  });

  it('refuses a stale version and a stage that is not the current one with 409', () => {
    expect(checkDecision(ctx({ version: 4, inputVersion: 3 }))).toMatchObject({ status: 409, code: 'STALE_VERSION' });
    expect(checkDecision(ctx({ roles: ['CIO'], actorId: 'cio', stage: Stage.IT, currentStage: Stage.MARKETING }))).toMatchObject({
      status: 409,
      code: 'NOT_CURRENT_STAGE',
    });
  });

  it('requires conditions, a reason or a comment where the decision needs them', () => {
    expect(checkDecision(ctx({ decision: Decision.APPROVE_WITH_CONDITIONS }))).toMatchObject({ status: 400, code: 'CONDITIONS_REQUIRED' });
    expect(checkDecision(ctx({ decision: Decision.APPROVE_WITH_CONDITIONS, conditions: '  ' }))).toMatchObject({
      code: 'CONDITIONS_REQUIRED',
    });
    expect(checkDecision(ctx({ decision: Decision.APPROVE_WITH_CONDITIONS, conditions: 'EU only' }))).toBeNull();
    expect(checkDecision(ctx({ decision: Decision.REJECT }))).toMatchObject({ status: 400, code: 'COMMENT_REQUIRED' });
    expect(checkDecision(ctx({ decision: Decision.REJECT, comment: 'Overlaps HubSpot' }))).toBeNull();
    expect(checkDecision(ctx({ decision: Decision.REQUEST_CHANGES }))).toMatchObject({ status: 400, code: 'COMMENT_REQUIRED' });
    expect(checkDecision(ctx({ decision: Decision.REQUEST_CHANGES, comment: 'Add the DPA' }))).toBeNull();
  });

  it('approves the IT stage only on an IT assessment of the current round (422 ASSESSMENT_REQUIRED)', () => {
    const it = { roles: ['CIO'], actorId: 'cio', stage: Stage.IT, currentStage: Stage.IT, assessed: false };
    expect(checkDecision(ctx({ ...it, decision: Decision.APPROVE }))).toMatchObject({ status: 422, code: 'ASSESSMENT_REQUIRED' });
    expect(checkDecision(ctx({ ...it, decision: Decision.APPROVE_WITH_CONDITIONS, conditions: 'EU only' }))).toMatchObject({
      status: 422,
      code: 'ASSESSMENT_REQUIRED',
    });
    expect(checkDecision(ctx({ ...it, decision: Decision.APPROVE, assessed: true }))).toBeNull();
    // Saying no, or sending it back for what IT needs, never skips the gate.
    expect(checkDecision(ctx({ ...it, decision: Decision.REJECT, comment: 'No DPA possible' }))).toBeNull();
    expect(checkDecision(ctx({ ...it, decision: Decision.REQUEST_CHANGES, comment: 'Which data?' }))).toBeNull();
    // The other stages do not need it.
    expect(checkDecision(ctx({ assessed: false }))).toBeNull();
    expect(
      checkDecision(ctx({ roles: ['FINANCE'], actorId: 'fin', stage: Stage.FINANCE, currentStage: Stage.FINANCE, assessed: false })),
    ).toBeNull();
    // Refusals about who and when come first.
    expect(checkDecision(ctx({ ...it, decision: Decision.APPROVE, requesterId: 'cio' }))).toMatchObject({
      status: 403,
      code: 'OWN_REQUEST',
    });
    expect(checkDecision(ctx({ ...it, decision: Decision.APPROVE, version: 4, inputVersion: 3 }))).toMatchObject({
      status: 409,
      code: 'STALE_VERSION',
    });
  });

  it('checks before the comment or conditions are asked for: every refusal of checkDecision but what the decision carries', () => {
    // Nothing carried yet: allowed where checkDecision would only ask for the comment or the conditions.
    expect(checkDecisionBeforeInput(ctx({ decision: Decision.REJECT }))).toBeNull();
    expect(checkDecisionBeforeInput(ctx({ decision: Decision.APPROVE_WITH_CONDITIONS }))).toBeNull();
    const it = { roles: ['CIO'], actorId: 'cio', stage: Stage.IT, currentStage: Stage.IT };
    expect(checkDecisionBeforeInput(ctx({ ...it, decision: Decision.APPROVE_WITH_CONDITIONS, assessed: false }))).toMatchObject({
      status: 422,
      code: 'ASSESSMENT_REQUIRED',
    });
    expect(checkDecisionBeforeInput(ctx({ ...it, decision: Decision.REJECT, assessed: false }))).toBeNull();
    // Every other refusal is the one checkDecision gives, whatever is carried.
    fc.assert(
      fc.property(
        fc.subarray(['MARKETER', 'CMO', 'IT', 'CIO', 'FINANCE', 'ADMIN']),
        fc.constantFrom(...Object.values(RequestStatus)),
        fc.constantFrom(...Object.values(Stage)),
        fc.constantFrom(...Object.values(Stage)),
        fc.constantFrom(...Object.values(Decision)),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 2, max: 4 }),
        (roles, status, stage, currentStage, decision, own, assessed, inputVersion) => {
          const base = { roles, status, stage, currentStage, decision, assessed, inputVersion, actorId: 'x', requesterId: own ? 'x' : 'y' };
          const before = checkDecisionBeforeInput(ctx(base));
          const carried = checkDecision(ctx({ ...base, comment: 'Why', conditions: 'EU only' }));
          expect(before).toEqual(carried);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never approves the IT stage without an assessment of the round, whoever asks (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray(['MARKETER', 'CMO', 'IT', 'CIO', 'FINANCE', 'ADMIN']),
        fc.constantFrom(...Object.values(RequestStatus)),
        fc.boolean(),
        (roles, status, own) => {
          for (const decision of [Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS]) {
            const refusal = checkDecision(
              ctx({
                roles,
                status,
                actorId: 'x',
                requesterId: own ? 'x' : 'y',
                stage: Stage.IT,
                currentStage: Stage.IT,
                decision,
                conditions: 'c',
                assessed: false,
              }),
            );
            expect(refusal).not.toBeNull();
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never allows a decision by someone without the stage role (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(Stage)),
        fc.subarray(['MARKETER', 'CMO', 'IT', 'CIO', 'FINANCE', 'ADMIN']),
        fc.constantFrom(...Object.values(RequestStatus)),
        fc.constantFrom(...Object.values(Decision)),
        (stage, roles, status, decision) => {
          const role = { MARKETING: 'CMO', IT: 'CIO', FINANCE: 'FINANCE' }[stage];
          const refusal = checkDecision(ctx({ stage, currentStage: stage, roles, status, decision, comment: 'c', conditions: 'c' }));
          if (!roles.includes(role)) expect(refusal?.status).toBe(403);
          else if (status !== RequestStatus.IN_REVIEW) expect(refusal?.status).toBe(409);
          else expect(refusal).toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('checkAssessment', () => {
  const assess = (over: Partial<{ status: RequestStatus; requesterId: string; actorId: string; roles: string[] }> = {}) =>
    checkAssessment({
      request: { status: over.status ?? RequestStatus.IN_REVIEW, requesterId: over.requesterId ?? 'requester' },
      actor: { id: over.actorId ?? 'it', roles: over.roles ?? ['IT'] },
    });
  it('lets IT and the CIO assess a request in review', () => {
    expect(assess()).toBeNull();
    expect(assess({ roles: ['CIO'] })).toBeNull();
  });
  it.each([[['MARKETER']], [['CMO']], [['FINANCE']], [['ADMIN']], [[]]])('refuses %j with 403 WRONG_ROLE', (roles) => {
    expect(assess({ roles })).toMatchObject({ status: 403, code: 'WRONG_ROLE' });
  });
  it("refuses assessing one's own request, whatever the roles (a MARKETER who is also IT)", () => {
    expect(assess({ requesterId: 'me', actorId: 'me', roles: ['MARKETER', 'IT'] })).toMatchObject({ status: 403, code: 'OWN_REQUEST' });
    expect(assess({ requesterId: 'me', actorId: 'me', roles: ['CMO', 'CIO'] })).toMatchObject({ status: 403, code: 'OWN_REQUEST' });
  });
  it('refuses a final request, a draft and a request sent back with 409', () => {
    for (const status of [RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN])
      expect(assess({ status })).toMatchObject({ status: 409, code: 'REQUEST_FINAL' });
    for (const status of [RequestStatus.DRAFT, RequestStatus.CHANGES_REQUESTED])
      expect(assess({ status })).toMatchObject({ status: 409, code: 'NOT_IN_REVIEW' });
  });
});

describe("awaitsAssessment (IT's queue)", () => {
  it('holds a request in review at the IT stage, or before it, that IT has not assessed in this round', () => {
    expect(awaitsAssessment({ status: RequestStatus.IN_REVIEW, currentStage: Stage.IT }, false)).toBe(true);
    expect(awaitsAssessment({ status: RequestStatus.IN_REVIEW, currentStage: Stage.MARKETING }, false)).toBe(true);
  });
  it('lets go once assessed this round, once past the IT stage, or when not in review', () => {
    expect(awaitsAssessment({ status: RequestStatus.IN_REVIEW, currentStage: Stage.IT }, true)).toBe(false);
    expect(awaitsAssessment({ status: RequestStatus.IN_REVIEW, currentStage: Stage.FINANCE }, false)).toBe(false);
    for (const status of [
      RequestStatus.DRAFT,
      RequestStatus.CHANGES_REQUESTED,
      RequestStatus.APPROVED,
      RequestStatus.REJECTED,
      RequestStatus.WITHDRAWN,
    ]) {
      expect(awaitsAssessment({ status, currentStage: null }, false)).toBe(false);
    }
  });
  it('agrees with checkAssessment: whatever it holds, an assessor other than the requester may assess', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(RequestStatus)),
        fc.constantFrom(null, ...Object.values(Stage)),
        fc.boolean(),
        (status, currentStage, assessed) => {
          if (awaitsAssessment({ status, currentStage }, assessed))
            expect(checkAssessment({ request: { status, requesterId: 'r' }, actor: { id: 'it', roles: ['IT'] } })).toBeNull();
        },
      ),
    );
  });
});

describe('applyDecision', () => {
  const round = [Stage.MARKETING, Stage.IT, Stage.FINANCE];
  it('opens the next stage on approval and approves the request on the last one', () => {
    expect(applyDecision(Decision.APPROVE, Stage.MARKETING, round)).toEqual({
      stageStatus: StageStatus.APPROVED,
      requestStatus: RequestStatus.IN_REVIEW,
      nextStage: Stage.IT,
      approvedFinally: false,
    });
    expect(applyDecision(Decision.APPROVE_WITH_CONDITIONS, Stage.IT, round)).toMatchObject({
      stageStatus: StageStatus.APPROVED_WITH_CONDITIONS,
      nextStage: Stage.FINANCE,
    });
    expect(applyDecision(Decision.APPROVE, Stage.FINANCE, round)).toMatchObject({
      requestStatus: RequestStatus.APPROVED,
      nextStage: null,
      approvedFinally: true,
    });
    expect(applyDecision(Decision.APPROVE_WITH_CONDITIONS, Stage.IT, [Stage.MARKETING, Stage.IT])).toMatchObject({
      requestStatus: RequestStatus.APPROVED,
      approvedFinally: true,
    });
  });
  it('ends the request on REJECT and sends it back on REQUEST_CHANGES', () => {
    expect(applyDecision(Decision.REJECT, Stage.IT, round)).toMatchObject({
      stageStatus: StageStatus.REJECTED,
      requestStatus: RequestStatus.REJECTED,
      approvedFinally: false,
    });
    expect(applyDecision(Decision.REQUEST_CHANGES, Stage.MARKETING, round)).toMatchObject({
      stageStatus: StageStatus.CHANGES_REQUESTED,
      requestStatus: RequestStatus.CHANGES_REQUESTED,
      nextStage: null,
    });
  });
  it("maps the IT decision to the tool's IT approval", () => {
    expect(itApprovalFrom(Decision.APPROVE)).toBe('APPROVED');
    expect(itApprovalFrom(Decision.APPROVE_WITH_CONDITIONS)).toBe('APPROVED_WITH_CONDITIONS');
  });
});

describe('business days', () => {
  it('skips weekends', () => {
    expect(addBusinessDays(new Date('2026-11-20T10:00:00Z'), 5).toISOString()).toBe('2026-11-27T10:00:00.000Z'); // Fri → Fri
    expect(addBusinessDays(new Date('2026-11-23T09:00:00Z'), 1).toISOString()).toBe('2026-11-24T09:00:00.000Z'); // Mon → Tue
    expect(addBusinessDays(new Date('2026-11-21T15:00:00Z'), 1).toISOString()).toBe('2026-11-24T00:00:00.000Z'); // Sat → Tue 00:00
    expect(addBusinessDays(new Date('2026-11-26T12:00:00Z'), 2).toISOString()).toBe('2026-11-30T12:00:00.000Z'); // Thu → Mon
  });
  it('counts business hours only on weekdays', () => {
    expect(businessHoursBetween(new Date('2026-11-20T12:00:00Z'), new Date('2026-11-23T12:00:00Z'))).toBe(24); // Fri noon → Mon noon
    expect(businessHoursBetween(new Date('2026-11-23T00:00:00Z'), new Date('2026-11-24T06:00:00Z'))).toBe(30);
    expect(businessHoursBetween(new Date('2026-11-21T00:00:00Z'), new Date('2026-11-22T23:00:00Z'))).toBe(0);
    expect(businessHoursBetween(new Date('2026-11-24T00:00:00Z'), new Date('2026-11-23T00:00:00Z'))).toBe(0);
  });
  it('never counts more than the calendar hours, and 5 business days are at least 120 business hours (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 30 }),
        (start, days) => {
          const due = addBusinessDays(start, days);
          expect(businessHoursBetween(start, due)).toBeLessThanOrEqual((due.getTime() - start.getTime()) / 3_600_000 + 1e-9);
          if (start.getUTCDay() !== 0 && start.getUTCDay() !== 6) expect(businessHoursBetween(start, due)).toBeCloseTo(days * 24, 6);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('percentile', () => {
  it('gives the median and p90 by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });
});
