import { AuditEvent } from '@stackgate/audit';
import { Role } from '@stackgate/platform';
import { SlackInteractionsService } from '@stackgate/chat';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import {
  buttonClick,
  modalSubmission,
  slackForm,
  slackHeaders,
  startSlackApi,
  startSlackInteractionsApp,
} from '../support/slack-interactivity';
import { TestApp } from '../support/test-app';

const SECRET = 'e2e-signing-secret-modal-checks-0123456789';

type View = { callback_id: string; private_metadata: string; blocks: { type: string; block_id?: string; optional?: boolean }[] };

/** Issue 26 §1: "Approve with conditions" from Slack, and the checks that run before a decision modal opens. */
describe('Acting from Slack: approving with conditions, and checks before the modal', () => {
  let testApp: TestApp;
  let slack: Awaited<ReturnType<typeof startSlackApi>>;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let ada: TestUser;
  let setup: RequestSetup;

  beforeAll(async () => {
    ({ slack, testApp, cast, setup } = await startSlackInteractionsApp(SECRET));
    ada = await makeUser(testApp, [Role.CIO], { displayName: 'Ada Lovelace' });
    slack.people.set('U0ADA', { email: ada.email, confirmed: true });
    slack.people.set('U0CMO', { email: cast.cmo.email, confirmed: true });
    slack.people.set('U0MARKETER', { email: cast.marketer.email, confirmed: true });
    slack.people.set('U0STRANGER', { email: 'nobody@elsewhere.test', confirmed: true });
  });
  afterAll(async () => {
    await testApp?.close();
    await slack?.close();
  });

  const post = async (body: string) => {
    const res = await testApp.http().post('/slack/interactions').set(slackHeaders(SECRET, body)).send(body);
    await testApp.app.get(SlackInteractionsService).settled();
    return res;
  };
  const getRequest = async (id: string) => (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.admin.auth).expect(200)).body;
  const inReview = async () => {
    const draft = await makeRequest(testApp, cast.marketer, setup);
    return (await submit(testApp, cast.marketer, draft.id)) as { id: string; version: number; title: string };
  };
  /** A request at the IT stage (marketing approved), assessed by IT unless `assessed` is false. */
  const atItStage = async (assessed = true) => {
    const request = await inReview();
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    if (assessed) await assess(testApp, cast.it, request.id);
    return (await getRequest(request.id)) as { id: string; version: number; title: string };
  };
  const value = (request: { id: string; version: number }, stage: string) => ({ r: request.id, s: stage, v: request.version });
  /** Clicks `actionId` as `slackUserId`: the Slack calls it caused, and the click. */
  const click = async (slackUserId: string, actionId: string, request: { id: string; version: number }, stage: string) => {
    const mark = slack.calls.length;
    const payload = buttonClick(slackUserId, actionId, value(request, stage));
    const res = await post(slackForm(payload));
    expect([res.status, res.text]).toEqual([200, '']);
    return { calls: slack.calls.slice(mark), payload };
  };
  const methods = (calls: { method: string }[]) => calls.map((call) => call.method);
  const decidedEvents = (id: string) =>
    testApp.dataSource.getRepository(AuditEvent).find({ where: { entityId: id, action: 'request.decided' } });

  it('approves the IT stage with conditions through the modal: conditions required on their field, one per line, same rules', async () => {
    const request = await atItStage();
    const { calls, payload } = await click('U0ADA', 'stackgate_approve_with_conditions', request, 'IT');
    expect(methods(calls)).toEqual(['users.info', 'views.open']);
    expect(calls[1].params.trigger_id).toBe(payload.trigger_id);
    const view = calls[1].params.view as View;
    expect(view.callback_id).toBe('stackgate_decision_modal');
    expect(JSON.parse(view.private_metadata)).toEqual({
      ...value(request, 'IT'),
      d: 'APPROVE_WITH_CONDITIONS',
      c: payload.container.channel_id,
      ts: payload.container.message_ts,
    });
    expect(view.blocks.filter((block) => block.type === 'input').map((block) => [block.block_id, block.optional ?? false])).toEqual([
      ['conditions', false],
      ['comment', true],
    ]);

    // No conditions (blank lines only): the policy's CONDITIONS_REQUIRED, shown on the conditions field; nothing decided.
    const missing = await post(slackForm(modalSubmission('U0ADA', view.private_metadata, 'Looks fine', ' \n \n')));
    expect([missing.status, missing.body]).toEqual([
      200,
      { response_action: 'errors', errors: { conditions: 'Approving with conditions needs the conditions.' } },
    ]);
    expect((await getRequest(request.id)).currentStage).toBe('IT');
    expect(await decidedEvents(request.id)).toHaveLength(1);

    const mark = slack.calls.length;
    const done = await post(
      slackForm(modalSubmission('U0ADA', view.private_metadata, 'Fine once SSO is on', '  SSO before go-live\n\n<EU> data residency  ')),
    );
    expect([done.status, done.text]).toEqual([200, '']);
    const after = await getRequest(request.id);
    expect(after.stages.find((stage: { stage: string }) => stage.stage === 'IT')).toMatchObject({
      status: 'APPROVED_WITH_CONDITIONS',
      decision: 'APPROVE_WITH_CONDITIONS',
      decidedById: ada.id,
      conditions: 'SSO before go-live\n<EU> data residency',
      comment: 'Fine once SSO is on',
    });
    const events = await decidedEvents(request.id);
    expect(events.find((event) => event.actorId === ada.id)!.metadata).toMatchObject({
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      conditions: 'SSO before go-live\n<EU> data residency',
      via: 'slack',
    });
    const updates = slack.calls.slice(mark).filter((call) => call.method === 'chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0].params).toMatchObject({ channel: payload.container.channel_id, ts: payload.container.message_ts });
    const blocks = updates[0].params.blocks as { block_id?: string; text: { text: string } }[];
    expect(blocks.some((block) => block.block_id === 'stackgate_decision')).toBe(false);
    expect(blocks.at(-1)!.text.text).toBe(
      ':white_check_mark: IT stage: *Approved with conditions* by Ada Lovelace\n• SSO before go-live\n• &lt;EU&gt; data residency\n>Fine once SSO is on',
    );
  });

  it('tells a person who may not decide the stage privately instead of opening the modal (and audits it as from Slack)', async () => {
    const request = await inReview();
    // No deciding role at all.
    let { calls } = await click('U0MARKETER', 'stackgate_reject', request, 'MARKETING');
    expect(methods(calls)).toEqual(['users.info', 'chat.postEphemeral']);
    expect(calls[1].params).toMatchObject({
      channel: 'C0REVIEWS',
      user: 'U0MARKETER',
      text: 'Your Stackgate roles do not allow deciding review stages.',
    });
    // A decider of another stage: the review policy's own refusal, audited like the API's.
    ({ calls } = await click('U0ADA', 'stackgate_request_changes', request, 'MARKETING'));
    expect(methods(calls)).toEqual(['users.info', 'chat.postEphemeral']);
    expect(calls[1].params.text).toBe('Only a CMO decides the Marketing stage.');
    const [denied] = await testApp.dataSource.getRepository(AuditEvent).find({ where: { entityId: request.id, action: 'authz.denied' } });
    expect(denied.actorId).toBe(ada.id);
    expect(denied.metadata).toEqual({ reason: 'WRONG_ROLE', stage: 'MARKETING', decision: 'REQUEST_CHANGES', via: 'slack' });
    // Separation of duties: nobody decides a stage of their own request.
    const ownDraft = await makeRequest(testApp, cast.cmo, setup);
    const own = await submit(testApp, cast.cmo, ownDraft.id);
    ({ calls } = await click('U0CMO', 'stackgate_reject', own, 'MARKETING'));
    expect(methods(calls)).toEqual(['users.info', 'chat.postEphemeral']);
    expect(calls[1].params.text).toBe('Nobody decides a stage of a request they created.');
    // Somebody Stackgate does not know.
    ({ calls } = await click('U0STRANGER', 'stackgate_reject', request, 'MARKETING'));
    expect(methods(calls)).toEqual(['users.info', 'chat.postEphemeral']);
    expect(calls[1].params.text).toMatch(/^No active Stackgate account has the e-mail address of your Slack profile/);
    const now = await getRequest(request.id);
    expect([now.status, now.currentStage, now.version]).toEqual(['IN_REVIEW', 'MARKETING', request.version]);
  });

  it('refuses approving IT with conditions before the modal when IT has not assessed the round', async () => {
    const request = await atItStage(false);
    const { calls } = await click('U0ADA', 'stackgate_approve_with_conditions', request, 'IT');
    expect(methods(calls)).toEqual(['users.info', 'chat.postEphemeral']);
    expect(String(calls[1].params.text)).toMatch(/^The IT stage is approved only on an IT assessment/);
    // Rejecting needs no assessment: its modal opens.
    expect(methods((await click('U0ADA', 'stackgate_reject', request, 'IT')).calls)).toEqual(['users.info', 'views.open']);
  });

  it('replaces the buttons of an out-of-date message instead of opening the modal (stale version, stage already decided)', async () => {
    const request = await inReview();
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    const current = await getRequest(request.id);
    expect(current.version).toBeGreaterThan(request.version);
    const { calls, payload } = await click('U0CMO', 'stackgate_reject', request, 'MARKETING');
    expect(methods(calls)).toEqual(['users.info', 'chat.update']);
    expect(calls[1].params).toMatchObject({ channel: payload.container.channel_id, ts: payload.container.message_ts });
    const blocks = calls[1].params.blocks as { block_id?: string; text: { text: string } }[];
    expect(blocks.some((block) => block.block_id === 'stackgate_decision')).toBe(false);
    expect(blocks.at(-1)!.text.text).toBe(
      `:warning: This request changed since this message (version ${request.version} → ${current.version}); open it in Stackgate.`,
    );
    // The current version but a stage no longer open: the same, in the stage's words.
    const again = await click('U0CMO', 'stackgate_request_changes', current, 'MARKETING');
    expect(methods(again.calls)).toEqual(['users.info', 'chat.update']);
    expect((again.calls[1].params.blocks as { text: { text: string } }[]).at(-1)!.text.text).toBe(
      ':warning: The Marketing stage is not the one being decided now (the IT stage is); open the request in Stackgate.',
    );
    expect((await getRequest(request.id)).currentStage).toBe('IT');
  });

  it('asks the person to click again when Slack expired the trigger before the checks finished', async () => {
    const request = await inReview();
    slack.failures.set('views.open', { error: 'expired_trigger_id' });
    try {
      const { calls } = await click('U0CMO', 'stackgate_reject', request, 'MARKETING');
      expect(methods(calls)).toEqual(['users.info', 'views.open', 'chat.postEphemeral']);
      expect(calls[2].params.text).toMatch(/click the button again/);
    } finally {
      slack.failures.delete('views.open');
    }
  });
});
