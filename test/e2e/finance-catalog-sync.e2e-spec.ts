import { totalsDrift } from '@stackgate/finance';
import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Finance follows catalog changes (ledger copies of tool and cost-center attributes)', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser, finance: TestUser, cio: TestUser;
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer, finance, cio] = await Promise.all([
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.FINANCE]),
      makeUser(testApp, [Role.CIO]),
    ]);
  });
  afterAll(async () => testApp?.close());

  const report = async (groupBy: string) =>
    (
      await testApp
        .http()
        .get(`/api/v1/reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=${groupBy}`)
        .set(finance.auth)
        .expect(200)
    ).body;

  it("re-groups a tool's committed spend after its subcategory, budget owner and cost-center kind change", async () => {
    const mkt = await makeCostCenter(testApp, admin, { kind: 'MARKETING' });
    const it = await makeCostCenter(testApp, admin, { kind: 'IT' });
    const tool = await makeTool(testApp, marketer, { budgetOwnerId: mkt.id, subcategoryId: await subcategoryId(testApp, 'CRM') });
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(finance.auth)
      .send({
        toolId: tool.id,
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: { amount: '1000.00', currency: 'EUR' },
      })
      .expect(201);
    expect((await report('subcategory')).rows).toEqual([
      expect.objectContaining({ label: 'CRM', total: '12000.00', marketing: '12000.00' }),
    ]);

    await testApp
      .http()
      .patch(`/api/v1/tools/${tool.id}`)
      .set(marketer.auth)
      .send({ version: tool.version, subcategoryId: await subcategoryId(testApp, 'SEO'), budgetOwnerId: it.id })
      .expect(200);
    const bySub = await report('subcategory');
    expect(bySub.rows).toEqual([expect.objectContaining({ label: 'SEO', total: '12000.00', marketing: '0.00', it: '12000.00' })]);

    const cc = (await testApp.http().get(`/api/v1/cost-centers/${it.id}`).set(admin.auth).expect(200)).body;
    await testApp.http().patch(`/api/v1/cost-centers/${it.id}`).set(admin.auth).send({ version: cc.version, kind: 'OTHER' }).expect(200);
    expect((await report('budget')).totals).toMatchObject({ total: '12000.00', marketing: '0.00', it: '0.00', other: '12000.00' });
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
  });

  it("moves a tool's spend in and out of shadow IT as its IT approval and lifecycle change, in every grouping", async () => {
    const mkt = await makeCostCenter(testApp, admin, { kind: 'MARKETING' });
    const tool = await makeTool(testApp, marketer, { budgetOwnerId: mkt.id, lifecycle: 'ACTIVE' });
    expect(tool.shadowIt).toBe(true);
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(finance.auth)
      .send({ toolId: tool.id, startDate: '2027-01-01', termMonths: 12, billing: 'MONTHLY', amount: { amount: '250.00', currency: 'EUR' } })
      .expect(201);
    await testApp
      .http()
      .post('/api/v1/spend-entries')
      .set(finance.auth)
      .send({
        toolId: tool.id,
        date: '2027-03-10',
        costType: 'LICENSE',
        amount: { amount: '99.99', currency: 'EUR' },
        description: 'invoice',
      })
      .expect(201);
    const shadowOf = async (groupBy: string, basis = 'committed') =>
      (
        await testApp
          .http()
          .get(`/api/v1/reports/spend?from=2027-01&to=2027-12&basis=${basis}&groupBy=${groupBy}`)
          .set(finance.auth)
          .expect(200)
      ).body as { totals: { total: string }; shadowItShare: string };
    // Both ledgers (the totals for category and month, the rows for tool and vendor) agree.
    for (const groupBy of ['category', 'month', 'tool', 'vendor']) {
      const report = await shadowOf(groupBy);
      expect(report.totals.total).toBe('3000.00');
      expect(report.shadowItShare).toBe('1.0000');
      expect(await shadowOf(groupBy, 'actual')).toMatchObject({ totals: { total: '99.99' }, shadowItShare: '1.0000' });
    }
    await testApp
      .http()
      .post(`/api/v1/tools/${tool.id}/it-approval`)
      .set(cio.auth)
      .send({ status: 'APPROVED', rationale: 'SSO and DPA in place' })
      .expect(200);
    for (const groupBy of ['category', 'month', 'tool', 'vendor']) expect((await shadowOf(groupBy)).shadowItShare).toBe('0.0000');
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);

    const before = (await testApp.http().get(`/api/v1/tools/${tool.id}`).set(marketer.auth).expect(200)).body;
    await testApp
      .http()
      .post(`/api/v1/tools/${tool.id}/it-approval`)
      .set(cio.auth)
      .send({ status: 'REJECTED', rationale: 'no DPA', version: before.version })
      .expect(200);
    expect((await shadowOf('category')).shadowItShare).toBe('1.0000');
    const rejected = (await testApp.http().get(`/api/v1/tools/${tool.id}`).set(marketer.auth).expect(200)).body;
    await testApp
      .http()
      .patch(`/api/v1/tools/${tool.id}`)
      .set(marketer.auth)
      .send({ version: rejected.version, lifecycle: 'SUNSETTING' })
      .expect(200);
    for (const groupBy of ['category', 'tool']) expect((await shadowOf(groupBy)).shadowItShare).toBe('0.0000');
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
  });
});
