import { CostCenterKind, ItApprovalStatus, Tool } from '@stackgate/catalog';
import { IntegrationStatus } from '@stackgate/integrations';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeIntegration, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * A known dataset: FY starts in April, EUR base, three cost centers of different kinds, contracts
 * in EUR and USD with monthly USD rates, six months of spend (Jan–Jun 2026), a shadow-IT tool and
 * an overlap group. Every figure below is worked out by hand in the comments.
 */
describe('Reports on a known dataset', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let mailer: Tool, crm: Tool, socialite: Tool, socialize: Tool, lonely: Tool;
  const ids: Record<string, string> = {};

  const post = async (path: string, body: object) => {
    const res = await testApp.http().post(`/api/v1/${path}`).set(cast.finance.auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const get = (path: string, who = cast.finance) => testApp.http().get(`/api/v1/${path}`).set(who.auth);

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR', FISCAL_YEAR_START_MONTH: '4' });
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT', name: 'Marketing', ownerId: cast.cmo.id });
    const itc = await makeCostCenter(testApp, { kind: CostCenterKind.IT, code: 'ITC', name: 'IT Platforms', ownerId: cast.cio.id });
    const ops = await makeCostCenter(testApp, { kind: CostCenterKind.OTHER, code: 'OPS', name: 'Operations' });
    Object.assign(ids, { mkt: mkt.id, itc: itc.id, ops: ops.id });
    const v1 = await makeVendor(testApp, { name: 'Good Vendor', dpaSigned: true });
    const v2 = await makeVendor(testApp, { name: 'No DPA Vendor', dpaSigned: false });
    mailer = await makeTool(testApp, {
      name: 'Mailer',
      vendor: v1,
      subcategory: 'Email Marketing',
      budgetOwner: mkt,
      businessOwnerId: cast.marketer.id,
      allocation: [
        { costCenterId: mkt.id, shareBps: 6000 },
        { costCenterId: itc.id, shareBps: 4000 },
      ],
      licensedSeats: 120,
      activeUsers: 80,
    });
    crm = await makeTool(testApp, { name: 'CRM', vendor: v1, subcategory: 'CRM', budgetOwner: itc, isSystemOfRecord: true });
    socialite = await makeTool(testApp, {
      name: 'Socialite',
      vendor: v2,
      subcategory: 'Social Media Marketing & Monitoring',
      budgetOwner: mkt,
      itApproval: ItApprovalStatus.NOT_REVIEWED,
    });
    socialize = await makeTool(testApp, {
      name: 'Socialize',
      vendor: v1,
      subcategory: 'Social Media Marketing & Monitoring',
      budgetOwner: ops,
    });
    lonely = await makeTool(testApp, { name: 'Lonely', vendor: v1, subcategory: 'Collaboration', budgetOwner: ops });
    await makeIntegration(testApp, mailer, crm);
    await makeIntegration(testApp, socialite, socialize, { carriesPersonalData: true });
    await makeIntegration(testApp, mailer, socialite, { carriesPersonalData: true, status: IntegrationStatus.PLANNED });

    const usd = ['0.9', '0.9', '0.8', '0.8', '0.5', '0.5'];
    for (let i = 0; i < 6; i++) await post('fx-rates', { currency: 'USD', month: `2026-0${i + 1}`, rate: usd[i] });
    // Committed per month: C1 1000 EUR (60/40 MKT/ITC), C2 1000 USD (ITC, OPERATIONS), C3 100 EUR (MKT, shadow IT).
    ids.c1 = (
      await post('contracts', {
        toolId: mailer.id,
        reference: 'C1',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: money('1000.00'),
        seats: 100,
        noticeDays: 30,
        internalLeadDays: 30,
        autoRenew: true,
      })
    ).id;
    ids.c2 = (
      await post('contracts', {
        toolId: crm.id,
        reference: 'C2',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'QUARTERLY',
        amount: money('3000.00', 'USD'),
        costType: 'OPERATIONS',
        noticeDays: 60,
      })
    ).id;
    ids.c3 = (
      await post('contracts', {
        toolId: socialite.id,
        reference: 'C3',
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money('1200.00'),
      })
    ).id;
    for (let month = 1; month <= 6; month++) {
      const date = `2026-0${month}-15`;
      await post('spend-entries', {
        toolId: mailer.id,
        contractId: ids.c1,
        date,
        costType: 'LICENSE',
        amount: money('1000.00'),
        externalRef: `M-${month}`,
      });
      await post('spend-entries', {
        toolId: crm.id,
        contractId: ids.c2,
        date,
        costType: 'OPERATIONS',
        amount: money('500.00', 'USD'),
        externalRef: `C-${month}`,
      });
      await post('spend-entries', { toolId: socialite.id, date, costType: 'LICENSE', amount: money('50.00') });
    }
    await post('spend-entries', {
      toolId: socialize.id,
      date: '2026-03-03',
      costType: 'TRAINING',
      amount: money('200.00'),
      allocation: [{ costCenterId: ops.id, shareBps: 10000 }],
    });
  });
  afterAll(async () => testApp?.close());

  describe('access and validation', () => {
    it('is readable by CMO, CIO, FINANCE and ADMIN; MARKETER and IT get 403', async () => {
      for (const path of [
        'reports/spend?from=2026-01&to=2026-06',
        'reports/budget-vs-actual?fiscalYear=2026',
        'reports/renewals',
        'reports/governance?asOf=2026-03-31',
      ]) {
        for (const user of [cast.cmo, cast.cio, cast.finance, cast.admin]) await get(path, user).expect(200);
        for (const user of [cast.marketer, cast.it]) await get(path, user).expect(403);
      }
    });

    it('documents every report and finance route in OpenAPI', async () => {
      const doc = (await testApp.http().get('/api/docs-json').expect(200)).body;
      for (const path of [
        '/api/v1/reports/spend',
        '/api/v1/reports/budget-vs-actual',
        '/api/v1/reports/renewals',
        '/api/v1/reports/governance',
      ]) {
        expect(doc.paths[path].get.security).toEqual([{ bearer: [] }]);
      }
      expect(Object.keys(doc.components.schemas.SpendReportResponse.properties).sort()).toEqual([
        'basis',
        'currency',
        'from',
        'groupBy',
        'includeApproved',
        'operationsShare',
        'rows',
        'shadowItShare',
        'to',
        'totals',
      ]);
      expect(doc.components.schemas.GovernanceReportResponse.required).toEqual(
        expect.arrayContaining(['shadowIt', 'overlapGroups', 'dataSilos', 'personalDataFlows', 'unusedSeats']),
      );
      expect(doc.components.schemas.CreateContractDto.required).toEqual(
        expect.arrayContaining(['toolId', 'startDate', 'termMonths', 'billing', 'amount']),
      );
      for (const path of ['/api/v1/contracts', '/api/v1/spend-entries', '/api/v1/budgets', '/api/v1/fx-rates'])
        expect(doc.paths[path].post).toBeDefined();
    });

    it('refuses ranges over 10 years, from after to, unknown groupings and fields', async () => {
      expect((await get('reports/spend?from=2020-01&to=2030-01').expect(400)).body.code).toBe('RANGE_TOO_LONG');
      await get('reports/spend?from=2016-07&to=2026-06&basis=actual').expect(200);
      expect((await get('reports/spend?from=2026-06&to=2026-01').expect(400)).body.code).toBe('INVALID_RANGE');
      await get('reports/spend?from=2026-01&to=2026-06&groupBy=planet').expect(400);
      await get('reports/spend?from=2026-01&to=2026-06&basis=hoped').expect(400);
      await get('reports/spend?from=2026-01&to=2026-06&bogus=1').expect(400);
      await get('reports/spend?to=2026-06').expect(400);
      await get('reports/spend?from=2026-01&to=2026-06&format=pdf').expect(400);
    });

    it('answers 422 listing every missing FX rate', async () => {
      const res = await get('reports/spend?from=2026-05&to=2026-08&basis=committed').expect(422);
      expect(res.body.code).toBe('FX_RATE_MISSING');
      expect(res.body.details).toEqual([
        { currency: 'USD', month: '2026-07' },
        { currency: 'USD', month: '2026-08' },
      ]);
      await get('reports/budget-vs-actual?fiscalYear=2027&asOf=2026-06-15').expect(422);
    });
  });

  describe('spend', () => {
    it('committed by budget: exact totals, operations and shadow-IT shares', async () => {
      // Committed Jan–Jun: C1 6000 (3600 MKT / 2400 IT); C2 1000 USD × (.9,.9,.8,.8,.5,.5) = 4400 IT; C3 600 MKT.
      const res = await get('reports/spend?from=2026-01&to=2026-06&basis=committed&groupBy=budget').expect(200);
      expect(res.body).toEqual({
        from: '2026-01',
        to: '2026-06',
        basis: 'committed',
        includeApproved: false,
        groupBy: 'budget',
        currency: 'EUR',
        rows: [
          { key: 'MARKETING', label: 'Marketing', total: '4200.00', marketing: '4200.00', it: '0.00', other: '0.00' },
          { key: 'IT', label: 'IT', total: '6800.00', marketing: '0.00', it: '6800.00', other: '0.00' },
        ],
        totals: { total: '11000.00', marketing: '4200.00', it: '6800.00', other: '0.00' },
        operationsShare: '0.4000',
        shadowItShare: '0.0545',
      });
    });

    it('committed by tool, quarter and fiscal year (FY named by its end year, starting in April)', async () => {
      const tool = await get('reports/spend?from=2026-01&to=2026-06&basis=committed&groupBy=tool').expect(200);
      expect(tool.body.rows).toEqual([
        { key: mailer.id, label: 'Mailer', total: '6000.00', marketing: '3600.00', it: '2400.00', other: '0.00' },
        { key: crm.id, label: 'CRM', total: '4400.00', marketing: '0.00', it: '4400.00', other: '0.00' },
        { key: socialite.id, label: 'Socialite', total: '600.00', marketing: '600.00', it: '0.00', other: '0.00' },
      ]);
      const byQuarter = await get('reports/spend?from=2026-01&to=2026-06&basis=committed&groupBy=quarter').expect(200);
      expect(byQuarter.body.rows).toEqual([
        { key: '2026-Q1', label: '2026-Q1', total: '5900.00', marketing: '2100.00', it: '3800.00', other: '0.00' },
        { key: '2026-Q2', label: '2026-Q2', total: '5100.00', marketing: '2100.00', it: '3000.00', other: '0.00' },
      ]);
      const fy = await get('reports/spend?from=2026-01&to=2026-06&basis=committed&groupBy=fiscalYear').expect(200);
      expect(fy.body.rows.map((r: { key: string; total: string }) => [r.key, r.total])).toEqual([
        ['FY2026', '5900.00'],
        ['FY2027', '5100.00'],
      ]);
    });

    it('actual by budget, cost type, month, cost center, category and vendor', async () => {
      // Actual: Mailer 6000 (3600/2400), CRM 500 USD × rates = 2200 IT, Socialite 300 MKT (shadow), Socialize 200 OTHER.
      const byBudget = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=budget').expect(200);
      expect(byBudget.body.rows.map((r: object) => Object.values(r))).toEqual([
        ['MARKETING', 'Marketing', '3900.00', '3900.00', '0.00', '0.00'],
        ['IT', 'IT', '4600.00', '0.00', '4600.00', '0.00'],
        ['OTHER', 'Other', '200.00', '0.00', '0.00', '200.00'],
      ]);
      expect(byBudget.body.totals).toEqual({ total: '8700.00', marketing: '3900.00', it: '4600.00', other: '200.00' });
      expect(byBudget.body.operationsShare).toBe('0.2529');
      expect(byBudget.body.shadowItShare).toBe('0.0345');
      const ct = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=costType').expect(200);
      expect(ct.body.rows.map((r: { key: string; label: string; total: string }) => [r.key, r.label, r.total])).toEqual([
        ['LICENSE', 'License', '6300.00'],
        ['OPERATIONS', 'Operations', '2200.00'],
        ['TRAINING', 'Training', '200.00'],
      ]);
      const mo = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=month').expect(200);
      expect(mo.body.rows.map((r: { key: string; total: string }) => [r.key, r.total])).toEqual([
        ['2026-01', '1500.00'],
        ['2026-02', '1500.00'],
        ['2026-03', '1650.00'],
        ['2026-04', '1450.00'],
        ['2026-05', '1300.00'],
        ['2026-06', '1300.00'],
      ]);
      const cc = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=costCenter').expect(200);
      expect(cc.body.rows.map((r: { key: string; label: string; total: string }) => [r.key, r.label, r.total])).toEqual([
        [ids.itc, 'IT Platforms', '4600.00'],
        [ids.mkt, 'Marketing', '3900.00'],
        [ids.ops, 'Operations', '200.00'],
      ]);
      const cat = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=category').expect(200);
      expect(cat.body.rows.map((r: { label: string; total: string }) => [r.label, r.total])).toEqual([
        ['Content & Experience', '6000.00'],
        ['Social & Relationships', '2700.00'],
      ]);
      const sub = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=subcategory').expect(200);
      expect(sub.body.rows.map((r: { label: string; total: string }) => [r.label, r.total])).toEqual([
        ['Email Marketing', '6000.00'],
        ['CRM', '2200.00'],
        ['Social Media Marketing & Monitoring', '500.00'],
      ]);
      const byVendor = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=vendor').expect(200);
      expect(byVendor.body.rows.map((r: { label: string; total: string }) => [r.label, r.total])).toEqual([
        ['Good Vendor', '8400.00'],
        ['No DPA Vendor', '300.00'],
      ]);
    });

    it('answers the same figures as CSV (format or Accept header) and HTML', async () => {
      const csv = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=budget&format=csv').expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="spend-actual-budget-2026-01-2026-06.csv"/);
      expect(csv.text).toBe(
        [
          'key,label,currency,total,marketing,it,other',
          'MARKETING,Marketing,EUR,3900.00,3900.00,0.00,0.00',
          'IT,IT,EUR,4600.00,0.00,4600.00,0.00',
          'OTHER,Other,EUR,200.00,0.00,0.00,200.00',
          'TOTAL,Total,EUR,8700.00,3900.00,4600.00,200.00',
          '',
        ].join('\r\n'),
      );
      const viaAccept = await get('reports/spend?from=2026-01&to=2026-06&basis=committed&groupBy=quarter')
        .set('Accept', 'text/csv')
        .expect(200);
      expect(viaAccept.text.split('\r\n')).toEqual([
        'key,label,currency,total,marketing,it,other',
        '2026-Q1,2026-Q1,EUR,5900.00,2100.00,3800.00,0.00',
        '2026-Q2,2026-Q2,EUR,5100.00,2100.00,3000.00,0.00',
        'TOTAL,Total,EUR,11000.00,4200.00,6800.00,0.00',
        '',
      ]);
      const html = await get('reports/spend?from=2026-01&to=2026-06&basis=actual&groupBy=budget').set('Accept', 'text/html').expect(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      for (const figure of ['€8,700.00', '€3,900.00', '€4,600.00', '€200.00', '25.29 %', '3.45 %']) expect(html.text).toContain(figure);
      expect(html.text).toContain('<svg');
      expect(html.text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
      const csvTool = await get('reports/spend?from=2026-01&to=2026-06&basis=committed&groupBy=tool&format=csv').expect(200);
      expect(csvTool.text).toContain(`${socialite.id},Socialite,EUR,600.00,600.00,0.00,0.00\r\n`);
    });
  });

  describe('budget vs actual', () => {
    beforeAll(async () => {
      for (let month = 7; month <= 12; month++)
        await post('fx-rates', { currency: 'USD', month: `2026-${String(month).padStart(2, '0')}`, rate: '1' });
      await post('budgets', { costCenterId: ids.mkt, fiscalYear: 2027, amount: money('10000.00') });
      await post('budgets', { costCenterId: ids.itc, fiscalYear: 2027, amount: money('12000.00') });
      await post('budgets', { costCenterId: ids.ops, fiscalYear: 2027, amount: money('500.00') });
    });

    it('gives budget, committed, actual, remaining and the year-end forecast per cost center', async () => {
      // FY2027 = Apr 2026 – Mar 2027, as of June 2026. MKT committed 9×600 + 9×100 = 6300, actual 3×600 + 3×50 = 1950,
      // forecast 1950 + 6×600 + 6×100 = 6150. ITC committed 9×400 + (800+500+500+6×1000) = 11400, actual 3×400 + (400+250+250) = 2100,
      // forecast 2100 + 6×400 + 6000 = 10500.
      const res = await get('reports/budget-vs-actual?fiscalYear=2027&asOf=2026-06-15').expect(200);
      expect(res.body).toEqual({
        fiscalYear: 2027,
        from: '2026-04',
        to: '2027-03',
        asOf: '2026-06-15',
        currency: 'EUR',
        rows: [
          {
            costCenterId: ids.mkt,
            code: 'MKT',
            name: 'Marketing',
            kind: 'MARKETING',
            budget: '10000.00',
            committed: '6300.00',
            actual: '1950.00',
            remaining: '8050.00',
            forecast: '6150.00',
            variance: '3850.00',
            approvedNotContracted: '0.00',
          },
          {
            costCenterId: ids.itc,
            code: 'ITC',
            name: 'IT Platforms',
            kind: 'IT',
            budget: '12000.00',
            committed: '11400.00',
            actual: '2100.00',
            remaining: '9900.00',
            forecast: '10500.00',
            variance: '1500.00',
            approvedNotContracted: '0.00',
          },
          {
            costCenterId: ids.ops,
            code: 'OPS',
            name: 'Operations',
            kind: 'OTHER',
            budget: '500.00',
            committed: '0.00',
            actual: '0.00',
            remaining: '500.00',
            forecast: '0.00',
            variance: '500.00',
            approvedNotContracted: '0.00',
          },
        ],
        totals: {
          budget: '22500.00',
          committed: '17700.00',
          actual: '4050.00',
          remaining: '18450.00',
          forecast: '16650.00',
          variance: '5850.00',
          approvedNotContracted: '0.00',
        },
      });
      const csv = await get('reports/budget-vs-actual?fiscalYear=2027&asOf=2026-06-15&format=csv').expect(200);
      expect(csv.text.split('\r\n')[1]).toBe('MKT,Marketing,MARKETING,2027,EUR,10000.00,6300.00,1950.00,8050.00,6150.00,3850.00,0.00');
      expect(csv.text.split('\r\n')[4]).toBe('TOTAL,Total,,2027,EUR,22500.00,17700.00,4050.00,18450.00,16650.00,5850.00,0.00');
      const html = await get('reports/budget-vs-actual?fiscalYear=2027&asOf=2026-06-15&format=html').expect(200);
      for (const figure of ['€10,000.00', '€6,150.00', '€10,500.00', '€16,650.00']) expect(html.text).toContain(figure);
    });
  });

  describe('renewals', () => {
    it('lists contracts whose cancel-by or end date falls in the window, by cancel-by date', async () => {
      // C2: end 2026-12-31, notice 60 → cancel by 2026-11-01; C1: notice 30 → 2026-12-01; C3: notice 0 → 2026-12-31.
      const res = await get('reports/renewals?withinDays=30&asOf=2026-11-01').expect(200);
      expect(
        res.body.items.map((i: { reference: string; cancelByDate: string; daysToCancelBy: number }) => [
          i.reference,
          i.cancelByDate,
          i.daysToCancelBy,
        ]),
      ).toEqual([
        ['C2', '2026-11-01', 0],
        ['C1', '2026-12-01', 30],
      ]);
      expect(res.body.items[1]).toMatchObject({
        tool: { id: mailer.id, name: 'Mailer' },
        vendor: { name: 'Good Vendor' },
        endDate: '2026-12-31',
        reviewStartDate: '2026-11-01',
        annualValue: money('12000.00'),
        autoRenew: true,
        seats: 100,
        licensedSeats: 120,
        activeUsers: 80,
        overlap: false,
        businessOwner: { id: cast.marketer.id },
        budgetOwner: { code: 'MKT' },
      });
      const all = await get('reports/renewals?asOf=2026-11-01').expect(200);
      expect(all.body.items.map((i: { reference: string }) => i.reference)).toEqual(['C2', 'C1', 'C3']);
      expect(all.body.items[2]).toMatchObject({ overlap: true, annualValue: money('1200.00') });
      const csv = await get('reports/renewals?withinDays=30&asOf=2026-11-01&format=csv').expect(200);
      expect(csv.text.split('\r\n')[0]).toBe(
        'reference,tool,vendor,startDate,endDate,cancelByDate,reviewStartDate,daysToCancelBy,annualValue,currency,autoRenew,' +
          'seats,licensedSeats,activeUsers,overlap,businessOwner,budgetOwner,state,overdue,decision,decisionSeats,' +
          'decisionOwner,decisionRationale,decidedBy,decidedAt',
      );
      expect(csv.text.split('\r\n')[2]).toMatch(
        /^C1,Mailer,Good Vendor,2026-01-01,2026-12-31,2026-12-01,2026-11-01,30,12000.00,EUR,true,100,120,80,false,/,
      );
      await get('reports/renewals?withinDays=0').expect(400);
      const html = await get('reports/renewals?withinDays=30&asOf=2026-11-01&format=html').expect(200);
      expect(html.text).toContain('€12,000.00');
    });
  });

  describe('governance', () => {
    it('reports shadow IT, overlap, silos, personal-data flows and unused seats', async () => {
      const res = await get('reports/governance?asOf=2026-06-30').expect(200);
      const governance = res.body;
      expect(governance.shadowIt).toEqual([
        { tool: { id: socialite.id, name: 'Socialite' }, itApproval: 'NOT_REVIEWED', annualSpend: money('300.00') },
      ]);
      // Socialite: committed 600 over the 12 months; Socialize has no contract: its actual 200. Saving = 800 − 600.
      expect(governance.overlapGroups).toEqual([
        {
          subcategory: { id: socialite.subcategoryId, name: 'Social Media Marketing & Monitoring' },
          tools: [
            { id: socialite.id, name: 'Socialite', annualCost: money('600.00') },
            { id: socialize.id, name: 'Socialize', annualCost: money('200.00') },
          ],
          groupCost: money('800.00'),
          estimatedSaving: money('200.00'),
          estimatedSavingBasis: 'the annual cost of every tool in the group except the most expensive one (consolidating onto it)',
        },
      ]);
      expect(governance.dataSilos.isolated).toEqual([{ id: lonely.id, name: 'Lonely' }]);
      expect(governance.dataSilos.noPathToSystemOfRecord.map((x: { name: string }) => x.name).sort()).toEqual([
        'Lonely',
        'Socialite',
        'Socialize',
      ]);
      expect(governance.personalDataFlows).toEqual([
        expect.objectContaining({
          source: { id: mailer.id, name: 'Mailer' },
          target: { id: socialite.id, name: 'Socialite' },
          status: 'PLANNED',
          reasons: ['TARGET_NOT_IT_APPROVED', 'VENDOR_WITHOUT_DPA'],
        }),
      ]);
      // 40 unused seats × (12000 / 100 seats) = 4800.
      expect(governance.unusedSeats).toEqual([
        {
          tool: { id: mailer.id, name: 'Mailer' },
          licensedSeats: 120,
          activeUsers: 80,
          unusedSeats: 40,
          perSeatCost: money('120.00'),
          value: money('4800.00'),
          evidence: null,
        },
      ]);
      expect(governance.reviewTurnaround).toEqual({
        from: '2025-06-30',
        to: '2026-06-30',
        stages: ['MARKETING', 'IT', 'FINANCE'].map((stage) => ({
          stage,
          decided: 0,
          medianBusinessHours: null,
          p90BusinessHours: null,
          openNow: 0,
          overdueNow: 0,
        })),
      });
      const csv = await get('reports/governance?asOf=2026-06-30&format=csv').expect(200);
      expect(csv.text).toContain('shadow_it,Socialite,NOT_REVIEWED,300.00,EUR\r\n');
      expect(csv.text).toContain('unused_seats,Mailer,40,4800.00,EUR\r\n');
      const html = await get('reports/governance?asOf=2026-06-30&format=html').expect(200);
      for (const figure of ['€300.00', '€4,800.00', '€200.00', 'Lonely']) expect(html.text).toContain(figure);
    });
  });

  describe('vendor grouping', () => {
    it("converts the month's USD once, so the vendor's tools add up to the vendor", async () => {
      // Two tools of one vendor, 0.01 USD each in 2027-01 at 0.5: the month's 0.02 USD is €0.01, one tool
      // takes it (a tie: the smaller tool id), and the vendor is €0.01 as well.
      // Converting each tool on its own, both rounded up to €0.01: €0.02 by tool, €0.01 by vendor.
      // (Added last: no earlier test sees these tools.)
      const vendor = await makeVendor(testApp, { name: 'Rounding Vendor', dpaSigned: true });
      const owner = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'RND', name: 'Rounding' });
      const toolA = await makeTool(testApp, { name: 'Half Cent A', vendor, subcategory: 'Email Marketing', budgetOwner: owner });
      const toolB = await makeTool(testApp, { name: 'Half Cent B', vendor, subcategory: 'Email Marketing', budgetOwner: owner });
      await post('fx-rates', { currency: 'USD', month: '2027-01', rate: '0.5' });
      for (const tool of [toolA, toolB])
        await post('spend-entries', { toolId: tool.id, date: '2027-01-10', costType: 'LICENSE', amount: money('0.01', 'USD') });
      const byTool = await get('reports/spend?from=2027-01&to=2027-01&basis=actual&groupBy=tool').expect(200);
      // Ids made within one millisecond are not ordered by creation: the tie goes to the smaller id.
      const [first, second] = [toolA, toolB].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(byTool.body.rows.map((r: { label: string; total: string }) => [r.label, r.total]).sort()).toEqual(
        [
          [first.name, '0.01'],
          [second.name, '0.00'],
        ].sort(),
      );
      const byVendor = await get('reports/spend?from=2027-01&to=2027-01&basis=actual&groupBy=vendor').expect(200);
      expect(byVendor.body.rows.map((r: { label: string; total: string; marketing: string }) => [r.label, r.total, r.marketing])).toEqual([
        ['Rounding Vendor', '0.01', '0.01'],
      ]);
      expect(byVendor.body.totals.total).toBe('0.01');
    });
  });
});
