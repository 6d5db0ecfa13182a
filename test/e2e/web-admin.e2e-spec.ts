import { Role } from '@stackgate/platform';
import { makeTool, subcategoryId } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

describe('Web UI: admin pages for cost centers and categories', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser;
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer] = await Promise.all([makeUser(testApp, [Role.ADMIN]), makeUser(testApp, [Role.MARKETER])]);
  });
  afterAll(async () => testApp?.close());

  it('adds and edits a cost center through the forms', async () => {
    const agent = await signIn(testApp, admin);
    const page = await agent.get('/admin/cost-centers').expect(200);
    await agent
      .post('/admin/cost-centers')
      .type('form')
      .send({ _csrf: csrfOf(page.text), code: 'mkt-web', name: 'Web team', kind: 'MARKETING' })
      .expect(303);
    const list = (await testApp.http().get('/api/v1/cost-centers').set(admin.auth).expect(200)).body.items;
    const cc = list.find((c: { code: string }) => c.code === 'MKT-WEB');
    expect(cc).toMatchObject({ name: 'Web team', kind: 'MARKETING' });
    const again = await agent.get('/admin/cost-centers').expect(200);
    await agent
      .post(`/admin/cost-centers/${cc.id}`)
      .type('form')
      .send({ _csrf: csrfOf(again.text), version: String(cc.version), name: 'Web & SEO', kind: 'OTHER', ownerId: '', active: 'on' })
      .expect(303);
    expect((await testApp.http().get(`/api/v1/cost-centers/${cc.id}`).set(admin.auth).expect(200)).body).toMatchObject({
      name: 'Web & SEO',
      kind: 'OTHER',
    });
    const dup = await agent
      .post('/admin/cost-centers')
      .type('form')
      .send({ _csrf: csrfOf(again.text), code: 'MKT-WEB', name: 'Dup', kind: 'IT' })
      .expect(303);
    expect(dup.headers.location).toBe('/admin/cost-centers');
    expect((await bannersAfter(agent, dup)).error).toMatch(/MKT-WEB/);
  });

  it('adds a subcategory, refuses deleting one in use, deletes an unused one', async () => {
    const agent = await signIn(testApp, admin);
    const page = await agent.get('/admin/categories').expect(200);
    expect(page.text).toContain('Customer Data Platform');
    const data = (await testApp.http().get('/api/v1/categories').set(admin.auth).expect(200)).body.find(
      (c: { name: string }) => c.name === 'Data',
    );
    await agent
      .post('/admin/categories')
      .type('form')
      .send({ _csrf: csrfOf(page.text), name: 'Reverse ETL', parentId: data.id })
      .expect(303);
    const added = (await testApp.http().get('/api/v1/categories').set(admin.auth).expect(200)).body
      .find((c: { name: string }) => c.name === 'Data')
      .subcategories.find((s: { name: string }) => s.name === 'Reverse ETL');
    expect(added).toBeTruthy();
    const cc = (
      await testApp.http().post('/api/v1/cost-centers').set(admin.auth).send({ code: 'IT-1', name: 'IT', kind: 'IT' }).expect(201)
    ).body;
    await makeTool(testApp, marketer, { budgetOwnerId: cc.id, subcategoryId: await subcategoryId(testApp, 'DMP') });
    const dmp = await subcategoryId(testApp, 'DMP');
    const refused = await agent
      .post(`/admin/categories/${dmp}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), delete: 'yes' })
      .expect(303);
    expect(refused.headers.location).toBe('/admin/categories');
    expect((await bannersAfter(agent, refused)).error).not.toBe('');
    await agent
      .post(`/admin/categories/${added.id}`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), delete: 'yes' })
      .expect(303);
    expect((await testApp.http().get(`/api/v1/categories/${added.id}`).set(admin.auth)).status).toBe(404);
  });

  it('is closed to non-admins', async () => {
    const agent = await signIn(testApp, marketer);
    await agent.get('/admin/cost-centers').set('Accept', 'text/html').expect(403);
    await agent.get('/admin/categories').set('Accept', 'text/html').expect(403);
  });
});
