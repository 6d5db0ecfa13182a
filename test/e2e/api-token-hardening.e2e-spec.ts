import { AuditEvent } from '@stackgate/audit';
import { ApiToken, boundedExpiry, checksum } from '@stackgate/identity';
import { ConfigError, loadConfig, Role } from '@stackgate/platform';
import { csrfOf, signIn } from '../support/web';
import { makeCast, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * API token hardening: a maximum lifetime (API_TOKEN_MAX_DAYS), a per-address throttle on invalid
 * tokens (TOKEN_MAX_FAILURES_PER_IP / TOKEN_LOCKOUT_SECONDS), and the audit trail filtered by token.
 */
const DAY = 86_400_000;
const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];
const isoDate = (instant: number) => new Date(instant).toISOString().slice(0, 10);

describe('API token hardening', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp({ TRUST_PROXY: 'loopback', TOKEN_MAX_FAILURES_PER_IP: '3', TOKEN_LOCKOUT_SECONDS: '600' });
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const http = () => testApp.http();
  const createPat = (auth: Record<string, string>, body: Record<string, unknown>) =>
    http()
      .post('/api/v1/api-tokens')
      .set(auth)
      .send({ name: unique('token'), scopes: ['catalog:read', 'audit:read'], ...body });
  const call = (token: string, ip: string, path = '/api/v1/tools') =>
    http().get(path).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', ip);

  describe('maximum lifetime (API_TOKEN_MAX_DAYS, default 365)', () => {
    it('gives a token created without expiresAt the longest lifetime, and refuses one beyond it with 400 TOKEN_LIFETIME_TOO_LONG', async () => {
      const before = Date.now();
      const open = await createPat(cast.cmo.auth, {}).expect(201);
      const expires = Date.parse(open.body.expiresAt);
      expect(expires).toBeGreaterThanOrEqual(before + 365 * DAY);
      expect(expires).toBeLessThanOrEqual(Date.now() + 365 * DAY);

      const lastDay = isoDate(Date.now() + 365 * DAY);
      const atLimit = await createPat(cast.cmo.auth, { expiresAt: lastDay }).expect(201);
      expect(atLimit.body.expiresAt).toBe(new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY).toISOString());

      const count = await testApp.dataSource.getRepository(ApiToken).count();
      for (const expiresAt of [isoDate(Date.now() + 367 * DAY), new Date(Date.now() + 400 * DAY).toISOString(), '2999-12-31']) {
        const res = await createPat(cast.cmo.auth, { expiresAt }).expect(400);
        expect(res.body).toMatchObject({ code: 'TOKEN_LIFETIME_TOO_LONG', details: { maxDays: 365, latestExpiresAt: expect.any(String) } });
        expect(res.body.message).toContain('at most 365 days');
      }
      expect(await testApp.dataSource.getRepository(ApiToken).count()).toBe(count);
    });

    it('holds for service-account tokens alike', async () => {
      const account = await http()
        .post('/api/v1/service-accounts')
        .set(cast.admin.auth)
        .send({ name: unique('sync'), roles: [Role.CIO] })
        .expect(201);
      const path = `/api/v1/service-accounts/${account.body.id}/tokens`;
      const tooLong = await http()
        .post(path)
        .set(cast.admin.auth)
        .send({ name: 'sync', scopes: ['catalog:read'], expiresAt: isoDate(Date.now() + 500 * DAY) })
        .expect(400);
      expect(tooLong.body.code).toBe('TOKEN_LIFETIME_TOO_LONG');
      const created = await http()
        .post(path)
        .set(cast.admin.auth)
        .send({ name: 'sync', scopes: ['catalog:read'] })
        .expect(201);
      expect(Date.parse(created.body.expiresAt)).toBeGreaterThan(Date.now() + 364 * DAY);
    });

    it('shows the limit on the web form and refuses a later date there with the reason at the field', async () => {
      const agent = await signIn(testApp, cast.cmo);
      const page = await agent.get('/account/tokens').expect(200);
      const latest = isoDate(Date.now() + 365 * DAY);
      expect(page.text).toContain(`at most 365 days ahead: ${latest}`);
      expect(page.text).toContain(`max="${latest}"`);
      expect(page.text).toContain('Left empty, the token expires in 365 days.');
      const res = await agent
        .post('/account/tokens')
        .type('form')
        .send({
          _csrf: csrfOf(page.text),
          _once: formKeyOf(page.text),
          name: 'Too long',
          scopes: 'catalog:read',
          expiresAt: isoDate(Date.now() + 800 * DAY),
        });
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/id="tk-exp-err">A token may live at most 365 days/);
    });

    it('reads API_TOKEN_MAX_DAYS at start (0 = no limit) and refuses nonsense', () => {
      expect(loadConfig({ NODE_ENV: 'test' }).apiTokenMaxDays).toBe(365);
      expect(loadConfig({ NODE_ENV: 'test', API_TOKEN_MAX_DAYS: '0' }).apiTokenMaxDays).toBe(0);
      for (const value of ['-1', 'forever', '36501'])
        expect(() => loadConfig({ NODE_ENV: 'test', API_TOKEN_MAX_DAYS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ NODE_ENV: 'test', TOKEN_MAX_FAILURES_PER_IP: '0' })).toThrow(/TOKEN_MAX_FAILURES_PER_IP/);
      expect(() => loadConfig({ NODE_ENV: 'test', TOKEN_LOCKOUT_SECONDS: 'x' })).toThrow(/TOKEN_LOCKOUT_SECONDS/);
      expect(boundedExpiry(undefined, 0)).toBeNull();
      expect(boundedExpiry('2999-01-01', 0)?.toISOString()).toBe('2999-01-02T00:00:00.000Z');
    });
  });

  describe('throttling invalid tokens (TOKEN_MAX_FAILURES_PER_IP=3 here)', () => {
    it('answers 429 with Retry-After after 3 invalid tokens from one address, audits it once, and never refuses a valid token', async () => {
      const valid = (await createPat(cast.cio.auth, {}).expect(201)).body.token as string;
      const revoked = (await createPat(cast.cio.auth, {}).expect(201)).body;
      await http().delete(`/api/v1/api-tokens/${revoked.id}`).set(cast.cio.auth).expect(204);
      const expired = (await createPat(cast.cio.auth, { expiresAt: new Date(Date.now() + DAY).toISOString() }).expect(201)).body;
      await testApp.dataSource.getRepository(ApiToken).update({ id: expired.id }, { expiresAt: new Date(Date.now() - 1000) });
      const head = `sgp_${'A'.repeat(12)}${'b'.repeat(43)}`;
      const unknown = head + checksum(head);
      const wrongSecret = valid.slice(0, 20) + (valid[20] === 'x' ? 'y' : 'x') + valid.slice(21, -6);
      const badSecret = wrongSecret + checksum(wrongSecret);

      const attacker = '203.0.113.7';
      await call(unknown, attacker).expect(401);
      await call(badSecret, attacker).expect(401);
      await call(revoked.token, attacker).expect(401);
      const throttled = await call(expired.token, attacker).expect(429);
      expect(throttled.body.code).toBe('TOO_MANY_TOKEN_ATTEMPTS');
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(590);
      await call(unknown, attacker).expect(429);
      // The address is throttled for invalid tokens only; a valid one works from it and from anywhere else.
      await call(valid, attacker).expect(200);
      await call(valid, '198.51.100.20').expect(200);
      await call(unknown, '198.51.100.20').expect(401);

      const lockouts = await testApp.dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.token_attempts_throttled' } });
      expect(lockouts).toHaveLength(1);
      expect(lockouts[0]).toMatchObject({ ip: attacker, actorId: null, metadata: { ip: attacker, failures: 3, windowSeconds: 600 } });
      expect(JSON.stringify(lockouts[0])).not.toContain(unknown.slice(16));
      expect(JSON.stringify(lockouts[0])).not.toContain(valid);
    });

    it('leaves session tokens and password sign-in to their own rules', async () => {
      await http().get('/api/v1/tools').set(cast.cio.auth).set('X-Forwarded-For', '203.0.113.7').expect(200);
    });
  });

  describe('the audit trail by token', () => {
    it('filters GET /audit-events by tokenId and by actorKind, and the verification still passes', async () => {
      const first = (await createPat(cast.admin.auth, { scopes: ['catalog:write', 'catalog:read', 'audit:read'] }).expect(201)).body;
      const second = (await createPat(cast.admin.auth, { scopes: ['catalog:write'] }).expect(201)).body;
      const vendor = (name: string, token: string) =>
        http().post('/api/v1/vendors').set('Authorization', `Bearer ${token}`).send({ name }).expect(201);
      await vendor(unique('Vendor A'), first.token);
      await vendor(unique('Vendor B'), first.token);
      await vendor(unique('Vendor C'), second.token);
      await http()
        .post('/api/v1/vendors')
        .set(cast.admin.auth)
        .send({ name: unique('Vendor D') })
        .expect(201);

      const byFirst = await http()
        .get(`/api/v1/audit-events?tokenId=${first.id}`)
        .set('Authorization', `Bearer ${first.token}`)
        .expect(200);
      expect(byFirst.body.total).toBe(2);
      for (const event of byFirst.body.items) expect(event).toMatchObject({ tokenId: first.id, metadata: { apiToken: { id: first.id } } });
      const bySecond = await http().get(`/api/v1/audit-events?tokenId=${second.id}&entityType=Vendor`).set(cast.admin.auth).expect(200);
      expect(bySecond.body.total).toBe(1);

      const tokens = await http().get('/api/v1/audit-events?actorKind=API_TOKEN&pageSize=100').set(cast.admin.auth).expect(200);
      expect(tokens.body.items.every((event: { tokenId: string | null }) => event.tokenId !== null)).toBe(true);
      expect(tokens.body.total).toBeGreaterThanOrEqual(3);
      const people = await http().get('/api/v1/audit-events?actorKind=PERSON&entityType=Vendor').set(cast.admin.auth).expect(200);
      expect(people.body.items.every((event: { tokenId: string | null; actorId: string | null }) => !event.tokenId && event.actorId)).toBe(
        true,
      );
      const none = await http().get('/api/v1/audit-events?actorKind=NONE&pageSize=100').set(cast.admin.auth).expect(200);
      expect(none.body.items.every((event: { actorId: string | null }) => event.actorId === null)).toBe(true);

      for (const query of ['tokenId=nope', 'actorKind=ROBOT', `tokenId=${first.id}&tokenId=${second.id}`])
        await http().get(`/api/v1/audit-events?${query}`).set(cast.admin.auth).expect(400);
      const verified = await http().get('/api/v1/audit-events/verify').set(cast.admin.auth).expect(200);
      expect(verified.body.ok).toBe(true);
    });

    it('reports an event whose tokenId was changed behind the hash', async () => {
      const repo = testApp.dataSource.getRepository(AuditEvent);
      const event = await repo.findOneOrFail({ where: { action: 'vendor.created' }, order: { occurredAt: 'DESC', id: 'DESC' } });
      const original = event.tokenId;
      await repo.update({ id: event.id }, { tokenId: '0190a1b2-0000-7000-8000-000000000000' });
      const res = await http().get('/api/v1/audit-events/verify').set(cast.admin.auth).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.breaks).toEqual([expect.objectContaining({ eventId: event.id, kind: 'HASH_MISMATCH' })]);
      await repo.update({ id: event.id }, { tokenId: original });
    });
  });
});
