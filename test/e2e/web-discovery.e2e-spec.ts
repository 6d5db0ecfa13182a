import { CostCenterKind, Tool } from '@stackgate/catalog';
import { DiscoveryCandidate } from '@stackgate/discovery';
import { makeCast } from '../support/factories';
import { makeCostCenter, subcategory } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

/** Issue 25: the discovery queue's pages call the same services as the API; actions answer with flash messages. */
describe('Web: the discovery queue', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let ccId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    ccId = (await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' })).id;
    const csv = [
      'date,merchant,amount,currency,employee,costCenter,memo,reference',
      '2026-03-01,PAYPAL *LIVESTORM,99.00,EUR,ana@example.com,MKT,,W-1',
    ];
    await testApp
      .http()
      .post('/api/v1/imports')
      .set(cast.finance.auth)
      .field('kind', 'spend-transactions')
      .field('dryRun', 'false')
      .attach('file', Buffer.from(csv.join('\n')), 'card.csv')
      .expect(200);
  });
  afterAll(async () => testApp?.close());

  it('lists the queue for IT, opens a candidate and registers it with a flash message; the form runs once', async () => {
    const it = await signIn(testApp, cast.it);
    const list = await it.get('/discovery').expect(200);
    expect(list.text).toContain('Livestorm');
    expect(list.text).toContain('href="/discovery"'); // in the nav
    const candidate = await testApp.dataSource.getRepository(DiscoveryCandidate).findOneByOrFail({ merchantKey: 'livestorm' });
    const page = await it.get(`/discovery/${candidate.id}`).expect(200);
    expect(page.text).toContain('Register as a tool');
    const once = /name="_once" value="([^"]+)"/.exec(page.text)![1];
    const form = {
      _csrf: csrfOf(page.text),
      _once: once,
      name: 'Livestorm',
      vendorName: '',
      subcategoryId: (await subcategory(testApp, 'Events, Meetings & Webinars')).id,
      budgetOwnerId: ccId,
    };
    const refused = await it
      .post(`/discovery/${candidate.id}/register`)
      .type('form')
      .send({ ...form, _once: undefined, budgetOwnerId: 'x' })
      .expect(303);
    expect((await bannersAfter(it, refused)).error).toContain('Budget owner');
    const done = await it.post(`/discovery/${candidate.id}/register`).type('form').send(form).expect(303);
    expect((await bannersAfter(it, done)).notice).toBe(
      'Livestorm is registered as a tool in use; IT reviews it next (shadow IT until then).',
    );
    const twice = await it.post(`/discovery/${candidate.id}/register`).type('form').send(form).expect(303);
    expect(twice.headers.location).toBe(`/discovery/${candidate.id}`);
    expect(await testApp.dataSource.getRepository(Tool).count({ where: { name: 'Livestorm' } })).toBe(1);
    const after = await it.get(`/discovery/${candidate.id}`).expect(200);
    expect(after.text).toContain('Registered as a tool');
    expect(after.text).toContain('Reopen');
  });

  it('shows the queue to the CMO without action forms, and not to a marketer', async () => {
    const cmo = await signIn(testApp, cast.cmo);
    const candidate = await testApp.dataSource.getRepository(DiscoveryCandidate).findOneByOrFail({ merchantKey: 'livestorm' });
    const page = await cmo.get(`/discovery/${candidate.id}`).expect(200);
    expect(page.text).not.toContain('action="/discovery/');
    const marketer = await signIn(testApp, cast.marketer);
    await marketer.get('/discovery').expect(403);
  });
});
