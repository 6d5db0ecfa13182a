import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Finance follows catalog changes (ledger copies of tool and cost-center attributes)', () => {
  let t: TestApp;
  let admin: TestUser, marketer: TestUser, finance: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    [admin, marketer, finance] = await Promise.all([makeUser(t, [Role.ADMIN]), makeUser(t, [Role.MARKETER]), makeUser(t, [Role.FINANCE])]);
  });
  afterAll(async () => t?.close());

  const report = async (groupBy: string) =>
    (await t.http().get(`/api/v1/reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=${groupBy}`).set(finance.auth).expect(200)).body;

  it('re-groups a tool\'s committed spend after its subcategory, budget owner and cost-center kind change', async () => {
    const mkt = await makeCostCenter(t, admin, { kind: 'MARKETING' });
    const it = await makeCostCenter(t, admin, { kind: 'IT' });
    const tool = await makeTool(t, marketer, { budgetOwnerId: mkt.id, subcategoryId: await subcategoryId(t, 'CRM') });
    await t.http().post('/api/v1/contracts').set(finance.auth)
      .send({ toolId: tool.id, startDate: '2026-01-01', termMonths: 12, billing: 'MONTHLY', amount: { amount: '1000.00', currency: 'EUR' } }).expect(201);
    expect((await report('subcategory')).rows).toEqual([expect.objectContaining({ label: 'CRM', total: '12000.00', marketing: '12000.00' })]);

    await t.http().patch(`/api/v1/tools/${tool.id}`).set(marketer.auth)
      .send({ version: tool.version, subcategoryId: await subcategoryId(t, 'SEO'), budgetOwnerId: it.id }).expect(200);
    const bySub = await report('subcategory');
    expect(bySub.rows).toEqual([expect.objectContaining({ label: 'SEO', total: '12000.00', marketing: '0.00', it: '12000.00' })]);

    const cc = (await t.http().get(`/api/v1/cost-centers/${it.id}`).set(admin.auth).expect(200)).body;
    await t.http().patch(`/api/v1/cost-centers/${it.id}`).set(admin.auth).send({ version: cc.version, kind: 'OTHER' }).expect(200);
    expect((await report('budget')).totals).toMatchObject({ total: '12000.00', marketing: '0.00', it: '0.00', other: '12000.00' });
  });
});
