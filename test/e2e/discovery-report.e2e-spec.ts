import { CostCenterKind, ItApprovalStatus } from '@stackgate/catalog';
import { DiscoveryCandidate } from '@stackgate/discovery';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

/**
 * Issue 25 §3: the governance report's discovery figures against a computation written here from
 * the amounts the test put in (not from the product's own sums).
 */
describe('Governance report: discovery and spend outside approved tools', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  const asOf = '2026-04-30';

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' });
    const itCc = await makeCostCenter(testApp, { kind: CostCenterKind.IT, code: 'ITC' });
    const approved = await makeTool(testApp, {
      name: 'Approved CRM',
      vendor: await makeVendor(testApp),
      subcategory: 'CRM',
      budgetOwner: mkt,
    });
    const shadow = await makeTool(testApp, {
      name: 'Shadow Board',
      vendor: await makeVendor(testApp),
      subcategory: 'Collaboration',
      budgetOwner: itCc,
      itApproval: ItApprovalStatus.NOT_REVIEWED,
    });
    const post = (path: string, body: object) => testApp.http().post(`/api/v1/${path}`).set(cast.finance.auth).send(body).expect(201);
    await post('fx-rates', { currency: 'USD', month: '2026-03', rate: '0.9' });
    await post('fx-rates', { currency: 'USD', month: '2026-04', rate: '0.9' });
    await post('spend-entries', { toolId: approved.id, date: '2026-03-10', costType: 'LICENSE', amount: money('1000.00') });
    await post('spend-entries', { toolId: shadow.id, date: '2026-04-02', costType: 'LICENSE', amount: money('200.00', 'USD') });
    // outside the 12 months up to asOf: counted nowhere
    await post('spend-entries', { toolId: shadow.id, date: '2025-04-30', costType: 'LICENSE', amount: money('5000.00') });
    const csv = [
      'date,merchant,amount,currency,employee,costCenter,memo,reference',
      '2026-03-05,PAYPAL *LIVESTORM,99.00,EUR,ana@example.com,MKT,,R-1',
      '2026-04-06,WIDGETCO GMBH BERLIN,50.00,EUR,ben@example.com,,,R-2',
      '2026-04-07,STARBUCKS 1234,7.77,EUR,ben@example.com,ITC,,R-3',
      '2026-04-08,PAYPAL *LIVESTORM,10.00,USD,ana@example.com,MKT,,R-4',
    ].join('\n');
    await testApp
      .http()
      .post('/api/v1/imports')
      .set(cast.finance.auth)
      .field('kind', 'spend-transactions')
      .field('dryRun', 'false')
      .attach('file', Buffer.from(csv), 'card.csv')
      .expect(200);
    const coffee = await testApp.dataSource.getRepository(DiscoveryCandidate).findOneByOrFail({ merchantKey: 'starbucks' });
    await testApp.http().post(`/api/v1/discovery/candidates/${coffee.id}/dismiss`).set(cast.it.auth).send({}).expect(200);
  });
  afterAll(async () => testApp?.close());

  it('answers the share of spend outside approved tools per budget and month, to the cent', async () => {
    const report = (await testApp.http().get(`/api/v1/reports/governance?asOf=${asOf}`).set(cast.cio.auth).expect(200)).body;
    // Independent computation, in cents (base EUR): USD at 0.9.
    const livestormUsd = Math.round(1000 * 0.9); // 10.00 USD → 9.00 EUR
    const marketing = { software: 100000 + 9900 + livestormUsd, outside: 9900 + livestormUsd };
    const itBudget = { software: Math.round(20000 * 0.9), outside: Math.round(20000 * 0.9) }; // dismissed coffee counts nowhere
    const unassigned = { software: 5000, outside: 5000 };
    const eur = (cents: number) => ({ amount: (cents / 100).toFixed(2), currency: 'EUR' });
    const share = (part: number, whole: number) => (whole ? (Math.round((part / whole) * 10000) / 10000).toFixed(4) : '0.0000');
    const byBudget = Object.fromEntries(report.discovery.byBudget.map((b: { budget: string }) => [b.budget, b]));
    expect(byBudget.MARKETING).toMatchObject({
      softwareSpend: eur(marketing.software),
      outsideApproved: eur(marketing.outside),
      unmatched: eur(marketing.outside),
      share: share(marketing.outside, marketing.software),
    });
    expect(byBudget.IT).toMatchObject({ softwareSpend: eur(itBudget.software), unmatched: eur(0), share: '1.0000' });
    expect(byBudget.UNASSIGNED).toMatchObject({ softwareSpend: eur(unassigned.software), share: '1.0000' });
    const all = marketing.software + itBudget.software + unassigned.software;
    const outside = marketing.outside + itBudget.outside + unassigned.outside;
    expect(report.discovery.total).toEqual({
      softwareSpend: eur(all),
      outsideApproved: eur(outside),
      unmatched: eur(9900 + livestormUsd + 5000),
      share: share(outside, all),
    });
    const months = Object.fromEntries(report.discovery.trend.map((m: { month: string }) => [m.month, m]));
    expect(report.discovery.trend).toHaveLength(12);
    expect(months['2026-03']).toMatchObject({ softwareSpend: eur(100000 + 9900), outsideApproved: eur(9900) });
    expect(months['2026-04']).toMatchObject({ softwareSpend: eur(livestormUsd + 18000 + 5000), share: '1.0000' });
    expect(months['2025-05']).toMatchObject({ softwareSpend: eur(0), share: '0.0000' });
  });

  it('lists what was discovered in the period and the open queue; CSV and HTML carry the same figures', async () => {
    const report = (await testApp.http().get(`/api/v1/reports/governance?asOf=2099-01-01`).set(cast.cio.auth).expect(200)).body;
    expect(report.discovery.openCandidates).toBe(2);
    const now = (await testApp.http().get(`/api/v1/reports/governance`).set(cast.cio.auth).expect(200)).body;
    expect(now.discovery.discovered.map((c: { merchant: string; status: string }) => `${c.merchant}:${c.status}`).sort()).toEqual([
      'livestorm:OPEN',
      'starbucks:DISMISSED',
      'widgetco:OPEN',
    ]);
    expect(now.discovery.discoveredCount).toBe(3);
    const csv = (await testApp.http().get(`/api/v1/reports/governance?asOf=${asOf}&format=csv`).set(cast.cio.auth).expect(200)).text;
    expect(csv).toContain('outside_approved_share,MARKETING,0.0975,108.00,EUR');
    expect(csv).toContain('outside_approved_month,2026-04,1.0000,');
    const html = (await testApp.http().get(`/api/v1/reports/governance?asOf=${asOf}&format=html`).set(cast.cio.auth).expect(200)).text;
    expect(html).toContain('Discovery: spend outside approved tools');
    expect(html).toContain('Marketing budget');
  });

  it("shows the open queue count on the CIO's home page, and not on a marketer's", async () => {
    const cio = await signIn(testApp, cast.cio);
    const home = (await cio.get('/').expect(200)).text;
    expect(home).toMatch(/id="discovery-open"><div class="kpi">2<\/div>/);
    const marketer = await signIn(testApp, cast.marketer);
    expect((await marketer.get('/').expect(200)).text).not.toContain('discovery-open');
  });
});
