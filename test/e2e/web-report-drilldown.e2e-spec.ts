import { CostCenterKind, ItApprovalStatus } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeUser, TestUser } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

/** Handlebars writes = as &#x3D; in attributes (the same character to a browser). */
const html = (text: string) => text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe('Web UI: report rows drill down to their tool, vendor, category or cost center', () => {
  let testApp: TestApp;
  let finance: TestUser;
  let toolId: string, vendorId: string, costCenterId: string, shadowId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ FISCAL_YEAR_START_MONTH: '1' });
    finance = await makeUser(testApp, [Role.FINANCE]);
    const center = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, name: 'Brand <team>' });
    costCenterId = center.id;
    const vendor = await makeVendor(testApp, { name: 'Drill Vendor' });
    vendorId = vendor.id;
    toolId = (await makeTool(testApp, { name: 'Drill Tool', vendor, subcategory: 'CRM', budgetOwner: center })).id;
    shadowId = (
      await makeTool(testApp, {
        name: 'Shadow <Tool>',
        vendor,
        subcategory: 'PR',
        budgetOwner: center,
        itApproval: ItApprovalStatus.NOT_REVIEWED,
      })
    ).id;
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(finance.auth)
      .send({
        toolId,
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: money('1000.00'),
        autoRenew: true,
        noticeDays: 30,
      })
      .expect(201);
    await testApp
      .http()
      .post('/api/v1/budgets')
      .set(finance.auth)
      .send({ costCenterId, fiscalYear: 2026, amount: money('50000.00') })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  it('spend by tool, vendor, cost center and category link each row; a grouping that is no record stays plain', async () => {
    const agent = await signIn(testApp, finance);
    const range = 'from=2026-01&to=2026-12&basis=committed';
    const byTool = html((await agent.get(`/reports/spend?${range}&groupBy=tool`).expect(200)).text);
    expect(byTool).toContain(`<a href="/tools/${toolId}">Drill Tool</a>`);
    const byVendor = html((await agent.get(`/reports/spend?${range}&groupBy=vendor`).expect(200)).text);
    expect(byVendor).toContain(`<a href="/catalog?vendorId=${vendorId}">Drill Vendor</a>`);
    const byCenter = html((await agent.get(`/reports/spend?${range}&groupBy=costCenter`).expect(200)).text);
    expect(byCenter).toContain(`<a href="/finance/spend?costCenterId=${costCenterId}&from=2026-01&to=2026-12">`);
    const byCategory = html((await agent.get(`/reports/spend?${range}&groupBy=category`).expect(200)).text);
    expect(byCategory).toMatch(/<a href="\/catalog\?categoryId=[0-9a-f-]{36}">Social & Relationships<\/a>/);
    const byBudget = (await agent.get(`/reports/spend?${range}&groupBy=budget`).expect(200)).text;
    expect(byBudget).not.toMatch(/<td><a href="[^"]*">Marketing<\/a>/);
    // The link leads to the spend entries of that cost center, and the catalog link to the filtered list.
    await agent.get(`/finance/spend?costCenterId=${costCenterId}&from=2026-01&to=2026-12`).expect(200);
    const catalog = await agent.get(`/catalog?vendorId=${vendorId}`).expect(200);
    expect(catalog.text).toContain('Drill Tool');
    expect(catalog.text).toContain(`<option value="${vendorId}" selected>Drill Vendor</option>`);
  });

  it('budget vs actual, renewals and governance link their cost centers, tools and vendors (names escaped)', async () => {
    const agent = await signIn(testApp, finance);
    const budget = html((await agent.get('/reports/budget-vs-actual?fiscalYear=2026').expect(200)).text);
    expect(budget).toMatch(
      new RegExp(`<a href="/finance/spend\\?costCenterId=${costCenterId}&from=2026-01&to=2026-12">[^<]*Brand &lt;team&gt;</a>`),
    );
    const renewals = html((await agent.get('/reports/renewals?withinDays=400').expect(200)).text);
    expect(renewals).toContain(`<a href="/tools/${toolId}">Drill Tool</a>`);
    expect(renewals).toContain(`<a href="/catalog?vendorId=${vendorId}">Drill Vendor</a>`);
    expect(renewals).toContain(`<a href="/finance/spend?costCenterId=${costCenterId}">`);
    const governance = html((await agent.get('/reports/governance').expect(200)).text);
    expect(governance).toContain(`<a href="/tools/${shadowId}">Shadow &lt;Tool&gt;</a>`);
    expect(governance).not.toContain('Shadow <Tool>');
  });

  it('the CSV, the JSON and the printable page are unchanged: no links', async () => {
    const agent = await signIn(testApp, finance);
    const csv = await agent.get('/reports/spend.csv?from=2026-01&to=2026-12&basis=committed&groupBy=tool').expect(200);
    expect(csv.text).not.toContain('href');
    expect(csv.text).toContain('Drill Tool');
    for (const format of ['json', 'csv', 'html']) {
      const res = await testApp.http().get(`/api/v1/reports/governance?format=${format}`).set(finance.auth).expect(200);
      expect([format, res.text.includes('href="/tools/')]).toEqual([format, false]);
    }
    const json = await testApp
      .http()
      .get('/api/v1/reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=tool')
      .set(finance.auth)
      .expect(200);
    expect(json.body.rows[0]).toEqual(expect.objectContaining({ key: toolId, label: 'Drill Tool' }));
  });
});
