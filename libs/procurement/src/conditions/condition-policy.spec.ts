import {
  checkTransition,
  conditionItemProblems,
  ConditionState,
  isPastDue,
  joinConditions,
  NEXT_STATE,
  TransitionContext,
} from './condition-policy';

const ctx = (
  over: Partial<{
    state: ConditionState;
    ownerId: string;
    doneById: string | null;
    active: boolean;
    actorId: string;
    roles: string[];
    reason: string | null;
  }> = {},
): TransitionContext => ({
  condition: {
    state: over.state ?? ConditionState.OPEN,
    ownerId: over.ownerId ?? 'owner',
    doneById: over.doneById === undefined ? null : over.doneById,
  },
  active: over.active ?? true,
  actor: { id: over.actorId ?? 'owner', roles: over.roles ?? ['MARKETER'] },
  reason: over.reason ?? null,
});

describe('condition state machine', () => {
  it('goes open → done → verified, and reopens to open', () => {
    expect(NEXT_STATE).toEqual({ done: 'DONE', verify: 'VERIFIED', reopen: 'OPEN' });
  });

  describe('done', () => {
    it('lets the owner, IT and the CIO mark an open condition done', () => {
      expect(checkTransition('done', ctx())).toBeNull();
      expect(checkTransition('done', ctx({ actorId: 'it', roles: ['IT'] }))).toBeNull();
      expect(checkTransition('done', ctx({ actorId: 'cio', roles: ['CIO'] }))).toBeNull();
    });
    it.each([[['MARKETER']], [['CMO']], [['FINANCE']], [['ADMIN']]])('refuses anyone else (%j) with 403', (roles) => {
      expect(checkTransition('done', ctx({ actorId: 'other', roles }))).toMatchObject({ status: 403, code: 'CONDITION_NOT_OWNER' });
    });
    it('refuses a condition already done or verified with 409', () => {
      expect(checkTransition('done', ctx({ state: ConditionState.DONE }))).toMatchObject({
        status: 409,
        code: 'CONDITION_STATE',
        message: expect.stringContaining('already marked done') as unknown,
      });
      expect(checkTransition('done', ctx({ state: ConditionState.VERIFIED }))).toMatchObject({ status: 409, code: 'CONDITION_STATE' });
    });
    it('refuses when the request is not approved with 409', () => {
      expect(checkTransition('done', ctx({ active: false }))).toMatchObject({ status: 409, code: 'CONDITION_NOT_ACTIVE' });
    });
  });

  describe('verify', () => {
    it('lets IT or the CIO verify a condition someone else marked done', () => {
      expect(checkTransition('verify', ctx({ state: ConditionState.DONE, doneById: 'owner', actorId: 'it', roles: ['IT'] }))).toBeNull();
      expect(checkTransition('verify', ctx({ state: ConditionState.DONE, doneById: 'owner', actorId: 'cio', roles: ['CIO'] }))).toBeNull();
    });
    it('refuses the owner (not IT), finance and the CMO with 403', () => {
      for (const roles of [['MARKETER'], ['FINANCE'], ['CMO'], ['ADMIN']]) {
        expect(checkTransition('verify', ctx({ state: ConditionState.DONE, doneById: 'owner', roles }))).toMatchObject({
          status: 403,
          code: 'CONDITION_VERIFIER_ONLY',
        });
      }
    });
    it('refuses verifying what one marked done oneself (four eyes)', () => {
      expect(checkTransition('verify', ctx({ state: ConditionState.DONE, doneById: 'it', actorId: 'it', roles: ['IT'] }))).toMatchObject({
        status: 403,
        code: 'CONDITION_SELF_VERIFY',
      });
    });
    it('refuses an open or verified condition with 409', () => {
      expect(checkTransition('verify', ctx({ state: ConditionState.OPEN, actorId: 'it', roles: ['IT'] }))).toMatchObject({
        status: 409,
        code: 'CONDITION_STATE',
        message: expect.stringContaining('still open') as unknown,
      });
      expect(
        checkTransition('verify', ctx({ state: ConditionState.VERIFIED, doneById: 'owner', actorId: 'it', roles: ['IT'] })),
      ).toMatchObject({ status: 409, code: 'CONDITION_STATE' });
    });
  });

  describe('reopen', () => {
    it('lets IT reopen a done or verified condition with a reason', () => {
      for (const state of [ConditionState.DONE, ConditionState.VERIFIED]) {
        expect(checkTransition('reopen', ctx({ state, actorId: 'it', roles: ['IT'], reason: 'The DPA is unsigned' }))).toBeNull();
      }
    });
    it('needs a reason (400), refuses an open condition (409) and non-IT (403)', () => {
      expect(checkTransition('reopen', ctx({ state: ConditionState.DONE, actorId: 'it', roles: ['IT'], reason: '  ' }))).toMatchObject({
        status: 400,
        code: 'REASON_REQUIRED',
      });
      expect(checkTransition('reopen', ctx({ state: ConditionState.OPEN, actorId: 'it', roles: ['IT'], reason: 'x' }))).toMatchObject({
        status: 409,
        code: 'CONDITION_STATE',
      });
      expect(checkTransition('reopen', ctx({ state: ConditionState.DONE, reason: 'x' }))).toMatchObject({
        status: 403,
        code: 'CONDITION_VERIFIER_ONLY',
      });
    });
  });
});

describe('isPastDue', () => {
  it('is an open condition after its due date', () => {
    expect(isPastDue({ state: ConditionState.OPEN, dueDate: '2026-01-01' }, '2026-01-02')).toBe(true);
    expect(isPastDue({ state: ConditionState.OPEN, dueDate: '2026-01-02' }, '2026-01-02')).toBe(false);
    expect(isPastDue({ state: ConditionState.DONE, dueDate: '2026-01-01' }, '2026-01-02')).toBe(false);
    expect(isPastDue({ state: ConditionState.VERIFIED, dueDate: '2026-01-01' }, '2026-01-02')).toBe(false);
  });
});

describe('conditionItemProblems', () => {
  const item = { text: 'EU data centre only', ownerId: 'u1', dueDate: '2026-03-01' };
  const today = '2026-02-01';
  it('accepts items on an IT or finance approval with conditions', () => {
    expect(
      conditionItemProblems(
        { stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', items: [item, { ...item, text: 'SSO before go-live' }] },
        today,
      ),
    ).toEqual({});
    expect(conditionItemProblems({ stage: 'FINANCE', decision: 'APPROVE_WITH_CONDITIONS', items: [item] }, today)).toEqual({});
  });
  it('accepts the joined text alongside the items', () => {
    expect(
      conditionItemProblems({ stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditions: joinConditions([item]), items: [item] }, today),
    ).toEqual({});
  });
  it('refuses items on another decision or stage, a different text, blank text and past due dates', () => {
    expect(conditionItemProblems({ stage: 'IT', decision: 'APPROVE', items: [item] }, today)).toHaveProperty('conditionItems');
    expect(conditionItemProblems({ stage: 'MARKETING', decision: 'APPROVE_WITH_CONDITIONS', items: [item] }, today)).toHaveProperty(
      'conditionItems',
    );
    expect(
      conditionItemProblems({ stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditions: 'Something else', items: [item] }, today),
    ).toHaveProperty('conditions');
    expect(
      conditionItemProblems(
        {
          stage: 'IT',
          decision: 'APPROVE_WITH_CONDITIONS',
          items: [
            { ...item, text: ' ' },
            { ...item, dueDate: '2026-01-31' },
          ],
        },
        today,
      ),
    ).toEqual({
      'conditionItems.0.text': 'Describe the condition',
      'conditionItems.1.dueDate': expect.stringContaining('in the past') as unknown,
    });
  });
  it('joins the texts one per line', () => {
    expect(joinConditions([{ text: ' A ' }, { text: 'B' }])).toBe('A\nB');
  });
});
