import {
  ChatDeliveryJob,
  ChatMessage,
  ChatMessageStatus,
  CHAT_MAX_ATTEMPTS,
  DECISION_ACTIONS,
  DECISION_BLOCK_ID,
  SLACK_LIMITS,
} from '@stackgate/chat';
import { Role } from '@stackgate/platform';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { decide, makeRequest, submit } from '../support/procurement-factories';
import { startSlackReceiver } from '../support/slack-receiver';
import { startTestApp, TestApp } from '../support/test-app';

const TOKEN = 'xoxb-1234567890-test-token-abcdef';
type Block = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  fields?: unknown[];
  elements?: Record<string, unknown>[];
};

/** Checks a Block Kit message against Slack's shape rules and limits. */
function expectBlockKit(args: Record<string, unknown>) {
  expect(typeof args.text).toBe('string');
  expect((args.text as string).length).toBeGreaterThan(0);
  const blocks = args.blocks as Block[];
  expect(Array.isArray(blocks)).toBe(true);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
  expect(blocks[0].text!.text.length).toBeLessThanOrEqual(150);
  for (const block of blocks) {
    expect(['header', 'section', 'context', 'actions']).toContain(block.type);
    if (block.type === 'section') {
      expect(block.text!.type).toBe('mrkdwn');
      expect(block.text!.text.length).toBeLessThanOrEqual(3000);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(10);
    }
    if (block.type === 'actions')
      for (const element of block.elements ?? []) {
        expect(element.type).toBe('button');
        expect(String(element.value).length).toBeLessThanOrEqual(2000);
      }
  }
  return blocks;
}

/**
 * Slack (bot token) and Teams messages against a local emulation of Slack's Web API and a Teams webhook:
 * channel per event type, DMs to the reviewer whose stage opened (matched by e-mail), decision buttons per
 * the contract, 429 Retry-After, permanent and transient errors, order per channel, the settings API.
 */
describe('Chat: Slack bot and Teams', () => {
  let testApp: TestApp;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let job: ChatDeliveryJob;
  let costCenterId: string;
  let subId: string;
  let clock = 0;
  const run = async (advanceMinutes = 0) => {
    clock = Math.max(clock, Date.now()) + advanceMinutes * 60_000;
    return job.run(new Date(clock));
  };
  const rows = () => testApp.dataSource.getRepository(ChatMessage).find({ order: { createdAt: 'ASC', position: 'ASC' } });
  const settings = async () => (await testApp.http().get('/api/v1/chat/settings').set(cast.admin.auth).expect(200)).body;
  const putSettings = async (body: Record<string, unknown>, expected = 200) => {
    const current = await settings();
    const res = await testApp
      .http()
      .put('/api/v1/chat/settings')
      .set(cast.admin.auth)
      .send({ version: current.version, slackChannels: {}, teamsEvents: [], directMessages: true, ...body });
    expect([res.status, res.body]).toEqual([expected, expect.anything()]);
    return res.body;
  };
  const newRequest = async (user: TestUser = cast.marketer, over: Record<string, unknown> = {}) => {
    const request = await makeRequest(testApp, user, { costCenterId, subcategoryId: subId }, over);
    await submit(testApp, user, request.id);
    return (await testApp.http().get(`/api/v1/requests/${request.id}`).set(user.auth).expect(200)).body;
  };

  beforeAll(async () => {
    slack = await startSlackReceiver({ token: TOKEN });
    testApp = await startTestApp({
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOKS_TIMEOUT_SECONDS: '1',
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: 'chat-test-signing-secret-0123456789',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_WEBHOOK_URL: slack.teamsUrl,
      PUBLIC_URL: 'https://stackgate.example.com',
    });
    cast = await makeCast(testApp);
    costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    subId = await subcategoryId(testApp, 'Email Marketing', cast.marketer);
    job = testApp.app.get(ChatDeliveryJob);
  });

  afterEach(async () => {
    await run(24 * 60); // drain what a test left behind before the next one counts calls
    slack.reset();
    slack.users.clear();
    await testApp.dataSource.getRepository(ChatMessage).clear();
  });

  afterAll(async () => {
    await testApp?.close();
    await slack?.close();
  });

  it('refuses bad settings with a 4xx and changes nothing; admins only; changes are audited', async () => {
    const before = await settings();
    expect(before).toMatchObject({ slackChannels: {}, teamsEvents: [], directMessages: true });
    const bad: Record<string, unknown>[] = [
      { slackChannels: { 'request.exploded': '#x' } },
      { slackChannels: { 'request.submitted': 'Martech Reviews' } },
      { slackChannels: { 'request.submitted': '#MARTECH' } },
      { slackChannels: { 'request.submitted': `#${'a'.repeat(90)}` } },
      { slackChannels: { 'request.submitted': '#ok\n#evil' } },
      { slackChannels: 'martech' },
      { teamsEvents: ['tool.deleted'] },
      { directMessages: 'yes' },
      { slackChannels: {}, teamsEvents: [], directMessages: true, version: 'one' },
      { extra: 1 },
    ];
    for (const body of bad) {
      const res = await testApp
        .http()
        .put('/api/v1/chat/settings')
        .set(cast.admin.auth)
        .send({ version: before.version, slackChannels: {}, teamsEvents: [], directMessages: true, ...body });
      expect([JSON.stringify(body), res.status >= 400 && res.status < 500]).toEqual([JSON.stringify(body), true]);
    }
    await testApp
      .http()
      .put('/api/v1/chat/settings')
      .set(cast.admin.auth)
      .send({ version: before.version + 5, slackChannels: {}, teamsEvents: [], directMessages: false })
      .expect(409);
    for (const user of [cast.cmo, cast.cio, cast.finance, cast.marketer, cast.it]) {
      await testApp.http().get('/api/v1/chat/settings').set(user.auth).expect(403);
      await testApp.http().put('/api/v1/chat/settings').set(user.auth).send({ version: before.version }).expect(403);
    }
    expect(await settings()).toEqual(before);

    const saved = await putSettings({
      slackChannels: {
        'request.submitted': 'martech-reviews',
        'contract.renewal_due': '#finance-renewals',
        'tool.created': 'C0123456789',
        'request.approved': '',
      },
      teamsEvents: ['tool.created', 'request.submitted'],
    });
    expect(saved).toMatchObject({
      slackChannels: {
        'request.submitted': '#martech-reviews',
        'contract.renewal_due': '#finance-renewals',
        'tool.created': 'C0123456789',
      },
      teamsEvents: ['request.submitted', 'tool.created'],
      directMessages: true,
      version: before.version + 1,
    });
    const audit = await testApp.http().get('/api/v1/audit-events').query({ entityType: 'ChatSettings' }).set(cast.admin.auth).expect(200);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toContain('chat.settings_changed');
  });

  it('posts a submitted request to its channel and DMs the reviewer whose stage opened, with the decision buttons', async () => {
    await putSettings({ slackChannels: { 'request.submitted': '#martech-reviews', 'request.stage_decided': '#martech-reviews' } });
    const otherCmo = await makeUser(testApp, [Role.CMO]); // not in Slack: the DM to them is skipped, recorded
    slack.users.set(cast.cmo.email, 'U0CMO00001');
    slack.users.set(cast.cio.email, 'U0CIO00001');
    const request = await newRequest(cast.marketer, { title: 'Buy <Braze> & friends <!channel>' });
    await run();

    const posts = slack.posts();
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(post.contentType).toContain('application/x-www-form-urlencoded');
    }
    const channelPost = posts.find((post) => post.args.channel === '#martech-reviews')!;
    const dm = posts.find((post) => post.args.channel === 'U0CMO00001')!;
    expect(channelPost).toBeDefined();
    expect(dm).toBeDefined();
    for (const post of [channelPost, dm]) {
      const blocks = expectBlockKit(post.args);
      const actions = blocks.find((block) => block.type === 'actions')!;
      expect(actions.block_id).toBe(DECISION_BLOCK_ID);
      expect(actions.elements!.map((element) => [element.action_id, element.style ?? null])).toEqual([
        [DECISION_ACTIONS.APPROVE, 'primary'],
        [DECISION_ACTIONS.REQUEST_CHANGES, null],
        [DECISION_ACTIONS.REJECT, 'danger'],
      ]);
      for (const element of actions.elements!)
        expect(JSON.parse(String(element.value))).toEqual({ r: request.id, s: 'MARKETING', v: request.version });
      const all = JSON.stringify(blocks);
      expect(all).toContain('Buy &lt;Braze&gt; &amp; friends &lt;!channel&gt;');
      // mrkdwn never carries the reader's < > & unescaped (the plain_text header shows them literally, Slack parses nothing there)
      expect(JSON.stringify(blocks.filter((block) => block.type !== 'header'))).not.toContain('<!channel>');
      expect(blocks[0].text!.text).toMatch(/^(New request|Review needed): Buy <Braze> & friends <!channel>$/);
      expect(all).toContain(`<https://stackgate.example.com/requests/${request.id}|`);
      expect(post.args.text).not.toContain('<!channel>');
    }
    expect(JSON.stringify(dm.args.blocks)).toContain('Marketing');
    // DMs only to matched users: the other CMO was looked up, not found, skipped (not retried)
    expect(
      slack
        .lookups()
        .map((call) => call.args.email)
        .sort(),
    ).toEqual([cast.cmo.email, otherCmo.email].sort());
    const stored = await rows();
    const skipped = stored.find((row) => row.recipientId === otherCmo.id)!;
    expect(skipped).toMatchObject({ status: ChatMessageStatus.SKIPPED, target: 'SLACK_DM' });
    expect(skipped.lastError).toContain('users_not_found');
    const posted = stored.filter((row) => row.status === ChatMessageStatus.DELIVERED);
    expect(posted).toHaveLength(2);
    for (const row of posted) {
      expect(row.slackChannelId).toMatch(/^[CD][A-Z0-9]+$/);
      expect(row.slackTs).toMatch(/^\d+\.\d+$/);
      expect(row.entityId).toBe(request.id);
    }

    // Marketing approves: the stage-decided message offers the IT stage's buttons with the new version; the CIO gets a DM
    slack.reset();
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    const after = (await testApp.http().get(`/api/v1/requests/${request.id}`).set(cast.marketer.auth).expect(200)).body;
    await run();
    const decided = slack.posts().find((post) => post.args.channel === '#martech-reviews')!;
    const cioDm = slack.posts().find((post) => post.args.channel === 'U0CIO00001')!;
    for (const post of [decided, cioDm]) {
      const actions = expectBlockKit(post.args).find((block) => block.type === 'actions')!;
      expect(JSON.parse(String(actions.elements![0].value))).toEqual({ r: request.id, s: 'IT', v: after.version });
    }
    // the lookup is cached: the CMO is not looked up again, the CIO once
    expect(slack.lookups().map((call) => call.args.email)).toEqual([cast.cio.email]);
  });

  it('sends no DM to a person who turned Slack off for that notice in their preferences; others still get theirs', async () => {
    await putSettings({ slackChannels: {} });
    const preferences = (body: Record<string, unknown>) =>
      testApp.http().put('/api/v1/me/notification-preferences').set(cast.cmo.auth).send(body).expect(200);
    await preferences({ events: [{ event: 'review-needed', slack: false }] });
    const secondCmo = await makeUser(testApp, [Role.CMO]);
    slack.users.set(cast.cmo.email, 'U0CMO00001');
    slack.users.set(secondCmo.email, 'U0CMO00002');
    await newRequest();
    await run();
    expect(slack.posts().map((post) => post.args.channel)).toEqual(['U0CMO00002']);
    expect((await rows()).some((row) => row.recipientId === cast.cmo.id)).toBe(false);
    await preferences({ events: [{ event: 'review-needed', slack: true }] });
  });

  it('sends no DMs when they are off, and nothing for event types without a channel', async () => {
    await putSettings({ slackChannels: { 'tool.created': '#tools' }, directMessages: false });
    slack.users.set(cast.cmo.email, 'U0CMO00001');
    await newRequest();
    await run();
    expect(slack.posts()).toHaveLength(0);
    expect(await rows()).toHaveLength(0);
  });

  it('honours HTTP 429 Retry-After, and keeps the channel in order meanwhile', async () => {
    await putSettings({ slackChannels: { 'request.submitted': '#martech-reviews' }, directMessages: false });
    slack.plan('/api/chat.postMessage', { status: 429, retryAfter: 120 });
    const first = await newRequest();
    const second = await newRequest();
    await run();
    expect(slack.posts()).toHaveLength(1); // the 429; the second message waits behind the first
    const [waiting] = (await rows()).filter((row) => row.entityId === first.id);
    expect(waiting.status).toBe(ChatMessageStatus.PENDING);
    expect(waiting.nextAttemptAt!.getTime() - clock).toBeGreaterThanOrEqual(119_000);
    expect(waiting.nextAttemptAt!.getTime() - clock).toBeLessThanOrEqual(121_000);
    await run(1);
    expect(slack.posts()).toHaveLength(1);
    await run(1.1);
    const posts = slack.posts();
    expect(posts).toHaveLength(3);
    const ids = posts.slice(1).map((post) => JSON.stringify(post.args.blocks).includes(first.id));
    expect(ids).toEqual([true, false]);
    expect(JSON.stringify(posts[2].args.blocks)).toContain(second.id);
  });

  it('fails permanent errors at once (shown in the status with Slack’s error) and retries transient ones with backoff', async () => {
    await putSettings({ slackChannels: { 'request.submitted': '#gone', 'request.stage_decided': '#busy' }, directMessages: false });
    slack.plan('/api/chat.postMessage', { error: 'channel_not_found' });
    const request = await newRequest();
    await run();
    await run(60);
    await run(24 * 60);
    expect(slack.posts()).toHaveLength(1);
    const [failed] = await rows();
    expect(failed).toMatchObject({ status: ChatMessageStatus.FAILED, attempts: 1, lastError: 'channel_not_found' });
    const status = (await testApp.http().get('/api/v1/chat/status').set(cast.admin.auth).expect(200)).body;
    expect(status).toMatchObject({ slack: 'BOT', teams: true, problem: null });
    expect(status.recentFailures[0]).toMatchObject({ id: failed.id, status: 'FAILED', lastError: 'channel_not_found', channel: '#gone' });
    expect(JSON.stringify(status)).not.toContain(TOKEN);

    slack.reset();
    slack.plan('/api/chat.postMessage', { error: 'internal_error' }, { status: 503 }, 'hang');
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'REJECT', comment: 'No budget' });
    await run();
    let row = (await rows()).find((one) => one.channel === '#busy')!;
    expect(row).toMatchObject({ status: ChatMessageStatus.PENDING, attempts: 1, lastError: 'internal_error' });
    const firstWait = row.nextAttemptAt!.getTime() - clock;
    expect(firstWait).toBeGreaterThanOrEqual(15_000); // 30 s × jitter 0.5–1.5
    expect(firstWait).toBeLessThanOrEqual(45_000);
    await run(1);
    row = (await rows()).find((one) => one.channel === '#busy')!;
    expect(row).toMatchObject({ status: ChatMessageStatus.PENDING, attempts: 2, lastError: 'HTTP 503' });
    await run(3); // the third attempt times out (no answer)
    row = (await rows()).find((one) => one.channel === '#busy')!;
    expect(row).toMatchObject({ status: ChatMessageStatus.PENDING, attempts: 3 });
    await run(10);
    row = (await rows()).find((one) => one.channel === '#busy')!;
    expect(row).toMatchObject({ status: ChatMessageStatus.DELIVERED, attempts: 4, lastError: null });
    expect(slack.posts()).toHaveLength(4);
  });

  it('gives a transient failure up after the last attempt', async () => {
    await putSettings({ slackChannels: { 'request.submitted': '#flaky' }, directMessages: false });
    slack.plan('/api/chat.postMessage', ...Array.from({ length: CHAT_MAX_ATTEMPTS }, () => ({ error: 'internal_error' })));
    await newRequest();
    for (let attempt = 0; attempt < CHAT_MAX_ATTEMPTS + 2; attempt++) await run(9 * 60);
    expect(slack.posts()).toHaveLength(CHAT_MAX_ATTEMPTS);
    const [row] = await rows();
    expect(row.status).toBe(ChatMessageStatus.FAILED);
    expect(row.lastError).toContain(`gave up after ${CHAT_MAX_ATTEMPTS} attempts`);
  });

  it('posts Adaptive Cards to Teams: schema, version 1.4, facts, a link to Stackgate, labels not codes', async () => {
    await putSettings({ teamsEvents: ['request.submitted'], directMessages: false });
    const request = await newRequest();
    await run();
    const cards = slack.calls.filter((call) => call.path === '/teams');
    expect(cards).toHaveLength(1);
    expect(cards[0].contentType).toContain('application/json');
    const message = cards[0].args as { type: string; attachments: { contentType: string; content: Record<string, unknown> }[] };
    expect(message.type).toBe('message');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = message.attachments[0].content as {
      $schema: string;
      type: string;
      version: string;
      body: Record<string, unknown>[];
      actions: Record<string, unknown>[];
    };
    expect(card).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4' });
    expect(card.body.map((element) => element.type)).toEqual(expect.arrayContaining(['TextBlock', 'FactSet']));
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open the request in Stackgate', url: `https://stackgate.example.com/requests/${request.id}` },
    ]);
    const text = JSON.stringify(card);
    expect(text).toContain('In review');
    expect(text).not.toContain('IN_REVIEW');
    expect(text).not.toContain('NEW_TOOL');
  });

  it('sends a test message now and answers how it went', async () => {
    await putSettings({ slackChannels: { 'request.submitted': '#martech-reviews' } });
    const ok = await testApp.http().post('/api/v1/chat/test').set(cast.admin.auth).send({ target: 'SLACK' }).expect(201);
    expect(ok.body).toMatchObject({ status: 'DELIVERED', channel: '#martech-reviews', lastError: null });
    expect(slack.posts()[0].args.channel).toBe('#martech-reviews');
    slack.plan('/api/chat.postMessage', { error: 'not_in_channel' });
    const refused = await testApp
      .http()
      .post('/api/v1/chat/test')
      .set(cast.admin.auth)
      .send({ target: 'SLACK', channel: 'private-x' })
      .expect(201);
    expect(refused.body).toMatchObject({ status: 'FAILED', channel: '#private-x', lastError: 'not_in_channel' });
    const teams = await testApp.http().post('/api/v1/chat/test').set(cast.admin.auth).send({ target: 'TEAMS' }).expect(201);
    expect(teams.body.status).toBe('DELIVERED');
    for (const body of [{ target: 'EMAIL' }, { target: 'SLACK', channel: 'Bad Channel' }, {}])
      await testApp.http().post('/api/v1/chat/test').set(cast.admin.auth).send(body).expect(400);
    await testApp.http().post('/api/v1/chat/test').set(cast.cio.auth).send({ target: 'SLACK' }).expect(403);
  });
});
