import { AuditEvent } from '@stackgate/audit';
import { openRequestContexts } from '@stackgate/platform';
import { makeCast, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Writes run in the async request context until their response closes; reads don't open it (so no
 * promise hooks run while they are served) and hand their context to what they audit and answer.
 */
describe('Request context: audit and error ids for writes and reads', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await makeCast(t);
  });
  afterAll(async () => t?.close());

  const events = (where: Partial<AuditEvent>) => t.dataSource.getRepository(AuditEvent).find({ where: where as never });

  it('records overlapping writes with their own request id, actor and address, and closes every context', async () => {
    const users = [cast.marketer, cast.cmo, cast.it, cast.cio, cast.admin];
    const sent = users.flatMap((u, i) => [0, 1].map((k) => ({ u, requestId: `ctx-test-${i}-${k}-${unique('r')}`, name: unique(`Vendor ${i}.${k}`) })));
    const answers = await Promise.all(sent.map((s) => t.http().post('/api/v1/vendors').set(s.u.auth).set('X-Request-Id', s.requestId).send({ name: s.name })));
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(201);
      expect(res.headers['x-request-id']).toBe(sent[i].requestId);
      const [e] = await events({ action: 'vendor.created', entityId: res.body.id });
      expect({ requestId: e.requestId, actorId: e.actorId, actorEmail: e.actorEmail }).toEqual({ requestId: sent[i].requestId, actorId: sent[i].u.id, actorEmail: sent[i].u.email });
      expect(e.ip).toMatch(/127\.0\.0\.1|::1/);
    }
    expect(openRequestContexts()).toBe(0);
  });

  it('records a refused read with the reader, its request id and address, without opening a context', async () => {
    const requestId = `ctx-read-${unique('r')}`;
    const res = await t.http().get('/api/v1/users').set(cast.finance.auth).set('X-Request-Id', requestId).expect(403);
    expect(res.body.requestId).toBe(requestId);
    const [e] = await events({ action: 'authz.denied', requestId });
    expect({ actorId: e.actorId, actorEmail: e.actorEmail, path: e.metadata?.path }).toEqual({ actorId: cast.finance.id, actorEmail: cast.finance.email, path: '/api/v1/users' });
    expect(e.ip).toMatch(/127\.0\.0\.1|::1/);
    expect(openRequestContexts()).toBe(0);
  });

  it('answers read and write errors with the request id of the response header', async () => {
    const read = await t.http().get('/api/v1/tools/0191a2b3-0000-7000-8000-000000000000').set(cast.cio.auth).expect(404);
    expect(read.body.requestId).toBe(read.headers['x-request-id']);
    const write = await t.http().post('/api/v1/vendors').set(cast.cio.auth).send({ name: '' }).expect(400);
    expect(write.body.requestId).toBe(write.headers['x-request-id']);
    const unauthenticated = await t.http().get('/api/v1/tools').expect(401);
    expect(unauthenticated.body.requestId).toBe(unauthenticated.headers['x-request-id']);
    expect(openRequestContexts()).toBe(0);
  });

  it('keeps a write\'s context while reads are served beside it', async () => {
    const requestId = `ctx-mixed-${unique('r')}`;
    const reads = Array.from({ length: 6 }, () => t.http().get('/api/v1/vendors').set(cast.finance.auth));
    const write = t.http().post('/api/v1/vendors').set(cast.cmo.auth).set('X-Request-Id', requestId).send({ name: unique('Vendor mixed') });
    const [w] = await Promise.all([write, ...reads]);
    expect(w.status).toBe(201);
    const [e] = await events({ action: 'vendor.created', entityId: w.body.id });
    expect({ requestId: e.requestId, actorId: e.actorId }).toEqual({ requestId, actorId: cast.cmo.id });
    expect(openRequestContexts()).toBe(0);
  });
});
