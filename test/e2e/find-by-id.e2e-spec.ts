import { Tool } from '@stackgate/catalog';
import { findById } from '@stackgate/platform';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** findById (the hot-path read of one tool) loads exactly what TypeORM's findOneBy loads. */
describe('findById', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  it('equals findOneBy for tools with and without nullable, JSON, boolean, bigint and date columns set, and answers null for an unknown id', async () => {
    const { admin, marketer, finance, cio } = cast;
    const mkt = await makeCostCenter(testApp, admin, { kind: 'MARKETING' });
    const it = await makeCostCenter(testApp, admin, { kind: 'IT' });
    const bare = await makeTool(testApp, marketer, { budgetOwnerId: mkt.id });
    const full = await makeTool(testApp, cio, {
      budgetOwnerId: mkt.id,
      lifecycle: 'ACTIVE',
      description: 'Journeys – “EMEA” ✓',
      capabilities: ['email', 'sms'],
      allocation: [
        { costCenterId: mkt.id, shareBps: 6000 },
        { costCenterId: it.id, shareBps: 4000 },
      ],
      licensedSeats: 25,
      activeUsers: 20,
      ssoEnabled: true,
      hostingRegion: 'EU',
      website: 'https://example.com/x',
    });
    await testApp
      .http()
      .post(`/api/v1/tools/${full.id}/it-approval`)
      .set(cio.auth)
      .send({ status: 'APPROVED_WITH_CONDITIONS', rationale: 'ok', conditions: 'SSO only' })
      .expect(200);
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(finance.auth)
      .send({
        toolId: full.id,
        startDate: new Date().toISOString().slice(0, 8) + '01',
        termMonths: 12,
        billing: 'ANNUAL',
        amount: { amount: '12345.67', currency: 'EUR' },
      })
      .expect(201);
    const manager = testApp.dataSource.manager;
    for (const id of [bare.id, full.id]) {
      const viaTypeorm = await manager.getRepository(Tool).findOneByOrFail({ id });
      const viaFindById = await findById(manager, Tool, id);
      expect(viaFindById).toBeInstanceOf(Tool);
      expect(viaFindById).toEqual(viaTypeorm);
    }
    const loaded = (await findById(manager, Tool, full.id))!;
    expect(loaded.annualCostMinor).toBe(1234567n);
    expect(loaded.itApprovalDecidedAt).toBeInstanceOf(Date);
    expect(loaded.allocation).toEqual([
      { costCenterId: mkt.id, shareBps: 6000 },
      { costCenterId: it.id, shareBps: 4000 },
    ]);
    expect(loaded.ssoEnabled).toBe(true);
    expect(await findById(manager, Tool, '00000000-0000-7000-8000-000000000000')).toBeNull();
  });
});
