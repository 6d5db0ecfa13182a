import { Decision, Stage } from '@stackgate/procurement';
import { SlackInteractionsError, SlackInteractionsErrorCode } from './slack-interactions.errors';

/** The contract's ids (shared with the messages that carry the buttons). */
export const SLACK_DECISION_BLOCK_ID = 'stackgate_decision';
export const SLACK_ACTION_DECISIONS = {
  stackgate_approve: Decision.APPROVE,
  stackgate_approve_with_conditions: Decision.APPROVE_WITH_CONDITIONS,
  stackgate_request_changes: Decision.REQUEST_CHANGES,
  stackgate_reject: Decision.REJECT,
} as const;
export type SlackDecisionActionId = keyof typeof SLACK_ACTION_DECISIONS;
export const SLACK_DECISION_MODAL_ID = 'stackgate_decision_modal';
export const SLACK_COMMENT_BLOCK_ID = 'comment';
/** The conditions input of the "Approve with conditions" modal (one condition per line). */
export const SLACK_CONDITIONS_BLOCK_ID = 'conditions';
/** The decisions that ask for input in a modal; Approve decides at once. */
export const SLACK_MODAL_DECISIONS: readonly Decision[] = [Decision.APPROVE_WITH_CONDITIONS, Decision.REQUEST_CHANGES, Decision.REJECT];

/** What a decision button names: the request, its stage and the version the message showed. */
export interface SlackDecisionRef {
  requestId: string;
  stage: Stage;
  version: number;
}

/** Where the message with the buttons is, so its outcome can replace them. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

export type SlackInteraction =
  | {
      kind: 'decision_button';
      slackUserId: string;
      decision: Decision;
      ref: SlackDecisionRef;
      triggerId: string;
      message: SlackMessageRef | null;
      blocks: Record<string, unknown>[] | null;
    }
  | {
      kind: 'decision_modal';
      slackUserId: string;
      decision: Decision;
      ref: SlackDecisionRef;
      message: SlackMessageRef | null;
      comment: string | null;
      /** One condition per line (blank lines and surrounding spaces dropped); null when none were typed. */
      conditions: string | null;
    }
  /** Anything else Slack sends (a link button, another app's modal, view_closed …): acknowledged, nothing done. */
  | { kind: 'ignored'; type: string; actionIds: string[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLACK_ID = /^[A-Z0-9]{2,32}$/;
const MESSAGE_TS = /^\d{1,12}\.\d{1,9}$/;

const invalid = (message: string) => new SlackInteractionsError(SlackInteractionsErrorCode.SLACK_PAYLOAD_INVALID, message);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The `payload` field of Slack's form body, parsed and checked (400 SLACK_PAYLOAD_INVALID otherwise). */
export function parseSlackForm(rawBody: Buffer): Record<string, unknown> {
  const form = new URLSearchParams(rawBody.toString('utf8'));
  const payload = form.get('payload');
  if (payload === null) throw invalid('The body must be a form with a payload field, as Slack sends interactions');
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw invalid('The payload field is not valid JSON');
  }
  if (!isObject(parsed) || typeof parsed.type !== 'string') throw invalid('The payload must be a JSON object with a type');
  return parsed;
}

/** A button value or modal metadata: `{"r": request id, "s": stage, "v": version}` (+ `d`, `c`, `ts` in the modal). */
function decisionRef(json: string | null, what: string): { ref: SlackDecisionRef; raw: Record<string, unknown> } {
  let raw: unknown;
  try {
    raw = JSON.parse(json ?? '');
  } catch {
    throw invalid(`The ${what} is not the JSON Stackgate puts there`);
  }
  if (
    !isObject(raw) ||
    typeof raw.r !== 'string' ||
    !UUID.test(raw.r) ||
    typeof raw.s !== 'string' ||
    !(Object.values(Stage) as string[]).includes(raw.s) ||
    typeof raw.v !== 'number' ||
    !Number.isInteger(raw.v) ||
    raw.v < 1 ||
    raw.v > 2_147_483_647
  )
    throw invalid(`The ${what} does not name a request, a stage and a version`);
  return { ref: { requestId: raw.r, stage: raw.s as Stage, version: raw.v }, raw };
}

function slackUser(payload: Record<string, unknown>): string {
  const id = isObject(payload.user) ? text(payload.user.id) : null;
  if (!id || !SLACK_ID.test(id)) throw invalid('The payload names no Slack user');
  return id;
}

function messageRef(channel: unknown, ts: unknown): SlackMessageRef | null {
  return typeof channel === 'string' && SLACK_ID.test(channel) && typeof ts === 'string' && MESSAGE_TS.test(ts) ? { channel, ts } : null;
}

/** What Slack's payload asks Stackgate to do. */
export function readInteraction(payload: Record<string, unknown>): SlackInteraction {
  const type = payload.type as string;
  if (type === 'block_actions') {
    const actions = Array.isArray(payload.actions) ? payload.actions.filter(isObject) : [];
    const ours = actions.find((action) => typeof action.action_id === 'string' && action.action_id in SLACK_ACTION_DECISIONS);
    if (!ours) return { kind: 'ignored', type, actionIds: actions.map((action) => String(action.action_id)) };
    const { ref } = decisionRef(text(ours.value), 'button value');
    const container = isObject(payload.container) ? payload.container : {};
    const message = isObject(payload.message) ? payload.message : {};
    return {
      kind: 'decision_button',
      slackUserId: slackUser(payload),
      decision: SLACK_ACTION_DECISIONS[ours.action_id as SlackDecisionActionId],
      ref,
      triggerId: text(payload.trigger_id) ?? '',
      message: messageRef(container.channel_id, container.message_ts),
      blocks: Array.isArray(message.blocks) ? message.blocks.filter(isObject) : null,
    };
  }
  if (type === 'view_submission') {
    const view = isObject(payload.view) ? payload.view : {};
    if (view.callback_id !== SLACK_DECISION_MODAL_ID) return { kind: 'ignored', type, actionIds: [] };
    const { ref, raw } = decisionRef(text(view.private_metadata), 'modal metadata');
    if (!SLACK_MODAL_DECISIONS.includes(raw.d as Decision)) throw invalid('The modal metadata names no decision');
    const values = isObject(view.state) && isObject(view.state.values) ? view.state.values : {};
    const conditions = inputValue(values, SLACK_CONDITIONS_BLOCK_ID);
    return {
      kind: 'decision_modal',
      slackUserId: slackUser(payload),
      decision: raw.d as Decision,
      ref,
      message: messageRef(raw.c, raw.ts),
      comment: inputValue(values, SLACK_COMMENT_BLOCK_ID),
      conditions: raw.d === Decision.APPROVE_WITH_CONDITIONS ? conditionLines(conditions) : null,
    };
  }
  return { kind: 'ignored', type, actionIds: [] };
}

/** The value of the modal's input `blockId` (whose action_id is the same id), as Slack sends it in view.state.values. */
function inputValue(values: Record<string, unknown>, blockId: string): string | null {
  const block = isObject(values[blockId]) ? values[blockId] : {};
  const input = isObject(block[blockId]) ? block[blockId] : {};
  return text(input.value);
}

/** Conditions as typed, one per line: each line trimmed, blank lines dropped; null when nothing is left. */
export function conditionLines(value: string | null): string | null {
  const lines = (value ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length ? lines.join('\n') : null;
}
