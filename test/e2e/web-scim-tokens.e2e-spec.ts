import { DataSource } from 'typeorm';
import { hashToken, ScimToken } from '@stackgate/identity';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];
const tokenOnPage = (html: string) => /id="new-token" class="mono" value="([^"]+)"/.exec(html)?.[1];

describe('Web: SCIM provisioning page', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_URL: 'https://stackgate.example.com' });
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  it('shows the base URL, creates a token shown once, lists it and revokes it', async () => {
    const agent = await signIn(testApp, cast.admin);
    const page = await agent.get('/admin/scim').expect(200);
    expect(page.text).toContain('value="https://stackgate.example.com/scim/v2"');
    expect(page.text).toContain('data-copy="scim-base-url"');
    const refused = await agent
      .post('/admin/scim')
      .type('form')
      .send({ _csrf: csrfOf(page.text), _once: formKeyOf(page.text), expiresAt: '2020-01-01' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('expiresAt must be in the future');

    const form = await agent.get('/admin/scim').expect(200);
    const created = await agent
      .post('/admin/scim')
      .type('form')
      .send({ _csrf: csrfOf(form.text), _once: formKeyOf(form.text), name: 'Okta', expiresAt: '' });
    expect(created.status).toBe(303);
    const shown = await agent.get('/admin/scim').expect(200);
    expect(shown.headers['cache-control']).toContain('no-store');
    const token = tokenOnPage(shown.text)!;
    expect(token).toMatch(/^sgscim_/);
    expect(shown.text).toContain('data-copy="new-token"');
    const row = await testApp.app
      .get(DataSource)
      .getRepository(ScimToken)
      .findOneByOrFail({ tokenHash: hashToken(token) });
    expect(row.name).toBe('Okta');
    const again = await agent.get('/admin/scim').expect(200);
    expect(tokenOnPage(again.text)).toBeUndefined();
    expect(again.text).toContain(token.slice(0, 19));
    await testApp
      .http()
      .get('/scim/v2/Users')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);

    const revoked = await agent
      .post(`/admin/scim/${row.id}/revoke`)
      .type('form')
      .send({ _csrf: csrfOf(again.text) });
    expect(revoked.status).toBe(303);
    await testApp
      .http()
      .get('/scim/v2/Users')
      .set({ Authorization: `Bearer ${token}` })
      .expect(401);
    expect((await agent.get('/admin/scim').expect(200)).text).toContain('Revoked');
  });

  it('is for administrators only', async () => {
    const agent = await signIn(testApp, cast.cio);
    const res = await agent.get('/admin/scim');
    expect(res.status).toBe(403);
  });
});
