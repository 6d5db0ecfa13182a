import { DataSource } from 'typeorm';
import { ApiToken, hashToken } from '@stackgate/identity';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];
const tokenOnPage = (html: string) => /id="new-token" class="mono" value="([^"]+)"/.exec(html)?.[1];

describe('Web: API tokens and service accounts pages', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  it('creates a personal token, shows it once after the redirect, lists it, and revokes it', async () => {
    const agent = await signIn(testApp, cast.cmo);
    const page = await agent.get('/account/tokens').expect(200);
    expect(page.text).toContain('Create a personal access token');
    const refused = await agent
      .post('/account/tokens')
      .type('form')
      .send({ _csrf: csrfOf(page.text), _once: formKeyOf(page.text), name: 'Sheets', expiresAt: '2020-01-01' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Choose at least one scope');

    const form = await agent.get('/account/tokens').expect(200);
    const created = await agent
      .post('/account/tokens')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        _once: formKeyOf(form.text),
        name: 'Sheets export',
        scopes: ['reports:read', 'catalog:read'],
        expiresAt: '',
      });
    expect(created.status).toBe(303);
    const shown = await agent.get('/account/tokens').expect(200);
    expect(shown.headers['cache-control']).toContain('no-store');
    const token = tokenOnPage(shown.text)!;
    expect(token).toMatch(/^sgp_/);
    expect(shown.text).toContain('Copy it now: it is shown only once.');
    const rows = await testApp.app.get(DataSource).getRepository(ApiToken).findBy({ principalId: cast.cmo.id });
    expect(rows.map((row) => row.tokenHash)).toContain(hashToken(token));
    // shown once: the next page load no longer has it
    const again = await agent.get('/account/tokens').expect(200);
    expect(tokenOnPage(again.text)).toBeUndefined();
    expect(again.text).not.toContain(token);
    expect(again.text).toContain(token.slice(0, 16));
    // the same form sent twice creates one token
    const replay = await agent
      .post('/account/tokens')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _once: formKeyOf(form.text), name: 'Sheets export', scopes: ['reports:read'] });
    expect(replay.status).toBe(303);
    expect(await testApp.app.get(DataSource).getRepository(ApiToken).countBy({ principalId: cast.cmo.id })).toBe(1);
    await testApp.http().get('/api/v1/tools').set('Authorization', `Bearer ${token}`).expect(200);

    const id = rows[0].id;
    const revoked = await agent
      .post(`/account/tokens/${id}/revoke`)
      .type('form')
      .send({ _csrf: csrfOf(again.text) });
    expect((await bannersAfter(agent, revoked)).notice).toBe('Token revoked: it no longer works.');
    await testApp.http().get('/api/v1/tools').set('Authorization', `Bearer ${token}`).expect(401);
    // someone else's token is not revocable from one's own page
    const other = await signIn(testApp, cast.admin);
    const otherPage = await other.get('/account/tokens').expect(200);
    const foreign = await other
      .post(`/account/tokens/${id}/revoke`)
      .type('form')
      .send({ _csrf: csrfOf(otherPage.text) });
    expect((await bannersAfter(other, foreign)).error).toContain('not found');
  });

  it('refuses an API token on web pages', async () => {
    const created = await testApp
      .http()
      .post('/api/v1/api-tokens')
      .set(cast.it.auth)
      .send({ name: 'web', scopes: ['catalog:read'] })
      .expect(201);
    const res = await testApp.http().get('/catalog').set('Authorization', `Bearer ${created.body.token}`);
    expect(res.status).toBe(403);
  });

  it('lets an admin create a service account, issue a token shown once, disable it and revoke the token', async () => {
    const agent = await signIn(testApp, cast.admin);
    const list = await agent.get('/admin/service-accounts').expect(200);
    const admin = await agent
      .post('/admin/service-accounts')
      .type('form')
      .send({ _csrf: csrfOf(list.text), _once: formKeyOf(list.text), name: 'Jira', roles: ['IT', 'ADMIN'] });
    expect(admin.status).toBe(422);
    expect(admin.text).toContain('cannot hold ADMIN');
    const list2 = await agent.get('/admin/service-accounts').expect(200);
    const created = await agent
      .post('/admin/service-accounts')
      .type('form')
      .send({ _csrf: csrfOf(list2.text), _once: formKeyOf(list2.text), name: 'Jira', roles: ['IT'] });
    expect(created.status).toBe(303);
    const accountPage = await agent.get(created.headers.location).expect(200);
    expect(accountPage.text).toContain('Service account Jira');
    const issued = await agent
      .post(`${created.headers.location}/tokens`)
      .type('form')
      .send({ _csrf: csrfOf(accountPage.text), _once: formKeyOf(accountPage.text), name: 'prod', scopes: ['catalog:read'] });
    expect(issued.status).toBe(303);
    const shown = await agent.get(issued.headers.location).expect(200);
    const token = tokenOnPage(shown.text)!;
    expect(token).toMatch(/^sgs_/);
    await testApp.http().get('/api/v1/tools').set('Authorization', `Bearer ${token}`).expect(200);
    const disabled = await agent
      .post(created.headers.location)
      .type('form')
      .send({ _csrf: csrfOf(shown.text), name: 'Jira', roles: ['IT'], version: '1' });
    expect((await bannersAfter(agent, disabled)).notice).toBe('Saved Jira');
    await testApp.http().get('/api/v1/tools').set('Authorization', `Bearer ${token}`).expect(401);
    const tokenId = /action="\/admin\/service-accounts\/[^/]+\/tokens\/([^/]+)\/revoke"/.exec(shown.text)![1];
    const revoked = await agent
      .post(`${created.headers.location}/tokens/${tokenId}/revoke`)
      .type('form')
      .send({ _csrf: csrfOf(shown.text) });
    expect((await bannersAfter(agent, revoked)).notice).toBe('Token revoked: it no longer works.');
    await agent.get('/admin/service-accounts').expect(200);
    const marketer = await signIn(testApp, cast.marketer);
    expect((await marketer.get('/admin/service-accounts')).status).toBe(403);
  });
});
