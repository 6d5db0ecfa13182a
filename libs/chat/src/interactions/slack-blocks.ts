import { label } from '@stackgate/platform';
import { DECIDER_ROLE, Decision } from '@stackgate/procurement';
import {
  SLACK_COMMENT_BLOCK_ID,
  SLACK_DECISION_BLOCK_ID,
  SLACK_DECISION_MODAL_ID,
  SlackDecisionRef,
  SlackMessageRef,
} from './slack-payload';

type Block = Record<string, unknown>;

/** Slack's mrkdwn needs &, < and > escaped in text Stackgate did not write. */
export const escapeMrkdwn = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const plain = (value: string) => ({ type: 'plain_text', text: value, emoji: false });

/** The modal of Request changes / Reject: one multiline comment, required (Slack asks for it; Stackgate checks it again). */
export function decisionModal(ref: SlackDecisionRef, decision: Decision, message: SlackMessageRef | null): Record<string, unknown> {
  const rejecting = decision === Decision.REJECT;
  const metadata = {
    r: ref.requestId,
    s: ref.stage,
    v: ref.version,
    d: decision,
    ...(message ? { c: message.channel, ts: message.ts } : {}),
  };
  return {
    type: 'modal',
    callback_id: SLACK_DECISION_MODAL_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain(rejecting ? 'Reject request' : 'Request changes'),
    submit: plain(rejecting ? 'Reject' : 'Send back'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: rejecting
            ? `You are rejecting the ${label(ref.stage, 'Stage')} stage. The requester sees your reason.`
            : `You are sending the request back from the ${label(ref.stage, 'Stage')} stage. The requester sees what you ask for.`,
        },
      },
      {
        type: 'input',
        block_id: SLACK_COMMENT_BLOCK_ID,
        label: plain(rejecting ? 'Reason' : 'What should change?'),
        element: { type: 'plain_text_input', action_id: SLACK_COMMENT_BLOCK_ID, multiline: true, max_length: 5000 },
      },
    ],
  };
}

/** The outcome line that replaces the buttons, e.g. "Marketing stage: Approved by Jane Doe". */
export function decidedLine(ref: SlackDecisionRef, decision: Decision, deciderName: string, comment: string | null): string {
  const line = `:white_check_mark: ${label(ref.stage, 'Stage')} stage: *${label(decision, 'Decision')}* by ${escapeMrkdwn(deciderName)}`;
  const quoted = comment?.trim() ? `\n>${escapeMrkdwn(comment.trim()).replace(/\n/g, '\n>')}` : '';
  return (decision === Decision.APPROVE ? line : line.replace(':white_check_mark:', ':leftwards_arrow_with_hook:')) + quoted;
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
