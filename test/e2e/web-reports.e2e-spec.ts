import { Role } from '@stackgate/platform';
import { makeUser, TestUser } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { CostCenterKind } from '@stackgate/catalog';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

describe('Web UI: report pages', () => {
  let testApp: TestApp;
  let finance: TestUser, marketer: TestUser;
  beforeAll(async () => {
    testApp = await startTestApp({ FISCAL_YEAR_START_MONTH: '1' });
    [finance, marketer] = await Promise.all([makeUser(testApp, [Role.FINANCE]), makeUser(testApp, [Role.MARKETER])]);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING });
    const tool = await makeTool(testApp, { name: 'Report Tool', vendor: await makeVendor(testApp), subcategory: 'CRM', budgetOwner: mkt });
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(finance.auth)
      .send({ toolId: tool.id, startDate: '2026-01-01', termMonths: 12, billing: 'MONTHLY', amount: money('1000.00') })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  it('/reports lists every report with a link to it and its CSV (issue 23 §3: it answered "Cannot GET /reports")', async () => {
    const agent = await signIn(testApp, finance);
    const index = await agent.get('/reports').expect(200);
    for (const kind of ['spend', 'budget-vs-actual', 'renewals', 'governance']) {
      expect(index.text).toContain(`href="/reports/${kind}"`);
      expect(index.text).toContain(`href="/reports/${kind}.csv"`);
    }
    expect(index.text).toContain('href="/reports" aria-current="page"');
    await (await signIn(testApp, marketer)).get('/reports').set('Accept', 'text/html').expect(403);
  });

  it('finance opens the spend report, switches grouping and downloads the same figures as CSV', async () => {
    const agent = await signIn(testApp, finance);
    const page = await agent.get('/reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=budget').expect(200);
    expect(page.text).toContain('Download CSV');
    const href = /href="(\/reports\/spend\.csv\?[^"]+)"/.exec(page.text)![1].replace(/&amp;/g, '&');
    await agent.get(href).expect(200);
    expect(page.text).toContain('12,000.00');
    const byTool = await agent.get('/reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=tool').expect(200);
    expect(byTool.text).toContain('Report Tool');
    const csv = await agent.get('/reports/spend.csv?from=2026-01&to=2026-12&basis=committed&groupBy=tool').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment/);
    expect(csv.text.split('\r\n')[0]).toBe('key,label,currency,total,marketing,it,other');
    expect(csv.text).toContain('12000.00');
    const api = await testApp
      .http()
      .get('/api/v1/reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=tool&format=csv')
      .set(finance.auth)
      .expect(200);
    expect(csv.text).toBe(api.text);
  });

  it("gives finance a home page with its (empty) review queue and this fiscal year's marketing vs IT spend, formatted for the reader", async () => {
    const agent = await signIn(testApp, finance);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Awaiting my review (0)');
    expect(home.text).toContain('Nothing is waiting for you.');
    // The contract above runs Jan–Dec of this test's fiscal year only when "now" is in 2026.
    if (new Date().getUTCFullYear() === 2026)
      expect(home.text).toContain('Committed €12,000.00: marketing €12,000.00, IT €0.00, other €0.00.');
    else expect(home.text).toMatch(/Committed €[\d,]+\.\d{2}: marketing €/);
  });

  it('shows every report tab, and a clear error for a bad range', async () => {
    const agent = await signIn(testApp, finance);
    for (const report of ['budget-vs-actual', 'renewals', 'governance']) await agent.get(`/reports/${report}`).expect(200);
    const bad = await agent.get('/reports/spend?from=2026-13&to=2026-12').expect(400);
    expect(bad.text).toContain('role="alert"');
    await agent.get('/reports/nope').set('Accept', 'text/html').expect(404);
  });

  it('refuses a marketer with a 403 page', async () => {
    const agent = await signIn(testApp, marketer);
    const res = await agent.get('/reports/spend').set('Accept', 'text/html').expect(403);
    expect(res.text).toContain('Not allowed');
    await agent.get('/reports/spend.csv?from=2026-01&to=2026-12').expect(403);
  });
});
