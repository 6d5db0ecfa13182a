import { CostCenter, CostCenterKind, ItApprovalStatus, Tool, Vendor } from '@stackgate/catalog';
import { Billing, ContractsService } from '@stackgate/finance';
import { makeCast } from '../support/factories';
import { csrfOf, signIn } from '../support/web';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * Issue 21, items 6 and 7: money is exact to the cent at every size.
 *
 * - Every money input accepts at most 12 digits before the decimal point (999,999,999,999.99 EUR);
 *   more is a 400 VALIDATION_FAILED that names the maximum, and nothing is written.
 * - BIGINT columns are read exactly on both engines (mysql2 big-number strings, better-sqlite3 safe
 *   integers), so amounts already stored above 2^53 minor units (before the cap) read back unchanged.
 * - Reports total exactly and answer 200 (JSON, CSV, HTML) for the largest accepted contract and for a
 *   999,999,999,999,999.99 MONTHLY contract already stored before the cap.
 */
const MAX = '999999999999.99';
const OVER = '1000000000000.00';

describe('Money limits: exact to the cent at every size (issue 21 items 6, 7)', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let mkt: CostCenter;
  let vendor: Vendor;
  let mailer: Tool, mailer2: Tool, shadow: Tool;

  const post = (path: string, body: object, who = cast.finance) => testApp.http().post(`/api/v1/${path}`).set(who.auth).send(body);
  const get = (path: string, who = cast.finance) => testApp.http().get(`/api/v1/${path}`).set(who.auth);
  const count = async (table: string) => Number((await testApp.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  // 2037 by default: a year no report below reads, so a contract left behind by a failing test does not move their totals.
  const contract = (o: Record<string, unknown> = {}) => ({
    toolId: mailer.id,
    startDate: '2037-01-01',
    termMonths: 12,
    billing: 'MONTHLY',
    amount: money(MAX),
    ...o,
  });

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR', FISCAL_YEAR_START_MONTH: '1' });
    cast = await makeCast(testApp);
    mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' });
    vendor = await makeVendor(testApp, { name: 'Big Vendor' });
    mailer = await makeTool(testApp, {
      name: 'Mailer',
      vendor,
      subcategory: 'Email Marketing',
      budgetOwner: mkt,
      licensedSeats: 10,
      activeUsers: 4,
    });
    mailer2 = await makeTool(testApp, { name: 'Mailer Two', vendor, subcategory: 'Email Marketing', budgetOwner: mkt });
    shadow = await makeTool(testApp, {
      name: 'Shadow',
      vendor,
      subcategory: 'SEO',
      budgetOwner: mkt,
      itApproval: ItApprovalStatus.NOT_REVIEWED,
    });
  });
  afterAll(async () => testApp?.close());

  describe('the documented maximum of every money input', () => {
    it('accepts 999999999999.99 and reads it back exactly on create, read and list', async () => {
      const created = await post('contracts', contract({ reference: 'MAX-2028', startDate: '2028-01-01' })).expect(201);
      expect(created.body.amount).toEqual(money(MAX));
      expect(created.body.annualValue).toEqual(money('11999999999999.88'));
      const read = await get(`contracts/${created.body.id}`).expect(200);
      expect(read.body.amount).toEqual(money(MAX));
      expect(read.body.annualValue).toEqual(money('11999999999999.88'));
      const list = await get(`contracts?toolId=${mailer.id}`).expect(200);
      expect(list.body.items.find((c: { id: string }) => c.id === created.body.id).amount).toEqual(money(MAX));

      const spend = await post('spend-entries', { toolId: shadow.id, date: '2028-03-15', costType: 'LICENSE', amount: money(MAX) }).expect(
        201,
      );
      expect((await get(`spend-entries/${spend.body.id}`).expect(200)).body.amount).toEqual(money(MAX));
      const credit = await post('spend-entries', {
        toolId: shadow.id,
        date: '2028-03-16',
        costType: 'LICENSE',
        amount: money(`-${MAX}`),
      }).expect(201);
      expect((await get(`spend-entries/${credit.body.id}`).expect(200)).body.amount).toEqual(money(`-${MAX}`));
      const budget = await post('budgets', { costCenterId: mkt.id, fiscalYear: 2028, amount: money(MAX) }).expect(201);
      expect((await get(`budgets/${budget.body.id}`).expect(200)).body.amount).toEqual(money(MAX));
      const request = await post(
        'requests',
        {
          type: 'EXPANSION',
          title: 'Huge',
          toolId: mailer.id,
          businessCase: 'Scale',
          estimatedAnnualCost: money(MAX),
          allocation: [{ costCenterId: mkt.id, shareBps: 10000 }],
        },
        cast.marketer,
      ).expect(201);
      expect((await get(`requests/${request.body.id}`, cast.marketer).expect(200)).body.estimatedAnnualCost).toEqual(money(MAX));
    });

    it("holds in every currency: 12 integer digits with the currency's decimals (JPY 0, KWD 3)", async () => {
      const jpy = await post('contracts', contract({ amount: money('999999999999', 'JPY'), reference: 'JPY-MAX' })).expect(201);
      expect((await get(`contracts/${jpy.body.id}`).expect(200)).body.amount).toEqual(money('999999999999', 'JPY'));
      // 999999999999.999 KWD a month: 11999999999999988 minor units a year, above 2^53 (9007199254740992).
      const kwd = await post('contracts', contract({ amount: money('999999999999.999', 'KWD'), reference: 'KWD-MAX' })).expect(201);
      const read = await get(`contracts/${kwd.body.id}`).expect(200);
      expect(read.body.amount).toEqual(money('999999999999.999', 'KWD'));
      expect(read.body.annualValue).toEqual(money('11999999999999.988', 'KWD'));
      await post('contracts', contract({ amount: money('1000000000000', 'JPY') })).expect(400);
      await post('contracts', contract({ amount: money('1000000000000.000', 'KWD') })).expect(400);
      // Removed again, so the reports below only see EUR (and need no FX rates).
      for (const contract of [jpy.body, kwd.body])
        await testApp.http().delete(`/api/v1/contracts/${contract.id}`).set(cast.finance.auth).expect(204);
    });

    it.each([
      ['max + 0.01', OVER],
      ['13 integer digits', '9999999999999.99'],
      ['the issue example 90071992547409.93 (above 2^53 minor units)', '90071992547409.93'],
      ['16 integer digits', '9999999999999999'],
    ])('refuses %s with a 400 naming the maximum, and writes nothing', async (_label, amount) => {
      const before = await Promise.all(['contracts', 'spend_entries', 'budgets', 'ledger_entries', 'tool_requests'].map(count));
      const contractRes = await post('contracts', contract({ amount: money(amount) })).expect(400);
      expect(contractRes.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(contractRes.body.message).toContain('amount.amount');
      expect(contractRes.body.message).toContain('999999999999.99');
      await post('spend-entries', { toolId: mailer.id, date: '2026-02-01', costType: 'LICENSE', amount: money(amount) }).expect(400);
      await post('spend-entries', { toolId: mailer.id, date: '2026-02-01', costType: 'LICENSE', amount: money(`-${amount}`) }).expect(400);
      await post('budgets', { costCenterId: mkt.id, fiscalYear: 2031, amount: money(amount) }).expect(400);
      await post(
        'requests',
        {
          type: 'EXPANSION',
          title: 'Too big',
          toolId: mailer.id,
          businessCase: 'x',
          estimatedAnnualCost: money(amount),
          allocation: [{ costCenterId: mkt.id, shareBps: 10000 }],
        },
        cast.marketer,
      ).expect(400);
      const existing = (await post('contracts', contract({ reference: `PATCH-${amount}`, amount: money('1.00') })).expect(201)).body;
      await testApp
        .http()
        .patch(`/api/v1/contracts/${existing.id}`)
        .set(cast.finance.auth)
        .send({ amount: money(amount), version: existing.version })
        .expect(400);
      expect((await get(`contracts/${existing.id}`).expect(200)).body.amount).toEqual(money('1.00'));
      await testApp.http().delete(`/api/v1/contracts/${existing.id}`).set(cast.finance.auth).expect(204);
      expect(await Promise.all(['contracts', 'spend_entries', 'budgets', 'ledger_entries', 'tool_requests'].map(count))).toEqual(before);
    });

    it('applies the same maximum to contract and spend imports', async () => {
      const contracts = `tool,reference,startDate,termMonths,billing,amount,currency\nMailer,IMP-1,2026-01-01,12,MONTHLY,${OVER},EUR\n`;
      const response = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'contracts')
        .field('dryRun', 'true')
        .attach('file', Buffer.from(contracts), 'c.csv')
        .expect(200);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ row: 2, column: 'amount', message: expect.stringContaining('999999999999.99') }),
      ]);
      const spend = `date,tool,costType,amount,currency\n2026-02-01,Mailer,LICENSE,-${OVER},EUR\n`;
      const answer = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'spend-entries')
        .field('dryRun', 'true')
        .attach('file', Buffer.from(spend), 's.csv')
        .expect(200);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ row: 2, column: 'amount', message: expect.stringContaining('999999999999.99') }),
      ]);
      const ok = `tool,reference,startDate,termMonths,billing,amount,currency\nMailer,IMP-2,2026-01-01,12,MONTHLY,${MAX},EUR\n`;
      const okRes = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'contracts')
        .field('dryRun', 'true')
        .attach('file', Buffer.from(ok), 'c.csv')
        .expect(200);
      expect(okRes.body.errors).toEqual([]);
    });
    it('applies the same maximum to the web request form, showing the message beside the amount', async () => {
      const agent = await signIn(testApp, cast.marketer);
      const page = await agent.get('/requests/new').expect(200);
      const form = {
        _csrf: csrfOf(page.text),
        type: 'EXPANSION',
        title: 'Web huge',
        toolId: mailer.id,
        businessCase: 'Scale',
        costCurrency: 'EUR',
        cc0: mkt.id,
        pct0: '100',
      };
      const before = await count('tool_requests');
      const refused = await agent
        .post('/requests/new')
        .type('form')
        .send({ ...form, costAmount: OVER })
        .expect(400);
      expect(refused.text).toContain('must be between -999999999999.99 and 999999999999.99 EUR');
      expect(await count('tool_requests')).toBe(before);
      await agent
        .post('/requests/new')
        .type('form')
        .send({ ...form, costAmount: MAX })
        .expect(303);
      expect(await count('tool_requests')).toBe(before + 1);
    });
  });

  describe('amounts stored before the maximum existed are read exactly (BIGINT end to end)', () => {
    it('answers a stored 90071992547409.93 as .93 on read and list, not .92', async () => {
      const legacy = (await post('contracts', contract({ reference: 'LEGACY-2^53', amount: money('1.00') })).expect(201)).body;
      // 9007199254740993 minor units = 2^53 + 1: the smallest integer a JS number cannot hold.
      await testApp.dataSource.query('UPDATE contracts SET amountMinor = ?, annualValueMinor = ? WHERE id = ?', [
        '9007199254740993',
        '108086391056891916',
        legacy.id,
      ]);
      const read = await get(`contracts/${legacy.id}`).expect(200);
      expect(read.body.amount).toEqual(money('90071992547409.93'));
      expect(read.body.annualValue).toEqual(money('1080863910568919.16'));
      const list = await get(`contracts?toolId=${mailer.id}&pageSize=200`).expect(200);
      expect(list.body.items.find((x: { id: string }) => x.id === legacy.id).amount).toEqual(money('90071992547409.93'));
      await testApp.http().delete(`/api/v1/contracts/${legacy.id}`).set(cast.finance.auth).expect(204);
    });
  });

  describe('sums above 2^53 minor units of accepted amounts are read exactly', () => {
    it('91 spend entries of the maximum in one month total 90999999999999.09 (9099999999999909 minor units) in every report', async () => {
      // One ledger month whose SQL SUM is odd and above 2^53: a JS number would round it to ...908 or ...910.
      const rows = Array.from({ length: 91 }, (_, i) => `2029-05-15,Shadow,LICENSE,${MAX},EUR,SUM-${i}`);
      const csv = ['date,tool,costType,amount,currency,externalRef', ...rows].join('\n');
      const res = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'spend-entries')
        .field('dryRun', 'false')
        .attach('file', Buffer.from(csv), 's.csv')
        .expect(200);
      expect(res.body.errors).toEqual([]);
      const total = '90999999999999.09';
      for (const groupBy of ['tool', 'vendor', 'budget', 'costCenter', 'month']) {
        const response = await get(`reports/spend?from=2029-05&to=2029-05&basis=actual&groupBy=${groupBy}`).expect(200);
        expect(response.body.totals.total).toBe(total);
      }
      const budget = await get('reports/budget-vs-actual?fiscalYear=2029&asOf=2029-12-31').expect(200);
      expect(budget.body.totals.actual).toBe(total);
      const gov = await get('reports/governance?asOf=2029-12-31').expect(200);
      expect(gov.body.shadowIt.find((x: { tool: { id: string } }) => x.tool.id === shadow.id).annualSpend).toEqual(money(total));
    });
  });

  describe('reports over the largest accepted MONTHLY contract (2026)', () => {
    // 2026 holds only this: MAX-RT on Mailer (999999999999.99 a month, 12 months, 10 seats), a budget of
    // the maximum, and on the shadow-IT tool the maximum spent and credited (the other tests write other years, or nothing).
    const total2026 = '11999999999999.88';

    beforeAll(async () => {
      await post(
        'contracts',
        contract({ reference: 'MAX-RT', startDate: '2026-01-01', seats: 10, autoRenew: true, noticeDays: 30 }),
      ).expect(201);
      await post('budgets', { costCenterId: mkt.id, fiscalYear: 2026, amount: money(MAX) }).expect(201);
      await post('spend-entries', { toolId: shadow.id, date: '2026-03-15', costType: 'LICENSE', amount: money(MAX) }).expect(201);
      await post('spend-entries', { toolId: shadow.id, date: '2026-03-16', costType: 'LICENSE', amount: money(`-${MAX}`) }).expect(201);
    });

    it('spend: JSON, CSV and HTML answer 200 with exact totals for every grouping', async () => {
      for (const groupBy of [
        'budget',
        'costCenter',
        'category',
        'subcategory',
        'tool',
        'vendor',
        'costType',
        'month',
        'quarter',
        'fiscalYear',
      ]) {
        const json = await get(`reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=${groupBy}`).expect(200);
        expect(json.body.totals.total).toBe(total2026);
      }
      const csv = await get('reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=tool&format=csv').expect(200);
      expect(csv.text).toContain(`TOTAL,Total,EUR,${total2026}`);
      const html = await get('reports/spend?from=2026-01&to=2026-12&basis=committed&groupBy=budget&format=html').expect(200);
      expect(html.text).toContain('€11,999,999,999,999.88');
      // Actual: the maximum and its credit note cancel out exactly.
      const actual = await get('reports/spend?from=2026-01&to=2026-12&basis=actual&groupBy=tool&format=html').expect(200);
      expect(actual.text).toContain('Spend report');
    });

    it('budget vs actual, renewals and governance answer 200 (JSON, CSV, HTML) with exact totals', async () => {
      const budget = await get('reports/budget-vs-actual?fiscalYear=2026&asOf=2026-06-15').expect(200);
      expect(budget.body.totals).toMatchObject({ budget: MAX, committed: total2026, actual: '0.00', remaining: MAX });
      // forecast = actual to June (0) + committed July..December (6 months).
      expect(budget.body.totals.forecast).toBe('5999999999999.94');
      expect(budget.body.totals.variance).toBe('-4999999999999.95');
      await get('reports/budget-vs-actual?fiscalYear=2026&asOf=2026-06-15&format=csv').expect(200);
      expect((await get('reports/budget-vs-actual?fiscalYear=2026&asOf=2026-06-15&format=html').expect(200)).text).toContain(
        '€11,999,999,999,999.88',
      );

      const renewals = await get('reports/renewals?asOf=2026-11-15&withinDays=90').expect(200);
      expect(renewals.body.items.find((i: { reference: string }) => i.reference === 'MAX-RT').annualValue).toEqual(money(total2026));
      expect((await get('reports/renewals?asOf=2026-11-15&withinDays=90&format=csv').expect(200)).text).toContain(total2026);
      expect((await get('reports/renewals?asOf=2026-11-15&withinDays=90&format=html').expect(200)).text).toContain(
        '€11,999,999,999,999.88',
      );

      const gov = await get('reports/governance?asOf=2026-12-31').expect(200);
      const group = gov.body.overlapGroups.find((g: { tools: { id: string }[] }) => g.tools.some((x) => x.id === mailer.id));
      expect(group.groupCost).toEqual(money(total2026));
      expect(group.estimatedSaving).toEqual(money('0.00'));
      // 6 unused seats of 10: 1199999999999988 × 6 / 10 = 719999999999992.8 → 719999999999993 minor units.
      expect(gov.body.unusedSeats.find((u: { tool: { id: string } }) => u.tool.id === mailer.id).value).toEqual(money('7199999999999.93'));
      expect(gov.body.shadowIt.find((s: { tool: { id: string } }) => s.tool.id === shadow.id).annualSpend).toEqual(money('0.00'));
      await get('reports/governance?asOf=2026-12-31&format=csv').expect(200);
      await get('reports/governance?asOf=2026-12-31&format=html').expect(200);
    });

    it('ten years of the maximum (a sum above 2^53 minor units) total exactly', async () => {
      await post('contracts', {
        toolId: mailer2.id,
        reference: 'TEN-YEARS',
        startDate: '2040-01-01',
        termMonths: 120,
        billing: 'MONTHLY',
        amount: money(MAX),
      }).expect(201);
      await post('spend-entries', { toolId: mailer2.id, date: '2045-06-15', costType: 'LICENSE', amount: money('0.01') }).expect(201);
      const committed = await get('reports/spend?from=2040-01&to=2049-12&basis=committed&groupBy=fiscalYear').expect(200);
      expect(committed.body.totals.total).toBe('119999999999998.80');
      expect(committed.body.rows).toHaveLength(10);
      const html = await get('reports/spend?from=2040-01&to=2049-12&basis=committed&groupBy=tool&format=html').expect(200);
      expect(html.text).toContain('€119,999,999,999,998.80');
    });
  });

  describe('reports over a 999999999999999.99 MONTHLY contract stored before the maximum (2030)', () => {
    // 99999999999999999 minor units a month: each month's ledger sum is above 2^53, the year's total has 17 integer digits.
    const year = '11999999999999999.88';

    beforeAll(async () => {
      const legacyTool = await makeTool(testApp, {
        name: 'Legacy',
        vendor,
        subcategory: 'CRM',
        budgetOwner: mkt,
        licensedSeats: 3,
        activeUsers: 1,
      });
      await makeTool(testApp, { name: 'Legacy Two', vendor, subcategory: 'CRM', budgetOwner: mkt });
      // Written through the service, as the API wrote it before the maximum was enforced at the edge.
      await testApp.dataSource.transaction((m) =>
        testApp.app.get(ContractsService).createInTransaction(m, null, {
          toolId: legacyTool.id,
          reference: 'LEGACY-MAX',
          startDate: '2030-01-01',
          termMonths: 12,
          billing: Billing.MONTHLY,
          amount: money('999999999999999.99'),
          seats: 3,
          autoRenew: true,
          noticeDays: 30,
        }),
      );
    });

    it('reads the contract back exactly', async () => {
      const list = await get('contracts?pageSize=200').expect(200);
      const contract = list.body.items.find((x: { reference: string }) => x.reference === 'LEGACY-MAX');
      expect(contract.amount).toEqual(money('999999999999999.99'));
      expect(contract.annualValue).toEqual(money(year));
    });

    it('spend report: JSON, CSV and HTML answer 200 with exact totals', async () => {
      for (const groupBy of ['budget', 'tool', 'vendor', 'month', 'fiscalYear']) {
        const json = await get(`reports/spend?from=2030-01&to=2030-12&basis=committed&groupBy=${groupBy}`).expect(200);
        expect(json.body.totals.total).toBe(year);
      }
      const month = await get('reports/spend?from=2030-01&to=2030-12&basis=committed&groupBy=month').expect(200);
      expect(month.body.rows[0].total).toBe('999999999999999.99');
      expect((await get('reports/spend?from=2030-01&to=2030-12&basis=committed&groupBy=tool&format=csv').expect(200)).text).toContain(
        `TOTAL,Total,EUR,${year}`,
      );
      for (const groupBy of ['budget', 'tool', 'month']) {
        const html = await get(`reports/spend?from=2030-01&to=2030-12&basis=committed&groupBy=${groupBy}&format=html`).expect(200);
        expect(html.text).toContain('€11,999,999,999,999,999.88');
      }
    });

    it('budget vs actual, renewals and governance answer 200 with exact totals', async () => {
      const budget = await get('reports/budget-vs-actual?fiscalYear=2030&asOf=2030-03-15').expect(200);
      expect(budget.body.totals.committed).toBe(year);
      expect(budget.body.totals.forecast).toBe('8999999999999999.91');
      expect((await get('reports/budget-vs-actual?fiscalYear=2030&asOf=2030-03-15&format=html').expect(200)).text).toContain(
        '€11,999,999,999,999,999.88',
      );
      await get('reports/budget-vs-actual?fiscalYear=2030&asOf=2030-03-15&format=csv').expect(200);

      const renewals = await get('reports/renewals?asOf=2030-11-15&withinDays=90').expect(200);
      expect(renewals.body.items.find((i: { reference: string }) => i.reference === 'LEGACY-MAX').annualValue).toEqual(money(year));
      await get('reports/renewals?asOf=2030-11-15&withinDays=90&format=html').expect(200);

      const gov = await get('reports/governance?asOf=2030-12-31').expect(200);
      const group = gov.body.overlapGroups.find((g: { tools: { name: string }[] }) => g.tools.some((x) => x.name === 'Legacy'));
      expect(group.groupCost).toEqual(money(year));
      // 2 unused seats of 3: 1199999999999999988 × 2 / 3 = 799999999999999992 minor units.
      expect(gov.body.unusedSeats.find((u: { tool: { name: string } }) => u.tool.name === 'Legacy').value).toEqual(
        money('7999999999999999.92'),
      );
      await get('reports/governance?asOf=2030-12-31&format=csv').expect(200);
      await get('reports/governance?asOf=2030-12-31&format=html').expect(200);
    });
  });
});
