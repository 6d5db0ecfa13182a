import type { RequestFacts } from '@stackgate/procurement';
import { WebhookEventType } from '@stackgate/webhooks';
import { noticeFor, reviewNeededNotice } from './chat-notices';

const request: RequestFacts = {
  id: 'r1',
  type: 'NEW_TOOL',
  title: 'Buy Braze',
  status: 'IN_REVIEW' as RequestFacts['status'],
  currentStage: 'IT' as RequestFacts['currentStage'],
  round: 1,
  version: 4,
  requesterId: 'u1',
  toolId: null,
  proposedToolName: 'Braze',
  estimatedAnnualCostMinor: 6_000_000n,
  estimatedAnnualCostCurrency: 'EUR',
};
const facts = {
  baseUrl: 'https://s.example',
  request,
  people: new Map([
    ['u1', 'Mia'],
    ['u2', 'Carl'],
  ]),
  tools: new Map([['t1', 'Slack']]),
};
const draft = (type: WebhookEventType, data: Record<string, unknown>, resourceType = 'ToolRequest', resourceId = 'r1') => ({
  type,
  resourceType,
  resourceId,
  data,
});

describe('Chat notices (labels, never codes)', () => {
  it('words a stage decision with its labels and offers the next open stage', () => {
    const notice = noticeFor(
      draft(WebhookEventType.REQUEST_STAGE_DECIDED, {
        stage: 'MARKETING',
        decision: 'APPROVE_WITH_CONDITIONS',
        conditions: 'SSO first',
        actorId: 'u2',
      }),
      facts,
    )!;
    expect(notice.title).toBe('Marketing stage approved with conditions: Buy Braze');
    expect(notice.summary).toBe('Marketing review: Approved with conditions. The IT stage is next.');
    expect(notice.fields).toEqual(
      expect.arrayContaining([
        { label: 'Requested by', value: 'Mia' },
        { label: 'Type', value: 'New tool' },
        { label: 'Estimated annual cost', value: '60000.00 EUR' },
        { label: 'Status', value: 'In review' },
        { label: 'Conditions', value: 'SSO first' },
      ]),
    );
    expect(notice.context).toBe('By Carl');
    expect(notice.decision).toEqual({ requestId: 'r1', stage: 'IT', version: 4 });
    expect(notice.link.url).toBe('https://s.example/requests/r1');
  });

  it('offers no buttons once a request is final', () => {
    const closed = { ...facts, request: { ...request, status: 'REJECTED' as RequestFacts['status'], currentStage: null } };
    expect(noticeFor(draft(WebhookEventType.REQUEST_REJECTED, { status: 'REJECTED' }), closed)!.decision).toBeUndefined();
  });

  it('words tools and renewals', () => {
    const tool = noticeFor(
      draft(
        WebhookEventType.TOOL_IT_APPROVAL_CHANGED,
        { itApprovalStatus: 'REJECTED', previousItApprovalStatus: 'NOT_REVIEWED' },
        'Tool',
        't1',
      ),
      facts,
    )!;
    expect(tool.summary).toBe('Slack: Rejected by IT (before: Not reviewed by IT).');
    expect(tool.link.url).toBe('https://s.example/tools/t1');
    const renewal = noticeFor(
      draft(
        WebhookEventType.CONTRACT_RENEWAL_DUE,
        {
          toolName: 'Hubspot',
          milestone: 'cancel-by-minus-7',
          cancelByDate: '2027-01-31',
          endDate: '2027-03-01',
          annualValue: '12000.00',
          currency: 'EUR',
          autoRenew: true,
        },
        'Contract',
        'c1',
      ),
      facts,
    )!;
    expect(renewal.title).toBe('Renewal due: Hubspot');
    expect(renewal.fields).toContainEqual({ label: 'Annual value', value: '12000.00 EUR' });
    expect(renewal.fields).toContainEqual({ label: 'Renews automatically', value: 'Yes' });
  });

  it('offers the DM’s buttons only while the stage it names is still the open one', () => {
    expect(reviewNeededNotice({ requestId: 'r1', stage: 'IT', dueAt: '2027-01-05' }, request, facts).decision).toEqual({
      requestId: 'r1',
      stage: 'IT',
      version: 4,
    });
    expect(reviewNeededNotice({ requestId: 'r1', stage: 'MARKETING' }, request, facts).decision).toBeUndefined();
    expect(reviewNeededNotice({ requestId: 'r1', stage: 'IT', dueAt: '2027-01-05' }, request, facts).summary).toBe(
      'Buy Braze waits for your IT decision by 2027-01-05.',
    );
  });
});
