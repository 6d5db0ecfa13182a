import { DataSource } from 'typeorm';
import { AuditEvent } from '@stackgate/audit';
import { User, UserIdentity, UsersService } from '@stackgate/identity';
import { ConfigError, loadConfig, Role, withTransaction } from '@stackgate/platform';
import { IdpAccount, signInAtIdp, startTestIdp, TestIdp } from '../support/oidc';
import { startTestApp, TestApp } from '../support/test-app';

// Single sign-on against a real OpenID provider (oidc-provider in a child process on 127.0.0.1).
const PUBLIC_URL = 'http://stackgate.test';
const ROLE_MAP = 'mkt-team=MARKETER,cio=CIO,sg-admins=ADMIN,finance=FINANCE';

const appEnv = (idp: TestIdp, extra: Record<string, string> = {}) => ({
  PUBLIC_URL,
  OIDC_ISSUER_URL: idp.issuer,
  OIDC_CLIENT_ID: idp.clientId,
  OIDC_CLIENT_SECRET: idp.clientSecret,
  OIDC_PROVIDER_NAME: 'Corp IdP',
  ...extra,
});

const setCookie = (res: { headers: Record<string, unknown> }, name: string): string | undefined => {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = cookies.find((line) => line.startsWith(`${name}=`));
  return cookie ? cookie.split(';')[0] : undefined;
};

interface Started {
  authorizationUrl: string;
  cookie: string;
}

async function start(app: TestApp, path = '/api/v1/auth/oidc/login'): Promise<Started> {
  const res = await app.http().get(path);
  expect([302, 303]).toContain(res.status);
  const cookie = setCookie(res, 'sg_oidc');
  expect(cookie).toBeDefined();
  return { authorizationUrl: res.headers.location, cookie: cookie! };
}

const callback = (app: TestApp, url: URL, cookie?: string) => {
  const req = app.http().get(url.pathname + url.search);
  return cookie ? req.set('Cookie', cookie) : req;
};

/** A whole API sign-in as `account`; answers the callback's response. */
async function apiSignIn(app: TestApp, account: string) {
  const started = await start(app);
  const back = await signInAtIdp(started.authorizationUrl, account);
  return callback(app, back, started.cookie);
}

const auditRows = (app: TestApp, action: string) =>
  app.dataSource.getRepository(AuditEvent).find({ where: { action }, order: { occurredAt: 'ASC', id: 'ASC' } });

describe('Single sign-on (OpenID Connect) against a real provider', () => {
  describe('with a role map and JIT (allowed domain corp.example)', () => {
    let idp: TestIdp;
    let app: TestApp;
    const accounts: Record<string, IdpAccount> = {
      'ada-sub': { email: 'ada@corp.example', email_verified: true, name: 'Ada Lovelace', groups: ['cio', 'unrelated'] },
      'ben-sub': { email: 'ben@corp.example', email_verified: false, name: 'Ben', groups: ['mkt-team'] },
      'cy-sub': { email: 'cy@corp.example', email_verified: true, name: 'Cy', groups: ['everyone'] },
      'eve-sub': { email: 'eve@elsewhere.example', email_verified: true, name: 'Eve', groups: ['sg-admins'] },
      'mallory-sub': { email: 'ada@corp.example', email_verified: true, name: 'Not Ada', groups: ['sg-admins'] },
    };

    beforeAll(async () => {
      idp = await startTestIdp(PUBLIC_URL, accounts);
      app = await startTestApp(appEnv(idp, { OIDC_ROLE_MAP: ROLE_MAP, OIDC_JIT: 'true', OIDC_ALLOWED_DOMAINS: 'corp.example' }));
    });
    afterAll(async () => {
      await app?.close();
      await idp?.stop();
    });

    it('signs a new user in, creates them with the mapped roles, and answers the same JSON as a password sign-in', async () => {
      const res = await apiSignIn(app, 'ada-sub');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.body).toMatchObject({
        expiresIn: expect.any(Number),
        user: { email: 'ada@corp.example', displayName: 'Ada Lovelace', roles: [Role.CIO] },
      });
      const me = await app.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      expect(me.body.roles).toEqual([Role.CIO]);
      const identity = await app.dataSource.getRepository(UserIdentity).findOneByOrFail({ subject: 'ada-sub' });
      expect(identity).toMatchObject({ issuer: idp.issuer, userId: res.body.user.id });
      const success = (await auditRows(app, 'auth.login_succeeded')).filter((row) => row.entityId === res.body.user.id);
      expect(success.at(-1)?.metadata).toMatchObject({ method: 'oidc', subject: 'ada-sub' });
    });

    it('starts the browser flow with PKCE, state and nonce, and ends it with a session cookie and the page asked for', async () => {
      const started = await start(app, '/auth/oidc/login?next=%2Fcatalog%3Fq%3Dx');
      const auth = new URL(started.authorizationUrl);
      expect(auth.origin).toBe(idp.issuer);
      expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
      for (const param of ['state', 'nonce', 'code_challenge']) expect(auth.searchParams.get(param)?.length).toBeGreaterThanOrEqual(32);
      expect(auth.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/oidc/callback`);
      expect(auth.searchParams.get('scope')).toBe('openid email profile');
      const back = await signInAtIdp(started.authorizationUrl, 'ada-sub');
      const res = await callback(app, back, started.cookie).expect(303);
      expect(res.headers.location).toBe('/catalog?q=x');
      expect(setCookie(res, 'sg_session')).toBeDefined();
      const page = await app
        .http()
        .get('/catalog')
        .set('Cookie', [setCookie(res, 'sg_session')!])
        .expect(200);
      expect(page.text).toContain('Ada Lovelace');
    });

    it('refuses a callback whose state is not the one it started (and one without its cookie)', async () => {
      const started = await start(app);
      const back = await signInAtIdp(started.authorizationUrl, 'ada-sub');
      const forged = new URL(back);
      forged.searchParams.set('state', 'x'.repeat(43));
      const wrong = await callback(app, forged, started.cookie).expect(401);
      expect(wrong.body.code).toBe('SSO_FAILED');
      const noCookie = await callback(app, back).expect(401);
      expect(noCookie.text).toContain('start again');
    });

    it('refuses a replayed code', async () => {
      const started = await start(app);
      const back = await signInAtIdp(started.authorizationUrl, 'ada-sub');
      await callback(app, back, started.cookie).expect(200);
      const replay = await callback(app, back, started.cookie).expect(401);
      expect(replay.body.code).toBe('SSO_FAILED');
    });

    it('refuses an ID token carrying another nonce than the one the sign-in started with', async () => {
      const started = await start(app);
      const tampered = new URL(started.authorizationUrl);
      tampered.searchParams.set('nonce', 'attacker-chosen-nonce-0123456789abcdefghij');
      const back = await signInAtIdp(tampered.toString(), 'ada-sub');
      const res = await callback(app, back, started.cookie).expect(401);
      expect(res.body.code).toBe('SSO_FAILED');
      const failure = (await auditRows(app, 'auth.login_failed')).at(-1);
      expect(String((failure?.metadata as { reason?: string }).reason)).toMatch(/nonce/i);
    });

    it('trusts an unverified e-mail of an allowed domain, and refuses any other domain', async () => {
      const ben = await apiSignIn(app, 'ben-sub');
      expect(ben.status).toBe(200);
      expect(ben.body.user.roles).toEqual([Role.MARKETER]);
      const eve = await apiSignIn(app, 'eve-sub');
      expect(eve.status).toBe(403);
      expect(eve.body.code).toBe('SSO_EMAIL_UNTRUSTED');
      expect(await app.dataSource.getRepository(User).countBy({ email: 'eve@elsewhere.example' })).toBe(0);
    });

    it('refuses a user in no mapped group with a 403 page that says so, and creates nobody', async () => {
      const started = await start(app, '/auth/oidc/login');
      const back = await signInAtIdp(started.authorizationUrl, 'cy-sub');
      const page = await callback(app, back, started.cookie).expect(403);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('not in any group that gives access to Stackgate at Corp IdP');
      expect(await app.dataSource.getRepository(User).countBy({ email: 'cy@corp.example' })).toBe(0);
    });

    it('re-derives the roles at every sign-in: a group change takes the old role away and revokes the old sessions', async () => {
      idp.setAccounts({ ...accounts, 'ada-sub': { ...accounts['ada-sub'], groups: ['cio'] } });
      const first = await apiSignIn(app, 'ada-sub');
      expect(first.body.user.roles).toEqual([Role.CIO]);
      idp.setAccounts({ ...accounts, 'ada-sub': { ...accounts['ada-sub'], groups: ['mkt-team', 'finance'] } });
      const second = await apiSignIn(app, 'ada-sub');
      expect(second.body.user.roles).toEqual([Role.FINANCE, Role.MARKETER]);
      await app.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${first.body.accessToken}`).expect(401);
      await app.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(200);
      const synced = (await auditRows(app, 'user.roles_synced')).at(-1);
      expect(synced?.changes).toEqual({ roles: { before: [Role.CIO], after: [Role.FINANCE, Role.MARKETER] } });
      // Leaving every mapped group: the sign-in is refused and the last session ends too.
      idp.setAccounts({ ...accounts, 'ada-sub': { ...accounts['ada-sub'], groups: [] } });
      const third = await apiSignIn(app, 'ada-sub');
      expect(third.status).toBe(403);
      expect(third.body.code).toBe('SSO_NO_MAPPED_GROUP');
      await app.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${second.body.accessToken}`).expect(401);
      idp.setAccounts(accounts);
    });

    it('refuses a second provider account that claims the e-mail of a linked user', async () => {
      await apiSignIn(app, 'ada-sub');
      const res = await apiSignIn(app, 'mallory-sub');
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('SSO_IDENTITY_CONFLICT');
      const ada = await app.dataSource.getRepository(User).findOneByOrFail({ email: 'ada@corp.example' });
      expect(await app.dataSource.getRepository(UserIdentity).countBy({ userId: ada.id })).toBe(1);
    });

    it('refuses a deactivated user', async () => {
      idp.setAccounts({ ...accounts, 'dora-sub': { email: 'dora@corp.example', email_verified: true, groups: ['mkt-team'] } });
      const first = await apiSignIn(app, 'dora-sub');
      expect(first.status).toBe(200);
      await app.dataSource.getRepository(User).update({ id: first.body.user.id }, { active: false });
      const again = await apiSignIn(app, 'dora-sub');
      expect(again.status).toBe(403);
      expect(again.body.code).toBe('SSO_ACCOUNT_INACTIVE');
      idp.setAccounts(accounts);
    });

    it('shows "Sign in with <provider>" on the sign-in page, keeping the password form', async () => {
      const page = await app.http().get('/login?next=%2Frequests').expect(200);
      expect(page.text).toContain('Sign in with Corp IdP');
      expect(page.text).toMatch(/href="\/auth\/oidc\/login\?next(=|&#x3D;)%2Frequests"/);
      expect(page.text).toContain('name="password"');
      expect(page.text).not.toContain('Emergency administrator sign-in');
    });
  });

  describe('single sign-on only, no JIT, no role map', () => {
    let idp: TestIdp;
    let app: TestApp;
    const adminEmail = 'root@corp.example';
    const adminPassword = 'break-glass-password-123';

    beforeAll(async () => {
      idp = await startTestIdp(PUBLIC_URL, {
        'known-sub': { email: 'known@corp.example', email_verified: true, name: 'Known', groups: ['sg-admins'] },
        'stranger-sub': { email: 'stranger@corp.example', email_verified: true, groups: ['cio'] },
        'unverified-sub': { email: 'known@corp.example', email_verified: false, groups: [] },
      });
      app = await startTestApp(
        appEnv(idp, { PASSWORD_LOGIN: 'false', BOOTSTRAP_ADMIN_EMAIL: adminEmail, BOOTSTRAP_ADMIN_PASSWORD: adminPassword }),
      );
      const users = app.app.get(UsersService);
      await withTransaction(app.app.get(DataSource), (manager) =>
        users.createWith(manager, { email: 'known@corp.example', displayName: 'Known', password: 'known-password-123', roles: [Role.IT] }),
      );
    });
    afterAll(async () => {
      await app?.close();
      await idp?.stop();
    });

    it('refuses password sign-in to everyone but the break-glass administrator, whose sign-in is audited as such', async () => {
      const refused = await app
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'known@corp.example', password: 'known-password-123' })
        .expect(403);
      expect(refused.body.code).toBe('PASSWORD_LOGIN_DISABLED');
      const admin = await app.http().post('/api/v1/auth/login').send({ email: adminEmail, password: adminPassword }).expect(200);
      expect(admin.body.user.roles).toContain(Role.ADMIN);
      const success = (await auditRows(app, 'auth.login_succeeded')).filter((row) => row.entityId === admin.body.user.id).at(-1);
      expect(success?.metadata).toMatchObject({ method: 'break_glass' });
      await app.http().post('/api/v1/auth/login').send({ email: adminEmail, password: 'wrong-password-123' }).expect(401);
      const page = await app.http().get('/login').expect(200);
      expect(page.text).toContain('Emergency administrator sign-in');
      expect(page.text).toContain('Sign in with Corp IdP');
    });

    it('signs an existing user in by their verified e-mail, links the account and keeps the roles Stackgate gave them', async () => {
      const res = await apiSignIn(app, 'known-sub');
      expect(res.status).toBe(200);
      expect(res.body.user.roles).toEqual([Role.IT]);
    });

    it('refuses an unknown user when JIT is off, and an unverified e-mail', async () => {
      const stranger = await apiSignIn(app, 'stranger-sub');
      expect(stranger.status).toBe(403);
      expect(stranger.body.code).toBe('SSO_NO_ACCOUNT');
      const unverified = await apiSignIn(app, 'unverified-sub');
      expect(unverified.status).toBe(403);
      expect(unverified.body.code).toBe('SSO_EMAIL_UNTRUSTED');
    });
  });

  describe('an ID token that has expired', () => {
    let idp: TestIdp;
    let app: TestApp;

    beforeAll(async () => {
      idp = await startTestIdp(
        PUBLIC_URL,
        { 'late-sub': { email: 'late@corp.example', email_verified: true, groups: ['cio'] } },
        { clockOffsetSeconds: -7200 },
      );
      app = await startTestApp(appEnv(idp, { OIDC_ROLE_MAP: ROLE_MAP, OIDC_JIT: 'true' }));
    });
    afterAll(async () => {
      await app?.close();
      await idp?.stop();
    });

    it('is refused and creates nobody', async () => {
      const res = await apiSignIn(app, 'late-sub');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('SSO_FAILED');
      expect(await app.dataSource.getRepository(User).countBy({ email: 'late@corp.example' })).toBe(0);
    });
  });

  describe('without single sign-on configured', () => {
    let app: TestApp;
    beforeAll(async () => (app = await startTestApp()));
    afterAll(async () => app?.close());

    it('answers 404 SSO_NOT_CONFIGURED and shows no provider button', async () => {
      const res = await app.http().get('/api/v1/auth/oidc/login').expect(404);
      expect(res.body.code).toBe('SSO_NOT_CONFIGURED');
      expect((await app.http().get('/login').expect(200)).text).not.toContain('Sign in with');
    });
  });

  describe('configuration', () => {
    const base = { NODE_ENV: 'test', PUBLIC_URL, OIDC_ISSUER_URL: 'https://idp.example.com', OIDC_CLIENT_ID: 'c', OIDC_CLIENT_SECRET: 's' };
    const problem = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
    };

    it('reads the settings and refuses bad ones at start', () => {
      const config = loadConfig({ ...base, OIDC_ROLE_MAP: 'a=cmo, b=IT|CIO, x=y=ADMIN', OIDC_ALLOWED_DOMAINS: 'Corp.Example' });
      expect(config.oidc).toMatchObject({
        scopes: 'openid email profile',
        groupsClaim: 'groups',
        jit: false,
        allowedDomains: ['corp.example'],
      });
      expect(Object.fromEntries(config.oidc!.roleMap)).toEqual({ a: [Role.CMO], b: [Role.IT, Role.CIO], 'x=y': [Role.ADMIN] });
      expect(config.passwordLogin).toBe(true);
      expect(problem({ ...base, OIDC_ISSUER_URL: 'http://idp.example.com' })).toMatch(/OIDC_ISSUER_URL must be an https URL/);
      expect(problem({ ...base, OIDC_ISSUER_URL: 'http://127.0.0.1:9000' })).toBeNull();
      expect(problem({ ...base, OIDC_CLIENT_SECRET: '' })).toMatch(/OIDC_CLIENT_SECRET is required/);
      expect(problem({ ...base, OIDC_ROLE_MAP: 'a=OWNER' })).toMatch(/unknown role "OWNER"/);
      expect(problem({ ...base, OIDC_ROLE_MAP: 'justagroup' })).toMatch(/group=ROLE/);
      expect(problem({ ...base, OIDC_SCOPES: 'email profile' })).toMatch(/must include openid/);
      expect(problem({ ...base, OIDC_JIT: 'maybe' })).toMatch(/OIDC_JIT must be true or false/);
      expect(problem({ ...base, PUBLIC_URL: '' })).toMatch(/PUBLIC_URL is required/);
      expect(problem({ NODE_ENV: 'test', PASSWORD_LOGIN: 'false' })).toMatch(/only with single sign-on configured/);
      expect(problem({ NODE_ENV: 'test', OIDC_CLIENT_ID: 'c' })).toMatch(/OIDC_CLIENT_ID needs OIDC_ISSUER_URL/);
    });
  });
});
