import { parse } from 'csv-parse/sync';
import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool, makeVendor } from '../support/catalog-factories';
import { makeUser, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];
/** Handlebars writes = as &#x3D; in attributes (the same character to a browser). */
const attrs = (html: string) => html.replace(/&#x3D;/g, '=');

describe('Web UI: catalog sort, saved views and export', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser, other: TestUser;
  let prefix: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer, other] = await Promise.all([
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.CMO]),
    ]);
    prefix = unique('webview').toLowerCase();
    const budgetOwnerId = (await makeCostCenter(testApp, admin)).id;
    for (const [name, vendor] of [
      ['one', 'zulu'],
      ['two', 'alpha'],
    ]) {
      const vendorId = (await makeVendor(testApp, marketer, { name: `${prefix} ${vendor}` })).id;
      await makeTool(testApp, marketer, { name: `${prefix} ${name}`, vendorId, budgetOwnerId });
    }
  });
  afterAll(async () => testApp?.close());

  it('the table headers are sort links; the sorted one carries aria-sort, and a hostile sort is a 400 page', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get(`/catalog?search=${prefix}&sort=-vendor`).expect(200);
    expect(attrs(page.text)).toMatch(/<th scope="col" class="hide-sm" aria-sort="descending"><a class="sort-link" href="[^"]*sort=vendor"/);
    expect(attrs(page.text)).toContain(`href="/catalog?search=${prefix}&amp;sort=name"`);
    expect((page.text.match(/aria-sort=/g) ?? []).length).toBe(1);
    expect(page.text.indexOf(`${prefix} one`)).toBeLessThan(page.text.indexOf(`${prefix} two`)); // zulu before alpha
    const ascending = await agent.get(`/catalog?search=${prefix}&sort=vendor`).expect(200);
    expect(ascending.text.indexOf(`${prefix} two`)).toBeLessThan(ascending.text.indexOf(`${prefix} one`));
    for (const sort of ['password', 'name;DROP TABLE tools', '-', "name'"]) {
      const res = await agent.get('/catalog').query({ sort });
      expect([sort, res.status]).toEqual([sort, 400]);
    }
  });

  it('saves the current filters as a view, lists it as current, renames and deletes it', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get(`/catalog?search=${prefix}&sort=-vendor`).expect(200);
    expect(attrs(page.text)).toContain(`name="query" value="search=${prefix}&amp;sort=-vendor"`);
    const saved = await agent
      .post('/catalog/views')
      .type('form')
      .send({ _csrf: csrfOf(page.text), _once: formKeyOf(page.text), query: `search=${prefix}&sort=-vendor`, name: 'By vendor <b>' })
      .expect(303);
    expect(saved.headers.location).toBe(`/catalog?search=${prefix}&sort=-vendor`);
    expect((await bannersAfter(agent, saved)).notice).toBe('View "By vendor <b>" saved');
    const listed = await agent.get(saved.headers.location).expect(200);
    expect(attrs(listed.text)).toMatch(
      /<a href="\/catalog\?search=[^"]+" aria-current="true" class="current-view">By vendor &lt;b&gt;<\/a>/,
    );
    expect(listed.text).not.toContain('By vendor <b>');

    // Refusals are worded next to the name field and save nothing.
    const empty = await agent
      .post('/catalog/views')
      .type('form')
      .send({ _csrf: csrfOf(listed.text), _once: formKeyOf(listed.text), query: 'sort=name', name: '' })
      .expect(400);
    expect(empty.text).toContain('aria-invalid="true" aria-describedby="view-name-err"');
    expect(empty.text).toContain('Name the view: fill this in');
    const taken = await agent
      .post('/catalog/views')
      .type('form')
      .send({ _csrf: csrfOf(empty.text), _once: formKeyOf(empty.text), query: 'sort=name', name: 'BY VENDOR <B>' })
      .expect(409);
    expect(taken.text).toContain('You already have a view named');
    const badSort = await agent
      .post('/catalog/views')
      .type('form')
      .send({ _csrf: csrfOf(taken.text), _once: formKeyOf(taken.text), query: 'sort=password', name: 'Bad' })
      .expect(400);
    expect(badSort.text).toContain('sort must be one of');
    const api = await testApp.http().get('/api/v1/catalog-views').set(marketer.auth).expect(200);
    expect(api.body.items.map((view: { name: string }) => view.name)).toEqual(['By vendor <b>']);
    const view = api.body.items[0] as { id: string; version: number };

    // Someone else cannot rename or delete it.
    const stranger = await signIn(testApp, other);
    const theirPage = await stranger.get('/catalog').expect(200);
    expect(theirPage.text).not.toContain('By vendor');
    await stranger
      .post(`/catalog/views/${view.id}/rename`)
      .type('form')
      .send({ _csrf: csrfOf(theirPage.text), name: 'Mine', version: 1 })
      .expect(404);
    await stranger
      .post(`/catalog/views/${view.id}/delete`)
      .type('form')
      .send({ _csrf: csrfOf(theirPage.text) })
      .expect(404);

    const renamed = await agent
      .post(`/catalog/views/${view.id}/rename`)
      .type('form')
      .send({ _csrf: csrfOf(listed.text), name: 'Vendors Z→A', version: String(view.version) })
      .expect(303);
    expect((await bannersAfter(agent, renamed)).notice).toBe('View renamed to "Vendors Z→A"');
    const stale = await agent
      .post(`/catalog/views/${view.id}/rename`)
      .type('form')
      .send({ _csrf: csrfOf(listed.text), name: 'Again', version: String(view.version) })
      .expect(303);
    expect((await bannersAfter(agent, stale)).error).toMatch(/^The view was not renamed: /);
    const deleted = await agent
      .post(`/catalog/views/${view.id}/delete`)
      .type('form')
      .send({ _csrf: csrfOf(listed.text) })
      .expect(303);
    expect((await bannersAfter(agent, deleted)).notice).toBe('View "Vendors Z→A" deleted');
    expect((await testApp.http().get('/api/v1/catalog-views').set(marketer.auth).expect(200)).body.total).toBe(0);
  });

  it('the export links carry the filters and sort, and the file holds exactly those tools in that order', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get(`/catalog?search=${prefix}&sort=-name`).expect(200);
    expect(attrs(page.text)).toContain(`href="/catalog/export?format=csv&amp;search=${prefix}&amp;sort=-name"`);
    expect(attrs(page.text)).toContain(`href="/catalog/export?format=xlsx&amp;search=${prefix}&amp;sort=-name"`);
    const file = await agent.get(`/catalog/export?format=csv&search=${prefix}&sort=-name`).expect(200);
    expect(file.headers['content-type']).toMatch(/^text\/csv/);
    expect(file.headers['content-disposition']).toMatch(/attachment; filename="tools-.*\.csv"/);
    const rows = parse<{ name: string }>(file.text.replace(/^\uFEFF/, ''), { columns: true });
    expect(rows.map((row) => row.name)).toEqual([`${prefix} two`, `${prefix} one`]);
    await agent.get('/catalog/export?format=pdf').expect(400);
    await agent.get('/catalog/export?sort=password').expect(400);
  });
});
