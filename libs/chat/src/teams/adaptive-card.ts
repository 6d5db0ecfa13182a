import type { ChatNotice } from '../chat-notice';

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** Teams' TextBlock reads a little Markdown: the reader's text is shown as written (no links, no emphasis). */
export function escapeTeamsText(text: string): string {
  return text.replace(/([\\*_[\]()#`>~])/g, '\\$1');
}

/**
 * A notice as the message a Teams incoming webhook or Workflows URL takes: one attachment holding an
 * Adaptive Card 1.4 (title, summary, a FactSet of the fields, an Action.OpenUrl to Stackgate). Read-only:
 * decisions are made in Stackgate or in Slack.
 */
export function teamsMessage(notice: ChatNotice): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: escapeTeamsText(notice.title), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: escapeTeamsText(notice.summary), wrap: true },
  ];
  if (notice.fields.length)
    body.push({
      type: 'FactSet',
      facts: notice.fields.map((field) => ({ title: escapeTeamsText(field.label), value: escapeTeamsText(field.value) })),
    });
  if (notice.context) body.push({ type: 'TextBlock', text: escapeTeamsText(notice.context), isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: {
          $schema: ADAPTIVE_CARD_SCHEMA,
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: notice.link.label, url: notice.link.url }],
        },
      },
    ],
  };
}
