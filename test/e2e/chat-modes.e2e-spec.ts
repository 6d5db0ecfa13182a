import { ChatDeliveryJob, ChatMessage, ChatMessageStatus } from '@stackgate/chat';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { makeRequest, submit } from '../support/procurement-factories';
import { startSlackReceiver } from '../support/slack-receiver';
import { bannersAfter, csrfOf, signIn } from '../support/web';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

const TOKEN = 'xoxb-9876543210-two-instances-token';

const routeAll = async (testApp: TestApp, admin: { auth: Record<string, string> }, body: Record<string, unknown>) => {
  const current = (await testApp.http().get('/api/v1/chat/settings').set(admin.auth).expect(200)).body;
  await testApp
    .http()
    .put('/api/v1/chat/settings')
    .set(admin.auth)
    .send({ version: current.version, slackChannels: {}, teamsEvents: [], directMessages: true, ...body })
    .expect(200);
};

describe('Chat through a Slack incoming webhook (no bot)', () => {
  let testApp: TestApp;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    testApp = await startTestApp({
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOKS_TIMEOUT_SECONDS: '1',
      SLACK_WEBHOOK_URL: slack.slackHookUrl,
      SLACK_API_URL: slack.apiUrl,
    });
  });

  afterAll(async () => {
    await testApp?.close();
    await slack?.close();
  });

  it('posts channel messages as JSON to the webhook, without buttons, DMs or lookups; errors as Slack’s webhook answers them', async () => {
    const cast = await makeCast(testApp);
    slack.users.set(cast.cmo.email, 'U0CMO00001');
    await routeAll(testApp, cast.admin, { slackChannels: { 'request.submitted': '#martech-reviews', 'tool.created': '#tools' } });
    const costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    const subId = await subcategoryId(testApp, 'Email Marketing', cast.marketer);
    const request = await makeRequest(testApp, cast.marketer, { costCenterId, subcategoryId: subId });
    await submit(testApp, cast.marketer, request.id);
    const job = testApp.app.get(ChatDeliveryJob);
    await job.run();
    expect(slack.calls.filter((call) => call.path.startsWith('/api/'))).toHaveLength(0);
    const hooks = slack.calls.filter((call) => call.path === '/slack-hook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0].contentType).toContain('application/json');
    expect(hooks[0].headers.authorization).toBeUndefined();
    const blocks = hooks[0].args.blocks as { type: string }[];
    expect(blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(JSON.stringify(blocks)).toContain(request.id);
    const rows = await testApp.dataSource.getRepository(ChatMessage).find();
    expect(rows.map((row) => [row.target, row.status])).toEqual([['SLACK_CHANNEL', 'DELIVERED']]);

    slack.plan('/slack-hook', { error: 'channel_is_archived' });
    await makeTool(testApp, cast.it, { budgetOwnerId: costCenterId });
    await job.run();
    await job.run(new Date(Date.now() + 3600_000));
    const failed = (await testApp.dataSource.getRepository(ChatMessage).find()).find((row) => row.eventType === 'tool.created')!;
    expect(failed).toMatchObject({ status: ChatMessageStatus.FAILED, lastError: 'HTTP 404: channel_is_archived' });

    const status = (await testApp.http().get('/api/v1/chat/status').set(cast.admin.auth).expect(200)).body;
    expect(status).toMatchObject({ slack: 'WEBHOOK', teams: false });
    const agent = await signIn(testApp, cast.admin);
    const page = await agent.get('/admin/chat').expect(200);
    expect(page.text).toContain('incoming webhook: channel messages only');
    expect(page.text).toContain('channel_is_archived');
    expect(page.text).not.toContain(slack.slackHookUrl);
    expect(page.text).toContain('value="#martech-reviews"');

    // the form: a bad channel is refused on the page and nothing changes; a good one is saved
    const before = (await testApp.http().get('/api/v1/chat/settings').set(cast.admin.auth).expect(200)).body;
    const version = /name="version" value="(\d+)"/.exec(page.text)![1];
    const refused = await agent
      .post('/admin/chat')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        version,
        'channel:request.submitted': 'Not A Channel',
        teamsEvents: 'tool.created',
        directMessages: 'on',
      })
      .expect(400);
    expect(refused.text).toContain('Enter a channel as #name');
    expect((await testApp.http().get('/api/v1/chat/settings').set(cast.admin.auth).expect(200)).body).toEqual(before);
    const saved = await agent
      .post('/admin/chat')
      .type('form')
      .send({ _csrf: csrfOf(page.text), version, 'channel:contract.renewal_due': '#finance-renewals', teamsEvents: 'tool.created' })
      .expect(303);
    expect((await bannersAfter(agent, saved)).notice).toBe('Chat settings saved');
    expect((await testApp.http().get('/api/v1/chat/settings').set(cast.admin.auth).expect(200)).body).toMatchObject({
      slackChannels: { 'contract.renewal_due': '#finance-renewals' },
      teamsEvents: ['tool.created'],
      directMessages: false,
    });
    const tested = await agent
      .post('/admin/chat/test')
      .type('form')
      .send({ _csrf: csrfOf(page.text), target: 'SLACK' })
      .expect(303);
    expect((await bannersAfter(agent, tested)).notice).toBe('Test message sent');
    const cio = await signIn(testApp, cast.cio);
    const forbidden = await cio.get('/admin/chat');
    expect([403, 303, 302]).toContain(forbidden.status);
  });
});

describe('Chat without Slack or Teams configured', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('writes nothing, and a test message says what is missing', async () => {
    const cast = await makeCast(testApp);
    await routeAll(testApp, cast.admin, { slackChannels: { 'tool.created': '#tools' }, teamsEvents: ['tool.created'] });
    const costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    await makeTool(testApp, cast.it, { budgetOwnerId: costCenterId });
    expect(await testApp.dataSource.getRepository(ChatMessage).count()).toBe(0);
    for (const target of ['SLACK', 'TEAMS']) {
      const res = await testApp.http().post('/api/v1/chat/test').set(cast.admin.auth).send({ target }).expect(422);
      expect(res.body.code).toBe('CHAT_NOT_CONFIGURED');
    }
    expect((await testApp.http().get('/api/v1/chat/status').set(cast.admin.auth).expect(200)).body).toMatchObject({
      slack: 'NONE',
      teams: false,
    });
  });
});

describe('Chat with a Teams URL the webhook address rules refuse', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ TEAMS_WEBHOOK_URL: 'http://127.0.0.1:9/teams' });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('says why on the status and sends nothing there (https only, no loopback without WEBHOOKS_ALLOW_PRIVATE)', async () => {
    const cast = await makeCast(testApp);
    const status = (await testApp.http().get('/api/v1/chat/status').set(cast.admin.auth).expect(200)).body;
    expect(status.problem).toContain('TEAMS_WEBHOOK_URL must start with https://');
    const test = await testApp.http().post('/api/v1/chat/test').set(cast.admin.auth).send({ target: 'TEAMS' }).expect(201);
    expect(test.body).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('TEAMS_WEBHOOK_URL must start with https://') });
  });
});

describe('Chat across two instances on one database', () => {
  let db: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;

  beforeAll(async () => {
    slack = await startSlackReceiver({ token: TOKEN });
    db = await createTestDatabase();
    const env = {
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOKS_TIMEOUT_SECONDS: '2',
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
      TEAMS_WEBHOOK_URL: slack.teamsUrl,
    };
    first = await startTestApp(env, {}, db);
    // SQLite is single-process: there both passes run concurrently in one app; MariaDB gets a real second instance.
    second = TEST_ENGINE === 'mariadb' ? await startTestApp({ ...env, DB_MIGRATE_ON_START: 'false' }, {}, db) : first;
  });

  afterAll(async () => {
    await first?.close();
    if (second !== first) await second?.close();
    await db?.drop();
    await slack?.close();
  });

  it('posts every message once although both instances deliver at the same time', async () => {
    const cast = await makeCast(first);
    slack.users.set(cast.cmo.email, 'U0CMO00001');
    await routeAll(first, cast.admin, {
      slackChannels: { 'tool.created': '#tools', 'request.submitted': '#reviews' },
      teamsEvents: ['tool.created'],
    });
    const costCenterId = (await makeCostCenter(first, cast.admin)).id;
    const tools: { id: string }[] = [];
    for (const app of [first, second, first]) tools.push(await makeTool(app, cast.it, { budgetOwnerId: costCenterId }));
    const subId = await subcategoryId(first, 'Email Marketing', cast.marketer);
    const request = await makeRequest(second, cast.marketer, { costCenterId, subcategoryId: subId });
    await submit(second, cast.marketer, request.id);
    const jobs = [first.app.get(ChatDeliveryJob), second.app.get(ChatDeliveryJob)];
    for (let pass = 0; pass < 3; pass++) await Promise.all(jobs.map((job) => job.run()));

    const posts = slack.posts();
    // 3 tools + 1 request to channels, 1 DM to the CMO
    expect(posts).toHaveLength(5);
    expect(posts.filter((post) => post.args.channel === '#tools')).toHaveLength(3);
    expect(posts.filter((post) => post.args.channel === 'U0CMO00001')).toHaveLength(1);
    expect(slack.calls.filter((call) => call.path === '/teams')).toHaveLength(3);
    const toolOrder = posts
      .filter((post) => post.args.channel === '#tools')
      .map((post) => tools.findIndex((tool) => JSON.stringify(post.args.blocks).includes(tool.id)));
    expect(toolOrder).toEqual([0, 1, 2]);
    const rows = await first.dataSource.getRepository(ChatMessage).find();
    expect(rows.every((row) => row.status === ChatMessageStatus.DELIVERED)).toBe(true);
    // Without SLACK_SIGNING_SECRET nobody could act on a button (POST /slack/interactions is 404): none are sent.
    for (const post of posts) expect(JSON.stringify(post.args.blocks)).not.toContain('stackgate_decision');
    const status = (await first.http().get('/api/v1/chat/status').set(cast.admin.auth).expect(200)).body;
    expect(status).toMatchObject({ slack: 'BOT', actions: false });
  });
});
