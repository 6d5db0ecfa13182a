import { label } from '@stackgate/platform';
import { CONDITION_STAGES, DECIDER_ROLE, Decision, isApproval, Stage } from '@stackgate/procurement';
import {
  SLACK_COMMENT_BLOCK_ID,
  SLACK_CONDITIONS_BLOCK_ID,
  SLACK_DECISION_BLOCK_ID,
  SLACK_DECISION_MODAL_ID,
  SlackDecisionActionId,
  SlackDecisionRef,
  SlackMessageRef,
} from './slack-payload';

type Block = Record<string, unknown>;

/** Slack's mrkdwn needs &, < and > escaped in text Stackgate did not write. */
export const escapeMrkdwn = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const plain = (value: string) => ({ type: 'plain_text', text: value, emoji: false });

/** Slack's cap on a plain_text_input (max_length 1–3000); Stackgate itself takes up to 5000 characters from the API. */
const SLACK_INPUT_MAX = 3000;

const button = (actionId: SlackDecisionActionId, text: string, value: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  action_id: actionId,
  text: plain(text),
  value,
  ...(style ? { style } : {}),
});

/**
 * The decision buttons of a stage-opened message (the actions block `stackgate_decision`): Approve,
 * "Approve with conditions" where the stage sets conditions (IT and Finance), Request changes and
 * Reject, each carrying `{"r": request id, "s": stage, "v": version}`.
 */
export function decisionActions(input: { requestId: string; stage: Stage; version: number }): Block {
  const value = JSON.stringify({ r: input.requestId, s: input.stage, v: input.version });
  return {
    type: 'actions',
    block_id: SLACK_DECISION_BLOCK_ID,
    elements: [
      button('stackgate_approve', 'Approve', value, 'primary'),
      ...(CONDITION_STAGES.includes(input.stage) ? [button('stackgate_approve_with_conditions', 'Approve with conditions', value)] : []),
      button('stackgate_request_changes', 'Request changes', value),
      button('stackgate_reject', 'Reject', value, 'danger'),
    ],
  };
}

const MODAL_WORDS: Partial<Record<Decision, { title: string; submit: string; intro: (stage: string) => string }>> = {
  [Decision.APPROVE_WITH_CONDITIONS]: {
    title: 'Approve with conditions',
    submit: 'Approve',
    intro: (stage) =>
      `You are approving the ${stage} stage with conditions: one condition per line. ` +
      'Conditions with an owner and a due date are set in Stackgate.',
  },
  [Decision.REQUEST_CHANGES]: {
    title: 'Request changes',
    submit: 'Send back',
    intro: (stage) => `You are sending the request back from the ${stage} stage. The requester sees what you ask for.`,
  },
  [Decision.REJECT]: {
    title: 'Reject request',
    submit: 'Reject',
    intro: (stage) => `You are rejecting the ${stage} stage. The requester sees your reason.`,
  },
};

const textInput = (blockId: string, fieldLabel: string, optional: boolean): Block => ({
  type: 'input',
  block_id: blockId,
  label: plain(fieldLabel),
  ...(optional ? { optional: true } : {}),
  element: { type: 'plain_text_input', action_id: blockId, multiline: true, max_length: SLACK_INPUT_MAX },
});

/**
 * The modal of a decision that needs input: Request changes and Reject ask for the comment (required;
 * Slack asks for it, Stackgate checks it again); Approve with conditions asks for the conditions, one
 * per line (required), and an optional comment.
 */
export function decisionModal(ref: SlackDecisionRef, decision: Decision, message: SlackMessageRef | null): Record<string, unknown> {
  const words = MODAL_WORDS[decision];
  if (!words) throw new Error(`The ${decision} decision has no modal`);
  const metadata = {
    r: ref.requestId,
    s: ref.stage,
    v: ref.version,
    d: decision,
    ...(message ? { c: message.channel, ts: message.ts } : {}),
  };
  const inputs =
    decision === Decision.APPROVE_WITH_CONDITIONS
      ? [textInput(SLACK_CONDITIONS_BLOCK_ID, 'Conditions (one per line)', false), textInput(SLACK_COMMENT_BLOCK_ID, 'Comment', true)]
      : [textInput(SLACK_COMMENT_BLOCK_ID, decision === Decision.REJECT ? 'Reason' : 'What should change?', false)];
  return {
    type: 'modal',
    callback_id: SLACK_DECISION_MODAL_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain(words.title),
    submit: plain(words.submit),
    close: plain('Cancel'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: words.intro(label(ref.stage, 'Stage')) } }, ...inputs],
  };
}

/** The outcome line that replaces the buttons, e.g. "Marketing stage: Approved by Jane Doe", with the conditions and the comment. */
export function decidedLine(
  ref: SlackDecisionRef,
  decision: Decision,
  deciderName: string,
  carried: { comment: string | null; conditions?: string | null },
): string {
  const icon = isApproval(decision) ? ':white_check_mark:' : ':leftwards_arrow_with_hook:';
  const line = `${icon} ${label(ref.stage, 'Stage')} stage: *${label(decision, 'Decision')}* by ${escapeMrkdwn(deciderName)}`;
  const conditions = (carried.conditions ?? '')
    .split('\n')
    .map((condition) => condition.trim())
    .filter(Boolean)
    .map((condition) => `\n• ${escapeMrkdwn(condition)}`)
    .join('');
  const comment = carried.comment?.trim() ? `\n>${escapeMrkdwn(carried.comment.trim()).replace(/\n/g, '\n>')}` : '';
  return line + conditions + comment;
}

/** The line that replaces the buttons when the message no longer matches the request. */
export const refusedLine = (reason: string) => `:warning: ${escapeMrkdwn(reason)}`;

/**
 * The message after the decision: its own blocks without the decision buttons (when Slack sent them
 * along), else a title line, then the outcome.
 */
export function updatedMessage(original: Block[] | null, heading: string | null, outcome: string): { text: string; blocks: Block[] } {
  const kept = (original ?? []).filter((block) => block.block_id !== SLACK_DECISION_BLOCK_ID);
  const head: Block[] = kept.length ? kept : heading ? [{ type: 'section', text: { type: 'mrkdwn', text: heading } }] : [];
  return { text: outcome.replace(/[*:]/g, '').trim(), blocks: [...head, { type: 'section', text: { type: 'mrkdwn', text: outcome } }] };
}

/** A request's title, linked to its page when PUBLIC_URL is set. */
export function requestHeading(title: string, requestId: string, publicUrl: string | undefined): string {
  const name = escapeMrkdwn(title);
  return publicUrl ? `*<${publicUrl.replace(/\/+$/, '')}/requests/${requestId}|${name}>*` : `*${name}*`;
}

/** The request as it is now, when the person may see it (for the words of a refusal). */
export interface RequestNow {
  version: number;
  status: string;
  currentStage: string | null;
}

/**
 * Why a decision from Slack was refused, in reader words (labels, never raw codes): the review policy's
 * own message, except where Slack's situation says it better (an out-of-date message, a stage name).
 */
export function refusalWords(code: string, message: string, ref: SlackDecisionRef, now: RequestNow | null): string {
  const stage = `${label(ref.stage, 'Stage')} stage`;
  switch (code) {
    case 'STALE_VERSION':
      return now
        ? `This request changed since this message (version ${ref.version} → ${now.version}); open it in Stackgate.`
        : 'This request changed since this message; open it in Stackgate.';
    case 'NOT_CURRENT_STAGE': {
      const current = now?.currentStage ? ` (the ${label(now.currentStage, 'Stage')} stage is)` : '';
      return `The ${stage} is not the one being decided now${current}; open the request in Stackgate.`;
    }
    case 'REQUEST_FINAL':
      return now
        ? `This request is already ${label(now.status, 'RequestStatus').toLowerCase()}; nothing more can be decided.`
        : `${message}.`;
    case 'NOT_IN_REVIEW':
      return `This request is not in review${now ? ` (${label(now.status, 'RequestStatus').toLowerCase()})` : ''}; open it in Stackgate.`;
    case 'STAGE_ALREADY_DECIDED':
      return `The ${stage} was decided meanwhile; open the request in Stackgate.`;
    case 'WRONG_ROLE':
      return `Only a ${label(DECIDER_ROLE[ref.stage], 'Role')} decides the ${stage}.`;
    case 'NOT_FOUND':
      return 'This request no longer exists, or your Stackgate account may not see it.';
    default:
      return /[.!?]$/.test(message) ? message : `${message}.`;
  }
}
