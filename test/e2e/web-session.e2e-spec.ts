import request from 'supertest';
import { AuditEvent } from '@stackgate/audit';
import { Role } from '@stackgate/platform';
import { makeUser, TEST_PASSWORD, TestUser } from '../support/factories';
import { bannersAfter, csrfOf, signIn } from '../support/web';
import { startTestApp, TestApp } from '../support/test-app';

describe('Web UI: sessions, CSRF, role-aware pages', () => {
  let testApp: TestApp;
  let admin: TestUser;
  let marketer: TestUser;
  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await makeUser(testApp, [Role.ADMIN]);
    marketer = await makeUser(testApp, [Role.MARKETER]);
  });
  afterAll(async () => testApp?.close());

  it('sends a signed-out visitor to the sign-in page', async () => {
    const res = await testApp.http().get('/').set('Accept', 'text/html').expect(303);
    expect(res.headers.location).toBe('/login?next=%2F');
    const login = await testApp.http().get('/login').expect(200);
    expect(login.headers['content-type']).toMatch(/html/);
    expect(login.text).toContain('Sign in to Stackgate');
  });

  it('signs in with an httpOnly SameSite cookie and shows the home page', async () => {
    const agent = request.agent(testApp.app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: marketer.email, password: TEST_PASSWORD, next: '/catalog' })
      .expect(303);
    expect(res.headers.location).toBe('/catalog');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sg_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Request a tool');
    expect(home.text).not.toContain('href="/admin/users"');
  });

  it('keeps the e-mail and shows the error on a wrong password', async () => {
    const agent = request.agent(testApp.app.getHttpServer());
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: marketer.email, password: 'wrong-password-xx' })
      .expect(401);
    expect(res.text).toContain('role="alert"');
    expect(res.text).toContain(`value="${marketer.email}"`);
  });

  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const agent = await signIn(testApp, admin);
    const before = await testApp.http().get('/api/v1/users').set(admin.auth).expect(200);
    const res = await agent
      .post('/admin/users')
      .type('form')
      .set('Accept', 'text/html')
      .send({ email: 'csrf@example.test', displayName: 'X', password: 'long-enough-password', roles: 'CMO' })
      .expect(403);
    expect(res.text).toContain('did not come from Stackgate');
    const after = await testApp.http().get('/api/v1/users').set(admin.auth).expect(200);
    expect(after.body.total).toBe(before.body.total);
    const login = await request(testApp.app.getHttpServer())
      .post('/login')
      .type('form')
      .send({ email: admin.email, password: TEST_PASSWORD })
      .expect(403);
    expect(login.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^sg_session=/)]));
  });

  it('lets an admin add a user through the form, with field errors kept next to the field', async () => {
    const agent = await signIn(testApp, admin);
    const page = await agent.get('/admin/users').expect(200);
    const bad = await agent
      .post('/admin/users')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: 'not-an-email', displayName: 'Pat', password: 'long-enough-password', roles: 'CMO' })
      .expect(400);
    expect(bad.text).toContain('aria-invalid="true"');
    expect(bad.text).toContain('value="Pat"');
    const ok = await agent
      .post('/admin/users')
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        email: 'pat@example.test',
        displayName: 'Pat',
        password: 'long-enough-password',
        roles: ['CMO', 'IT'],
      })
      .expect(303);
    expect(ok.headers.location).toBe('/admin/users');
    expect((await bannersAfter(agent, ok)).notice).toBe('Created pat@example.test');
    const list = await testApp.http().get('/api/v1/users?search=pat@').set(admin.auth).expect(200);
    expect(list.body.items[0].roles).toEqual(['CMO', 'IT']);
  });

  it('shows a 403 page to a marketer opening admin, and records the refusal', async () => {
    const agent = await signIn(testApp, marketer);
    const res = await agent.get('/admin/users').set('Accept', 'text/html').expect(403);
    expect(res.text).toContain('Not allowed');
    expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'authz.denied', actorId: marketer.id })).toBeGreaterThan(0);
  });

  it('does not accept the session cookie on the API', async () => {
    const agent = await signIn(testApp, admin);
    await agent.get('/api/v1/auth/me').expect(401);
  });

  it('signs out: the cookie no longer works', async () => {
    const agent = await signIn(testApp, marketer);
    const home = await agent.get('/').expect(200);
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfOf(home.text) })
      .expect(303);
    await agent.get('/').set('Accept', 'text/html').expect(303);
  });

  it('serves its stylesheet itself (no CDN)', async () => {
    const css = await testApp.http().get('/assets/app.css').expect(200);
    expect(css.headers['content-type']).toMatch(/css/);
    const home = await testApp.http().get('/login');
    expect(home.text).not.toMatch(/https?:\/\/(?!localhost)/);
  });
});
