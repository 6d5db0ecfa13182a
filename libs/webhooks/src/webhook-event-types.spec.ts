import { webhookEventsFor, WebhookEventType } from './webhook-event-types';

const base = { entityId: 'r1', actorId: 'u1', changes: null, metadata: null };

describe('webhook events from the audit trail', () => {
  it('makes stage_decided and approved (or rejected) from one decision, in that order', () => {
    const decided = {
      ...base,
      action: 'request.decided',
      changes: {
        status: { before: 'IN_REVIEW', after: 'APPROVED' },
        currentStage: { before: 'FINANCE', after: null },
        toolId: { before: null, after: 't1' },
      },
      metadata: { stage: 'FINANCE', round: 1, decision: 'APPROVE', comment: null, conditions: null },
    };
    const events = webhookEventsFor(decided);
    expect(events.map((e) => e.type)).toEqual([WebhookEventType.REQUEST_STAGE_DECIDED, WebhookEventType.REQUEST_APPROVED]);
    expect(events[0]).toMatchObject({ resourceType: 'ToolRequest', resourceId: 'r1' });
    expect(events[0].data).toMatchObject({
      requestId: 'r1',
      stage: 'FINANCE',
      decision: 'APPROVE',
      status: 'APPROVED',
      currentStage: null,
      toolId: 't1',
    });
    expect(events[1].data).toEqual({ requestId: 'r1', status: 'APPROVED', round: 1, toolId: 't1', actorId: 'u1' });
    const rejected = {
      ...decided,
      changes: { status: { before: 'IN_REVIEW', after: 'REJECTED' } },
      metadata: { stage: 'IT', round: 2, decision: 'REJECT' },
    };
    expect(webhookEventsFor(rejected).map((e) => e.type)).toEqual([
      WebhookEventType.REQUEST_STAGE_DECIDED,
      WebhookEventType.REQUEST_REJECTED,
    ]);
    const open = { ...decided, changes: { status: { before: 'IN_REVIEW', after: 'IN_REVIEW' } } };
    expect(webhookEventsFor(open).map((e) => e.type)).toEqual([WebhookEventType.REQUEST_STAGE_DECIDED]);
  });

  it('keeps a created tool’s public fields only, and the approval change with its previous status', () => {
    const created = webhookEventsFor({
      ...base,
      entityId: 't1',
      action: 'tool.created',
      changes: {
        name: { before: null, after: 'Hub' },
        nameKey: { before: null, after: 'hub' },
        lifecycle: { before: null, after: 'ACTIVE' },
      },
    });
    expect(created).toEqual([
      {
        type: 'tool.created',
        resourceType: 'Tool',
        resourceId: 't1',
        data: { toolId: 't1', name: 'Hub', lifecycle: 'ACTIVE', actorId: 'u1' },
      },
    ]);
    const approval = webhookEventsFor({
      ...base,
      entityId: 't1',
      action: 'tool.it_approval_changed',
      changes: { itApprovalStatus: { before: 'NOT_REVIEWED', after: 'REJECTED' }, itApprovalRationale: { before: null, after: 'No SSO' } },
    });
    expect(approval[0].data).toMatchObject({ itApprovalStatus: 'REJECTED', previousItApprovalStatus: 'NOT_REVIEWED', rationale: 'No SSO' });
  });

  it('publishes nothing for other actions or events without an entity', () => {
    expect(webhookEventsFor({ ...base, action: 'tool.updated' })).toEqual([]);
    expect(webhookEventsFor({ ...base, entityId: null, action: 'tool.created' })).toEqual([]);
  });
});
