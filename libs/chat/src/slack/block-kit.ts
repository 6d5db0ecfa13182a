import { Stage } from '@stackgate/procurement';
import { decisionActions } from '../interactions/slack-blocks';
import type { ChatNotice, DecisionRef } from '../chat-notice';

/** Slack's limits (https://api.slack.com/reference/block-kit): what the builders never exceed. */
export const SLACK_LIMITS = Object.freeze({
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  fallbackText: 3000,
});

/** The decision buttons' ids (shared with the interactivity endpoint). */
export const DECISION_BLOCK_ID = 'stackgate_decision';
export const DECISION_ACTIONS = Object.freeze({
  APPROVE: 'stackgate_approve',
  APPROVE_WITH_CONDITIONS: 'stackgate_approve_with_conditions',
  REQUEST_CHANGES: 'stackgate_request_changes',
  REJECT: 'stackgate_reject',
});

/** Text for a Slack mrkdwn field: &, < and > escaped as Slack requires (so nobody's text becomes a link or a mention). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** At most `max` characters, cut with an ellipsis (never inside an escape sequence such as &amp;). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** A link in mrkdwn: <url|words>, the words escaped (and without "|", which would end them). */
export function mrkdwnLink(url: string, words: string): string {
  return `<${url.replace(/[<>|\s]/g, encodeURIComponent)}|${escapeMrkdwn(words.replace(/\|/g, '¦'))}>`;
}

/** The `value` of a decision button: `{"r":requestId,"s":stage,"v":version}` (at most 2000 characters). */
export function decisionValue(decision: DecisionRef): string {
  return JSON.stringify({ r: decision.requestId, s: decision.stage, v: decision.version });
}

export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

/**
 * The decision buttons of an open stage, in one actions block: the interactivity endpoint's own
 * builder (Approve, Approve with conditions where the stage sets conditions, Request changes, Reject),
 * so the buttons sent and the actions understood cannot drift apart.
 */
export function decisionBlock(decision: DecisionRef): Record<string, unknown> {
  return decisionActions({ requestId: decision.requestId, stage: decision.stage as Stage, version: decision.version });
}

/**
 * A notice as a Block Kit message: header, a section with the summary and the fields, the link to
 * Stackgate, a context footnote, and (when `withButtons` and the notice names an open stage) the
 * decision buttons; plus the `text` fallback Slack shows in notifications and to screen readers.
 */
export function slackMessage(notice: ChatNotice, opts: { withButtons: boolean }): SlackMessage {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(notice.title, SLACK_LIMITS.headerText), emoji: false } },
  ];
  const section: Record<string, unknown> = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(notice.summary), SLACK_LIMITS.sectionText) },
  };
  const fields = notice.fields.slice(0, SLACK_LIMITS.sectionFields).map((field) => ({
    type: 'mrkdwn',
    text: truncate(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, SLACK_LIMITS.fieldText),
  }));
  if (fields.length) section.fields = fields;
  blocks.push(section);
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(mrkdwnLink(notice.link.url, notice.link.label), SLACK_LIMITS.url) },
  });
  if (notice.context)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(notice.context), SLACK_LIMITS.sectionText) }],
    });
  if (opts.withButtons && notice.decision) blocks.push(decisionBlock(notice.decision));
  const text = truncate(escapeMrkdwn(`${notice.title}: ${notice.summary}`), SLACK_LIMITS.fallbackText);
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
