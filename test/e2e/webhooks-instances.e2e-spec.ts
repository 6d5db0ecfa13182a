import { WebhookDeliveryJob, WebhookEndpoint } from '@stackgate/webhooks';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { decide, makeRequest, submit } from '../support/procurement-factories';
import { startReceiver } from '../support/webhook-receiver';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

const TEST_ENV = { WEBHOOKS_ALLOW_PRIVATE: 'true', WEBHOOKS_TIMEOUT_SECONDS: '2' };

describe('Webhooks across two instances on one database', () => {
  let db: TestDatabase;
  let first: TestApp;
  let second: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    db = await createTestDatabase();
    first = await startTestApp(TEST_ENV, {}, db);
    // SQLite is the single-process embedded default (two processes on one file only contend for its lock): there
    // the two delivery passes run concurrently in one app; MariaDB gets a real second instance.
    second = TEST_ENGINE === 'mariadb' ? await startTestApp({ ...TEST_ENV, DB_MIGRATE_ON_START: 'false' }, {}, db) : first;
  });

  afterAll(async () => {
    await first?.close();
    if (second !== first) await second?.close();
    await db?.drop();
    await receiver?.close();
  });

  it('sends every event once although both instances deliver at the same time, request events in order', async () => {
    const cast = await makeCast(first);
    const costCenterId = (await makeCostCenter(first, cast.admin)).id;
    const events = ['tool.created', 'request.submitted', 'request.stage_decided', 'request.rejected', 'request.withdrawn'];
    await first.http().post('/api/v1/webhooks').set(cast.admin.auth).send({ url: receiver.url(), events }).expect(201);
    const tools = [];
    for (const app of [first, second, first, second]) tools.push(await makeTool(app, cast.it, { budgetOwnerId: costCenterId }));
    const subId = await subcategoryId(first, 'Email Marketing', cast.marketer);
    const request = await makeRequest(second, cast.marketer, { costCenterId, subcategoryId: subId });
    await submit(second, cast.marketer, request.id);
    await decide(first, cast.cmo, request.id, { stage: 'MARKETING', decision: 'REJECT', comment: 'No budget this year' });

    const jobs = [first.app.get(WebhookDeliveryJob), second.app.get(WebhookDeliveryJob)];
    for (let pass = 0; pass < 3; pass++) await Promise.all(jobs.map((job) => job.run()));

    const ids = receiver.received.map((r) => r.body.id);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(
      receiver.received
        .filter((r) => r.body.type === 'tool.created')
        .map((r) => r.body.data.toolId)
        .sort(),
    ).toEqual(tools.map((t) => t.id).sort());
    const requestEvents = receiver.received.filter((r) => r.body.data.requestId === request.id);
    expect(requestEvents.map((r) => r.body.type)).toEqual(['request.submitted', 'request.stage_decided', 'request.rejected']);
    expect(requestEvents[1].body.data).toMatchObject({
      stage: 'MARKETING',
      decision: 'REJECT',
      comment: 'No budget this year',
      status: 'REJECTED',
    });
    expect(requestEvents[0].body.data).toMatchObject({ status: 'IN_REVIEW', actorId: cast.marketer.id });
  });
});

describe('Webhook targets without WEBHOOKS_ALLOW_PRIVATE (SSRF)', () => {
  let testApp: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp?.close();
    await receiver?.close();
  });

  it('refuses private, loopback, link-local, metadata and http:// targets, in every spelling, and changes nothing', async () => {
    const cast = await makeCast(testApp);
    const refused = [
      receiver.url(),
      'https://127.0.0.1/hook',
      'https://10.0.0.8/hook',
      'https://172.16.4.4/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://localhost/hook',
      'https://hooks.localhost/hook',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[fe80::1]/hook',
      'https://[fd00:ec2::254]/hook',
      'https://2130706433/hook',
      'https://0x7f.0.0.1/hook',
      'https://metadata.google.internal/computeMetadata/v1/',
      'http://hooks.example.com/hook',
    ];
    for (const url of refused) {
      const res = await testApp
        .http()
        .post('/api/v1/webhooks')
        .set(cast.admin.auth)
        .send({ url, events: ['tool.created'] });
      expect([url, res.status, res.body.code]).toEqual([url, 422, 'WEBHOOK_URL_REFUSED']);
    }
    const ok = await testApp
      .http()
      .post('/api/v1/webhooks')
      .set(cast.admin.auth)
      .send({ url: 'https://hooks.example.com/x', events: ['tool.created'] });
    expect(ok.status).toBe(201);
    const patch = await testApp
      .http()
      .patch(`/api/v1/webhooks/${ok.body.id}`)
      .set(cast.admin.auth)
      .send({ version: 1, url: 'https://[::1]/x' });
    expect(patch.status).toBe(422);
    expect((await testApp.http().get('/api/v1/webhooks').set(cast.admin.auth)).body.items).toHaveLength(1);
  });

  it('checks the resolved address at delivery time: a name that now resolves to loopback gets nothing (DNS rebinding)', async () => {
    const cast = await makeCast(testApp);
    const created = await testApp
      .http()
      .post('/api/v1/webhooks')
      .set(cast.admin.auth)
      .send({ url: 'https://hooks.example.org/x', events: ['tool.created'] })
      .expect(201);
    // The name now points at this machine (what a rebinding DNS server does after registration).
    const port = new URL(receiver.url()).port;
    await testApp.dataSource.getRepository(WebhookEndpoint).update({ id: created.body.id }, { url: `https://localhost:${port}/hook` });
    const costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    await makeTool(testApp, cast.it, { budgetOwnerId: costCenterId });
    await testApp.app.get(WebhookDeliveryJob).run();
    const log = await testApp.http().get(`/api/v1/webhooks/${created.body.id}/deliveries`).set(cast.admin.auth).expect(200);
    expect(log.body.items[0]).toMatchObject({ status: 'PENDING', attempt: 1, responseStatus: null });
    expect(log.body.items[0].lastError).toMatch(/private or loopback/);
    expect(receiver.received).toHaveLength(0);
  });
});
