/**
 * One chat message before it is rendered for Slack (Block Kit) or Teams (an Adaptive Card): every text
 * in it is plain reader text (labels, never raw codes); the builders escape and trim it for each target.
 */
export interface ChatNotice {
  /** The event type (the webhook vocabulary, e.g. request.submitted) or review-needed for a stage-opened DM. */
  eventType: string;
  /** The header, e.g. "New request: Braze". */
  title: string;
  /** One or two sentences saying what happened. */
  summary: string;
  /** Label/value pairs (Slack section fields, a Teams FactSet). */
  fields: { label: string; value: string }[];
  /** The record in Stackgate (absolute URL) and the link's words. */
  link: { url: string; label: string };
  /** A footnote (who did it, when). */
  context?: string;
  /** Present when the message should carry the Approve / Request changes / Reject buttons of an open stage. */
  decision?: DecisionRef;
  entityType: string;
  entityId: string;
}

/** The open stage a decision button decides, and the request version the decision must name. */
export interface DecisionRef {
  requestId: string;
  stage: string;
  version: number;
}
