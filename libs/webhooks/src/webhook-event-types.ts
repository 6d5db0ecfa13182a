import type { AuditEvent } from '@stackgate/audit';

/** The event types an endpoint may subscribe to (public API: integrators filter on them; never rename one). */
export enum WebhookEventType {
  REQUEST_SUBMITTED = 'request.submitted',
  REQUEST_STAGE_DECIDED = 'request.stage_decided',
  REQUEST_APPROVED = 'request.approved',
  REQUEST_REJECTED = 'request.rejected',
  REQUEST_WITHDRAWN = 'request.withdrawn',
  TOOL_CREATED = 'tool.created',
  TOOL_IT_APPROVAL_CHANGED = 'tool.it_approval_changed',
  CONTRACT_RENEWAL_DUE = 'contract.renewal_due',
}
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = Object.freeze(Object.values(WebhookEventType));

/** The audit actions the webhook events are derived from (the audit trail is the one source of domain events). */
export const SOURCE_ACTIONS = [
  'request.submitted',
  'request.decided',
  'request.withdrawn',
  'tool.created',
  'tool.it_approval_changed',
  'contract.renewal_due',
];

/** One webhook event before it is stored: what happened to which resource, and its payload's `data`. */
export interface DomainEventDraft {
  type: WebhookEventType;
  resourceType: string;
  resourceId: string;
  data: Record<string, unknown>;
}

/** The values an audit event's changes carry after the change (created records carry every field). */
function afterValues(event: Pick<AuditEvent, 'changes'>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(event.changes ?? {}).map(([key, change]) => [key, change.after]));
}

const TOOL_FIELDS = [
  'name',
  'lifecycle',
  'itApprovalStatus',
  'vendorId',
  'categoryId',
  'subcategoryId',
  'businessOwnerId',
  'technicalOwnerId',
  'budgetOwnerId',
  'website',
  'shadowIt',
];

const pick = (values: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]));

/**
 * The webhook events an audit event stands for (none for actions webhooks do not publish). Pure: the
 * payload is built from what the audit trail recorded in the change's own transaction, so it says what
 * was true when the event happened; receivers read the full record through the API by its id.
 */
export function webhookEventsFor(event: Pick<AuditEvent, 'action' | 'entityId' | 'changes' | 'metadata' | 'actorId'>): DomainEventDraft[] {
  const id = event.entityId;
  if (!id) return [];
  const after = afterValues(event);
  const meta = event.metadata ?? {};
  const actor = { actorId: event.actorId ?? null };
  const request = (type: WebhookEventType, data: Record<string, unknown>): DomainEventDraft => ({
    type,
    resourceType: 'ToolRequest',
    resourceId: id,
    data: { requestId: id, ...data, ...actor },
  });
  switch (event.action) {
    case 'request.submitted':
      return [
        request(WebhookEventType.REQUEST_SUBMITTED, {
          status: after.status ?? 'IN_REVIEW',
          round: after.round ?? null,
          stages: after.stages ?? [],
        }),
      ];
    case 'request.withdrawn':
      return [request(WebhookEventType.REQUEST_WITHDRAWN, { status: 'WITHDRAWN' })];
    case 'request.decided': {
      const status = after.status ?? null;
      const decided = {
        stage: meta.stage ?? null,
        round: meta.round ?? null,
        decision: meta.decision ?? null,
        comment: meta.comment ?? null,
        conditions: meta.conditions ?? null,
        status,
        currentStage: 'currentStage' in after ? after.currentStage : null,
        toolId: after.toolId ?? null,
      };
      const events = [request(WebhookEventType.REQUEST_STAGE_DECIDED, decided)];
      if (status === 'APPROVED')
        events.push(request(WebhookEventType.REQUEST_APPROVED, { status, round: decided.round, toolId: decided.toolId }));
      if (status === 'REJECTED')
        events.push(request(WebhookEventType.REQUEST_REJECTED, { status, round: decided.round, stage: decided.stage }));
      return events;
    }
    case 'tool.created':
      return [
        {
          type: WebhookEventType.TOOL_CREATED,
          resourceType: 'Tool',
          resourceId: id,
          data: { toolId: id, ...pick(after, TOOL_FIELDS), ...actor },
        },
      ];
    case 'tool.it_approval_changed': {
      const changes = event.changes ?? {};
      return [
        {
          type: WebhookEventType.TOOL_IT_APPROVAL_CHANGED,
          resourceType: 'Tool',
          resourceId: id,
          data: {
            toolId: id,
            itApprovalStatus: changes.itApprovalStatus?.after ?? null,
            previousItApprovalStatus: changes.itApprovalStatus?.before ?? null,
            rationale: changes.itApprovalRationale?.after ?? null,
            conditions: changes.itApprovalConditions?.after ?? null,
            ...actor,
          },
        },
      ];
    }
    case 'contract.renewal_due':
      return [{ type: WebhookEventType.CONTRACT_RENEWAL_DUE, resourceType: 'Contract', resourceId: id, data: { contractId: id, ...meta } }];
    default:
      return [];
  }
}
