/**
 * Conditions of an approval as trackable items (pure rules): the state machine open → done →
 * verified, who may move a condition, and what a decision's list of conditions must look like.
 * Services call these; nothing here touches the database.
 */

export enum ConditionState {
  OPEN = 'OPEN',
  DONE = 'DONE',
  VERIFIED = 'VERIFIED',
}
export type ConditionAction = 'done' | 'verify' | 'reopen';

/** Who verifies a condition (and may mark any condition done or reopen it): IT staff and the CIO. */
export const CONDITION_VERIFIER_ROLES: readonly string[] = ['IT', 'CIO'];

/** Stages whose deciders may set conditions as items: the CIO (IT) and finance. */
export const CONDITION_STAGES: readonly string[] = ['IT', 'FINANCE'];

/** At most this many condition items on one decision. */
export const MAX_CONDITION_ITEMS = 20;

export type ConditionRefusal =
  | { status: 403; code: 'CONDITION_NOT_OWNER' | 'CONDITION_VERIFIER_ONLY' | 'CONDITION_SELF_VERIFY'; message: string }
  | { status: 409; code: 'CONDITION_STATE' | 'CONDITION_NOT_ACTIVE'; message: string }
  | { status: 400; code: 'REASON_REQUIRED'; message: string };

export interface TransitionContext {
  condition: { state: ConditionState; ownerId: string; doneById: string | null };
  /** Whether the approval the condition belongs to stands (the request is approved). */
  active: boolean;
  actor: { id: string; roles: readonly string[] };
  reason?: string | null;
}

const isVerifier = (roles: readonly string[]) => roles.some((r) => CONDITION_VERIFIER_ROLES.includes(r));

/** The state an allowed action leads to. */
export const NEXT_STATE: Record<ConditionAction, ConditionState> = {
  done: ConditionState.DONE,
  verify: ConditionState.VERIFIED,
  reopen: ConditionState.OPEN,
};

/**
 * Whether the actor may take `action` on the condition now; null when allowed. Order: who may act
 * at all (403), the approval standing (409), the state (409), then what the action must carry (400).
 * - done: the owner, or IT/CIO, on an OPEN condition;
 * - verify: IT/CIO, on a DONE condition, and not the person who marked it done (four eyes);
 * - reopen: IT/CIO, on a DONE or VERIFIED condition, with a reason.
 */
export function checkTransition(action: ConditionAction, context: TransitionContext): ConditionRefusal | null {
  const verifier = isVerifier(context.actor.roles);
  if (action === 'done' && !verifier && context.condition.ownerId !== context.actor.id) {
    return { status: 403, code: 'CONDITION_NOT_OWNER', message: 'Only the owner of the condition, IT or the CIO marks it done' };
  }
  if ((action === 'verify' || action === 'reopen') && !verifier) {
    return {
      status: 403,
      code: 'CONDITION_VERIFIER_ONLY',
      message: action === 'verify' ? 'Only IT or the CIO verifies a condition' : 'Only IT or the CIO reopens a condition',
    };
  }
  if (action === 'verify' && context.condition.doneById === context.actor.id) {
    return {
      status: 403,
      code: 'CONDITION_SELF_VERIFY',
      message: 'Someone other than the person who marked the condition done verifies it',
    };
  }
  if (!context.active)
    return {
      status: 409,
      code: 'CONDITION_NOT_ACTIVE',
      message: 'The request this condition belongs to is not approved; its conditions cannot change',
    };
  const state = context.condition.state;
  if (action === 'done' && state !== ConditionState.OPEN) {
    return {
      status: 409,
      code: 'CONDITION_STATE',
      message: state === ConditionState.DONE ? 'The condition is already marked done' : 'The condition is already verified',
    };
  }
  if (action === 'verify' && state !== ConditionState.DONE) {
    return {
      status: 409,
      code: 'CONDITION_STATE',
      message:
        state === ConditionState.OPEN
          ? 'The condition is still open: its owner marks it done before IT verifies it'
          : 'The condition is already verified',
    };
  }
  if (action === 'reopen' && state === ConditionState.OPEN)
    return { status: 409, code: 'CONDITION_STATE', message: 'The condition is already open' };
  if (action === 'reopen' && !(context.reason ?? '').trim())
    return { status: 400, code: 'REASON_REQUIRED', message: 'Reopening a condition needs a reason for its owner' };
  return null;
}

/** Whether a condition is past due on `today` (YYYY-MM-DD): open (not done) after its due date. */
export function isPastDue(condition: { state: ConditionState; dueDate: string }, today: string): boolean {
  return condition.state === ConditionState.OPEN && condition.dueDate < today;
}

export interface ConditionItemInput {
  text: string;
  ownerId: string;
  dueDate: string;
}

/** What is wrong with a decision's condition items (field path → message); empty when fine. */
export function conditionItemProblems(
  input: { stage: string; decision: string; conditions?: string | null; items: readonly ConditionItemInput[] },
  today: string,
): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!input.items.length) return problems;
  if (input.decision !== 'APPROVE_WITH_CONDITIONS') problems.conditionItems = 'Conditions are given only when approving with conditions';
  else if (!CONDITION_STAGES.includes(input.stage)) problems.conditionItems = 'Only the CIO (IT stage) and finance set conditions as items';
  if (input.conditions && input.conditions.trim() && input.conditions.trim() !== joinConditions(input.items)) {
    problems.conditions = 'Give the conditions either as items or as one text, not both';
  }
  if (input.items.length > MAX_CONDITION_ITEMS) problems.conditionItems = `At most ${MAX_CONDITION_ITEMS} conditions per decision`;
  input.items.forEach((it, index) => {
    if (!it.text.trim()) problems[`conditionItems.${index}.text`] = 'Describe the condition';
    if (it.dueDate < today) problems[`conditionItems.${index}.dueDate`] = 'The due date is in the past; pick today or a later date';
  });
  return problems;
}

/** The single conditions text of a decision made with items: one line per condition. */
export function joinConditions(items: readonly { text: string }[]): string {
  return items.map((i) => i.text.trim()).join('\n');
}
