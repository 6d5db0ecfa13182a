import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { AuditEvent } from '@stackgate/audit';
import { Role } from '@stackgate/platform';
import { makeUser, TEST_PASSWORD, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';
import { errorProblems } from './owasp-helpers';

/**
 * Sign-in, sessions and HTTP edges (issue 21, items 9, 13, 14, 17 and 18): throttling that neither
 * locks out a whole office nor believes a client-written X-Forwarded-For, a bounded web sign-in,
 * CSRF tokens bound to the session, the error JSON for what the HTTP parser refuses,
 * Cache-Control on what a signed-in user sees, and an admin saving their own row.
 */

const loginApi = (testApp: TestApp, email: string, password: string, xff?: string) => {
  const req = testApp.http().post('/api/v1/auth/login');
  if (xff) req.set('X-Forwarded-For', xff);
  return req.send({ email, password });
};
const failedLogins = (t: TestApp) => t.dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.login_failed' } });

/** Sends raw bytes to a listening server and resolves with everything it answers until it closes. */
function rawExchange(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (err) => (chunks.length ? resolve(Buffer.concat(chunks).toString('latin1')) : reject(err)));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(payload);
  });
}

/** A raw HTTP response as status, lower-cased headers and the JSON body. */
function parseRaw(raw: string) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const text = rest.join('\r\n\r\n');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body, text };
}

/**
 * The fields a browser submits for the form posting to `action`: named inputs inside it or tied to
 * it by `form="<its id>"` (a table row's cells), not disabled, checkboxes only when checked.
 */
function submittedFields(html: string, action: string): Record<string, string | string[]> {
  const start = html.indexOf(`action="${action}"`);
  if (start < 0) throw new Error(`no form posting to ${action}`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const id = /\sid="([^"]+)"/.exec(html.slice(html.lastIndexOf('<form', start), html.indexOf('>', start)))?.[1];
  const tied = id ? [...html.matchAll(/<input\b[^>]*>/g)].map(([tag]) => tag).filter((tag) => tag.includes(` form="${id}"`)) : [];
  const out: Record<string, string | string[]> = {};
  for (const tag of [...[...form.matchAll(/<input\b[^>]*>/g)].map(([t]) => t), ...tied]) {
    const name = /\sname="([^"]*)"/.exec(tag)?.[1];
    if (!name || /\sdisabled\b/.test(tag)) continue;
    const type = /\stype="([^"]*)"/.exec(tag)?.[1] ?? 'text';
    if ((type === 'checkbox' || type === 'radio') && !/\schecked\b/.test(tag)) continue;
    const value = /\svalue="([^"]*)"/.exec(tag)?.[1] ?? 'on';
    const prev = out[name];
    out[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

describe('Sign-in throttling without a trusted proxy (item 9)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_MAX_FAILURES: '10', LOGIN_MAX_FAILURES_PER_IP: '100' });
  });
  afterAll(async () => testApp?.close());

  it('101 failures from one address do not lock out the correct password of another account there; wrong ones are slowed to 429', async () => {
    const colleague = await makeUser(testApp, [Role.MARKETER]);
    // Spread over many accounts, so no account reaches its own limit: only the address does.
    for (let i = 0; i < 101; i++) {
      const res = await loginApi(testApp, `nobody-${i % 20}@example.test`, 'wrong-password-123');
      expect([401, 429]).toContain(res.status);
    }
    const ok = await loginApi(testApp, colleague.email, TEST_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.accessToken).toEqual(expect.any(String));
    // the sign-in form lets the correct password through too
    const agent = request.agent(testApp.app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    const form = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: colleague.email, password: TEST_PASSWORD });
    expect(form.status).toBe(303);
    // while the address is over its limit a wrong password is a 429 with Retry-After, not a free guess
    const slowed = await loginApi(testApp, colleague.email, 'wrong-password-456');
    expect(errorProblems(slowed, 429)).toEqual([]);
    expect(slowed.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    // and X-Forwarded-For is not believed without TRUST_PROXY
    const dodge = await loginApi(testApp, colleague.email, 'wrong-password-789', '198.51.100.77');
    expect(dodge.status).toBe(429);
    await loginApi(testApp, colleague.email, TEST_PASSWORD).expect(200);
  });
});

describe('Sign-in throttling with TRUST_PROXY=1 (item 9)', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({
      TRUST_PROXY: '1',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '6',
      LOGIN_MAX_FAILURES_PER_IP: '100',
    });
  });
  afterAll(async () => testApp?.close());

  it('uses and audits the address the trusted proxy appended, not the one the client wrote', async () => {
    const email = `${unique('spoof')}@example.test`;
    await loginApi(testApp, email, 'wrong-password-123', '6.6.6.6, 203.0.113.7').expect(401);
    const events = (await failedLogins(testApp)).filter((e) => e.actorEmail === email);
    expect(events.map((e) => e.ip)).toEqual(['203.0.113.7']);
    const keys = await testApp.dataSource.query<{ throttleKey: string }[]>('SELECT throttleKey FROM login_throttles');
    expect(keys.map((k) => k.throttleKey)).toContain('ip:203.0.113.7');
    expect(keys.map((k) => k.throttleKey)).not.toContain('ip:6.6.6.6');
  });

  it('locks the account from one address after LOGIN_MAX_FAILURES, correct password included, but not from another address', async () => {
    const victim = await makeUser(testApp, [Role.CMO]);
    for (let i = 0; i < 3; i++) await loginApi(testApp, victim.email, `wrong-${i}-password`, '203.0.113.10').expect(401);
    const locked = await loginApi(testApp, victim.email, TEST_PASSWORD, '203.0.113.10');
    expect(errorProblems(locked, 429)).toEqual([]);
    expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(locked.body.accessToken).toBeUndefined();
    // a client-written first hop does not get the attacker out of the pair's lock
    await loginApi(testApp, victim.email, TEST_PASSWORD, '192.0.2.1, 203.0.113.10').expect(429);
    // the owner, elsewhere, still signs in
    await loginApi(testApp, victim.email, TEST_PASSWORD, '203.0.113.11').expect(200);
  });

  it('rotating addresses does not escape the account lockout', async () => {
    const victim = await makeUser(testApp, [Role.FINANCE]);
    for (let i = 0; i < 6; i++) await loginApi(testApp, victim.email, `wrong-${i}-password`, `198.51.100.${i + 1}`).expect(401);
    const locked = await loginApi(testApp, victim.email, TEST_PASSWORD, '198.51.100.200');
    expect(errorProblems(locked, 429)).toEqual([]);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // tokens issued before the lock still work: the lock is on signing in
    await testApp.http().get('/api/v1/auth/me').set(victim.auth).expect(200);
  });
});

describe('Sessions and HTTP edges', () => {
  let testApp: TestApp;
  let admin: TestUser;
  let attacker: TestUser;
  let marketer: TestUser;
  let port: number;
  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await makeUser(testApp, [Role.ADMIN]);
    attacker = await makeUser(testApp, [Role.ADMIN]);
    marketer = await makeUser(testApp, [Role.MARKETER]);
    await testApp.app.listen(0, '127.0.0.1');
    port = (testApp.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(async () => testApp?.close());

  describe('web sign-in validation (item 13)', () => {
    it('answers a 200 KB e-mail with 400 and the validation message, and audits nothing unbounded', async () => {
      const before = (await failedLogins(testApp)).length;
      const agent = request.agent(testApp.app.getHttpServer());
      const page = await agent.get('/login').expect(200);
      const huge = `${'a'.repeat(200 * 1024)}@example.test`;
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(page.text), email: huge, password: TEST_PASSWORD });
      expect(res.status).toBe(400);
      expect(res.text).toContain('An e-mail address has at most 254 characters');
      expect(res.text).not.toContain('a'.repeat(300));
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^sg_session=/)]));
      // the API refuses it the same way
      const api = await loginApi(testApp, huge, TEST_PASSWORD);
      expect(errorProblems(api, 400)).toEqual([]);
      const events = await failedLogins(testApp);
      expect(events.length).toBe(before);
    });

    it('audits a failed form sign-in with a bounded, normalised identifier, and never what is not an e-mail address', async () => {
      const agent = request.agent(testApp.app.getHttpServer());
      const page = await agent.get('/login').expect(200);
      const email = `  ${unique('Mixed').toUpperCase()}@Example.TEST `;
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(page.text), email, password: 'wrong-password-123' })
        .expect(401);
      // a password typed into the e-mail field is not written to the audit log
      const secret = `Sup3r-secret-${unique('pw')}`;
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(page.text), email: secret, password: 'wrong-password-123' })
        .expect(401);
      const events = await failedLogins(testApp);
      const normalised = email.trim().toLowerCase();
      expect(events.filter((e) => e.actorEmail === normalised && e.metadata?.email === normalised)).toHaveLength(1);
      expect(events.filter((e) => JSON.stringify(e).includes(secret.toLowerCase())).map((e) => e.id)).toEqual([]);
      for (const event of events) expect((event.actorEmail ?? '').length).toBeLessThanOrEqual(254);
    });
  });

  describe('CSRF bound to the session (item 14)', () => {
    const cookieOf = (res: request.Response, name: string) => {
      const set = (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
      return set
        .find((c) => c.startsWith(`${name}=`))
        ?.split(';')[0]
        .slice(name.length + 1);
    };
    const newUser = (token: string) => ({
      _csrf: token,
      email: `${unique('csrf')}@example.test`,
      displayName: 'X',
      password: 'long-enough-password',
      roles: 'ADMIN',
    });
    const userCount = async () => (await testApp.http().get('/api/v1/users?pageSize=1').set(admin.auth).expect(200)).body.total as number;

    it('refuses a token minted for one session in another session, even with the same CSRF cookie', async () => {
      // The attacker reads a token on their own session, then plants their CSRF cookie in the victim's browser.
      const first = await testApp.http().get('/login').expect(200);
      const plantedCookie = decodeURIComponent(cookieOf(first, 'sg_csrf')!);
      const attackerPage = await testApp
        .http()
        .get('/admin/users')
        .set('Cookie', `sg_csrf=${plantedCookie}; sg_session=${attacker.token}`)
        .expect(200);
      const attackerToken = csrfOf(attackerPage.text);
      const before = await userCount();
      const victimCookies = `sg_csrf=${plantedCookie}; sg_session=${admin.token}`;
      const res = await testApp.http().post('/admin/users').set('Cookie', victimCookies).type('form').send(newUser(attackerToken));
      expect(res.status).toBe(403);
      // a token from the sign-in page (no session) is refused in a session too
      await testApp
        .http()
        .post('/admin/users')
        .set('Cookie', victimCookies)
        .type('form')
        .send(newUser(csrfOf(first.text)))
        .expect(403);
      expect(await userCount()).toBe(before);
      // the victim's own page token works (so the refusals were about the binding)
      const own = await testApp.http().get('/admin/users').set('Cookie', victimCookies).expect(200);
      await testApp
        .http()
        .post('/admin/users')
        .set('Cookie', victimCookies)
        .type('form')
        .send(newUser(csrfOf(own.text)))
        .expect(303);
      expect(await userCount()).toBe(before + 1);
    });

    it('does not adopt an attacker-chosen sg_csrf cookie, nor hand out a token for it', async () => {
      const chosen = 'A'.repeat(40);
      const page = await testApp.http().get('/login').set('Cookie', `sg_csrf=${chosen}`).expect(200);
      const issued = cookieOf(page, 'sg_csrf');
      expect(issued).toBeDefined();
      expect(issued).not.toBe(chosen);
      const before = await userCount();
      const forged = await testApp
        .http()
        .post('/admin/users')
        .set('Cookie', `sg_csrf=${chosen}; sg_session=${admin.token}`)
        .type('form')
        .send(newUser(csrfOf(page.text)));
      expect(forged.status).toBe(403);
      const signedIn = await testApp.http().get('/admin/users').set('Cookie', `sg_csrf=${chosen}; sg_session=${admin.token}`).expect(200);
      await testApp
        .http()
        .post('/admin/users')
        .set('Cookie', `sg_csrf=${chosen}; sg_session=${admin.token}`)
        .type('form')
        .send(newUser(csrfOf(signedIn.text)))
        .expect(403);
      expect(await userCount()).toBe(before);
    });
  });

  describe('the HTTP parser answers the error JSON (item 17)', () => {
    it('answers an over-long URL with 431 and the error JSON', async () => {
      const raw = await rawExchange(port, `GET /api/v1/tools/${'a'.repeat(100 * 1024)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      const res = parseRaw(raw);
      expect(res.status).toBe(431);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({
        statusCode: 431,
        error: 'Request Header Fields Too Large',
        code: 'REQUEST_HEADERS_TOO_LARGE',
        message: expect.any(String),
        requestId: res.headers['x-request-id'],
      });
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    });

    it('answers a malformed request line with 400 and the error JSON, and keeps serving', async () => {
      for (const payload of [
        'NOT A REQUEST\r\n\r\n',
        'GET / HTTP/1.1 trailing\r\nHost: x\r\n\r\n',
        'GET /\u0000 HTTP/1.1\r\nHost: x\r\n\r\n',
      ]) {
        const res = parseRaw(await rawExchange(port, payload));
        expect({ payload, status: res.status }).toEqual({ payload, status: 400 });
        expect(res.body).toMatchObject({
          statusCode: 400,
          error: 'Bad Request',
          code: 'MALFORMED_REQUEST',
          requestId: res.headers['x-request-id'],
        });
      }
      await testApp.http().get('/api/health').expect(200);
    });
  });

  describe("Cache-Control and the admin's own row (item 18)", () => {
    it('marks every authenticated API answer no-store, refusals included', async () => {
      for (const path of ['/api/v1/auth/me', '/api/v1/tools', '/api/v1/notifications']) {
        const res = await testApp.http().get(path).set(marketer.auth).expect(200);
        expect({ path, cc: res.headers['cache-control'] }).toEqual({ path, cc: 'no-store' });
      }
      const refused = await testApp.http().get('/api/v1/users').set(marketer.auth).expect(403);
      expect(refused.headers['cache-control']).toBe('no-store');
      const login = await loginApi(testApp, marketer.email, TEST_PASSWORD).expect(200);
      expect(login.headers['cache-control']).toBe('no-store');
    });

    it('marks every page rendered for a signed-in user no-store', async () => {
      const agent = await signIn(testApp, admin);
      for (const path of ['/', '/catalog', '/requests', '/admin/users']) {
        const res = await agent.get(path);
        expect({ path, status: res.status, cc: res.headers['cache-control'] }).toEqual({ path, status: 200, cc: 'no-store' });
      }
    });

    it('lets an admin save their own row, still refusing a change of their own roles or deactivating themselves', async () => {
      const me = await makeUser(testApp, [Role.ADMIN, Role.CMO]);
      const agent = await signIn(testApp, me);
      const page = await agent.get('/admin/users').expect(200);
      const fields = submittedFields(page.text, `/admin/users/${me.id}`);
      const saved = await agent.post(`/admin/users/${me.id}`).type('form').send(fields);
      expect({ status: saved.status, location: saved.headers.location }).toEqual({ status: 303, location: '/admin/users' });
      expect((await bannersAfter(agent, saved)).notice).toContain('Saved');
      // another field travels with the row's own fields
      const fresh = submittedFields((await agent.get('/admin/users').expect(200)).text, `/admin/users/${me.id}`);
      await agent
        .post(`/admin/users/${me.id}`)
        .type('form')
        .send({ ...fresh, displayName: 'Renamed Admin' })
        .expect(303);
      const mine = (await testApp.http().get(`/api/v1/users/${me.id}`).set(admin.auth).expect(200)).body;
      expect(mine).toMatchObject({ displayName: 'Renamed Admin', active: true, roles: [Role.ADMIN, Role.CMO] });
      // a real attempt at one's own roles is refused, not silently dropped
      const again = submittedFields((await agent.get('/admin/users').expect(200)).text, `/admin/users/${me.id}`);
      const roles = await agent
        .post(`/admin/users/${me.id}`)
        .type('form')
        .send({ ...again, roles: [Role.ADMIN] });
      expect(roles.status).toBe(403);
      expect(roles.text).toContain('You cannot change your own roles');
      // and so is deactivating oneself (the box left out)
      const { active: _active, ...withoutActive } = again;
      const deactivate = await agent.post(`/admin/users/${me.id}`).type('form').send(withoutActive);
      expect(deactivate.status).toBe(422);
      expect(deactivate.text).toContain('You cannot deactivate yourself');
      const after = (await testApp.http().get(`/api/v1/users/${me.id}`).set(admin.auth).expect(200)).body;
      expect(after).toMatchObject({ active: true, roles: [Role.ADMIN, Role.CMO], version: mine.version });
    });
  });
});
