import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('catalog smoke', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => t?.close());

  it('creates a tool through the factories', async () => {
    const cast = await makeCast(t);
    const cc = await makeCostCenter(t, cast.admin);
    const v = await makeVendor(t, cast.marketer);
    const tool = await makeTool(t, cast.marketer, { budgetOwnerId: cc.id, vendorId: v.id, subcategoryId: await subcategoryId(t, 'CRM') });
    expect(tool).toMatchObject({ lifecycle: 'ACTIVE', shadowIt: true, subcategory: { name: 'CRM' }, category: { name: 'Social & Relationships' }, annualCost: { amount: '0.00', currency: 'EUR' } });
    const tpl = await t.http().get('/api/v1/imports/templates/tools').set(cast.finance.auth).expect(200);
    expect(tpl.text.split('\r\n')[0]).toMatch(/^name,vendor,subcategory/);
    const other = await makeTool(t, cast.marketer, { budgetOwnerId: cc.id });
    const flow = await t.http().post('/api/v1/integrations').set(cast.marketer.auth)
      .send({ sourceToolId: tool.id, targetToolId: other.id, dataObjects: ['contacts'], method: 'API', frequency: 'DAILY' }).expect(201);
    expect(flow.body).toMatchObject({ status: 'ACTIVE', sourceTool: { name: tool.name } });
    const map = await t.http().get('/api/v1/stack-map').set(cast.finance.auth).expect(200);
    expect(map.body.nodes).toHaveLength(2);
    expect(map.body.edges).toHaveLength(1);
  });
});
