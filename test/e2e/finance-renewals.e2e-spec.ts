import { CostCenterKind, Tool } from '@stackgate/catalog';
import { RenewalRemindersJob } from '@stackgate/finance';
import { Notification } from '@stackgate/notifications';
import { JobScheduler, Role } from '@stackgate/platform';
import { makeCast, makeUser } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Renewal reminders', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let finance2: Awaited<ReturnType<typeof makeUser>>;
  let contractId: string;

  const at = (day: string) => testApp.app.get(JobScheduler).tick(new Date(`${day}T08:00:00Z`));
  const sent = (event?: string) =>
    testApp.dataSource.getRepository(Notification).find({ where: event ? { event } : {}, order: { recipientEmail: 'ASC' } });

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    finance2 = await makeUser(testApp, [Role.FINANCE]);
    const cc = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, ownerId: cast.cmo.id });
    const tool = await makeTool(testApp, {
      name: 'Renewable',
      vendor: await makeVendor(testApp),
      subcategory: 'SEO',
      budgetOwner: cc,
      businessOwnerId: cast.marketer.id,
    });
    // Ends 2026-12-31; cancel by 2026-12-01 (30 days notice); review starts 2026-11-01 (30 days lead).
    const res = await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({
        toolId: tool.id,
        reference: 'R-1',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money('2400.00'),
        noticeDays: 30,
        internalLeadDays: 30,
        autoRenew: true,
      })
      .expect(201);
    contractId = res.body.id;
    // A cancelled contract with the same dates never reminds anyone.
    const other = await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({
        toolId: tool.id,
        reference: 'R-2',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money('1.00'),
        noticeDays: 30,
        internalLeadDays: 30,
      })
      .expect(201);
    await testApp
      .http()
      .patch(`/api/v1/contracts/${other.body.id}`)
      .set(cast.finance.auth)
      .send({ status: 'CANCELLED', version: 1 })
      .expect(200);
  });
  afterAll(async () => testApp?.close());

  it('sends nothing before the review-start date', async () => {
    await at('2026-10-31');
    expect(await sent()).toHaveLength(0);
  });

  it("notifies the business owner, the budget owner's owner and every FINANCE user at the review-start date, once", async () => {
    await at('2026-11-01');
    const rows = await sent('renewal-review-start');
    expect(rows.map((r) => r.recipientId).sort()).toEqual([cast.marketer.id, cast.cmo.id, cast.finance.id, finance2.id].sort());
    expect(rows.every((r) => r.entityId === contractId && r.dedupeKey === `renewal:${contractId}:review-start:${r.recipientId}`)).toBe(
      true,
    );
    expect(rows[0].subject).toBe('Renewal review: Renewable must be cancelled by 2026-12-01');
    expect(rows[0].body).toContain('2400.00 EUR');
    // Same day again, the next day, and a second instance doing the work without the lease: nothing new.
    await at('2026-11-01');
    await at('2026-11-02');
    expect(await testApp.app.get(RenewalRemindersJob).remind('2026-11-02')).toBe(0);
    expect(await sent()).toHaveLength(4);
    const inbox = await testApp.http().get('/api/v1/notifications').set(cast.marketer.auth).expect(200);
    expect(inbox.body.items.map((n: { subject: string }) => n.subject)).toEqual([
      'Renewal review: Renewable must be cancelled by 2026-12-01',
    ]);
  });

  it('reminds again 7 days before the cancel-by date, once, and stops after it', async () => {
    await at('2026-11-23');
    expect(await sent('renewal-cancel-by-minus-7')).toHaveLength(0);
    await at('2026-11-24');
    const rows = await sent('renewal-cancel-by-minus-7');
    expect(rows).toHaveLength(4);
    expect(rows[0].subject).toBe('One week left: cancel Renewable by 2026-12-01 or it renews');
    await at('2026-11-25');
    await at('2026-12-05');
    expect(await sent()).toHaveLength(8);
  });

  it("recomputes tools' annual cost daily as contracts start and end", async () => {
    const toolId = (await testApp.http().get(`/api/v1/contracts/${contractId}`).set(cast.finance.auth).expect(200)).body.toolId;
    const cost = async () => (await testApp.dataSource.getRepository(Tool).findOneByOrFail({ id: toolId })).annualCostMinor;
    await at('2026-12-31');
    expect(await cost()).toBe(240000n);
    await at('2027-01-01');
    expect(await cost()).toBeNull();
  });
});
