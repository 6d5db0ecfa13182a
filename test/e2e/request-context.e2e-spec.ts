import { AuditEvent } from '@stackgate/audit';
import { ImportsService, TOOL_COLUMNS, VendorsService } from '@stackgate/catalog';
import { RequestContext, requestContext } from '@stackgate/platform';
import { makeCast, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every request, read or write, runs in its request context (requestIdMiddleware): the guard, the
 * handler, the services it calls, audit and the error filter all see its request id, address and,
 * once signed in, its actor; requests served at the same time never see each other's.
 */
describe('Request context: one for every request, seen by services, audit and error ids', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const events = (where: Partial<AuditEvent>) => testApp.dataSource.getRepository(AuditEvent).find({ where: where as never });
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  const seenAs = (ctx: RequestContext | undefined) => ({
    requestId: ctx?.requestId,
    actorId: ctx?.actor?.id,
    actorEmail: ctx?.actor?.email,
    ip: /127\.0\.0\.1|::1/.test(ctx?.ip ?? ''),
  });
  const expectedFor = (u: TestUser, requestId: string) => ({ requestId, actorId: u.id, actorEmail: u.email, ip: true });

  /**
   * Replaces `method` of a service by one that notes the context it is called in, before and after
   * the real method has done its (asynchronous) work, by the request id it was called for.
   */
  function watch<S extends object>(service: S, method: keyof S & string) {
    const seen = new Map<string, { before: ReturnType<typeof seenAs>; after: ReturnType<typeof seenAs> }>();
    const real = (service[method] as (...args: unknown[]) => Promise<unknown>).bind(service);
    const spy = jest.spyOn(service, method as never).mockImplementation((async (...args: unknown[]) => {
      const before = seenAs(requestContext());
      await tick();
      const result = await real(...args);
      await tick();
      seen.set(before.requestId ?? '?', { before, after: seenAs(requestContext()) });
      return result;
    }) as never);
    return { seen, restore: () => spy.mockRestore() };
  }

  it('gives a read and a write their request id, actor and address in the service they call', async () => {
    const vendors = testApp.app.get(VendorsService);
    const reads = watch(vendors, 'get');
    const writes = watch(vendors, 'create');
    try {
      const writeId = `ctx-write-${unique('r')}`;
      const created = await testApp
        .http()
        .post('/api/v1/vendors')
        .set(cast.cmo.auth)
        .set('X-Request-Id', writeId)
        .send({ name: unique('Context Vendor') })
        .expect(201);
      const readId = `ctx-read-${unique('r')}`;
      await testApp.http().get(`/api/v1/vendors/${created.body.id}`).set(cast.finance.auth).set('X-Request-Id', readId).expect(200);
      expect(writes.seen.get(writeId)).toEqual({ before: expectedFor(cast.cmo, writeId), after: expectedFor(cast.cmo, writeId) });
      expect(reads.seen.get(readId)).toEqual({ before: expectedFor(cast.finance, readId), after: expectedFor(cast.finance, readId) });
    } finally {
      reads.restore();
      writes.restore();
    }
    expect(requestContext()).toBeUndefined();
  });

  it('keeps the contexts of concurrent reads and writes apart', async () => {
    const vendors = testApp.app.get(VendorsService);
    const { body: existing } = await testApp
      .http()
      .post('/api/v1/vendors')
      .set(cast.admin.auth)
      .send({ name: unique('Shared Vendor') })
      .expect(201);
    const reads = watch(vendors, 'get');
    const writes = watch(vendors, 'create');
    try {
      const users = [cast.marketer, cast.cmo, cast.it, cast.cio, cast.finance, cast.admin];
      // Finance reads vendors but does not create them.
      const sent = users.flatMap((u, i) =>
        [0, 1, 2].map((k) => ({ u, write: u !== cast.finance && (i + k) % 2 === 0, requestId: `ctx-many-${i}-${k}-${unique('r')}` })),
      );
      const answers = await Promise.all(
        sent.map((s) =>
          s.write
            ? testApp
                .http()
                .post('/api/v1/vendors')
                .set(s.u.auth)
                .set('X-Request-Id', s.requestId)
                .send({ name: unique(`Vendor ${s.requestId}`) })
            : testApp.http().get(`/api/v1/vendors/${existing.id}`).set(s.u.auth).set('X-Request-Id', s.requestId),
        ),
      );
      for (const [index, spec] of sent.entries()) {
        expect(answers[index].status).toBe(spec.write ? 201 : 200);
        expect(answers[index].headers['x-request-id']).toBe(spec.requestId);
        const seen = (spec.write ? writes : reads).seen.get(spec.requestId);
        expect(seen).toEqual({ before: expectedFor(spec.u, spec.requestId), after: expectedFor(spec.u, spec.requestId) });
        if (!spec.write) continue;
        const [event] = await events({ action: 'vendor.created', entityId: answers[index].body.id });
        expect({ requestId: event.requestId, actorId: event.actorId }).toEqual({ requestId: spec.requestId, actorId: spec.u.id });
      }
    } finally {
      reads.restore();
      writes.restore();
    }
  });

  it('gives a multipart upload its context in the handler, after the file is read', async () => {
    const imports = testApp.app.get(ImportsService);
    const runs = watch(imports, 'run');
    try {
      const requestId = `ctx-upload-${unique('r')}`;
      const file = Buffer.from(`${TOOL_COLUMNS.map((c) => c.name).join(',')}\n`);
      await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.marketer.auth)
        .set('X-Request-Id', requestId)
        .field('kind', 'tools')
        .field('dryRun', 'true')
        .attach('file', file, 'tools.csv')
        .expect(200);
      expect(runs.seen.get(requestId)).toEqual({
        before: expectedFor(cast.marketer, requestId),
        after: expectedFor(cast.marketer, requestId),
      });
    } finally {
      runs.restore();
    }
  });

  it('records overlapping writes with their own request id, actor and address', async () => {
    const users = [cast.marketer, cast.cmo, cast.it, cast.cio, cast.admin];
    const sent = users.flatMap((u, i) =>
      [0, 1].map((k) => ({ u, requestId: `ctx-test-${i}-${k}-${unique('r')}`, name: unique(`Vendor ${i}.${k}`) })),
    );
    const answers = await Promise.all(
      sent.map((s) => testApp.http().post('/api/v1/vendors').set(s.u.auth).set('X-Request-Id', s.requestId).send({ name: s.name })),
    );
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
  });

  it('records a refused read with the reader, its request id and address', async () => {
    const requestId = `ctx-read-${unique('r')}`;
    const res = await testApp.http().get('/api/v1/users').set(cast.finance.auth).set('X-Request-Id', requestId).expect(403);
    expect(res.body.requestId).toBe(requestId);
    const [event] = await events({ action: 'authz.denied', requestId });
    expect({ actorId: event.actorId, actorEmail: event.actorEmail, path: event.metadata?.path }).toEqual({
      actorId: cast.finance.id,
      actorEmail: cast.finance.email,
      path: '/api/v1/users',
    });
    expect(event.ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('answers read and write errors with the request id of the response header', async () => {
    const read = await testApp.http().get('/api/v1/tools/0191a2b3-0000-7000-8000-000000000000').set(cast.cio.auth).expect(404);
    expect(read.body.requestId).toBe(read.headers['x-request-id']);
    const write = await testApp.http().post('/api/v1/vendors').set(cast.cio.auth).send({ name: '' }).expect(400);
    expect(write.body.requestId).toBe(write.headers['x-request-id']);
    const malformed = await testApp
      .http()
      .post('/api/v1/vendors')
      .set(cast.cio.auth)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(malformed.body.requestId).toBe(malformed.headers['x-request-id']);
    const unauthenticated = await testApp.http().get('/api/v1/tools').expect(401);
    expect(unauthenticated.body.requestId).toBe(unauthenticated.headers['x-request-id']);
  });

  it("keeps a write's context while reads are served beside it", async () => {
    const requestId = `ctx-mixed-${unique('r')}`;
    const reads = Array.from({ length: 6 }, () => testApp.http().get('/api/v1/vendors').set(cast.finance.auth));
    const write = testApp
      .http()
      .post('/api/v1/vendors')
      .set(cast.cmo.auth)
      .set('X-Request-Id', requestId)
      .send({ name: unique('Vendor mixed') });
    const [response] = await Promise.all([write, ...reads]);
    expect(response.status).toBe(201);
    const [event] = await events({ action: 'vendor.created', entityId: response.body.id });
    expect({ requestId: event.requestId, actorId: event.actorId }).toEqual({ requestId, actorId: cast.cmo.id });
  });
});
