import { FinanceQueries, LedgerBasis, LedgerSum, totalsDrift } from '@stackgate/finance';
import { Role } from '@stackgate/platform';
import { LedgerTotalsToolGrain1767002200000 } from '../../migrations/1767002200000-ledger-totals-tool-grain';
import { makeCostCenter, makeTool, makeVendor } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * The spend report by tool and by vendor reads ledger_totals' TOOL grain. After every kind of ledger
 * write (inserts, updates, deletes, the catalog's rewrites of a tool's rows, shadow-IT and cost-center
 * kind changes) the grain holds exactly the GROUP BY over ledger_entries the report ran before, and
 * the reports answer the same as with the grain rebuilt from the ledger by the migration's backfill.
 */
describe('ledger_totals TOOL grain (spend report by tool and vendor)', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser, finance: TestUser, cio: TestUser;
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer, finance, cio] = await Promise.all([
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.FINANCE]),
      makeUser(testApp, [Role.CIO]),
    ]);
  });
  afterAll(async () => testApp?.close());

  const post = async (path: string, user: TestUser, body: object) =>
    (await testApp.http().post(`/api/v1/${path}`).set(user.auth).send(body).expect(201)).body;
  const RANGE = { from: 202601, to: 202712 };
  const BASES = [[LedgerBasis.COMMITTED], [LedgerBasis.ACTUAL], [LedgerBasis.COMMITTED, LedgerBasis.APPROVED]];

  /** What the report read before the TOOL grain: the same sums straight from ledger_entries. */
  async function fromLedger(key: 'toolId' | 'vendorId', bases: LedgerBasis[]): Promise<string[]> {
    const quote = (name: string) => testApp.dataSource.driver.escape(name);
    const group = ['month', 'currency', 'costCenterKind', 'costType', 'shadowIt', key].map(quote).join(', ');
    const rows = await testApp.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${group}, SUM(${quote('amountMinor')}) AS ${quote('amount')} FROM ${quote('ledger_entries')} WHERE ${quote('basis')} IN ` +
        `(${bases.map(() => '?').join(', ')}) AND ${quote('month')} >= ? AND ${quote('month')} <= ? GROUP BY ${group}`,
      [...bases, RANGE.from, RANGE.to],
    );
    return rows
      .map((r) => [r[key], r.month, r.currency, r.costCenterKind, r.costType, Number(r.shadowIt) ? 1 : 0, String(r.amount)].join('|'))
      .sort();
  }
  /** The sums as text, added up per key and other columns first (sums by vendor come per tool as well). */
  const asText = (sums: LedgerSum[]) => {
    const byCell = new Map<string, bigint>();
    for (const sum of sums) {
      const cell = [sum.key, sum.month, sum.currency, sum.kind, sum.costType, sum.shadowIt ? 1 : 0].join('|');
      byCell.set(cell, (byCell.get(cell) ?? 0n) + sum.amountMinor);
    }
    return [...byCell].map(([cell, amount]) => `${cell}|${amount}`).sort();
  };

  /** The TOOL grain equals the GROUP BY over the ledger, for both keys and every basis the report asks for. */
  async function expectGrainMatchesLedger() {
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
    const finance = testApp.app.get(FinanceQueries);
    for (const key of ['toolId', 'vendorId'] as const)
      for (const bases of BASES) {
        const sums = await finance.spendSums({ key, bases, ...RANGE });
        expect(asText(sums)).toEqual(await fromLedger(key, bases));
      }
  }

  const report = async (groupBy: string, basis: string) =>
    (
      await testApp
        .http()
        .get(`/api/v1/reports/spend?from=2026-01&to=2027-12&basis=${basis}&groupBy=${groupBy}`)
        .set(finance.auth)
        .expect(200)
    ).body as { rows: { label: string; total: string }[]; totals: { total: string } };

  it('holds the GROUP BY over the ledger through inserts, updates, deletes and catalog rewrites; the reports answer the same', async () => {
    const mkt = await makeCostCenter(testApp, admin, { kind: 'MARKETING' });
    const it = await makeCostCenter(testApp, admin, { kind: 'IT' });
    const [first, second, reseller] = [
      await makeVendor(testApp, marketer),
      await makeVendor(testApp, marketer),
      await makeVendor(testApp, marketer),
    ];
    const toolA = await makeTool(testApp, marketer, { budgetOwnerId: mkt.id, vendorId: first.id, lifecycle: 'ACTIVE' });
    const toolB = await makeTool(testApp, marketer, {
      budgetOwnerId: it.id,
      vendorId: second.id,
      allocation: [
        { costCenterId: mkt.id, shareBps: 6000 },
        { costCenterId: it.id, shareBps: 4000 },
      ],
    });
    // A USD rate for every month of the reports' range (a report refuses a foreign-currency month without one).
    for (let index = 0; index < 24; index++) {
      const month = `${2026 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
      await post('fx-rates', finance, { currency: 'USD', month, rate: '0.9' });
    }

    // Inserts: contracts (one bought through a reseller: the ledger keeps the contract's vendor) and spend.
    const monthly = await post('contracts', finance, {
      toolId: toolA.id,
      startDate: '2026-01-01',
      termMonths: 12,
      billing: 'MONTHLY',
      amount: { amount: '1000.00', currency: 'EUR' },
    });
    await post('contracts', finance, {
      toolId: toolB.id,
      vendorId: reseller.id,
      startDate: '2026-03-01',
      termMonths: 24,
      billing: 'ANNUAL',
      amount: { amount: '9000.00', currency: 'USD' },
      costType: 'OPERATIONS',
    });
    const spend = [];
    for (const [tool, date, amount, currency] of [
      [toolA, '2026-01-15', '120.50', 'EUR'],
      [toolA, '2026-02-15', '80.00', 'USD'],
      [toolB, '2026-02-20', '300.00', 'EUR'],
      [toolB, '2026-06-01', '45.45', 'USD'],
      // Once tool A moves to tool B's vendor, this one shares a vendor cell with tool A's January invoice.
      [toolB, '2026-01-20', '10.00', 'EUR'],
    ] as const)
      spend.push(
        await post('spend-entries', finance, {
          toolId: tool.id,
          date,
          costType: 'LICENSE',
          amount: { amount, currency },
          description: 'invoice',
        }),
      );
    await expectGrainMatchesLedger();
    expect((await report('vendor', 'committed')).totals.total).not.toBe('0.00');

    // Updates and deletes: a contract's amount changes (its rows rewritten), a spend entry goes.
    await testApp
      .http()
      .patch(`/api/v1/contracts/${monthly.id}`)
      .set(finance.auth)
      .send({ version: monthly.version, amount: { amount: '1100.00', currency: 'EUR' } })
      .expect(200);
    await testApp.http().delete(`/api/v1/spend-entries/${spend[2].id}?version=${spend[2].version}`).set(finance.auth).expect(204);
    await expectGrainMatchesLedger();

    // Catalog rewrites: tool A moves to another vendor (its rows rewritten), tool B's IT approval ends its
    // shadow IT (rows updated in place), a cost center changes kind.
    await testApp
      .http()
      .patch(`/api/v1/tools/${toolA.id}`)
      .set(marketer.auth)
      .send({ version: toolA.version, vendorId: second.id })
      .expect(200);
    await testApp
      .http()
      .post(`/api/v1/tools/${toolA.id}/it-approval`)
      .set(cio.auth)
      .send({ status: 'APPROVED', rationale: 'SSO and DPA in place' })
      .expect(200);
    const center = (await testApp.http().get(`/api/v1/cost-centers/${it.id}`).set(admin.auth).expect(200)).body;
    await testApp
      .http()
      .patch(`/api/v1/cost-centers/${it.id}`)
      .set(admin.auth)
      .send({ version: center.version, kind: 'OTHER' })
      .expect(200);
    await expectGrainMatchesLedger();
    const byVendor = await report('vendor', 'committed');
    // A contract keeps the vendor it was signed with (tool A's, then the reseller): the tool's new vendor shows in its actual spend.
    expect(byVendor.rows.map((r) => r.label).sort()).toEqual([first.name, reseller.name].sort());
    expect((await report('vendor', 'actual')).rows.map((r) => r.label).sort()).toEqual([second.name]);

    // The same reports from the grain rebuilt by the migration's backfill (INSERT … SELECT … GROUP BY over the ledger).
    const answers = async () => {
      const out: Record<string, unknown> = {};
      for (const groupBy of ['tool', 'vendor'])
        for (const basis of ['committed', 'actual']) out[`${groupBy}/${basis}`] = await report(groupBy, basis);
      return out;
    };
    const maintained = await answers();
    const runner = testApp.dataSource.createQueryRunner();
    try {
      const migration = new LedgerTotalsToolGrain1767002200000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await answers()).toEqual(maintained);
    await expectGrainMatchesLedger();
  });
});
