import { AuditEvent } from '@stackgate/audit';
import { Role } from '@stackgate/platform';
import { SlackInteractionsService } from '@stackgate/chat';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import {
  buttonClick,
  modalSubmission,
  slackForm,
  slackHeaders,
  startSlackApi,
  startSlackInteractionsApp,
} from '../support/slack-interactivity';
import { startTestApp, TestApp } from '../support/test-app';

const SECRET = 'e2e-signing-secret-decisions-0123456789';

/** Issue 26 §1: who may decide from Slack, and the review rules, hold exactly as in the API. */
describe('Acting from Slack: people, rules and the decision modal', () => {
  let testApp: TestApp;
  let slack: Awaited<ReturnType<typeof startSlackApi>>;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let jane: TestUser;
  let setup: RequestSetup;

  beforeAll(async () => {
    ({ slack, testApp, cast, setup } = await startSlackInteractionsApp(SECRET, { TOKEN_MAX_FAILURES_PER_IP: '3' }));
    jane = await makeUser(testApp, [Role.CMO], { displayName: 'Jane Doe' });
    slack.people.set('U0JANE', { email: jane.email, confirmed: true });
    slack.people.set('U0CMOFIRST', { email: cast.cmo.email });
    slack.people.set('U0MARKETER', { email: cast.marketer.email, confirmed: true });
    slack.people.set('U0CIO', { email: cast.cio.email, confirmed: true });
    slack.people.set('U0UNCONFIRMED', { email: jane.email, confirmed: false });
    slack.people.set('U0STRANGER', { email: 'nobody@elsewhere.test', confirmed: true });
    slack.people.set('U0NOEMAIL', { confirmed: true });
  });
  afterAll(async () => {
    await testApp?.close();
    await slack?.close();
  });

  const post = async (body: string, headers: Record<string, string> = slackHeaders(SECRET, body)) => {
    const res = await testApp.http().post('/slack/interactions').set(headers).send(body);
    await testApp.app.get(SlackInteractionsService).settled();
    return res;
  };
  const inReview = async (by: TestUser = cast.marketer) => {
    const draft = await makeRequest(testApp, by, setup);
    return (await submit(testApp, by, draft.id)) as { id: string; version: number; title: string };
  };
  const getRequest = async (id: string) => (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.admin.auth).expect(200)).body;
  const value = (request: { id: string; version: number }, stage = 'MARKETING') => ({ r: request.id, s: stage, v: request.version });
  const auditOf = (id: string, action: string) =>
    testApp.dataSource.getRepository(AuditEvent).find({ where: { entityId: id, action }, order: { chainSeq: 'ASC' } });
  /** Clicks Approve as `slackUserId` and returns the Slack calls it caused. */
  const approveAs = async (slackUserId: string, request: { id: string; version: number }, stage = 'MARKETING') => {
    const mark = slack.calls.length;
    const res = await post(slackForm(buttonClick(slackUserId, 'stackgate_approve', value(request, stage))));
    expect([res.status, res.text]).toEqual([200, '']);
    return slack.calls.slice(mark);
  };
  /** The one ephemeral message the person was told, and nothing else sent but the lookup. */
  const toldOnly = (calls: { method: string; params: Record<string, unknown> }[], slackUserId: string) => {
    expect(calls.map((call) => call.method)).toEqual(['users.info', 'chat.postEphemeral']);
    expect(calls[1].params).toMatchObject({ channel: 'C0REVIEWS', user: slackUserId });
    return String(calls[1].params.text);
  };

  it('tells a Slack user without a Stackgate account, or with an unconfirmed or unreadable e-mail, and decides nothing', async () => {
    const request = await inReview();
    expect(toldOnly(await approveAs('U0STRANGER', request), 'U0STRANGER')).toMatch(
      /^No active Stackgate account has the e-mail address of your Slack profile \(nobody@elsewhere\.test\)/,
    );
    expect(toldOnly(await approveAs('U0UNCONFIRMED', request), 'U0UNCONFIRMED')).toMatch(/not confirmed/);
    expect(toldOnly(await approveAs('U0NOEMAIL', request), 'U0NOEMAIL')).toMatch(/users:read\.email/);
    expect(toldOnly(await approveAs('U0UNKNOWN', request), 'U0UNKNOWN')).toMatch(/cannot act in Stackgate/);
    expect((await getRequest(request.id)).currentStage).toBe('MARKETING');
    expect(await auditOf(request.id, 'request.decided')).toEqual([]);
  });

  it('refuses a user without a deciding role, as the API does, and audits the refusal as from Slack', async () => {
    const request = await inReview();
    expect(toldOnly(await approveAs('U0MARKETER', request), 'U0MARKETER')).toBe(
      'Your Stackgate roles do not allow deciding review stages.',
    );
    const denied = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action: 'authz.denied', entityType: 'Route', actorId: cast.marketer.id } });
    expect(denied.at(-1)!.metadata).toMatchObject({ path: '/slack/interactions', requiredRoles: ['CMO', 'CIO', 'FINANCE'], via: 'slack' });
    // A CIO may decide (IT), not the marketing stage: the review policy's own refusal.
    expect(toldOnly(await approveAs('U0CIO', request), 'U0CIO')).toBe('Only a CMO decides the Marketing stage.');
    expect((await getRequest(request.id)).currentStage).toBe('MARKETING');
  });

  it('keeps separation of duties: the requester cannot approve their own request from Slack (audited, via slack)', async () => {
    const own = await inReview(cast.cmo);
    expect(toldOnly(await approveAs('U0CMOFIRST', own), 'U0CMOFIRST')).toBe('Nobody decides a stage of a request they created.');
    expect((await getRequest(own.id)).currentStage).toBe('MARKETING');
    const [refusal] = await auditOf(own.id, 'authz.denied');
    expect(refusal.actorId).toBe(cast.cmo.id);
    expect(refusal.metadata).toEqual({ reason: 'OWN_REQUEST', stage: 'MARKETING', decision: 'APPROVE', via: 'slack' });
  });

  it('refuses the IT approval without an assessment, and replaces the buttons of an out-of-date message with why', async () => {
    const request = await inReview();
    await decide(testApp, jane, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    const current = await getRequest(request.id);
    expect(toldOnly(await approveAs('U0CIO', current, 'IT'), 'U0CIO')).toMatch(/^The IT stage is approved only on an IT assessment/);

    const calls = await approveAs('U0JANE', request);
    expect(calls.map((call) => call.method)).toEqual(['users.info', 'chat.update']);
    const blocks = calls[1].params.blocks as { block_id?: string; text?: { text: string } }[];
    expect(blocks.some((block) => block.block_id === 'stackgate_decision')).toBe(false);
    expect(blocks.at(-1)!.text!.text).toBe(
      `:warning: This request changed since this message (version ${request.version} → ${current.version}); open it in Stackgate.`,
    );
    expect(await auditOf(request.id, 'request.decided')).toHaveLength(1);
  });

  it('opens the modal for Request changes, asks for the missing comment on its field, then decides with the comment', async () => {
    const request = await inReview();
    let mark = slack.calls.length;
    const click = buttonClick('U0JANE', 'stackgate_request_changes', value(request));
    expect((await post(slackForm(click))).status).toBe(200);
    // The person is recognised and may decide the stage: then the modal opens.
    expect(slack.calls.slice(mark).map((call) => call.method)).toEqual(['users.info', 'views.open']);
    const [, open] = slack.calls.slice(mark);
    expect(open.params.trigger_id).toBe(click.trigger_id);
    const view = open.params.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: object }[] };
    expect(view.callback_id).toBe('stackgate_decision_modal');
    expect(JSON.parse(view.private_metadata)).toEqual({
      r: request.id,
      s: 'MARKETING',
      v: request.version,
      d: 'REQUEST_CHANGES',
      c: click.container.channel_id,
      ts: click.container.message_ts,
    });
    expect(view.blocks.find((block) => block.block_id === 'comment')!.element).toMatchObject({ action_id: 'comment', multiline: true });

    mark = slack.calls.length;
    const empty = await post(slackForm(modalSubmission('U0JANE', view.private_metadata, '   ')));
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ response_action: 'errors', errors: { comment: 'Requesting changes needs a comment.' } });
    const stranger = await post(slackForm(modalSubmission('U0STRANGER', view.private_metadata, 'Please add the DPA')));
    expect(stranger.body.errors.comment).toMatch(/^No active Stackgate account/);
    expect((await getRequest(request.id)).status).toBe('IN_REVIEW');

    const done = await post(
      slackForm(modalSubmission('U0JANE', view.private_metadata, 'Please attach the DPA\nand the <security> review')),
    );
    expect([done.status, done.text]).toEqual([200, '']);
    const after = await getRequest(request.id);
    expect(after.status).toBe('CHANGES_REQUESTED');
    expect(after.stages.find((stage: { stage: string }) => stage.stage === 'MARKETING')).toMatchObject({
      decision: 'REQUEST_CHANGES',
      decidedById: jane.id,
      comment: 'Please attach the DPA\nand the <security> review',
    });
    const update = slack.calls.slice(mark).filter((call) => call.method === 'chat.update');
    expect(update).toHaveLength(1);
    expect(update[0].params).toMatchObject({ channel: click.container.channel_id, ts: click.container.message_ts });
    const texts = (update[0].params.blocks as { text: { text: string } }[]).map((block) => block.text.text);
    expect(texts).toEqual([
      `*<https://stackgate.example.com/requests/${request.id}|${request.title}>*`,
      ':leftwards_arrow_with_hook: Marketing stage: *Changes requested* by Jane Doe\n>Please attach the DPA\n>and the &lt;security&gt; review',
    ]);
    const [event] = await auditOf(request.id, 'request.decided');
    expect(event.metadata).toMatchObject({
      decision: 'REQUEST_CHANGES',
      comment: 'Please attach the DPA\nand the <security> review',
      via: 'slack',
    });
  });

  it('rejects through the modal with the reason', async () => {
    const request = await inReview();
    const metadata = JSON.stringify({
      r: request.id,
      s: 'MARKETING',
      v: request.version,
      d: 'REJECT',
      c: 'D0DIRECT',
      ts: '1767000000.000900',
    });
    expect((await post(slackForm(modalSubmission('U0JANE', metadata, '')))).body.errors).toEqual({ comment: 'Rejecting needs a reason.' });
    expect((await post(slackForm(modalSubmission('U0JANE', metadata, 'We already own a webinar tool')))).status).toBe(200);
    expect((await getRequest(request.id)).status).toBe('REJECTED');
  });

  it('answers Slack 200 when Slack itself fails: a rate-limited lookup decides nothing, a failed update keeps the decision', async () => {
    const request = await inReview();
    slack.failures.set('users.info', { status: 429 });
    try {
      const calls = await approveAs('U0JANE', request);
      expect(calls.map((call) => call.method)).toEqual(['users.info', 'chat.postEphemeral']);
      expect(String(calls[1].params.text)).toMatch(/^Stackgate could not record your decision just now; nothing was decided/);
      expect((await getRequest(request.id)).currentStage).toBe('MARKETING');
    } finally {
      slack.failures.delete('users.info');
    }
    slack.failures.set('chat.update', { error: 'message_not_found' });
    try {
      const calls = await approveAs('U0JANE', request);
      expect(calls.map((call) => call.method)).toEqual(['users.info', 'chat.update']);
      expect((await getRequest(request.id)).currentStage).toBe('IT');
    } finally {
      slack.failures.delete('chat.update');
    }
  });

  it('throttles an address after repeated bad signatures (429 with Retry-After), while correctly signed requests still pass', async () => {
    const request = await inReview();
    const body = slackForm(buttonClick('U0JANE', 'stackgate_approve', value(request)));
    const forged = () => post(body, slackHeaders('not-the-signing-secret-000000', body));
    for (let attempt = 0; attempt < 3; attempt++) expect((await forged()).status).toBe(401);
    const throttled = await forged();
    expect([throttled.status, throttled.body.code]).toEqual([429, 'TOO_MANY_TOKEN_ATTEMPTS']);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(body)).status).toBe(200);
    expect((await getRequest(request.id)).currentStage).toBe('IT');
  });

  it('answers 404 SLACK_NOT_CONFIGURED when no signing secret is set', async () => {
    const bare = await startTestApp({}, {}, testApp.db);
    try {
      const body = slackForm(buttonClick('U0JANE', 'stackgate_approve', { r: cast.admin.id, s: 'MARKETING', v: 1 }));
      const res = await bare.http().post('/slack/interactions').set(slackHeaders(SECRET, body)).send(body);
      expect([res.status, res.body.code]).toEqual([404, 'SLACK_NOT_CONFIGURED']);
      expect(res.body.message).toMatch(/SLACK_SIGNING_SECRET/);
    } finally {
      await bare.app.close();
    }
  });
});
