/**
 * The review workflow (SPEC §3) as pure functions: which stages a submission opens, who decides
 * which stage, separation of duties, what each decision requires and what it does. Services call
 * these; nothing here touches the database.
 */

export enum RequestType {
  NEW_TOOL = 'NEW_TOOL',
  EXPANSION = 'EXPANSION',
  RENEWAL = 'RENEWAL',
}
export enum RequestStatus {
  DRAFT = 'DRAFT',
  IN_REVIEW = 'IN_REVIEW',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  WITHDRAWN = 'WITHDRAWN',
}
export enum Stage {
  MARKETING = 'MARKETING',
  IT = 'IT',
  FINANCE = 'FINANCE',
}
export enum Decision {
  APPROVE = 'APPROVE',
  APPROVE_WITH_CONDITIONS = 'APPROVE_WITH_CONDITIONS',
  REJECT = 'REJECT',
  REQUEST_CHANGES = 'REQUEST_CHANGES',
}
export enum StageStatus {
  PENDING = 'PENDING',
  OPEN = 'OPEN',
  APPROVED = 'APPROVED',
  APPROVED_WITH_CONDITIONS = 'APPROVED_WITH_CONDITIONS',
  REJECTED = 'REJECTED',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  CANCELLED = 'CANCELLED',
}

export const FINAL_STATUSES: readonly RequestStatus[] = [RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN];
export const isFinal = (s: RequestStatus) => FINAL_STATUSES.includes(s);
export const isEditable = (s: RequestStatus) => s === RequestStatus.DRAFT || s === RequestStatus.CHANGES_REQUESTED;
export const canSubmit = isEditable;
export const canWithdraw = (s: RequestStatus) =>
  s === RequestStatus.DRAFT || s === RequestStatus.IN_REVIEW || s === RequestStatus.CHANGES_REQUESTED;

/** The role that decides each stage. */
export const DECIDER_ROLE: Record<Stage, 'CMO' | 'CIO' | 'FINANCE'> = { MARKETING: 'CMO', IT: 'CIO', FINANCE: 'FINANCE' };

/** Stages of a round, in order: FINANCE joins when the annual cost in base currency reaches the threshold. */
export function stagesFor(estimatedAnnualCostBaseMinor: bigint, financeThresholdMinor: bigint): Stage[] {
  return estimatedAnnualCostBaseMinor >= financeThresholdMinor ? [Stage.MARKETING, Stage.IT, Stage.FINANCE] : [Stage.MARKETING, Stage.IT];
}

export interface DecisionContext {
  request: { status: RequestStatus; version: number; requesterId: string; currentStage: Stage | null };
  actor: { id: string; roles: readonly string[] };
  /** The stage and version the decision names. */
  input: { stage: Stage; decision: Decision; version: number; comment?: string | null; conditions?: string | null };
  /** Stages (any round) this actor has already decided on this request. */
  stagesDecidedByActor: readonly Stage[];
  /** Whether IT recorded an assessment in the request's current round (earlier rounds do not count). */
  assessedThisRound: boolean;
}

export type Refusal =
  | { status: 403; code: 'WRONG_ROLE' | 'OWN_REQUEST' | 'ONE_STAGE_PER_PERSON'; message: string }
  | { status: 409; code: 'REQUEST_FINAL' | 'NOT_IN_REVIEW' | 'STALE_VERSION' | 'NOT_CURRENT_STAGE'; message: string }
  | { status: 400; code: 'COMMENT_REQUIRED' | 'CONDITIONS_REQUIRED'; message: string }
  | { status: 422; code: 'ASSESSMENT_REQUIRED'; message: string };

/** Who records the IT assessment of a request (SPEC §1). */
export const ASSESSOR_ROLES: readonly string[] = ['IT', 'CIO'];

/**
 * Stages during which IT's assessment of the round is still useful: the IT stage itself, and the
 * stages before it (IT may assess ahead while marketing decides, checkAssessment allows it). Once
 * the IT stage is decided, an assessment changes nothing.
 */
export const ASSESSABLE_STAGES: readonly Stage[] = [Stage.MARKETING, Stage.IT];

/** Whether a request waits for an IT assessment: in review, at or before the IT stage, and not yet assessed in its round. */
export function awaitsAssessment(request: { status: RequestStatus; currentStage: Stage | null }, assessedThisRound: boolean): boolean {
  return (
    request.status === RequestStatus.IN_REVIEW &&
    !!request.currentStage &&
    ASSESSABLE_STAGES.includes(request.currentStage) &&
    !assessedThisRound
  );
}

/** Decisions that let a request through a stage (as opposed to stopping it or sending it back). */
export const isApproval = (d: Decision) => d === Decision.APPROVE || d === Decision.APPROVE_WITH_CONDITIONS;

/**
 * Whether the actor may record this decision now; null when allowed. Order: who may decide this
 * stage at all (403), separation of duties (403), the request's state and version (409), the stage
 * (409), what the decision must carry (400), then the IT gate (422): the IT stage approves only on
 * an IT assessment of the current round. Rejecting or sending back needs none — saying no, or
 * asking the requester for what IT needs to assess, never skips the gate.
 */
export function checkDecision(context: DecisionContext): Refusal | null {
  return deciderRefusal(context) ?? inputRefusal(context.input) ?? assessmentGate(context);
}

/**
 * checkDecision before the decision's comment or conditions are known (a form or a Slack modal about
 * to open for them): every rule of checkDecision except what the decision must carry; null when the
 * actor may go on and decide `input.stage` with `input.decision` on `input.version` now.
 */
export function checkDecisionBeforeInput(context: DecisionContext): Refusal | null {
  return deciderRefusal(context) ?? assessmentGate(context);
}

/** Who decides, separation of duties, the request's state and version, the stage. */
function deciderRefusal(context: DecisionContext): Refusal | null {
  const role = DECIDER_ROLE[context.input.stage];
  if (!context.actor.roles.includes(role))
    return { status: 403, code: 'WRONG_ROLE', message: `Only a ${role} decides the ${context.input.stage} stage` };
  if (context.request.requesterId === context.actor.id)
    return { status: 403, code: 'OWN_REQUEST', message: 'Nobody decides a stage of a request they created' };
  if (context.stagesDecidedByActor.some((s) => s !== context.input.stage)) {
    return {
      status: 403,
      code: 'ONE_STAGE_PER_PERSON',
      message: 'You already decided another stage of this request; a different person must decide this one',
    };
  }
  if (isFinal(context.request.status))
    return {
      status: 409,
      code: 'REQUEST_FINAL',
      message: `The request is ${context.request.status.toLowerCase()}; nothing more can be decided`,
    };
  if (context.request.status !== RequestStatus.IN_REVIEW)
    return { status: 409, code: 'NOT_IN_REVIEW', message: 'The request is not in review' };
  if (context.input.version !== context.request.version)
    return { status: 409, code: 'STALE_VERSION', message: 'The request changed since you loaded it; reload and decide again' };
  if (context.request.currentStage !== context.input.stage) {
    return {
      status: 409,
      code: 'NOT_CURRENT_STAGE',
      message:
        `The ${context.input.stage} stage is not the one being decided now` +
        (context.request.currentStage ? ` (${context.request.currentStage} is)` : ''),
    };
  }
  return null;
}

/** What the decision must carry: the conditions of a conditional approval, the comment of a rejection or change request. */
function inputRefusal(input: DecisionContext['input']): Refusal | null {
  const blank = (s?: string | null) => !s || !s.trim();
  if (input.decision === Decision.APPROVE_WITH_CONDITIONS && blank(input.conditions)) {
    return { status: 400, code: 'CONDITIONS_REQUIRED', message: 'Approving with conditions needs the conditions' };
  }
  if ((input.decision === Decision.REJECT || input.decision === Decision.REQUEST_CHANGES) && blank(input.comment)) {
    return {
      status: 400,
      code: 'COMMENT_REQUIRED',
      message: input.decision === Decision.REJECT ? 'Rejecting needs a reason' : 'Requesting changes needs a comment',
    };
  }
  return null;
}

/** The IT gate: the IT stage approves only on an IT assessment of the current round. */
function assessmentGate(context: DecisionContext): Refusal | null {
  if (context.input.stage === Stage.IT && isApproval(context.input.decision) && !context.assessedThisRound) {
    return {
      status: 422,
      code: 'ASSESSMENT_REQUIRED',
      message: 'The IT stage is approved only on an IT assessment of this review round; IT must record one first',
    };
  }
  return null;
}

export interface AssessmentContext {
  request: { status: RequestStatus; requesterId: string };
  actor: { id: string; roles: readonly string[] };
}

/**
 * Whether the actor may record an IT assessment now; null when allowed. Like deciding: the right
 * role (403), never on one's own request whatever the roles (403), and only while the request is
 * in review (409) — a draft or a request sent back can still change, and resubmitting it starts a
 * new round that needs its own assessment.
 */
export function checkAssessment(context: AssessmentContext): Refusal | null {
  if (!context.actor.roles.some((r) => ASSESSOR_ROLES.includes(r)))
    return { status: 403, code: 'WRONG_ROLE', message: 'Only IT or the CIO records an IT assessment' };
  if (context.request.requesterId === context.actor.id)
    return { status: 403, code: 'OWN_REQUEST', message: 'Nobody assesses a request they created' };
  if (isFinal(context.request.status))
    return {
      status: 409,
      code: 'REQUEST_FINAL',
      message: `The request is ${context.request.status.toLowerCase()}; it takes no more assessments`,
    };
  if (context.request.status !== RequestStatus.IN_REVIEW)
    return { status: 409, code: 'NOT_IN_REVIEW', message: 'An IT assessment is recorded while the request is in review' };
  return null;
}

export interface DecisionOutcome {
  stageStatus: StageStatus;
  requestStatus: RequestStatus;
  /** The stage opened next, or null when the round ends. */
  nextStage: Stage | null;
  /** True when this was the last approval: the request is approved and its effects apply. */
  approvedFinally: boolean;
}

/** What a (valid) decision does to the stage, the round and the request. */
export function applyDecision(decision: Decision, stage: Stage, roundStages: readonly Stage[]): DecisionOutcome {
  if (decision === Decision.REJECT)
    return { stageStatus: StageStatus.REJECTED, requestStatus: RequestStatus.REJECTED, nextStage: null, approvedFinally: false };
  if (decision === Decision.REQUEST_CHANGES) {
    return {
      stageStatus: StageStatus.CHANGES_REQUESTED,
      requestStatus: RequestStatus.CHANGES_REQUESTED,
      nextStage: null,
      approvedFinally: false,
    };
  }
  const idx = roundStages.indexOf(stage);
  const next = idx >= 0 && idx + 1 < roundStages.length ? roundStages[idx + 1] : null;
  return {
    stageStatus: decision === Decision.APPROVE_WITH_CONDITIONS ? StageStatus.APPROVED_WITH_CONDITIONS : StageStatus.APPROVED,
    requestStatus: next ? RequestStatus.IN_REVIEW : RequestStatus.APPROVED,
    nextStage: next,
    approvedFinally: next === null,
  };
}

/** IT approval a catalog tool gets from the IT stage's decision. */
export function itApprovalFrom(decision: Decision | null): 'APPROVED' | 'APPROVED_WITH_CONDITIONS' {
  return decision === Decision.APPROVE_WITH_CONDITIONS ? 'APPROVED_WITH_CONDITIONS' : 'APPROVED';
}

// ---- Business days and turnaround (UTC, Monday to Friday) -------------------------------------

const isWeekend = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6;

/** `start` plus `days` business days, keeping the time of day; a start on a weekend counts from Monday. */
export function addBusinessDays(start: Date, days: number): Date {
  const day = new Date(start.getTime());
  while (isWeekend(day)) {
    day.setUTCDate(day.getUTCDate() + 1);
    day.setUTCHours(0, 0, 0, 0);
  }
  let left = days;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (!isWeekend(day)) left--;
  }
  return day;
}

/** Hours between two instants counting only Monday–Friday (UTC). */
export function businessHoursBetween(from: Date, to: Date): number {
  if (to <= from) return 0;
  let ms = 0;
  let cursor = from.getTime();
  const end = to.getTime();
  while (cursor < end) {
    const day = new Date(cursor);
    const nextMidnight = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1);
    const sliceEnd = Math.min(nextMidnight, end);
    if (!isWeekend(day)) ms += sliceEnd - cursor;
    cursor = sliceEnd;
  }
  return ms / 3_600_000;
}

/** Nearest-rank percentile (percent in 0..100) of unsorted values; null for none. */
export function percentile(values: readonly number[], percent: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  if (percent === 50 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1];
}
