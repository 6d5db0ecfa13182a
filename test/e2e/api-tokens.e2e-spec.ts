import { DataSource } from 'typeorm';
import { AuditEvent } from '@stackgate/audit';
import { ApiToken, checksum, hashToken } from '@stackgate/identity';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * API tokens for integrations: personal access tokens and service accounts, over HTTP on a real
 * database. The token is a secret shown once, kept hashed, scoped, and never worth more than its
 * principal's current roles.
 */
describe('API tokens (personal access tokens and service accounts)', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let ds: DataSource;

  beforeAll(async () => {
    testApp = await startTestApp();
    ds = testApp.app.get(DataSource);
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const http = () => testApp.http();
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  async function pat(user: TestUser, scopes: string[], extra: Record<string, unknown> = {}) {
    const res = await http()
      .post('/api/v1/api-tokens')
      .set(user.auth)
      .send({ name: unique('token'), scopes, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string; scopes: string[]; expiresAt: string | null };
  }

  it('creates a personal token shown once, lists it without the secret, keeps only its SHA-256', async () => {
    // A date within API_TOKEN_MAX_DAYS (365): valid through that day, UTC.
    const lastDay = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const res = await http()
      .post('/api/v1/api-tokens')
      .set(cast.cmo.auth)
      .send({ name: 'Nightly export', scopes: ['reports:read', 'catalog:read'], expiresAt: lastDay });
    expect(res.status).toBe(201);
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.body).toMatchObject({
      name: 'Nightly export',
      kind: 'PERSONAL',
      scopes: ['catalog:read', 'reports:read'],
      principalId: cast.cmo.id,
      expiresAt: new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      status: 'ACTIVE',
    });
    const token: string = res.body.token;
    expect(token).toMatch(/^sgp_[0-9A-Za-z]{61}$/);
    expect(res.body.tokenPrefix).toBe(token.slice(0, 16));

    const list = await http().get('/api/v1/api-tokens').set(cast.cmo.auth).expect(200);
    const listed = list.body.items.find((item: { id: string }) => item.id === res.body.id);
    expect(listed).toMatchObject({ name: 'Nightly export', status: 'ACTIVE' });
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(listed.token).toBeUndefined();

    const row = await ds.getRepository(ApiToken).findOneByOrFail({ id: res.body.id });
    expect(row.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(16, 59));

    // another user does not see it
    const other = await http().get('/api/v1/api-tokens').set(cast.cio.auth).expect(200);
    expect(other.body.items.map((item: { id: string }) => item.id)).not.toContain(res.body.id);
  });

  it('authenticates with the token, within its scopes, and records last use at most once a minute', async () => {
    const created = await pat(cast.cmo, ['reports:read', 'catalog:read']);
    const me = await http().get('/api/v1/auth/me').set(bearer(created.token)).expect(200);
    expect(me.body.id).toBe(cast.cmo.id);
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);
    const row = await ds.getRepository(ApiToken).findOneByOrFail({ id: created.id });
    expect(row.lastUsedAt).not.toBeNull();
    expect(row.lastUsedIp).toBeTruthy();
    const first = row.lastUsedAt!.getTime();
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);
    expect((await ds.getRepository(ApiToken).findOneByOrFail({ id: created.id })).lastUsedAt!.getTime()).toBe(first);
    // over a minute later it is written again
    await ds.getRepository(ApiToken).update({ id: created.id }, { lastUsedAt: new Date(Date.now() - 120_000) });
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);
    expect((await ds.getRepository(ApiToken).findOneByOrFail({ id: created.id })).lastUsedAt!.getTime()).toBeGreaterThan(first - 1);
  });

  it('refuses writes to a reports:read token with 403 TOKEN_SCOPE_MISSING even though its owner could write', async () => {
    const created = await pat(cast.it, ['reports:read']);
    const res = await http()
      .post('/api/v1/vendors')
      .set(bearer(created.token))
      .send({ name: unique('Vendor') });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'TOKEN_SCOPE_MISSING', details: { missingScopes: ['catalog:write'] } });
    // the owner's session can
    await http()
      .post('/api/v1/vendors')
      .set(cast.it.auth)
      .send({ name: unique('Vendor') })
      .expect(201);
    // nothing was created by the refused call, and the refusal is audited with the token
    const denied = await ds.getRepository(AuditEvent).find({ where: { action: 'authz.denied', actorId: cast.it.id } });
    expect(denied.some((event) => (event.metadata?.apiToken as { id?: string } | undefined)?.id === created.id)).toBe(true);
  });

  it('never gives a token more than its owner roles: scope admin on a non-admin is still 403 on admin routes', async () => {
    const created = await pat(cast.finance, ['admin', 'spend:read']);
    const res = await http().get('/api/v1/users').set(bearer(created.token));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await http().get('/api/v1/contracts').set(bearer(created.token)).expect(200);
  });

  it('refuses token management and sign-out to tokens (TOKEN_NOT_ALLOWED), and web pages too', async () => {
    const created = await pat(cast.admin, ['admin', 'catalog:read']);
    for (const [method, path] of [
      ['post', '/api/v1/api-tokens'],
      ['get', '/api/v1/api-tokens'],
      ['post', '/api/v1/auth/logout'],
      ['get', '/api/v1/service-accounts'],
    ] as const) {
      const res = await http()[method](path).set(bearer(created.token)).send({});
      expect([path, res.status, res.body.code]).toEqual([path, 403, 'TOKEN_NOT_ALLOWED']);
    }
    await http().get('/api/v1/users').set(bearer(created.token)).expect(200);
  });

  it('stops a revoked token at once (401); DELETE of another user token is 404; ADMIN may revoke anyone', async () => {
    const created = await pat(cast.marketer, ['catalog:read']);
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);
    await http().delete(`/api/v1/api-tokens/${created.id}`).set(cast.cmo.auth).expect(404);
    await http().delete(`/api/v1/api-tokens/${created.id}`).set(cast.marketer.auth).expect(204);
    const res = await http().get('/api/v1/tools').set(bearer(created.token));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    await http().delete(`/api/v1/api-tokens/${created.id}`).set(cast.marketer.auth).expect(204);
    const list = await http().get('/api/v1/api-tokens').set(cast.marketer.auth).expect(200);
    expect(list.body.items.find((item: { id: string }) => item.id === created.id)).toMatchObject({ status: 'REVOKED' });

    const second = await pat(cast.marketer, ['catalog:read']);
    await http().delete(`/api/v1/api-tokens/${second.id}`).set(cast.admin.auth).expect(204);
    await http().get('/api/v1/tools').set(bearer(second.token)).expect(401);
    await http().delete('/api/v1/api-tokens/not-a-uuid').set(cast.marketer.auth).expect(400);
    await http().delete('/api/v1/api-tokens/0190a1b2-0000-7000-8000-000000000000').set(cast.marketer.auth).expect(404);
  });

  it('refuses an expired token (401) and expiries in the past or malformed (400)', async () => {
    const created = await pat(cast.cio, ['catalog:read'], { expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);
    await ds.getRepository(ApiToken).update({ id: created.id }, { expiresAt: new Date(Date.now() - 1000) });
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(401);
    const list = await http().get('/api/v1/api-tokens').set(cast.cio.auth).expect(200);
    expect(list.body.items.find((item: { id: string }) => item.id === created.id).status).toBe('EXPIRED');

    const before = await ds.getRepository(ApiToken).count();
    for (const body of [
      { name: 'x', scopes: ['catalog:read'], expiresAt: '2020-01-01' },
      { name: 'x', scopes: ['catalog:read'], expiresAt: '2099-02-30' },
      { name: 'x', scopes: ['catalog:read'], expiresAt: 'tomorrow' },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['catalog:delete'] },
      { name: 'x', scopes: ['catalog:read', 'catalog:read'] },
      { name: '', scopes: ['catalog:read'] },
      { name: 'a\nb', scopes: ['catalog:read'] },
      { scopes: ['catalog:read'] },
      { name: 'x', scopes: 'catalog:read' },
      { name: 'x', scopes: ['catalog:read'], extra: true },
    ]) {
      const res = await http().post('/api/v1/api-tokens').set(cast.cio.auth).send(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await ds.getRepository(ApiToken).count()).toBe(before);
  });

  it('answers 401 to malformed, wrong-prefix, truncated, bad-checksum and tampered tokens', async () => {
    const created = await pat(cast.cio, ['catalog:read']);
    const token = created.token;
    const body = token.slice(4, -6);
    const tampered = token.slice(0, 20) + (token[20] === 'a' ? 'b' : 'a') + token.slice(21, -6);
    const candidates = [
      'sgp_',
      'sgp_abc',
      token.slice(0, -1),
      token + 'A',
      `sgs_${token.slice(4)}`,
      `sgx_${token.slice(4)}`,
      `sgp_${body}AAAAAA`,
      tampered + checksum(tampered), // valid checksum, wrong secret
      token.replace('sgp_', 'sgp-'),
      `${token.slice(0, 16)}${'0'.repeat(43)}${checksum(token.slice(0, 16) + '0'.repeat(43))}`,
    ];
    for (const candidate of candidates) {
      const res = await http().get('/api/v1/tools').set(bearer(candidate));
      expect([candidate, res.status]).toEqual([candidate, 401]);
    }
    // a personal token sent as a cookie is not accepted
    await http().get('/api/v1/tools').set('Cookie', `sg_session=${token}`).expect(401);
    await http().get('/api/v1/tools').set(bearer(token)).expect(200);
  });

  it('follows the owner: a lost role is lost on the token; deactivation kills the token for good; password change does not', async () => {
    const owner = await makeUser(testApp, [Role.IT, Role.CIO]);
    const created = await pat(owner, ['catalog:write', 'catalog:read']);
    const user = await http().get(`/api/v1/users/${owner.id}`).set(cast.admin.auth).expect(200);
    await http()
      .patch(`/api/v1/users/${owner.id}`)
      .set(cast.admin.auth)
      .send({ roles: [Role.IT], version: user.body.version })
      .expect(200);
    const refused = await http().post(`/api/v1/tools/0190a1b2-0000-7000-8000-000000000000/it-approval`).set(bearer(created.token)).send({});
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);

    await http()
      .post(`/api/v1/users/${owner.id}/reset-password`)
      .set(cast.admin.auth)
      .send({ password: 'another-password-456' })
      .expect(204);
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(200);

    const fresh = await http().get(`/api/v1/users/${owner.id}`).set(cast.admin.auth).expect(200);
    await http().patch(`/api/v1/users/${owner.id}`).set(cast.admin.auth).send({ active: false, version: fresh.body.version }).expect(200);
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(401);
    const again = await http().get(`/api/v1/users/${owner.id}`).set(cast.admin.auth).expect(200);
    await http().patch(`/api/v1/users/${owner.id}`).set(cast.admin.auth).send({ active: true, version: again.body.version }).expect(200);
    await http().get('/api/v1/tools').set(bearer(created.token)).expect(401);
    const row = await ds.getRepository(ApiToken).findOneByOrFail({ id: created.id });
    expect(row.revokedAt).not.toBeNull();
  });

  it('audits every action of a token with the token id, kind, name and principal', async () => {
    const created = await pat(cast.it, ['catalog:write']);
    const vendor = await http()
      .post('/api/v1/vendors')
      .set(bearer(created.token))
      .send({ name: unique('Vendor') })
      .expect(201);
    const events = await http().get(`/api/v1/audit-events?entityId=${vendor.body.id}`).set(cast.cio.auth).expect(200);
    expect(events.body.items[0]).toMatchObject({
      actorId: cast.it.id,
      actorEmail: cast.it.email,
      metadata: { apiToken: { id: created.id, kind: 'PERSONAL', principalId: cast.it.id } },
    });
    const own = await http().get(`/api/v1/audit-events?entityId=${created.id}`).set(cast.cio.auth).expect(200);
    expect(own.body.items.map((event: { action: string }) => event.action)).toContain('api_token.created');
    expect(JSON.stringify(own.body)).not.toContain(created.token);
  });

  describe('service accounts', () => {
    it('lives through create, token, use, disable, enable, rename, revoke; never ADMIN; cannot sign in', async () => {
      const name = unique('NetSuite sync');
      const denied = await http()
        .post('/api/v1/service-accounts')
        .set(cast.admin.auth)
        .send({ name, roles: [Role.FINANCE, Role.ADMIN] });
      expect(denied.status).toBe(422);
      expect(denied.body.code).toBe('SERVICE_ACCOUNT_ADMIN');
      await http()
        .post('/api/v1/service-accounts')
        .set(cast.cio.auth)
        .send({ name, roles: [Role.FINANCE] })
        .expect(403);

      const created = await http()
        .post('/api/v1/service-accounts')
        .set(cast.admin.auth)
        .send({ name, description: 'Posts spend nightly', roles: [Role.FINANCE] })
        .expect(201);
      expect(created.body).toMatchObject({ name, roles: [Role.FINANCE], active: true, ownerId: cast.admin.id, activeTokens: 0 });
      const id: string = created.body.id;
      const dup = await http()
        .post('/api/v1/service-accounts')
        .set(cast.admin.auth)
        .send({ name, roles: [Role.FINANCE] });
      expect([dup.status, dup.body.code]).toEqual([409, 'SERVICE_ACCOUNT_NAME_TAKEN']);

      const token = await http()
        .post(`/api/v1/service-accounts/${id}/tokens`)
        .set(cast.admin.auth)
        .send({ name: 'prod', scopes: ['spend:read', 'spend:write'] })
        .expect(201);
      expect(token.body.token).toMatch(/^sgs_[0-9A-Za-z]{61}$/);
      expect(token.body.kind).toBe('SERVICE');
      const svc = bearer(token.body.token);
      await http().get('/api/v1/contracts').set(svc).expect(200);
      const me = await http().get('/api/v1/auth/me').set(svc).expect(200);
      expect(me.body).toMatchObject({ id, displayName: name, roles: [Role.FINANCE] });
      const fx = await http().post('/api/v1/fx-rates').set(svc).send({ currency: 'CHF', month: '2031-01', rate: '1.05' }).expect(201);
      const audit = await http().get(`/api/v1/audit-events?entityId=${fx.body.id}`).set(cast.cio.auth).expect(200);
      expect(audit.body.items[0]).toMatchObject({
        actorId: id,
        metadata: { apiToken: { id: token.body.id, kind: 'SERVICE', principalId: id } },
      });
      await http().get('/api/v1/tools').set(svc).expect(403);

      // not a person: not in the users list, not editable there, no password sign-in
      const users = await http().get('/api/v1/users?pageSize=100').set(cast.admin.auth).expect(200);
      expect(users.body.items.map((user: { id: string }) => user.id)).not.toContain(id);
      await http().get(`/api/v1/users/${id}`).set(cast.admin.auth).expect(404);
      await http()
        .patch(`/api/v1/users/${id}`)
        .set(cast.admin.auth)
        .send({ roles: [Role.ADMIN] })
        .expect(404);
      await http().post(`/api/v1/users/${id}/reset-password`).set(cast.admin.auth).send({ password: 'service-password-1' }).expect(404);
      await http()
        .post('/api/v1/auth/login')
        .send({ email: `sa-${id}@service-accounts.invalid`, password: '!service-account' })
        .expect(401);

      const listed = await http().get('/api/v1/service-accounts').set(cast.admin.auth).expect(200);
      expect(listed.body.items.find((item: { id: string }) => item.id === id)).toMatchObject({ activeTokens: 1 });
      const tokens = await http().get(`/api/v1/service-accounts/${id}/tokens`).set(cast.admin.auth).expect(200);
      expect(tokens.body.items).toHaveLength(1);
      expect(JSON.stringify(tokens.body)).not.toContain(token.body.token);

      const noAdmin = await http()
        .patch(`/api/v1/service-accounts/${id}`)
        .set(cast.admin.auth)
        .send({ roles: [Role.ADMIN] });
      expect(noAdmin.body.code).toBe('SERVICE_ACCOUNT_ADMIN');
      const disabled = await http().patch(`/api/v1/service-accounts/${id}`).set(cast.admin.auth).send({ active: false }).expect(200);
      expect(disabled.body.active).toBe(false);
      await http().get('/api/v1/contracts').set(svc).expect(401);
      const refusedToken = await http()
        .post(`/api/v1/service-accounts/${id}/tokens`)
        .set(cast.admin.auth)
        .send({ name: 'x', scopes: ['spend:read'] });
      expect(refusedToken.status).toBe(400);
      await http()
        .patch(`/api/v1/service-accounts/${id}`)
        .set(cast.admin.auth)
        .send({ active: true, roles: [Role.FINANCE, Role.CIO], name: `${name} v2` })
        .expect(200);
      await http().get('/api/v1/contracts').set(svc).expect(200);

      // a personal token's DELETE route and another account's token route do not reach this token
      const other = await http()
        .post('/api/v1/service-accounts')
        .set(cast.admin.auth)
        .send({ name: unique('Other'), roles: [Role.IT] })
        .expect(201);
      await http().delete(`/api/v1/service-accounts/${other.body.id}/tokens/${token.body.id}`).set(cast.admin.auth).expect(404);
      await http().delete(`/api/v1/api-tokens/${token.body.id}`).set(cast.finance.auth).expect(404);
      await http().delete(`/api/v1/service-accounts/${id}/tokens/${token.body.id}`).set(cast.admin.auth).expect(204);
      await http().get('/api/v1/contracts').set(svc).expect(401);
      const actions = (await ds.getRepository(AuditEvent).find({ where: { entityId: id } })).map((event) => event.action).sort();
      expect(actions).toEqual(['auth.login_failed', 'service_account.created', 'service_account.disabled', 'service_account.enabled']);
      await http().get('/api/v1/service-accounts/0190a1b2-0000-7000-8000-000000000000').set(cast.admin.auth).expect(404);
    });
  });
});

describe('API tokens in the OpenAPI document', () => {
  let testApp: TestApp;
  beforeAll(async () => (testApp = await startTestApp()));
  afterAll(async () => testApp?.close());

  it('documents every scope in the bearer scheme and the scope of each operation', async () => {
    const doc = (await testApp.http().get('/api/docs-json').expect(200)).body;
    const scheme = Object.values(doc.components.securitySchemes as Record<string, { description: string }>)[0];
    for (const scope of [
      'catalog:read',
      'catalog:write',
      'requests:read',
      'requests:write',
      'spend:read',
      'spend:write',
      'reports:read',
      'audit:read',
      'admin',
    ]) {
      expect(scheme.description).toContain(`\`${scope}\``);
    }
    expect(doc.paths['/api/v1/tools'].get.description).toContain('API token scope: `catalog:read`.');
    expect(doc.paths['/api/v1/imports'].post.description).toContain('API token scope: `catalog:write` and `spend:write`.');
    expect(doc.paths['/api/v1/api-tokens'].post.description).toContain('API token scope: not callable with an API token.');
    expect(doc.paths['/api/v1/auth/login'].post.description ?? '').not.toContain('API token scope');
  });
});
