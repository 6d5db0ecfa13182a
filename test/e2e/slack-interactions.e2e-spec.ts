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

const SECRET = 'e2e-signing-secret-0123456789abcdef';

/** Issue 26 §1: acting from Slack through POST /slack/interactions, against a Slack Web API on 127.0.0.1. */
describe('Acting from Slack: POST /slack/interactions', () => {
  let testApp: TestApp;
  let slack: Awaited<ReturnType<typeof startSlackApi>>;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let cmoB: TestUser;
  let setup: RequestSetup;

  beforeAll(async () => {
    ({ slack, testApp, cast, setup } = await startSlackInteractionsApp(SECRET));
    cmoB = await makeUser(testApp, [Role.CMO], { displayName: 'Jane Doe' });
    // Slack accounts: e-mail addresses as Slack profiles hold them (case differs from Stackgate's).
    slack.people.set('U0CMO', { email: cmoB.email.toUpperCase(), confirmed: true });
    slack.people.set('U0CMOFIRST', { email: cast.cmo.email });
    slack.people.set('U0MARKETER', { email: cast.marketer.email, confirmed: true });
    slack.people.set('U0CIO', { email: cast.cio.email, confirmed: true });
    slack.people.set('U0UNCONFIRMED', { email: cmoB.email, confirmed: false });
    slack.people.set('U0STRANGER', { email: 'nobody@elsewhere.test', confirmed: true });
  });
  afterAll(async () => {
    await testApp?.close();
    await slack?.close();
  });

  /** Posts a body signed as Slack signs it, and waits for the work started after the answer. */
  const post = async (body: string, headers: Record<string, string> = slackHeaders(SECRET, body)) => {
    const res = await testApp.http().post('/slack/interactions').set(headers).send(body);
    await testApp.app.get(SlackInteractionsService).settled();
    return res;
  };
  const inReview = async (by: TestUser = cast.marketer) => {
    const draft = await makeRequest(testApp, by, setup);
    return (await submit(testApp, by, draft.id)) as { id: string; version: number; currentStage: string };
  };
  const getRequest = async (id: string) => (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.admin.auth).expect(200)).body;
  const value = (request: { id: string; version: number }, stage = 'MARKETING') => ({ r: request.id, s: stage, v: request.version });
  const decidedEvents = (id: string) =>
    testApp.dataSource.getRepository(AuditEvent).find({ where: { entityId: id, action: 'request.decided' }, order: { chainSeq: 'ASC' } });
  const callsSince = (mark: number) => slack.calls.slice(mark);

  it('approves from the button as the mapped user, exactly as the API decides, and replaces the buttons with the outcome', async () => {
    const [viaApi, viaSlack] = [await inReview(), await inReview()];
    await decide(testApp, cmoB, viaApi.id, { stage: 'MARKETING', decision: 'APPROVE' });
    const mark = slack.calls.length;
    const click = buttonClick('U0CMO', 'stackgate_approve', value(viaSlack));
    const res = await post(slackForm(click));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');

    const [api, chat] = [await getRequest(viaApi.id), await getRequest(viaSlack.id)];
    const shape = (request: typeof api) => ({
      status: request.status,
      currentStage: request.currentStage,
      version: request.version - (request.id === viaApi.id ? viaApi.version : viaSlack.version),
      stages: request.stages.map((stage: Record<string, unknown>) => ({
        stage: stage.stage,
        status: stage.status,
        decision: stage.decision,
        decidedById: stage.decidedById,
        comment: stage.comment,
      })),
    });
    expect(shape(chat)).toEqual(shape(api));
    expect(chat.currentStage).toBe('IT');

    const [apiEvent] = await decidedEvents(viaApi.id);
    const [slackEvent] = await decidedEvents(viaSlack.id);
    expect(slackEvent.actorId).toBe(cmoB.id);
    expect(slackEvent.metadata).toEqual({ ...apiEvent.metadata, via: 'slack' });
    expect(apiEvent.metadata).not.toHaveProperty('via');
    expect(slackEvent.changes).toEqual(apiEvent.changes);

    const calls = callsSince(mark);
    expect(calls.map((call) => call.method)).toEqual(['users.info', 'chat.update']);
    expect(calls.every((call) => call.authorization === 'Bearer xoxb-test-bot-token')).toBe(true);
    const update = calls[1].params as {
      channel: string;
      ts: string;
      text: string;
      blocks: { block_id?: string; text?: { text: string } }[];
    };
    expect(update.channel).toBe(click.container.channel_id);
    expect(update.ts).toBe(click.container.message_ts);
    expect(update.blocks.some((block) => block.block_id === 'stackgate_decision')).toBe(false);
    expect(update.blocks[0].block_id).toBe('summary');
    expect(update.blocks.at(-1)!.text!.text).toContain('Marketing stage: *Approved* by Jane Doe');
    expect(update.text).toBe('white_check_mark Marketing stage Approved by Jane Doe');
  });

  it('accepts each signed request once: a replay is 401; a retried delivery (X-Slack-Retry-Num) is 200 and decides nothing twice', async () => {
    const request = await inReview();
    const body = slackForm(buttonClick('U0CMO', 'stackgate_approve', value(request)));
    const headers = slackHeaders(SECRET, body);
    expect((await post(body, headers)).status).toBe(200);
    const mark = slack.calls.length;
    const replay = await post(body, headers);
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('SLACK_REQUEST_REPLAYED');
    const retry = await post(body, { ...slackHeaders(SECRET, body, Math.floor(Date.now() / 1000) + 1), 'X-Slack-Retry-Num': '1' });
    expect(retry.status).toBe(200);
    expect(callsSince(mark)).toEqual([]);
    expect(await decidedEvents(request.id)).toHaveLength(1);
  });

  it('accepts the same signed request once across two instances on one database, sent to both at the same time', async () => {
    const other = await startTestApp(
      { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: 'xoxb-test-bot-token', SLACK_API_URL: slack.url },
      {},
      testApp.db,
    );
    try {
      const request = await inReview();
      const body = slackForm(buttonClick('U0CMO', 'stackgate_approve', value(request)));
      const headers = slackHeaders(SECRET, body);
      const answers = await Promise.all(
        [testApp, other].map((instance) => instance.http().post('/slack/interactions').set(headers).send(body)),
      );
      await Promise.all([testApp, other].map((instance) => instance.app.get(SlackInteractionsService).settled()));
      expect(answers.map((res) => res.status).sort()).toEqual([200, 401]);
      expect(answers.find((res) => res.status === 401)!.body.code).toBe('SLACK_REQUEST_REPLAYED');
      expect(await decidedEvents(request.id)).toHaveLength(1);
      expect((await getRequest(request.id)).currentStage).toBe('IT');
    } finally {
      await other.app.close();
    }
  });

  it('refuses forged, stale, future and unsigned requests with 401 before reading them, and changes nothing', async () => {
    const request = await inReview();
    const body = slackForm(buttonClick('U0CMO', 'stackgate_approve', value(request)));
    const now = Math.floor(Date.now() / 1000);
    const mark = slack.calls.length;
    const attempts = [
      slackHeaders('another-apps-signing-secret-000', body),
      slackHeaders(SECRET, body, now - 301),
      slackHeaders(SECRET, body, now + 301),
      { ...slackHeaders(SECRET, body), 'X-Slack-Signature': 'v0=' + '0'.repeat(64) },
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      slackHeaders(SECRET, body + '&extra=1'),
    ];
    const answers = [];
    for (const headers of attempts) answers.push(await post(body, headers));
    expect(answers.map((res) => [res.status, res.body.code])).toEqual(attempts.map(() => [401, 'SLACK_SIGNATURE_INVALID']));
    expect(answers[1].body.message).toMatch(/older than five minutes/);
    expect(answers[2].body.message).toMatch(/ahead/);
    expect(callsSince(mark)).toEqual([]);
    expect((await getRequest(request.id)).currentStage).toBe('MARKETING');
    // The same body, signed now, is still accepted: the refusals did not consume it.
    expect((await post(body)).status).toBe(200);
    expect((await getRequest(request.id)).currentStage).toBe('IT');
  });

  it('refuses an oversized body (413), another content type (415), other methods, and a payload that is not Slack JSON (400)', async () => {
    const big = slackForm({ type: 'block_actions', padding: 'x'.repeat(70 * 1024) });
    const large = await post(big);
    expect([large.status, large.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const json = JSON.stringify({ payload: { type: 'block_actions' } });
    const wrongType = await post(json, { ...slackHeaders(SECRET, json), 'Content-Type': 'application/json' });
    expect([wrongType.status, wrongType.body.code]).toEqual([415, 'SLACK_UNSUPPORTED_MEDIA_TYPE']);
    expect((await testApp.http().get('/slack/interactions')).status).toBe(404);
    for (const body of ['payload=%7Bnot-json', 'nothing=here', slackForm({ no: 'type' })]) {
      const res = await post(body);
      expect([res.status, res.body.code]).toEqual([400, 'SLACK_PAYLOAD_INVALID']);
    }
    const badValue = await post(slackForm(buttonClick('U0CMO', 'stackgate_approve', { r: 'not-a-uuid', s: 'MARKETING', v: 1 })));
    expect([badValue.status, badValue.body.code]).toEqual([400, 'SLACK_PAYLOAD_INVALID']);
  });

  it('acknowledges an unknown action id and other interaction types with 200 and does nothing', async () => {
    const request = await inReview();
    const mark = slack.calls.length;
    for (const payload of [
      buttonClick('U0CMO', 'open_in_stackgate', value(request)),
      { type: 'view_closed', user: { id: 'U0CMO' }, view: { callback_id: 'stackgate_decision_modal' } },
      { ...modalSubmission('U0CMO', '{}', 'x'), view: { callback_id: 'another_modal' } },
    ]) {
      const res = await post(slackForm(payload));
      expect([res.status, res.text]).toEqual([200, '']);
    }
    expect(callsSince(mark)).toEqual([]);
    expect((await getRequest(request.id)).currentStage).toBe('MARKETING');
  });
});
