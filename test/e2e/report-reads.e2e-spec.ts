import { CostCenterKind, Tool } from '@stackgate/catalog';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeIntegration, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * The reports read finance, catalog, identity and integrations through those libs' exported queries
 * (issue 22 §1) and join them in memory: each report runs the same number of statements however
 * many tools, contracts and ledger rows it covers (batched look-ups by id, no per-row reads), and
 * the seat value of contracts in other currencies uses, per currency, the rate of the report's month
 * or else the latest earlier one.
 */
describe("Reports compose other libs' queries in a fixed number of statements", () => {
  let app: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let seatsUsd: Tool, seatsGbp: Tool;

  const post = async (path: string, body: object) => {
    const res = await app.http().post(`/api/v1/${path}`).set(cast.finance.auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** A batch of tools (two or more per subcategory), contracts in the currencies in turn, spend, flows and a budget. */
  async function addBatch(count: number, currencies: string[]) {
    const cc = await makeCostCenter(app, { kind: CostCenterKind.MARKETING });
    const vendor = await makeVendor(app, { dpaSigned: false });
    const tools: Tool[] = [];
    for (let i = 0; i < count; i++) {
      tools.push(
        await makeTool(app, {
          vendor,
          subcategory: i % 2 ? 'Email Marketing' : 'CRM',
          budgetOwner: cc,
          businessOwnerId: cast.marketer.id,
          licensedSeats: 20,
          activeUsers: 10,
        }),
      );
    }
    for (const [index, tool] of tools.entries()) {
      const currency = currencies[index % currencies.length];
      await post('contracts', {
        toolId: tool.id,
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: money('100.00', currency),
        seats: 10,
        noticeDays: 30,
      });
      await post('spend-entries', { toolId: tool.id, date: '2026-02-10', costType: 'LICENSE', amount: money('40.00', currency) });
      if (index) await makeIntegration(app, tools[index - 1], tool, { carriesPersonalData: true });
    }
    await post('budgets', { costCenterId: cc.id, fiscalYear: 2026, amount: money('5000.00') });
  }

  async function statements(path: string): Promise<number> {
    const logger = app.dataSource.logger;
    const original = logger.logQuery;
    let count = 0;
    logger.logQuery = function (...args: Parameters<typeof original>) {
      count++;
      return original.apply(this, args);
    };
    try {
      await app.http().get(`/api/v1/${path}`).set(cast.finance.auth).expect(200);
      return count;
    } finally {
      logger.logQuery = original;
    }
  }

  const REPORTS = [
    'reports/spend?from=2026-01&to=2026-12&groupBy=budget',
    'reports/spend?from=2026-01&to=2026-12&groupBy=month',
    'reports/spend?from=2026-01&to=2026-12&groupBy=category',
    'reports/spend?from=2026-01&to=2026-12&groupBy=subcategory',
    'reports/spend?from=2026-01&to=2026-12&groupBy=costCenter',
    'reports/spend?from=2026-01&to=2026-12&groupBy=tool',
    'reports/spend?from=2026-01&to=2026-12&groupBy=vendor&basis=actual',
    'reports/spend?from=2026-01&to=2026-12&groupBy=costType',
    'reports/budget-vs-actual?fiscalYear=2026&asOf=2026-05-20',
    'reports/renewals?asOf=2026-11-15&withinDays=60',
    'reports/governance?asOf=2026-05-20',
  ];

  beforeAll(async () => {
    app = await startTestApp({ BASE_CURRENCY: 'EUR' });
    cast = await makeCast(app);
    // USD has a rate every month of 2026; GBP only in February and July.
    const usd = ['0.9', '0.85', '0.7', '0.75', '0.8', '0.5', '0.6', '0.6', '0.6', '0.6', '0.6', '0.6'];
    for (const [index, rate] of usd.entries())
      await post('fx-rates', { currency: 'USD', month: `2026-${String(index + 1).padStart(2, '0')}`, rate });
    await post('fx-rates', { currency: 'GBP', month: '2026-02', rate: '1.2' });
    await post('fx-rates', { currency: 'GBP', month: '2026-07', rate: '2' });
    const cc = await makeCostCenter(app, { kind: CostCenterKind.IT });
    const vendor = await makeVendor(app);
    seatsUsd = await makeTool(app, { name: 'Seats USD', vendor, subcategory: 'SEO', budgetOwner: cc, licensedSeats: 50, activeUsers: 30 });
    seatsGbp = await makeTool(app, { name: 'Seats GBP', vendor, subcategory: 'SEO', budgetOwner: cc, licensedSeats: 10, activeUsers: 7 });
    // 1000 USD a year for 10 seats; 500 GBP once (its ledger month is February) for 5 seats.
    await post('contracts', {
      toolId: seatsUsd.id,
      startDate: '2026-01-01',
      termMonths: 12,
      billing: 'ANNUAL',
      amount: money('1000.00', 'USD'),
      seats: 10,
    });
    await post('contracts', {
      toolId: seatsGbp.id,
      startDate: '2026-02-01',
      termMonths: 12,
      billing: 'ONE_TIME',
      amount: money('500.00', 'GBP'),
      seats: 5,
    });
    await addBatch(2, ['EUR', 'USD']);
  });
  afterAll(async () => app?.close());

  it('values unused seats of foreign-currency contracts at the rate of the report month, else the latest earlier one', async () => {
    const res = await app.http().get('/api/v1/reports/governance?asOf=2026-05-20').set(cast.finance.auth).expect(200);
    const bySeats = Object.fromEntries(res.body.unusedSeats.map((u: { tool: { name: string } }) => [u.tool.name, u]));
    // USD: May's 0.8 (not June's 0.5): 1000 USD = €800 for 10 seats, 20 unused = €1,600.
    expect(bySeats['Seats USD']).toEqual({
      tool: { id: seatsUsd.id, name: 'Seats USD' },
      licensedSeats: 50,
      activeUsers: 30,
      unusedSeats: 20,
      perSeatCost: money('80.00'),
      value: money('1600.00'),
      evidence: null,
    });
    // GBP: no May rate; February's 1.2 (not July's 2): 500 GBP = €600 for 5 seats, 3 unused = €360.
    expect(bySeats['Seats GBP']).toEqual({
      tool: { id: seatsGbp.id, name: 'Seats GBP' },
      licensedSeats: 10,
      activeUsers: 7,
      unusedSeats: 3,
      perSeatCost: money('120.00'),
      value: money('360.00'),
      evidence: null,
    });
  });

  it('each report runs as many statements over a larger catalog and ledger as over a small one', async () => {
    const before: number[] = [];
    for (const path of REPORTS) before.push(await statements(path));
    // Three times the tools, and a third foreign currency (a per-currency rate look-up would show).
    for (let i = 1; i <= 12; i++) await post('fx-rates', { currency: 'CHF', month: `2026-${String(i).padStart(2, '0')}`, rate: '1.05' });
    await addBatch(6, ['EUR', 'USD', 'CHF']);
    const after: number[] = [];
    for (const path of REPORTS) after.push(await statements(path));
    expect(Object.fromEntries(REPORTS.map((p, i) => [p, after[i]]))).toEqual(Object.fromEntries(REPORTS.map((p, i) => [p, before[i]])));
    // The guard's session read, the range's ledger month counters, the FX rates, then the ledger sums (by vendor or tool
    // one read per month: twelve here), and (but for time groupings) one look-up of the row names.
    const byMonth = 'reports/spend?from=2026-01&to=2026-12&groupBy=month';
    const byVendor = 'reports/spend?from=2026-01&to=2026-12&groupBy=vendor&basis=actual';
    expect(before[REPORTS.indexOf(byMonth)]).toBe(4);
    expect(before[REPORTS.indexOf(byVendor)]).toBe(16);
    // Asked again with no change to the ledger: the kept figures, without the sums and rates.
    expect(await statements(byMonth)).toBe(2);
    expect(await statements(byVendor)).toBe(3);
  });
});
