import { AuditEvent } from '@stackgate/audit';
import { openRequestContexts } from '@stackgate/platform';
import { makeCast, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Writes run in the async request context until their response closes; reads don't open it (so no
 * promise hooks run while they are served) and hand their context to what they audit and answer.
 */
describe('Request context: audit and error ids for writes and reads', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const events = (where: Partial<AuditEvent>) => testApp.dataSource.getRepository(AuditEvent).find({ where: where as never });

  it('records overlapping writes with their own request id, actor and address, and closes every context', async () => {
    const users = [cast.marketer, cast.cmo, cast.it, cast.cio, cast.admin];
    const sent = users.flatMap((u, i) => [0, 1].map((k) => ({ u, requestId: `ctx-test-${i}-${k}-${unique('r')}`, name: unique(`Vendor ${i}.${k}`) })));
    const answers = await Promise.all(sent.map((s) => testApp.http().post('/api/v1/vendors').set(s.u.auth).set('X-Request-Id', s.requestId).send({ name: s.name })));
    for (const [index, res] of answers.entries()) {
      expect(res.status).toBe(201);
      expect(res.headers['x-request-id']).toBe(sent[index].requestId);
      const [event] = await events({ action: 'vendor.created', entityId: res.body.id });
      expect({ requestId: event.requestId, actorId: event.actorId, actorEmail: event.actorEmail }).toEqual({
        requestId: sent[index].requestId,
        actorId: sent[index].u.id,
        actorEmail: sent[index].u.email,
      });
      expect(event.ip).toMatch(/127\.0\.0\.1|::1/);
    }
    expect(openRequestContexts()).toBe(0);
  });

  it('records a refused read with the reader, its request id and address, without opening a context', async () => {
    const requestId = `ctx-read-${unique('r')}`;
    const res = await testApp.http().get('/api/v1/users').set(cast.finance.auth).set('X-Request-Id', requestId).expect(403);
    expect(res.body.requestId).toBe(requestId);
    const [event] = await events({ action: 'authz.denied', requestId });
    expect({ actorId: event.actorId, actorEmail: event.actorEmail, path: event.metadata?.path }).toEqual({ actorId: cast.finance.id, actorEmail: cast.finance.email, path: '/api/v1/users' });
    expect(event.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(openRequestContexts()).toBe(0);
  });

  it('answers read and write errors with the request id of the response header', async () => {
    const read = await testApp.http().get('/api/v1/tools/0191a2b3-0000-7000-8000-000000000000').set(cast.cio.auth).expect(404);
    expect(read.body.requestId).toBe(read.headers['x-request-id']);
    const write = await testApp.http().post('/api/v1/vendors').set(cast.cio.auth).send({ name: '' }).expect(400);
    expect(write.body.requestId).toBe(write.headers['x-request-id']);
    const unauthenticated = await testApp.http().get('/api/v1/tools').expect(401);
    expect(unauthenticated.body.requestId).toBe(unauthenticated.headers['x-request-id']);
    expect(openRequestContexts()).toBe(0);
  });

  it('keeps a write\'s context while reads are served beside it', async () => {
    const requestId = `ctx-mixed-${unique('r')}`;
    const reads = Array.from({ length: 6 }, () => testApp.http().get('/api/v1/vendors').set(cast.finance.auth));
    const write = testApp.http().post('/api/v1/vendors').set(cast.cmo.auth).set('X-Request-Id', requestId).send({ name: unique('Vendor mixed') });
    const [written] = await Promise.all([write, ...reads]);
    expect(written.status).toBe(201);
    const [event] = await events({ action: 'vendor.created', entityId: written.body.id });
    expect({ requestId: event.requestId, actorId: event.actorId }).toEqual({ requestId, actorId: cast.cmo.id });
    expect(openRequestContexts()).toBe(0);
  });
});
