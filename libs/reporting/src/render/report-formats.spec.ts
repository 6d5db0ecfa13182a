import { formatMinor } from '@stackgate/platform';
import { aggregateSpend, spendReportJson } from '../spend/spend-report';
import { budgetChart, budgetCsv, shadowChart, spendChart, spendCsv } from './report-formats';
import { formatMoney } from './report-renderer';

/*
 * Issue 21 item 7: the charts parse the report's decimal totals back into minor units. A year of a
 * 999999999999999.99 MONTHLY contract totals 17 integer digits, which the parser once refused (a
 * 500 on format=html). Any total the bigint arithmetic produces must chart and print.
 */
describe('report formats at the largest totals', () => {
  const perMonth = 99999999999999999n; // 999999999999999.99 EUR, stored before the input maximum
  const cells = Array.from({ length: 12 }, (_, i) => ({
    key: 'MARKETING',
    currency: 'EUR',
    month: 203001 + i,
    kind: 'MARKETING',
    costType: 'LICENSE',
    shadowIt: false,
    amountMinor: perMonth,
  }));
  const report = spendReportJson(
    aggregateSpend(cells, 'budget', { rates: new Map(), base: 'EUR', fyStartMonth: 1, labelOf: () => 'Marketing' }),
    { from: '2030-01', to: '2030-12', basis: 'committed', groupBy: 'budget', currency: 'EUR' },
  );

  it('totals exactly in bigints', () => {
    expect(report.totals.total).toBe('11999999999999999.88');
    expect(report.rows[0].marketing).toBe('11999999999999999.88');
  });

  it('charts and prints a 17-digit total (and far larger ones)', () => {
    expect(spendChart(report)).toContain('€11,999,999,999,999,999.88');
    expect(spendCsv(report)).toContain('TOTAL,Total,EUR,11999999999999999.88');
    const beyondBigint = formatMinor((2n ** 63n - 1n) * 120n, 'EUR');
    const big = { ...report, rows: [{ ...report.rows[0], total: beyondBigint, marketing: beyondBigint }] };
    expect(spendChart(big)).toContain('width="400"');
    expect(formatMoney(beyondBigint, 'EUR')).toBe('€11,068,046,444,225,730,968.40');
  });

  it('charts the budget and governance reports at the same sizes', () => {
    const total = '11999999999999999.88';
    const row = {
      costCenterId: 'm',
      code: 'MKT',
      name: 'Marketing',
      kind: 'MARKETING',
      budget: '999999999999.99',
      committed: total,
      actual: '0.00',
      remaining: '999999999999.99',
      forecast: total,
      variance: '-11998999999999999.89',
      approvedNotContracted: '0.00',
    };
    const budget = { fiscalYear: 2030, from: '2030-01', to: '2030-12', asOf: '2030-06-15', currency: 'EUR', rows: [row], totals: row };
    expect(budgetChart(budget)).toContain('€11,999,999,999,999,999.88');
    expect(budgetCsv(budget)).toContain(total);
    const gov = {
      currency: 'EUR',
      shadowIt: [{ tool: { name: 'S' }, itApproval: 'NOT_REVIEWED', annualSpend: { amount: total, currency: 'EUR' } }],
      overlapGroups: [],
      dataSilos: { isolated: [], noPathToSystemOfRecord: [] },
      personalDataFlows: [],
      unusedSeats: [],
      openConditionsPastDue: [],
    };
    expect(shadowChart(gov)).toContain('€11,999,999,999,999,999.88');
  });
});
