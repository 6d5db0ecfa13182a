import type { ChatNotice } from '../chat-notice';
import { ADAPTIVE_CARD_CONTENT_TYPE, escapeTeamsText, teamsMessage } from '../teams/adaptive-card';
import {
  DECISION_ACTIONS,
  DECISION_BLOCK_ID,
  decisionValue,
  escapeMrkdwn,
  mrkdwnLink,
  SLACK_LIMITS,
  slackMessage,
  truncate,
} from './block-kit';

const notice = (over: Partial<ChatNotice> = {}): ChatNotice => ({
  eventType: 'request.submitted',
  title: 'New request: Braze',
  summary: 'Braze was submitted for review.',
  fields: [{ label: 'Requested by', value: 'Mia Marketer' }],
  link: { url: 'https://stackgate.example.com/requests/0190-abc', label: 'Open the request in Stackgate' },
  context: 'By Mia Marketer',
  entityType: 'ToolRequest',
  entityId: '0190-abc',
  ...over,
});

type Block = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: Record<string, unknown>[];
};

describe('Slack mrkdwn escaping', () => {
  it('escapes &, < and > (in that order, so nothing is escaped twice)', () => {
    expect(escapeMrkdwn('A & B <@U123> <!here> <https://x|y> &amp;')).toBe(
      'A &amp; B &lt;@U123&gt; &lt;!here&gt; &lt;https://x|y&gt; &amp;amp;',
    );
    expect(escapeMrkdwn('*bold* _it_')).toBe('*bold* _it_');
  });

  it('cuts long text with an ellipsis, never inside an escape sequence', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('ab&amp;cd', 5)).toBe('ab…');
  });

  it('builds links whose words cannot end the link or inject markup', () => {
    expect(mrkdwnLink('https://s.example/requests/1', 'Open | <now>')).toBe('<https://s.example/requests/1|Open ¦ &lt;now&gt;>');
    expect(mrkdwnLink('https://s.example/a b>c', 'x')).toBe('<https://s.example/a%20b%3Ec|x>');
  });
});

describe('slackMessage (Block Kit)', () => {
  it('has a header, a section with the escaped summary and fields, the link, the context and a text fallback', () => {
    const message = slackMessage(notice({ summary: 'Use <!channel> & more', fields: [{ label: 'A<b>', value: 'x & y' }] }), {
      withButtons: true,
    });
    const blocks = message.blocks as Block[];
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'context']);
    expect(blocks[0].text).toEqual({ type: 'plain_text', text: 'New request: Braze', emoji: false });
    expect(blocks[1].text).toEqual({ type: 'mrkdwn', text: 'Use &lt;!channel&gt; &amp; more' });
    expect(blocks[1].fields).toEqual([{ type: 'mrkdwn', text: '*A&lt;b&gt;*\nx &amp; y' }]);
    expect(blocks[2].text!.text).toBe('<https://stackgate.example.com/requests/0190-abc|Open the request in Stackgate>');
    expect(message.text).toBe('New request: Braze: Use &lt;!channel&gt; &amp; more');
  });

  it('carries the decision buttons of an open stage only when asked (a bot), per the contract', () => {
    const decision = { requestId: '0190-abc', stage: 'IT', version: 7 };
    const withButtons = slackMessage(notice({ decision }), { withButtons: true }).blocks as Block[];
    const actions = withButtons[withButtons.length - 1];
    expect(actions).toMatchObject({ type: 'actions', block_id: DECISION_BLOCK_ID });
    expect(actions.elements).toEqual([
      {
        type: 'button',
        action_id: DECISION_ACTIONS.APPROVE,
        text: { type: 'plain_text', text: 'Approve', emoji: false },
        value: decisionValue(decision),
        style: 'primary',
      },
      {
        type: 'button',
        action_id: DECISION_ACTIONS.APPROVE_WITH_CONDITIONS,
        text: { type: 'plain_text', text: 'Approve with conditions', emoji: false },
        value: decisionValue(decision),
      },
      {
        type: 'button',
        action_id: DECISION_ACTIONS.REQUEST_CHANGES,
        text: { type: 'plain_text', text: 'Request changes', emoji: false },
        value: decisionValue(decision),
      },
      {
        type: 'button',
        action_id: DECISION_ACTIONS.REJECT,
        text: { type: 'plain_text', text: 'Reject', emoji: false },
        value: decisionValue(decision),
        style: 'danger',
      },
    ]);
    expect(JSON.parse(decisionValue(decision))).toEqual({ r: '0190-abc', s: 'IT', v: 7 });
    expect(decisionValue(decision).length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    expect((slackMessage(notice({ decision }), { withButtons: false }).blocks as Block[]).some((block) => block.type === 'actions')).toBe(
      false,
    );
    expect((slackMessage(notice(), { withButtons: true }).blocks as Block[]).some((block) => block.type === 'actions')).toBe(false);
  });

  it('keeps within Slack limits however long the text is', () => {
    const long = 'x'.repeat(10_000);
    const message = slackMessage(
      notice({
        title: long,
        summary: `<${long}>`,
        context: long,
        fields: Array.from({ length: 15 }, (_, index) => ({ label: `F${index}`, value: long })),
      }),
      { withButtons: true },
    );
    const blocks = message.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(blocks[0].text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    expect(blocks[1].text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(blocks[1].fields).toHaveLength(SLACK_LIMITS.sectionFields);
    for (const field of blocks[1].fields!) expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });
});

describe('teamsMessage (Adaptive Card)', () => {
  it('is one Adaptive Card 1.4 attachment: title, summary, facts, context and an OpenUrl action (read-only)', () => {
    const message = teamsMessage(notice({ decision: { requestId: '0190-abc', stage: 'IT', version: 2 } })) as {
      type: string;
      attachments: { contentType: string; content: Record<string, unknown> }[];
    };
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0].contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    const card = message.attachments[0].content;
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'New request: Braze', weight: 'Bolder', size: 'Medium', wrap: true },
      { type: 'TextBlock', text: 'Braze was submitted for review.', wrap: true },
      { type: 'FactSet', facts: [{ title: 'Requested by', value: 'Mia Marketer' }] },
      { type: 'TextBlock', text: 'By Mia Marketer', isSubtle: true, size: 'Small', wrap: true },
    ]);
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the request in Stackgate', url: 'https://stackgate.example.com/requests/0190-abc' },
    ]);
  });

  it('shows the reader’s text as written (no Markdown links or emphasis)', () => {
    expect(escapeTeamsText('[click](https://evil.example) *now* _x_')).toBe('\\[click\\]\\(https://evil.example\\) \\*now\\* \\_x\\_');
  });
});
