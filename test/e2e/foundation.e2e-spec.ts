import * as jwt from 'jsonwebtoken';
import { AuditEvent } from '@stackgate/audit';
import { User, UsersService } from '@stackgate/identity';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser, TEST_PASSWORD, TestUser, unique } from '../support/factories';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';

describe('Foundation: health, docs, identity, authorization, audit', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_MAX_FAILURES: '10' });
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const auditCount = (where: Partial<AuditEvent>) => testApp.dataSource.getRepository(AuditEvent).countBy(where as never);

  describe('health and docs', () => {
    it('answers health with the database up', async () => {
      const res = await testApp.http().get('/api/health').expect(200);
      expect(res.body).toEqual({ status: 'ok', database: 'up' });
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    });

    it('serves the OpenAPI UI and JSON', async () => {
      await testApp.http().get('/api/docs').expect(200);
      const res = await testApp.http().get('/api/docs-json').expect(200);
      expect(res.body.paths['/api/v1/auth/login']).toBeDefined();
      expect(res.body.paths['/api/v1/users'].post.security).toEqual([{ bearer: [] }]);
      expect(res.body.components.schemas.CreateUserDto.required).toEqual(
        expect.arrayContaining(['email', 'password', 'roles', 'displayName']),
      );
    });

    it('answers unknown routes with the error JSON and no stack', async () => {
      const res = await testApp.http().get('/api/v1/nope').expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(res.body.requestId).toBeTruthy();
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
    });

    it('rejects malformed JSON with 400 and oversized bodies with 413', async () => {
      const bad = await testApp.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":').expect(400);
      expect(bad.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
      const huge = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) })
        .expect(413);
      expect(huge.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
    });
  });

  describe('login', () => {
    it('signs in with the right password, case-insensitively by e-mail', async () => {
      const res = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ email: cast.cmo.email.toUpperCase(), password: TEST_PASSWORD })
        .expect(200);
      expect(res.body).toMatchObject({ expiresIn: 3600, user: { email: cast.cmo.email, roles: ['CMO'] } });
      expect(res.body.user.passwordHash).toBeUndefined();
      expect(res.body.user.tokenVersion).toBeUndefined();
      const me = await testApp.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      expect(me.body.id).toBe(cast.cmo.id);
      expect(await auditCount({ action: 'auth.login_succeeded', entityId: cast.cmo.id })).toBeGreaterThan(0);
    });

    it('refuses a wrong password and an unknown e-mail alike, and audits both', async () => {
      const knownUser = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ email: cast.cio.email, password: 'wrong-password!' })
        .expect(401);
      const unknownUser = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.test', password: 'wrong-password!' })
        .expect(401);
      expect(knownUser.body.message).toBe(unknownUser.body.message);
      expect(await auditCount({ action: 'auth.login_failed', entityId: cast.cio.id })).toBe(1);
      expect(await auditCount({ action: 'auth.login_failed', actorEmail: 'nobody@example.test' })).toBe(1);
    });

    it('answers 429 on the 11th wrong password in a row, even with the right one', async () => {
      const victim = await makeUser(testApp, [Role.MARKETER]);
      for (let i = 1; i <= 10; i++) {
        await testApp
          .http()
          .post('/api/v1/auth/login')
          .send({ email: victim.email, password: `wrong-${i}-password` })
          .expect(401);
      }
      const res = await testApp.http().post('/api/v1/auth/login').send({ email: victim.email, password: 'wrong-11-password' }).expect(429);
      expect(res.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await testApp.http().post('/api/v1/auth/login').send({ email: victim.email, password: TEST_PASSWORD }).expect(429);
    });

    it('validates the body: unknown fields are 400', async () => {
      const res = await testApp
        .http()
        .post('/api/v1/auth/login')
        .send({ email: cast.cmo.email, password: TEST_PASSWORD, admin: true })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(res.body.message).toMatch(/admin/);
    });
  });

  describe('tokens', () => {
    const sign = (payload: object, opts: jwt.SignOptions, secret = TEST_JWT_SECRET) => jwt.sign(payload, secret, opts);
    const call = (token: string) => testApp.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    const base = (u: TestUser): jwt.SignOptions => ({
      algorithm: 'HS256',
      subject: u.id,
      issuer: 'stackgate',
      audience: 'stackgate-api',
      expiresIn: 600,
    });

    it('accepts a well-formed token', async () => {
      await call(sign({ tv: 1 }, base(cast.finance))).expect(200);
    });

    it('refuses expired, tampered, unsigned, foreign-audience, foreign-issuer and wrong-key tokens', async () => {
      const user = cast.finance;
      const { expiresIn: _unused, ...noExpiry } = base(user);
      await call(sign({ tv: 1, exp: Math.floor(Date.now() / 1000) - 10 }, noExpiry)).expect(401);
      const [header, payload, signature] = user.token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: cast.admin.id })).toString('base64url')}.${signature}`;
      await call(tampered).expect(401);
      const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
      await call(none).expect(401);
      await call(sign({ tv: 1 }, { ...base(user), audience: 'someone-else' })).expect(401);
      await call(sign({ tv: 1 }, { ...base(user), issuer: 'evil' })).expect(401);
      await call(sign({ tv: 1 }, base(user), 'another-secret-that-is-long-enough-000000')).expect(401);
      await call(sign({ tv: 1 }, { ...base(user), algorithm: 'HS512' })).expect(401);
      await testApp.http().get('/api/v1/auth/me').expect(401);
      await testApp.http().get('/api/v1/auth/me').set('Authorization', 'Basic abc').expect(401);
    });

    it('refuses a token after logout', async () => {
      const user = await makeUser(testApp, [Role.IT]);
      await testApp.http().get('/api/v1/auth/me').set(user.auth).expect(200);
      await testApp.http().post('/api/v1/auth/logout').set(user.auth).expect(204);
      await testApp.http().get('/api/v1/auth/me').set(user.auth).expect(401);
    });
  });

  describe('users API', () => {
    it('lets an admin create, read, list, update and deactivate users', async () => {
      const email = `${unique('new')}@Example.test`;
      const created = await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.admin.auth)
        .send({ email, displayName: 'New Person', password: 'long-enough-password', roles: ['MARKETER', 'IT'] })
        .expect(201);
      expect(created.body).toMatchObject({ email: email.toLowerCase(), roles: ['IT', 'MARKETER'], active: true, version: 1 });
      expect(created.body.passwordHash).toBeUndefined();
      const id = created.body.id;
      await testApp.http().get(`/api/v1/users/${id}`).set(cast.admin.auth).expect(200);
      const list = await testApp.http().get('/api/v1/users?role=IT&pageSize=200').set(cast.admin.auth).expect(200);
      expect(list.body).toMatchObject({ page: 1, pageSize: 200 });
      expect(list.body.items.map((u: { id: string }) => u.id)).toContain(id);
      const upd = await testApp
        .http()
        .patch(`/api/v1/users/${id}`)
        .set(cast.admin.auth)
        .send({ roles: ['CMO'], version: 1 })
        .expect(200);
      expect(upd.body).toMatchObject({ roles: ['CMO'], version: 2 });
      await testApp.http().patch(`/api/v1/users/${id}`).set(cast.admin.auth).send({ displayName: 'Stale', version: 1 }).expect(409);
      const events = await testApp.http().get(`/api/v1/audit-events?entityType=User&entityId=${id}`).set(cast.admin.auth).expect(200);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['user.updated', 'user.created']);
      expect(events.body.items[0].changes.roles).toEqual({ before: ['IT', 'MARKETER'], after: ['CMO'] });
    });

    it('keeps e-mails unique regardless of case', async () => {
      const res = await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.admin.auth)
        .send({ email: cast.cmo.email.toUpperCase(), displayName: 'Dup', password: 'long-enough-password', roles: ['CMO'] })
        .expect(409);
      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('rejects unknown fields and changes nothing', async () => {
      const before = await testApp.dataSource.getRepository(User).count();
      await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.admin.auth)
        .send({ email: 'x1@example.test', displayName: 'X', password: 'long-enough-password', roles: ['CMO'], tokenVersion: 99 })
        .expect(400);
      const res = await testApp
        .http()
        .patch(`/api/v1/users/${cast.it.id}`)
        .set(cast.admin.auth)
        .send({ passwordHash: 'x', roles: ['ADMIN'] })
        .expect(400);
      expect(res.body.details.some((d: { field: string }) => d.field === 'passwordHash')).toBe(true);
      expect(await testApp.dataSource.getRepository(User).count()).toBe(before);
      const it = await testApp.http().get(`/api/v1/users/${cast.it.id}`).set(cast.admin.auth).expect(200);
      expect(it.body.roles).toEqual(['IT']);
    });

    it('validates roles, passwords and paging', async () => {
      await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.admin.auth)
        .send({ email: 'x2@example.test', displayName: 'X', password: 'short', roles: ['CMO'] })
        .expect(400);
      await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.admin.auth)
        .send({ email: 'x3@example.test', displayName: 'X', password: 'long-enough-password', roles: ['KING'] })
        .expect(400);
      await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.admin.auth)
        .send({ email: 'not-an-email', displayName: 'X', password: 'long-enough-password', roles: ['CMO'] })
        .expect(400);
      await testApp.http().get('/api/v1/users?pageSize=0').set(cast.admin.auth).expect(400);
      await testApp.http().get('/api/v1/users?pageSize=201').set(cast.admin.auth).expect(400);
      await testApp.http().get('/api/v1/users?page=0').set(cast.admin.auth).expect(400);
      await testApp.http().get('/api/v1/users?bogus=1').set(cast.admin.auth).expect(400);
      await testApp.http().get('/api/v1/users/not-a-uuid').set(cast.admin.auth).expect(400);
      await testApp.http().get('/api/v1/users/0191a2b3-0000-7000-8000-000000000000').set(cast.admin.auth).expect(404);
    });

    it('refuses a marketer with 403 and records the refusal', async () => {
      const res = await testApp.http().get('/api/v1/users').set(cast.marketer.auth).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      await testApp
        .http()
        .post('/api/v1/users')
        .set(cast.marketer.auth)
        .send({ email: 'm@example.test', displayName: 'M', password: 'long-enough-password', roles: ['ADMIN'] })
        .expect(403);
      const denied = await testApp.dataSource
        .getRepository(AuditEvent)
        .find({ where: { action: 'authz.denied', actorId: cast.marketer.id } });
      expect(denied.length).toBe(2);
      expect(denied.map((e) => e.metadata?.path).sort()).toEqual(['/api/v1/users', '/api/v1/users']);
    });

    it('refuses an admin changing their own roles, and deactivating themselves', async () => {
      await testApp
        .http()
        .patch(`/api/v1/users/${cast.admin.id}`)
        .set(cast.admin.auth)
        .send({ roles: ['ADMIN', 'CIO'] })
        .expect(403);
      await testApp.http().patch(`/api/v1/users/${cast.admin.id}`).set(cast.admin.auth).send({ active: false }).expect(422);
      const me = await testApp.http().get('/api/v1/auth/me').set(cast.admin.auth).expect(200);
      expect(me.body.roles).toEqual(['ADMIN']);
    });

    it('stops a deactivated user: existing tokens and new sign-ins', async () => {
      const user = await makeUser(testApp, [Role.FINANCE]);
      await testApp.http().get('/api/v1/auth/me').set(user.auth).expect(200);
      await testApp.http().patch(`/api/v1/users/${user.id}`).set(cast.admin.auth).send({ active: false }).expect(200);
      await testApp.http().get('/api/v1/auth/me').set(user.auth).expect(401);
      await testApp.http().post('/api/v1/auth/login').send({ email: user.email, password: TEST_PASSWORD }).expect(401);
    });

    it('resets a password and revokes the old tokens', async () => {
      const user = await makeUser(testApp, [Role.CMO]);
      await testApp
        .http()
        .post(`/api/v1/users/${user.id}/reset-password`)
        .set(cast.admin.auth)
        .send({ password: 'a-brand-new-password' })
        .expect(204);
      await testApp.http().get('/api/v1/auth/me').set(user.auth).expect(401);
      await testApp.http().post('/api/v1/auth/login').send({ email: user.email, password: 'a-brand-new-password' }).expect(200);
    });
  });

  describe('audit log', () => {
    it('is readable by CMO, CIO, FINANCE and ADMIN only, filtered and paged', async () => {
      for (const user of [cast.cmo, cast.cio, cast.finance, cast.admin])
        await testApp.http().get('/api/v1/audit-events').set(user.auth).expect(200);
      for (const user of [cast.marketer, cast.it]) await testApp.http().get('/api/v1/audit-events').set(user.auth).expect(403);
      const res = await testApp.http().get(`/api/v1/audit-events?actorId=${cast.marketer.id}&pageSize=1`).set(cast.cio.auth).expect(200);
      expect(res.body.pageSize).toBe(1);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.total).toBeGreaterThanOrEqual(2);
      const today = new Date().toISOString().slice(0, 10);
      const ranged = await testApp.http().get(`/api/v1/audit-events?from=${today}&to=${today}`).set(cast.cio.auth).expect(200);
      expect(ranged.body.total).toBeGreaterThan(0);
      await testApp.http().get('/api/v1/audit-events?from=yesterday').set(cast.cio.auth).expect(400);
    });

    it('offers no route that updates or deletes an audit event', async () => {
      const doc = (await testApp.http().get('/api/docs-json').expect(200)).body;
      const ops = Object.entries(doc.paths as Record<string, object>)
        .filter(([p]) => p.startsWith('/api/v1/audit-events'))
        .flatMap(([, v]) => Object.keys(v));
      expect(new Set(ops)).toEqual(new Set(['get'])); // the list and GET /verify
      const any = (await testApp.http().get('/api/v1/audit-events').set(cast.admin.auth)).body.items[0];
      await testApp.http().delete(`/api/v1/audit-events/${any.id}`).set(cast.admin.auth).expect(404);
      await testApp.http().patch(`/api/v1/audit-events/${any.id}`).set(cast.admin.auth).send({}).expect(404);
    });

    it('chains the events of one entity by hash', async () => {
      const events = await testApp.dataSource
        .getRepository(AuditEvent)
        .find({ where: { entityType: 'User', entityId: cast.admin.id }, order: { chainSeq: 'ASC' } });
      expect(events.length).toBeGreaterThanOrEqual(2);
      events.forEach((event, index) => {
        expect(event.chainSeq).toBe(index + 1);
        expect(event.prevHash).toBe(index === 0 ? null : events[index - 1].hash);
      });
    });

    it('a write that fails halfway leaves neither its change nor its audit event', async () => {
      const users = testApp.app.get(UsersService);
      const email = `${unique('halfway')}@example.test`;
      await expect(
        testApp.dataSource.transaction(async (manager) => {
          await users.createWith(manager, { email, displayName: 'Halfway', password: 'long-enough-password', roles: [Role.CMO] });
          throw new Error('boom after the user and its audit event were written');
        }),
      ).rejects.toThrow('boom');
      expect(await testApp.dataSource.getRepository(User).countBy({ email })).toBe(0);
      const events = await testApp.dataSource
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where('e.changes LIKE :e', { e: `%${email}%` })
        .getCount();
      expect(events).toBe(0);
    });
  });
});
