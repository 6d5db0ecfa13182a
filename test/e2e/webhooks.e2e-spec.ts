import { Role } from '@stackgate/platform';
import { DataSource } from 'typeorm';
import { WebhookDeliveryJob, WebhookEvent, WebhookRetentionJob } from '@stackgate/webhooks';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { readmeVerifier, startReceiver } from '../support/webhook-receiver';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Outgoing webhooks against a real receiver on 127.0.0.1 (WEBHOOKS_ALLOW_PRIVATE): signatures checked
 * with the README's own snippet, retries after 500s and timeouts, order per resource, redelivery,
 * secret rotation with a grace period, automatic disabling with a notice to administrators.
 */
describe('Outgoing webhooks', () => {
  let testApp: TestApp;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let costCenterId: string;
  let job: WebhookDeliveryJob;
  const verify = readmeVerifier();
  /** The delivery job's clock: moved forward to make retries due without waiting. */
  let clock = 0;
  const run = async (advanceMinutes = 0) => {
    clock = Math.max(clock, Date.now()) + advanceMinutes * 60_000;
    return job.run(new Date(clock));
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    testApp = await startTestApp({
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      WEBHOOKS_TIMEOUT_SECONDS: '1',
      WEBHOOKS_MAX_ATTEMPTS: '3',
      WEBHOOKS_DISABLE_AFTER_FAILURES: '4',
      WEBHOOKS_RETRY_BASE_SECONDS: '10',
    });
    cast = await makeCast(testApp);
    costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    job = testApp.app.get(WebhookDeliveryJob);
  });

  afterEach(async () => {
    const list = await testApp.http().get('/api/v1/webhooks').set(cast.admin.auth).expect(200);
    for (const endpoint of list.body.items) await testApp.http().delete(`/api/v1/webhooks/${endpoint.id}`).set(cast.admin.auth).expect(204);
    receiver.received.length = 0;
    receiver.plan.length = 0;
  });

  afterAll(async () => {
    await testApp?.close();
    await receiver?.close();
  });

  const register = async (events: string[], path = '/hook') => {
    const res = await testApp
      .http()
      .post('/api/v1/webhooks')
      .set(cast.admin.auth)
      .send({ url: receiver.url(path), events, description: 'ERP sync' });
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; version: number };
  };
  const deliveries = async (id: string) =>
    (await testApp.http().get(`/api/v1/webhooks/${id}/deliveries`).set(cast.admin.auth).expect(200)).body;
  const newTool = (user: TestUser = cast.it) => makeTool(testApp, user, { budgetOwnerId: costCenterId });

  it("documents the delivery payload and every event type's data as OpenAPI schemas", async () => {
    const doc = (await testApp.http().get('/api/docs-json').expect(200)).body as {
      components: { schemas: Record<string, { properties?: object }> };
    };
    expect(Object.keys(doc.components.schemas.WebhookPayload.properties ?? {}).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
    for (const schema of [
      'RequestSubmittedData',
      'RequestStageDecidedData',
      'RequestApprovedData',
      'ToolCreatedData',
      'ToolItApprovalChangedData',
      'ContractRenewalDueData',
    ])
      expect(doc.components.schemas[schema]).toBeDefined();
  });

  it('registers an endpoint (the secret once), refuses bad input, and lists it without the secret', async () => {
    const endpoint = await register(['tool.created']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const one = await testApp.http().get(`/api/v1/webhooks/${endpoint.id}`).set(cast.admin.auth).expect(200);
    expect(one.body).toMatchObject({ url: receiver.url(), events: ['tool.created'], active: true, description: 'ERP sync' });
    expect(JSON.stringify(one.body)).not.toContain(endpoint.secret);
    const list = await testApp.http().get('/api/v1/webhooks').set(cast.admin.auth).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    for (const body of [
      { url: receiver.url(), events: [] },
      { url: receiver.url(), events: ['tool.deleted'] },
      { url: receiver.url(), events: ['tool.created', 'tool.created'] },
      { url: 'ftp://example.com/x', events: ['tool.created'] },
      { events: ['tool.created'] },
    ]) {
      const res = await testApp.http().post('/api/v1/webhooks').set(cast.admin.auth).send(body);
      expect([400, 422]).toContain(res.status);
    }
    await testApp
      .http()
      .post('/api/v1/webhooks')
      .set(cast.cio.auth)
      .send({ url: receiver.url(), events: ['tool.created'] })
      .expect(403);
    expect((await testApp.http().get('/api/v1/webhooks').set(cast.admin.auth)).body.items).toHaveLength(1);
  });

  it('delivers {id, type, createdAt, data} signed as the README verifies it, and logs the delivery', async () => {
    const endpoint = await register(['tool.created']);
    const tool = await newTool();
    expect(await run()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    expect(delivery.body).toEqual({
      id: expect.any(String),
      type: 'tool.created',
      createdAt: expect.any(String),
      data: expect.any(Object),
    });
    expect(delivery.body.data).toMatchObject({ toolId: tool.id, name: tool.name, lifecycle: tool.lifecycle, actorId: cast.it.id });
    expect(delivery.headers['stackgate-event-id']).toBe(delivery.body.id);
    const header = String(delivery.headers['stackgate-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(delivery.raw, header, endpoint.secret)).toBe(true);
    expect(verify(delivery.raw, header, 'whsec_wrong')).toBe(false);
    expect(verify(delivery.raw.replace('tool.created', 'tool.createe'), header, endpoint.secret)).toBe(false);
    const log = await deliveries(endpoint.id);
    expect(log.total).toBe(1);
    expect(log.items[0]).toMatchObject({
      eventId: delivery.body.id,
      status: 'DELIVERED',
      attempt: 1,
      responseStatus: 200,
      nextRetryAt: null,
    });
    expect(log.items[0].latencyMs).toEqual(expect.any(Number));
    expect(await run(60)).toBe(0); // nothing sent twice
  });

  it('retries after a 500 and a timeout, with backoff, then delivers the same event id', async () => {
    const endpoint = await register(['tool.created']);
    receiver.plan.push(500, 'hang');
    await newTool();
    await run();
    let log = await deliveries(endpoint.id);
    expect(log.items[0]).toMatchObject({ status: 'PENDING', attempt: 1, responseStatus: 500 });
    const retryAt = new Date(log.items[0].nextRetryAt).getTime();
    expect(retryAt - clock).toBeGreaterThanOrEqual(5_000);
    expect(retryAt - clock).toBeLessThanOrEqual(15_000);
    expect(await run()).toBe(0); // not due yet
    await run(1); // times out
    log = await deliveries(endpoint.id);
    expect(log.items[0]).toMatchObject({ status: 'PENDING', attempt: 2, responseStatus: null });
    expect(log.items[0].lastError).toMatch(/timed out/);
    await run(5);
    log = await deliveries(endpoint.id);
    expect(log.items[0]).toMatchObject({ status: 'DELIVERED', attempt: 3, responseStatus: 200 });
    expect(new Set(receiver.received.map((r) => r.body.id)).size).toBe(1);
    expect(receiver.received).toHaveLength(3);
  });

  it('keeps events of one resource in order: a later event waits for the earlier one; other resources go on', async () => {
    await register(['tool.created', 'tool.it_approval_changed']);
    receiver.plan.push(500);
    const first = await newTool();
    await testApp
      .http()
      .post(`/api/v1/tools/${first.id}/it-approval`)
      .set(cast.cio.auth)
      .send({ status: 'APPROVED', rationale: 'SSO and DPA in place' })
      .expect(200);
    const other = await newTool();
    await run();
    expect(receiver.received.map((r) => [r.body.type, r.body.data.toolId])).toEqual([
      ['tool.created', first.id],
      ['tool.created', other.id],
    ]);
    await run(1);
    expect(receiver.received.slice(2).map((r) => [r.body.type, r.body.data.toolId])).toEqual([
      ['tool.created', first.id],
      ['tool.it_approval_changed', first.id],
    ]);
    expect(receiver.received[3].body.data).toMatchObject({ itApprovalStatus: 'APPROVED', previousItApprovalStatus: 'NOT_REVIEWED' });
  });

  it('redelivers an event on request (same id), 404 for an unknown delivery', async () => {
    const endpoint = await register(['tool.created']);
    await newTool();
    await run();
    const [original] = (await deliveries(endpoint.id)).items;
    const again = await testApp
      .http()
      .post(`/api/v1/webhooks/${endpoint.id}/deliveries/${original.id}/redeliver`)
      .set(cast.admin.auth)
      .expect(201);
    expect(again.body).toMatchObject({ eventId: original.eventId, status: 'PENDING', redeliveryOf: original.id });
    await run();
    expect(receiver.received.map((r) => r.body.id)).toEqual([original.eventId, original.eventId]);
    await testApp
      .http()
      .post(`/api/v1/webhooks/${endpoint.id}/deliveries/0190a5c8-0000-7000-8000-000000000000/redeliver`)
      .set(cast.admin.auth)
      .expect(404);
  });

  it('rotates the secret without downtime: both sign during the grace period, then only the new one', async () => {
    const endpoint = await register(['tool.created']);
    const rotated = await testApp
      .http()
      .patch(`/api/v1/webhooks/${endpoint.id}`)
      .set(cast.admin.auth)
      .send({ version: 1, rotateSecret: true });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    await newTool();
    await run();
    const header = String(receiver.received[0].headers['stackgate-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verify(receiver.received[0].raw, header, rotated.body.secret)).toBe(true);
    expect(verify(receiver.received[0].raw, header, endpoint.secret)).toBe(true);
    const stale = await testApp
      .http()
      .patch(`/api/v1/webhooks/${endpoint.id}`)
      .set(cast.admin.auth)
      .send({ version: 1, rotateSecret: true });
    expect(stale.status).toBe(409);
    const now = await testApp
      .http()
      .patch(`/api/v1/webhooks/${endpoint.id}`)
      .set(cast.admin.auth)
      .send({ version: 2, rotateSecret: true, graceHours: 0 })
      .expect(200);
    await newTool();
    await run();
    const last = receiver.received[1];
    expect(verify(last.raw, String(last.headers['stackgate-signature']), now.body.secret)).toBe(true);
    expect(verify(last.raw, String(last.headers['stackgate-signature']), rotated.body.secret)).toBe(false);
  });

  it('disables an endpoint after failures in a row, tells the administrators, and resumes when enabled', async () => {
    const endpoint = await register(['tool.created']);
    const secondAdmin = await makeUser(testApp, [Role.ADMIN]);
    receiver.plan.push(500, 500, 500, 500);
    await newTool();
    await newTool();
    for (let pass = 0; pass < 6; pass++) await run(30);
    const after = (await testApp.http().get(`/api/v1/webhooks/${endpoint.id}`).set(cast.admin.auth).expect(200)).body;
    expect(after).toMatchObject({ active: false, consecutiveFailures: 4 });
    expect(after.disabledReason).toMatch(/4 failed deliveries in a row/);
    expect(receiver.received).toHaveLength(4);
    for (const admin of [cast.admin, secondAdmin]) {
      const inbox = await testApp.http().get('/api/v1/notifications').set(admin.auth).expect(200);
      expect(inbox.body.items.map((n: { event: string }) => n.event)).toContain('webhook-disabled');
    }
    expect(await run(60)).toBe(0);
    await newTool(); // an event while disabled waits for the endpoint too
    expect(await run(60)).toBe(0);
    await testApp
      .http()
      .patch(`/api/v1/webhooks/${endpoint.id}`)
      .set(cast.admin.auth)
      .send({ version: after.version, active: true })
      .expect(200);
    await run(60);
    const log = await deliveries(endpoint.id);
    expect(log.items.map((d: { status: string }) => d.status).sort()).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
  });
  it('forgets finished deliveries and their events after WEBHOOKS_RETENTION_DAYS, keeps what still waits, once a day', async () => {
    const day = 86_400_000;
    const events = testApp.app.get(DataSource).getRepository(WebhookEvent);
    const earlier = await events.count(); // the earlier tests' events: their endpoints are gone, so nothing refers to them
    const kept = await register(['tool.created'], '/kept');
    await newTool();
    await run();
    receiver.plan.push(500, 500, 500);
    await newTool();
    for (let pass = 0; pass < 4; pass++) await run(30);
    const paused = await register(['tool.created'], '/paused');
    await testApp
      .http()
      .patch(`/api/v1/webhooks/${paused.id}`)
      .set(cast.admin.auth)
      .send({ version: paused.version, active: false })
      .expect(200);
    const waiting = await newTool();
    await run(30);
    expect((await deliveries(kept.id)).items.map((d: { status: string }) => d.status).sort()).toEqual(['DELIVERED', 'DELIVERED', 'FAILED']);
    expect(await events.count()).toBe(earlier + 3);

    const retention = testApp.app.get(WebhookRetentionJob);
    expect(await retention.purge(new Date(Date.now() + 29 * day))).toEqual({ deliveries: 0, events: 0 });
    expect(await retention.purge(new Date(Date.now() + 31 * day))).toEqual({ deliveries: 3, events: earlier + 2 });
    expect((await deliveries(kept.id)).items).toEqual([]);
    const stillWaiting = (await deliveries(paused.id)).items;
    expect(stillWaiting.map((d: { status: string }) => d.status)).toEqual(['PENDING']);
    expect((await events.find()).map((event) => event.data.toolId)).toEqual([waiting.id]);

    // The daily run: one instance per day does it; the paused endpoint's delivery still goes out when it resumes.
    const later = new Date(Date.now() + 40 * day);
    await retention.run(later);
    expect(await retention.run(later)).toEqual({ deliveries: 0, events: 0 });
    const current = (await testApp.http().get(`/api/v1/webhooks/${paused.id}`).set(cast.admin.auth).expect(200)).body;
    await testApp
      .http()
      .patch(`/api/v1/webhooks/${paused.id}`)
      .set(cast.admin.auth)
      .send({ version: current.version, active: true })
      .expect(200);
    receiver.received.length = 0;
    await run(60);
    expect(receiver.received.map((r) => [r.path, r.body.data.toolId])).toEqual([['/paused', waiting.id]]);
  });
});
