import { CostCenterKind, ItApprovalStatus, Tool } from '@stackgate/catalog';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

/*
 * One conversion grain for every report (README "Money: conversion and rounding"): many small USD
 * and GBP amounts over a few cost centers and tools, at rates that leave fractions of a cent, must
 * give the same grand total, marketing / IT / other split, operations and shadow-IT figures in every
 * grouping of the spend report (JSON, CSV and HTML), the same actual and committed per cost center
 * in budget vs actual, the same shadow-IT spend in the governance report and its discovery section,
 * and the same figures on finance's home page. Converting each group's cells on their own, the
 * groupings differed by a few cents.
 */

const GROUPINGS = ['budget', 'costCenter', 'category', 'subcategory', 'tool', 'vendor', 'costType', 'month', 'quarter', 'fiscalYear'];
const year = new Date().getUTCFullYear();
const month = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
const cents = (amount: string) => BigInt(amount.replace(/[^\d-]/g, ''));
const sum = (amounts: string[]) => amounts.reduce((total, amount) => total + cents(amount), 0n);

interface SpendJson {
  rows: { key: string; label: string; total: string; marketing: string; it: string; other: string }[];
  totals: { total: string; marketing: string; it: string; other: string };
  operationsShare: string;
  shadowItShare: string;
}

describe('Reports convert money on one grain: every grouping adds up to the same cents', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  const tools: Tool[] = [];
  const shadowIds = new Set<string>();

  const post = async (path: string, body: object) => {
    const res = await testApp.http().post(`/api/v1/${path}`).set(cast.finance.auth).send(body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const get = async (path: string) => {
    const res = await testApp.http().get(`/api/v1/${path}`).set(cast.finance.auth);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res;
  };
  const spend = async (query: string) => (await get(`reports/spend?${query}&format=json`)).body as SpendJson;

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR', FISCAL_YEAR_START_MONTH: '1' });
    cast = await makeCast(testApp);
    const brand = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT-BRAND' });
    const digital = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT-DIGITAL' });
    const platforms = await makeCostCenter(testApp, { kind: CostCenterKind.IT, code: 'IT-PLAT' });
    const sales = await makeCostCenter(testApp, { kind: CostCenterKind.OTHER, code: 'SALES-OPS' });
    const vendors = [await makeVendor(testApp), await makeVendor(testApp), await makeVendor(testApp)];
    const three = [
      { costCenterId: brand.id, shareBps: 3333 },
      { costCenterId: platforms.id, shareBps: 3334 },
      { costCenterId: sales.id, shareBps: 3333 },
    ];
    const specs = [
      { subcategory: 'SEO', budgetOwner: digital, allocation: null },
      { subcategory: 'SEO', budgetOwner: brand, allocation: three },
      { subcategory: 'Email Marketing', budgetOwner: digital, allocation: null, itApproval: ItApprovalStatus.NOT_REVIEWED },
      { subcategory: 'CRM', budgetOwner: platforms, allocation: null },
      { subcategory: 'Collaboration', budgetOwner: sales, allocation: three, itApproval: ItApprovalStatus.NOT_REVIEWED },
      { subcategory: 'PR', budgetOwner: brand, allocation: null },
    ];
    for (const [index, spec] of specs.entries()) {
      const tool = await makeTool(testApp, { ...spec, name: `Grain tool ${index}`, vendor: vendors[index % 3] });
      tools.push(tool);
      if (tool.shadowIt) shadowIds.add(tool.id);
    }
    for (let number = 1; number <= 12; number++) {
      await post('fx-rates', { currency: 'USD', month: month(number), rate: `0.91${37 + number}7` });
      await post('fx-rates', { currency: 'GBP', month: month(number), rate: `1.17${10 + number}9` });
    }
    // Committed: two small foreign contracts (one split three ways), below the actual spend, so the home page explains the difference.
    await post('contracts', {
      toolId: tools[1].id,
      startDate: `${month(1)}-01`,
      termMonths: 12,
      billing: 'MONTHLY',
      amount: money('1.01', 'USD'),
    });
    await post('contracts', {
      toolId: tools[3].id,
      startDate: `${month(1)}-01`,
      termMonths: 12,
      billing: 'QUARTERLY',
      amount: money('2.03', 'GBP'),
      costType: 'OPERATIONS',
    });
    // Actual: many small card-sized amounts in USD and GBP (a few credits), in three months.
    const costTypes = ['LICENSE', 'OPERATIONS', 'TRAINING'];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    for (let number = 1; number <= 3; number++)
      for (const [index, tool] of tools.entries())
        for (let line = 0; line < 4; line++) {
          const value = (next() % 499) + 1;
          const credit = line === 3 && index % 2 === 0;
          await post('spend-entries', {
            toolId: tool.id,
            date: `${month(number)}-${String(3 + line * 7).padStart(2, '0')}`,
            costType: costTypes[(index + line) % 3],
            amount: money(
              `${credit ? '-' : ''}${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')}`,
              line % 2 ? 'GBP' : 'USD',
            ),
            externalRef: `GRAIN-${number}-${index}-${line}`,
          });
        }
  });
  afterAll(async () => testApp?.close());

  it.each(['actual', 'committed'])('gives every grouping the same totals, split and shares, in JSON, CSV and HTML (%s)', async (basis) => {
    const range = `from=${month(1)}&to=${month(12)}&basis=${basis}`;
    const reference = await spend(`${range}&groupBy=budget`);
    expect(cents(reference.totals.total)).not.toBe(0n);
    for (const groupBy of GROUPINGS) {
      const report = await spend(`${range}&groupBy=${groupBy}`);
      expect({ groupBy, totals: report.totals, ops: report.operationsShare, shadow: report.shadowItShare }).toEqual({
        groupBy,
        totals: reference.totals,
        ops: reference.operationsShare,
        shadow: reference.shadowItShare,
      });
      expect(sum(report.rows.map((row) => row.total))).toBe(cents(report.totals.total));
      const csv = (await get(`reports/spend?${range}&groupBy=${groupBy}&format=csv`)).text.trim().split(/\r?\n/);
      expect(csv[csv.length - 1]).toBe(
        `TOTAL,Total,EUR,${reference.totals.total},${reference.totals.marketing},${reference.totals.it},${reference.totals.other}`,
      );
      const html = (await get(`reports/spend?${range}&groupBy=${groupBy}&format=html`)).text;
      const kpis = (text: string) => [...text.matchAll(/class="kpi">([^<]+)<b>([^<]+)<\/b>/g)].map((kpi) => `${kpi[1]} ${kpi[2]}`);
      expect(kpis(html)).toEqual(kpis((await get(`reports/spend?${range}&groupBy=budget&format=html`)).text));
    }
    // Operations: the cost-type grouping's row, and the share of it in every grouping above.
    const byCostType = await spend(`${range}&groupBy=costType`);
    const operations = byCostType.rows.find((row) => row.key === 'OPERATIONS');
    expect(operations).toBeDefined();
  });

  it("matches budget vs actual's committed and actual per cost center with the spend report by cost center", async () => {
    const budget = (await get(`reports/budget-vs-actual?fiscalYear=${year}&asOf=${month(12)}-31`)).body as {
      rows: { costCenterId: string; committed: string; actual: string }[];
      totals: { committed: string; actual: string };
    };
    for (const basis of ['actual', 'committed'] as const) {
      const report = await spend(`from=${month(1)}&to=${month(12)}&basis=${basis}&groupBy=costCenter`);
      const byCenter = new Map(report.rows.map((row) => [row.key, row.total]));
      const column = new Map(budget.rows.filter((row) => cents(row[basis]) !== 0n).map((row) => [row.costCenterId, row[basis]]));
      expect(column).toEqual(byCenter);
      expect(budget.totals[basis]).toBe(report.totals.total);
    }
  });

  it('gives the governance report the same shadow-IT spend as the spend report by tool, and its discovery section too', async () => {
    const asOf = `${month(3)}-31`;
    const governance = (await get(`reports/governance?asOf=${asOf}`)).body as {
      shadowIt: { tool: { id: string }; annualSpend: { amount: string } }[];
      discovery: { total: { softwareSpend: { amount: string }; outsideApproved: { amount: string }; unmatched: { amount: string } } };
    };
    const previous = `${year - 1}-04`;
    const byTool = await spend(`from=${previous}&to=${month(3)}&basis=actual&groupBy=tool`);
    const byBudget = await spend(`from=${previous}&to=${month(3)}&basis=actual&groupBy=budget`);
    const shadowByTool = sum(byTool.rows.filter((row) => shadowIds.has(row.key)).map((row) => row.total));
    expect(shadowByTool).not.toBe(0n);
    expect(sum(governance.shadowIt.filter((item) => shadowIds.has(item.tool.id)).map((item) => item.annualSpend.amount))).toBe(
      shadowByTool,
    );
    for (const item of governance.shadowIt)
      expect(item.annualSpend.amount).toBe(byTool.rows.find((row) => row.key === item.tool.id)?.total ?? '0.00');
    const total = governance.discovery.total;
    expect(cents(total.outsideApproved.amount) - cents(total.unmatched.amount)).toBe(shadowByTool);
    expect(cents(total.softwareSpend.amount) - cents(total.unmatched.amount)).toBe(cents(byBudget.totals.total));
  });

  it("shows finance's home page the report's committed and actual figures, with an explanation that adds up", async () => {
    const agent = await signIn(testApp, cast.finance);
    const text = (await agent.get('/').expect(200)).text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const shown = (re: RegExp) => {
      const match = re.exec(text);
      return match ? cents(match[1]) : null;
    };
    const range = `from=${month(1)}&to=${month(12)}`;
    const actual = await spend(`${range}&basis=actual&groupBy=budget`);
    const committed = await spend(`${range}&basis=committed&groupBy=budget`);
    expect(shown(/Committed (€[\d,.]+)/)).toBe(cents(committed.totals.total));
    expect(shown(/Actual to date (€[\d,.]+)/)).toBe(cents(actual.totals.total));
    const difference = cents(actual.totals.total) - cents(committed.totals.total);
    if (difference > 0n) {
      expect(shown(/Actual to date is (€[\d,.]+) above committed/)).toBe(difference);
      const without = shown(/(€[\d,.]+) was spent on \d+ tools? with no contract/) ?? 0n;
      const beyond = shown(/(€[\d,.]+) was spent on \d+ tools? beyond what/) ?? 0n;
      const under = shown(/Other tools are still (€[\d,.]+) under their contracts/) ?? 0n;
      expect(without + beyond - under).toBe(difference);
    } else expect(text).toContain('so committed is the higher figure');
  });
});
