import { formatMinor, label } from '@stackgate/platform';
import { RequestStatus, Stage } from '@stackgate/procurement';
import type { RequestFacts } from '@stackgate/procurement';
import { WebhookEventType } from '@stackgate/webhooks';
import type { DomainEventDraft } from '@stackgate/webhooks';
import type { ChatNotice } from './chat-notice';

/** What the notices say beyond the event itself, read in the change's transaction. */
export interface NoticeFacts {
  /** Stackgate's address (PUBLIC_URL), without a trailing slash. */
  baseUrl: string;
  request?: RequestFacts;
  /** Display names by user id (requester, actor). */
  people: Map<string, string>;
  /** Tool names by id. */
  tools: Map<string, string>;
}

/** The stage-opened DM's event (the notification event it comes from). */
export const REVIEW_NEEDED = 'review-needed';

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value : null);

function requestFields(request: RequestFacts | undefined, people: Map<string, string>): ChatNotice['fields'] {
  if (!request) return [];
  return [
    { label: 'Requested by', value: people.get(request.requesterId) ?? 'Unknown' },
    { label: 'Type', value: label(request.type, 'RequestType') },
    {
      label: 'Estimated annual cost',
      value: `${formatMinor(request.estimatedAnnualCostMinor, request.estimatedAnnualCostCurrency)} ${request.estimatedAnnualCostCurrency}`,
    },
    { label: 'Status', value: label(request.status, 'RequestStatus') },
  ];
}

/** The open stage a request's message may offer buttons for (its current stage while in review). */
function openStage(request: RequestFacts | undefined) {
  return request && request.status === RequestStatus.IN_REVIEW && request.currentStage
    ? { requestId: request.id, stage: request.currentStage, version: request.version }
    : undefined;
}

/** The chat notice of one domain event (the webhook vocabulary), or null when chat says nothing about it. */
export function noticeFor(draft: DomainEventDraft, facts: NoticeFacts): ChatNotice | null {
  const data = draft.data;
  const actor = text(data.actorId) ? facts.people.get(String(data.actorId)) : undefined;
  const by = actor ? `By ${actor}` : undefined;
  const base = { eventType: draft.type, entityType: draft.resourceType, entityId: draft.resourceId, context: by };
  const request = facts.request;
  const requestTitle = request?.title ?? 'A request';
  const requestLink = { url: `${facts.baseUrl}/requests/${draft.resourceId}`, label: 'Open the request in Stackgate' };
  switch (draft.type) {
    case WebhookEventType.REQUEST_SUBMITTED: {
      const stage = openStage(request);
      return {
        ...base,
        title: `New request: ${requestTitle}`,
        summary: stage
          ? `${requestTitle} was submitted for review; the ${label(stage.stage, 'Stage')} stage decides first.`
          : `${requestTitle} was submitted for review.`,
        fields: requestFields(request, facts.people),
        link: requestLink,
        decision: stage,
      };
    }
    case WebhookEventType.REQUEST_STAGE_DECIDED: {
      const stage = openStage(request);
      const comment = text(data.comment);
      const conditions = text(data.conditions);
      const next = stage ? ` The ${label(stage.stage, 'Stage')} stage is next.` : '';
      return {
        ...base,
        title: `${label(String(data.stage), 'Stage')} stage ${label(String(data.decision), 'Decision').toLowerCase()}: ${requestTitle}`,
        summary: `${label(String(data.stage), 'Stage')} review: ${label(String(data.decision), 'Decision')}.${next}`,
        fields: [
          ...requestFields(request, facts.people),
          ...(comment ? [{ label: 'Comment', value: comment }] : []),
          ...(conditions ? [{ label: 'Conditions', value: conditions }] : []),
        ],
        link: requestLink,
        decision: stage,
      };
    }
    case WebhookEventType.REQUEST_APPROVED:
    case WebhookEventType.REQUEST_REJECTED:
    case WebhookEventType.REQUEST_WITHDRAWN: {
      const outcome = { 'request.approved': 'approved', 'request.rejected': 'rejected', 'request.withdrawn': 'withdrawn' }[draft.type];
      return {
        ...base,
        title: `Request ${outcome}: ${requestTitle}`,
        summary: `${requestTitle} was ${outcome}.`,
        fields: requestFields(request, facts.people),
        link: requestLink,
      };
    }
    case WebhookEventType.TOOL_CREATED: {
      const name = text(data.name) ?? 'A tool';
      return {
        ...base,
        title: `Tool registered: ${name}`,
        summary: `${name} was added to the catalog${data.shadowIt ? ' without IT approval (shadow IT)' : ''}.`,
        fields: [
          { label: 'Lifecycle', value: label(text(data.lifecycle), 'Lifecycle') },
          { label: 'IT approval', value: label(text(data.itApprovalStatus), 'ItApprovalStatus') },
        ],
        link: { url: `${facts.baseUrl}/tools/${draft.resourceId}`, label: 'Open the tool in Stackgate' },
      };
    }
    case WebhookEventType.TOOL_IT_APPROVAL_CHANGED: {
      const name = facts.tools.get(draft.resourceId) ?? 'A tool';
      const before = label(text(data.previousItApprovalStatus), 'ItApprovalStatus');
      const rationale = text(data.rationale);
      const conditions = text(data.conditions);
      return {
        ...base,
        title: `IT approval changed: ${name}`,
        summary: `${name}: ${label(text(data.itApprovalStatus), 'ItApprovalStatus')} (before: ${before}).`,
        fields: [
          ...(rationale ? [{ label: 'Rationale', value: rationale }] : []),
          ...(conditions ? [{ label: 'Conditions', value: conditions }] : []),
        ],
        link: { url: `${facts.baseUrl}/tools/${draft.resourceId}`, label: 'Open the tool in Stackgate' },
      };
    }
    case WebhookEventType.CONTRACT_RENEWAL_DUE: {
      const name = text(data.toolName) ?? 'A contract';
      const milestone = data.milestone === 'cancel-by-minus-7' ? 'The cancel-by date is a week away' : 'The renewal review starts';
      return {
        ...base,
        title: `Renewal due: ${name}`,
        summary: `${milestone}: decide whether ${name} renews before ${text(data.cancelByDate) ?? 'the cancel-by date'}.`,
        fields: [
          { label: 'Annual value', value: `${text(data.annualValue) ?? '—'} ${text(data.currency) ?? ''}`.trim() },
          { label: 'Cancel by', value: text(data.cancelByDate) ?? '—' },
          { label: 'Term ends', value: text(data.endDate) ?? '—' },
          { label: 'Renews automatically', value: data.autoRenew ? 'Yes' : 'No' },
        ],
        link: { url: `${facts.baseUrl}/renewals`, label: 'Open renewals in Stackgate' },
      };
    }
    default:
      return null;
  }
}

/** The stage-opened DM: the request waits for this person's decision. */
export function reviewNeededNotice(
  data: Record<string, unknown>,
  request: RequestFacts | undefined,
  facts: Pick<NoticeFacts, 'baseUrl' | 'people'>,
): ChatNotice {
  const requestId = String(data.requestId);
  const stage = String(data.stage);
  const title = request?.title ?? text(data.title) ?? 'A request';
  const due = text(data.dueAt);
  const open =
    request && request.status === RequestStatus.IN_REVIEW && request.currentStage === (stage as Stage) ? openStage(request) : undefined;
  return {
    eventType: REVIEW_NEEDED,
    entityType: 'ToolRequest',
    entityId: requestId,
    title: `Review needed: ${title}`,
    summary: `${title} waits for your ${label(stage, 'Stage')} decision${due ? ` by ${due}` : ''}.`,
    fields: requestFields(request, facts.people),
    link: { url: `${facts.baseUrl}/requests/${requestId}`, label: 'Open the request in Stackgate' },
    decision: open,
  };
}
