import { CostCenterKind, Tool } from '@stackgate/catalog';
import { LedgerEntry, LedgerService } from '@stackgate/finance';
import { AuditEvent } from '@stackgate/audit';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Finance: contracts, spend entries, budgets, FX rates and the ledger', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let mkt: { id: string };
  let itCc: { id: string };
  let other: { id: string };
  let tool: Tool;

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR' });
    cast = await makeCast(testApp);
    mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING });
    itCc = await makeCostCenter(testApp, { kind: CostCenterKind.IT });
    other = await makeCostCenter(testApp, { kind: CostCenterKind.OTHER });
    const vendor = await makeVendor(testApp);
    tool = await makeTool(testApp, {
      vendor,
      subcategory: 'Email Marketing',
      budgetOwner: mkt as never,
      allocation: [
        { costCenterId: mkt.id, shareBps: 6000 },
        { costCenterId: itCc.id, shareBps: 4000 },
      ],
    });
  });
  afterAll(async () => testApp?.close());

  const ledger = (sourceId: string) =>
    testApp.dataSource.getRepository(LedgerEntry).find({ where: { sourceId }, order: { month: 'ASC', costCenterKind: 'ASC' } });
  const sumOf = (rows: LedgerEntry[]) => rows.reduce((s, r) => s + r.amountMinor, 0n);
  const post = (path: string, body: object, who = cast.finance) => testApp.http().post(`/api/v1/${path}`).set(who.auth).send(body);

  describe('permissions', () => {
    it.each(['contracts', 'spend-entries', 'budgets', 'fx-rates'])(
      'lets CMO, CIO, FINANCE and ADMIN read %s; MARKETER and IT get 403',
      async (path) => {
        for (const user of [cast.cmo, cast.cio, cast.finance, cast.admin])
          await testApp.http().get(`/api/v1/${path}`).set(user.auth).expect(200);
        for (const user of [cast.marketer, cast.it]) await testApp.http().get(`/api/v1/${path}`).set(user.auth).expect(403);
        await testApp.http().get(`/api/v1/${path}`).expect(401);
      },
    );

    it('lets only FINANCE write', async () => {
      const bodies: [string, object][] = [
        ['contracts', { toolId: tool.id, startDate: '2026-01-01', termMonths: 12, billing: 'MONTHLY', amount: money('10.00') }],
        ['spend-entries', { toolId: tool.id, date: '2026-01-05', costType: 'LICENSE', amount: money('10.00') }],
        ['budgets', { costCenterId: other.id, fiscalYear: 2040, amount: money('10.00') }],
        ['fx-rates', { currency: 'CHF', month: '2040-01', rate: '1.05' }],
      ];
      for (const [path, body] of bodies) {
        for (const user of [cast.marketer, cast.cmo, cast.it, cast.cio, cast.admin]) await post(path, body, user).expect(403);
      }
      expect(await testApp.dataSource.getRepository(LedgerEntry).count()).toBe(0);
    });
  });

  describe('contracts', () => {
    it("derives dates and annual value, defaults allocation to the tool's, writes the ledger and the tool's annual cost", async () => {
      const res = await post('contracts', {
        toolId: tool.id,
        reference: 'C-1',
        startDate: '2026-02-01',
        termMonths: 12,
        billing: 'QUARTERLY',
        amount: money('3000.01'),
        noticeDays: 60,
        internalLeadDays: 14,
        seats: 50,
      }).expect(201);
      expect(res.body).toMatchObject({
        toolId: tool.id,
        vendorId: tool.vendorId,
        costType: 'LICENSE',
        status: 'ACTIVE',
        endDate: '2027-01-31',
        cancelByDate: '2026-12-02',
        reviewStartDate: '2026-11-18',
        annualValue: money('12000.04'),
        amount: money('3000.01'),
        ownAllocation: false,
        version: 1,
        allocation: [
          { costCenterId: mkt.id, shareBps: 6000 },
          { costCenterId: itCc.id, shareBps: 4000 },
        ],
      });
      const rows = await ledger(res.body.id);
      expect(rows).toHaveLength(24);
      expect(sumOf(rows)).toBe(1200004n);
      // Feb 2026: 300001 / 3 → 100001 (earlier month takes the remainder), split 60/40 by largest remainder.
      const feb = rows.filter((r) => r.month === 202602);
      expect(feb.map((r) => [r.costCenterKind, r.amountMinor, r.basis, r.sourceType])).toEqual([
        ['IT', 40000n, 'COMMITTED', 'CONTRACT'],
        ['MARKETING', 60001n, 'COMMITTED', 'CONTRACT'],
      ]);
      expect(rows.filter((r) => r.month === 202603).map((r) => r.amountMinor)).toEqual([40000n, 60000n]);
      const stored = await testApp.dataSource.getRepository(Tool).findOneByOrFail({ id: tool.id });
      // The contract runs today only if today is within Feb 2026 – Jan 2027.
      const today = new Date().toISOString().slice(0, 10);
      const running = today >= '2026-02-01' && today <= '2027-01-31';
      expect(stored.annualCostMinor).toBe(running ? 1200004n : null);
      expect(
        await testApp.dataSource
          .getRepository(AuditEvent)
          .countBy({ entityType: 'Contract', entityId: res.body.id, action: 'contract.created' }),
      ).toBe(1);
      const read = await testApp.http().get(`/api/v1/contracts/${res.body.id}`).set(cast.cio.auth).expect(200);
      expect(read.body.annualValue).toEqual(money('12000.04'));
    });

    it('rewrites exactly its own rows on edit and removes them on delete', async () => {
      const first = await post('contracts', {
        toolId: tool.id,
        startDate: '2026-01-01',
        termMonths: 3,
        billing: 'MONTHLY',
        amount: money('100.00'),
      }).expect(201);
      const second = await post('contracts', {
        toolId: tool.id,
        startDate: '2026-01-01',
        termMonths: 2,
        billing: 'ONE_TIME',
        amount: money('55.55'),
        costType: 'IMPLEMENTATION',
        allocation: [{ costCenterId: other.id, shareBps: 10000 }],
      }).expect(201);
      const bRowsBefore = await ledger(second.body.id);
      expect(bRowsBefore.map((r) => [r.month, r.costCenterKind, r.amountMinor, r.costType])).toEqual([
        [202601, 'OTHER', 5555n, 'IMPLEMENTATION'],
      ]);
      const upd = await testApp
        .http()
        .patch(`/api/v1/contracts/${first.body.id}`)
        .set(cast.finance.auth)
        .send({ termMonths: 4, allocation: [{ costCenterId: itCc.id, shareBps: 10000 }], version: 1 })
        .expect(200);
      expect(upd.body).toMatchObject({ termMonths: 4, endDate: '2026-04-30', version: 2, ownAllocation: true });
      const aRows = await ledger(first.body.id);
      expect(aRows.map((r) => [r.month, r.costCenterId, r.amountMinor])).toEqual(
        [202601, 202602, 202603, 202604].map((m) => [m, itCc.id, 10000n]),
      );
      expect((await ledger(second.body.id)).map((r) => r.id)).toEqual(bRowsBefore.map((r) => r.id));
      await testApp
        .http()
        .patch(`/api/v1/contracts/${first.body.id}`)
        .set(cast.finance.auth)
        .send({ termMonths: 5, version: 1 })
        .expect(409);
      expect(await ledger(first.body.id)).toHaveLength(4);
      await testApp.http().delete(`/api/v1/contracts/${first.body.id}`).set(cast.finance.auth).expect(204);
      expect(await ledger(first.body.id)).toHaveLength(0);
      expect(await ledger(second.body.id)).toHaveLength(1);
      await testApp.http().get(`/api/v1/contracts/${first.body.id}`).set(cast.finance.auth).expect(404);
    });

    it('validates input: unknown fields 400, unknown cost center or tool 422, bad money 400', async () => {
      const base = { toolId: tool.id, startDate: '2026-01-01', termMonths: 12, billing: 'MONTHLY', amount: money('1.00') };
      await post('contracts', { ...base, bogus: 1 }).expect(400);
      await post('contracts', { ...base, amount: money('1.001') }).expect(400);
      await post('contracts', { ...base, startDate: '2026-02-30' }).expect(400);
      await post('contracts', { ...base, termMonths: 0 }).expect(400);
      await post('contracts', { ...base, allocation: [{ costCenterId: mkt.id, shareBps: 5000 }] }).expect(400);
      const contract = await post('contracts', {
        ...base,
        allocation: [{ costCenterId: '0191a2b3-0000-7000-8000-000000000000', shareBps: 10000 }],
      }).expect(422);
      expect(contract.body.code).toBe('REFERENCE_NOT_FOUND');
      await post('contracts', { ...base, toolId: '0191a2b3-0000-7000-8000-000000000001' }).expect(422);
    });

    it('lists with filters, paging and an allow-listed sort', async () => {
      const res = await testApp.http().get(`/api/v1/contracts?toolId=${tool.id}&sort=-startDate&pageSize=2`).set(cast.cmo.auth).expect(200);
      expect(res.body).toMatchObject({ page: 1, pageSize: 2 });
      expect(res.body.total).toBeGreaterThanOrEqual(2);
      expect(res.body.items[0].startDate >= res.body.items[1].startDate).toBe(true);
      await testApp.http().get('/api/v1/contracts?sort=amountMinor').set(cast.cmo.auth).expect(400);
      await testApp.http().get('/api/v1/contracts?foo=1').set(cast.cmo.auth).expect(400);
    });
  });

  describe('tool annual cost', () => {
    it("sums running contracts in the base currency, converting with this month's (or the latest earlier) rate", async () => {
      const t2 = await makeTool(testApp, { vendor: await makeVendor(testApp), subcategory: 'PR', budgetOwner: other as never });
      const now = new Date();
      const month = now.toISOString().slice(0, 7);
      const start = `${month}-01`;
      const annualCost = async () => (await testApp.dataSource.getRepository(Tool).findOneByOrFail({ id: t2.id })).annualCostMinor;
      await post('contracts', { toolId: t2.id, startDate: start, termMonths: 12, billing: 'MONTHLY', amount: money('100.00') }).expect(201);
      expect(await annualCost()).toBe(120000n);
      // A GBP contract without any rate is left out (and logged), never converted at 1.
      const gbp = await post('contracts', {
        toolId: t2.id,
        startDate: start,
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money('1000.00', 'GBP'),
      }).expect(201);
      expect(await annualCost()).toBe(120000n);
      // A rate appearing later refreshes it; an earlier month's rate is used when this month has none.
      const prev = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
      const rate = await post('fx-rates', { currency: 'GBP', month: prev, rate: '1.2' }).expect(201);
      expect(await annualCost()).toBe(240000n);
      await testApp.http().patch(`/api/v1/fx-rates/${rate.body.id}`).set(cast.finance.auth).send({ rate: '1.1', version: 1 }).expect(200);
      expect(await annualCost()).toBe(230000n);
      await testApp.http().patch(`/api/v1/contracts/${gbp.body.id}`).set(cast.finance.auth).send({ status: 'CANCELLED' }).expect(200);
      expect(await annualCost()).toBe(120000n);
      // A contract that has not started yet does not count.
      const nextYear = `${now.getUTCFullYear() + 1}-${month.slice(5)}-01`;
      await post('contracts', { toolId: t2.id, startDate: nextYear, termMonths: 12, billing: 'MONTHLY', amount: money('1.00') }).expect(
        201,
      );
      expect(await annualCost()).toBe(120000n);
    });
  });

  describe('spend entries', () => {
    it("writes an ACTUAL row in the month of its date, inheriting the contract's allocation", async () => {
      const contract = await post('contracts', {
        toolId: tool.id,
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money('1200.00'),
        allocation: [{ costCenterId: other.id, shareBps: 10000 }],
      }).expect(201);
      const spend = await post('spend-entries', {
        toolId: tool.id,
        contractId: contract.body.id,
        date: '2026-03-31',
        costType: 'OPERATIONS',
        amount: money('99.99'),
        externalRef: 'INV-1',
      }).expect(201);
      expect(spend.body).toMatchObject({
        date: '2026-03-31',
        amount: money('99.99'),
        source: 'manual',
        externalRef: 'INV-1',
        allocation: null,
        version: 1,
      });
      const rows = await ledger(spend.body.id);
      expect(rows.map((r) => [r.month, r.costCenterId, r.amountMinor, r.basis, r.costType])).toEqual([
        [202603, other.id, 9999n, 'ACTUAL', 'OPERATIONS'],
      ]);
      const dup = await post('spend-entries', {
        toolId: tool.id,
        date: '2026-04-01',
        costType: 'LICENSE',
        amount: money('1.00'),
        externalRef: 'INV-1',
      }).expect(409);
      expect(dup.body.code).toBe('DUPLICATE_EXTERNAL_REF');
      // A contract with spend cannot be deleted.
      await testApp.http().delete(`/api/v1/contracts/${contract.body.id}`).set(cast.finance.auth).expect(409);
      const upd = await testApp
        .http()
        .patch(`/api/v1/spend-entries/${spend.body.id}`)
        .set(cast.finance.auth)
        .send({ date: '2026-05-02', amount: money('-10.00'), version: 1 })
        .expect(200);
      expect(upd.body).toMatchObject({ version: 2, amount: money('-10.00') });
      expect((await ledger(spend.body.id)).map((r) => [r.month, r.amountMinor])).toEqual([[202605, -1000n]]);
      await testApp.http().delete(`/api/v1/spend-entries/${spend.body.id}`).set(cast.finance.auth).expect(204);
      expect(await ledger(spend.body.id)).toHaveLength(0);
    });

    it("falls back to the tool's allocation and refuses a contract of another tool", async () => {
      const spend = await post('spend-entries', {
        toolId: tool.id,
        date: '2026-06-15',
        costType: 'TRAINING',
        amount: money('0.05'),
      }).expect(201);
      expect((await ledger(spend.body.id)).map((r) => [r.costCenterKind, r.amountMinor])).toEqual([
        ['IT', 2n],
        ['MARKETING', 3n],
      ]);
      const otherTool = await makeTool(testApp, { vendor: await makeVendor(testApp), subcategory: 'SEO', budgetOwner: other as never });
      const contract = await post('contracts', {
        toolId: otherTool.id,
        startDate: '2026-01-01',
        termMonths: 1,
        billing: 'MONTHLY',
        amount: money('1.00'),
      }).expect(201);
      const mismatched = await post('spend-entries', {
        toolId: tool.id,
        contractId: contract.body.id,
        date: '2026-06-15',
        costType: 'TRAINING',
        amount: money('1.00'),
      }).expect(422);
      expect(mismatched.body.code).toBe('CONTRACT_TOOL_MISMATCH');
      await testApp
        .http()
        .get(`/api/v1/spend-entries?toolId=${tool.id}&from=2026-06&to=2026-06`)
        .set(cast.cio.auth)
        .expect(200)
        .then((res) => expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([spend.body.id]));
    });
  });

  describe('catalog changes', () => {
    it("rewrites a tool's ledger rows when its subcategory or allocation changes, and follows a cost center's kind", async () => {
      const cc = await makeCostCenter(testApp, { kind: CostCenterKind.OTHER });
      const t3 = await makeTool(testApp, { vendor: await makeVendor(testApp), subcategory: 'SEO', budgetOwner: cc });
      const contract = await post('contracts', {
        toolId: t3.id,
        startDate: '2026-01-01',
        termMonths: 2,
        billing: 'MONTHLY',
        amount: money('10.00'),
      }).expect(201);
      const spend = await post('spend-entries', { toolId: t3.id, date: '2026-01-02', costType: 'LICENSE', amount: money('4.00') }).expect(
        201,
      );
      const crm = await testApp.dataSource.query("SELECT id, parentId FROM categories WHERE nameKey = 'crm'");
      await testApp.dataSource
        .getRepository(Tool)
        .update(
          { id: t3.id },
          { subcategoryId: crm[0].id, categoryId: crm[0].parentId, allocation: [{ costCenterId: mkt.id, shareBps: 10000 }] },
        );
      const ledgerSvc = testApp.app.get(LedgerService);
      await testApp.dataSource.transaction((m) => ledgerSvc.rewriteForTool(m, t3.id));
      for (const id of [contract.body.id, spend.body.id]) {
        const rows = await ledger(id);
        expect(rows.every((r) => r.subcategoryId === crm[0].id && r.costCenterId === mkt.id && r.costCenterKind === 'MARKETING')).toBe(
          true,
        );
      }
      expect(sumOf(await ledger(contract.body.id))).toBe(2000n);
      await testApp.dataSource.transaction((m) => ledgerSvc.updateCostCenterKind(m, mkt.id, 'IT'));
      expect((await ledger(spend.body.id)).map((r) => r.costCenterKind)).toEqual(['IT']);
      await testApp.dataSource.transaction((m) => ledgerSvc.updateCostCenterKind(m, mkt.id, 'MARKETING'));
    });
  });

  describe('budgets', () => {
    it('creates per cost center and fiscal year in the base currency only', async () => {
      const budget = await post('budgets', { costCenterId: mkt.id, fiscalYear: 2027, amount: money('100000.00') }).expect(201);
      expect(budget.body).toMatchObject({ costCenterId: mkt.id, fiscalYear: 2027, amount: money('100000.00'), version: 1 });
      expect((await post('budgets', { costCenterId: mkt.id, fiscalYear: 2027, amount: money('5.00') }).expect(409)).body.code).toBe(
        'DUPLICATE_BUDGET',
      );
      await post('budgets', { costCenterId: mkt.id, fiscalYear: 2028, amount: money('5.00', 'USD') }).expect(400);
      await post('budgets', { costCenterId: '0191a2b3-0000-7000-8000-000000000000', fiscalYear: 2028, amount: money('5.00') }).expect(422);
      const upd = await testApp
        .http()
        .patch(`/api/v1/budgets/${budget.body.id}`)
        .set(cast.finance.auth)
        .send({ amount: money('90000.00'), version: 1 })
        .expect(200);
      expect(upd.body).toMatchObject({ amount: money('90000.00'), version: 2 });
      await testApp
        .http()
        .patch(`/api/v1/budgets/${budget.body.id}`)
        .set(cast.finance.auth)
        .send({ amount: money('1.00'), version: 1 })
        .expect(409);
    });
  });

  describe('FX rates', () => {
    it('creates one rate per currency and month, patches with a version', async () => {
      const rate = await post('fx-rates', { currency: 'USD', month: '2026-01', rate: '0.9250' }).expect(201);
      expect(rate.body).toMatchObject({ currency: 'USD', month: '2026-01', rate: '0.9250', version: 1 });
      expect((await post('fx-rates', { currency: 'USD', month: '2026-01', rate: '0.93' }).expect(409)).body.code).toBe('DUPLICATE_FX_RATE');
      for (const rate of ['0', '-1', '1.12345678901', 'abc', '0.0000000000'])
        await post('fx-rates', { currency: 'USD', month: '2026-02', rate }).expect(400);
      await post('fx-rates', { currency: 'EUR', month: '2026-02', rate: '1' }).expect(422);
      await post('fx-rates', { currency: 'USD', month: '2026-13', rate: '1' }).expect(400);
      const upd = await testApp
        .http()
        .patch(`/api/v1/fx-rates/${rate.body.id}`)
        .set(cast.finance.auth)
        .send({ rate: '0.9300000001', version: 1 })
        .expect(200);
      expect(upd.body).toMatchObject({ rate: '0.9300000001', version: 2 });
      await testApp.http().patch(`/api/v1/fx-rates/${rate.body.id}`).set(cast.finance.auth).send({ rate: '1', version: 1 }).expect(409);
      const list = await testApp.http().get('/api/v1/fx-rates?currency=USD').set(cast.admin.auth).expect(200);
      expect(list.body.items.map((x: { rate: string }) => x.rate)).toEqual(['0.9300000001']);
    });
  });
});
