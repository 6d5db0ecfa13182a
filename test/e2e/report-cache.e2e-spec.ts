import { CostCenterKind, ItApprovalStatus } from '@stackgate/catalog';
import { FinanceQueries } from '@stackgate/finance';
import { SpendAccumulator, SpendReportService } from '@stackgate/reporting';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor } from '../support/finance-factories';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

/*
 * The spend report keeps its figures per grouping, basis and range under the change counter of the
 * range's ledger months (ledger_generations): asked again with nothing changed it does not read the
 * ledger, and every change another instance commits — spend written, corrected or deleted, a rate
 * corrected, a tool's shadow-IT flag — shows at once; names are read fresh (a renamed tool shows).
 * On MariaDB the writes go through a second instance on the same database.
 */
describe('Spend report cache: kept until the ledger months change, on every instance', () => {
  let db: TestDatabase;
  let reader: TestApp;
  let writer: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  const year = new Date().getUTCFullYear() - 1;
  const month = (m: number) => `${year}-${String(m).padStart(2, '0')}`;
  const range = `from=${month(1)}&to=${month(3)}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    reader = await startTestApp({ BASE_CURRENCY: 'EUR' }, {}, db);
    writer = TEST_ENGINE === 'mariadb' ? await startTestApp({ BASE_CURRENCY: 'EUR', DB_MIGRATE_ON_START: 'false' }, {}, db) : reader;
    cast = await makeCast(reader);
  });
  afterAll(async () => {
    await reader?.close();
    if (writer !== reader) await writer?.close();
    await db?.drop();
  });

  const write = async (method: 'post' | 'patch' | 'delete', path: string, body: object = {}, as = cast.finance) => {
    const res = await writer.http()[method](`/api/v1/${path}`).set(as.auth).send(body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  };
  const report = async (query: string) => {
    const res = await reader.http().get(`/api/v1/reports/spend?${query}`).set(cast.finance.auth);
    expect(res.status).toBe(200);
    return res.body as { rows: { key: string; label: string; total: string }[]; totals: { total: string }; shadowItShare: string };
  };

  it('answers a repeated report without reading the ledger, and every committed change at once', async () => {
    const costCenter = await makeCostCenter(reader, { kind: CostCenterKind.MARKETING });
    const tool = await makeTool(reader, {
      name: 'Cache tool',
      vendor: await makeVendor(reader),
      subcategory: 'SEO',
      budgetOwner: costCenter,
      itApproval: ItApprovalStatus.NOT_REVIEWED,
    });
    const monthReads = jest.spyOn(reader.app.get(FinanceQueries), 'eachSpendSum');
    const byTool = `basis=actual&groupBy=tool&${range}`;
    const entry = (date: string, amount: string, currency = 'EUR') =>
      write('post', 'spend-entries', { toolId: tool.id, date, costType: 'LICENSE', amount: { amount, currency } });

    const first = await entry(`${month(1)}-10`, '100.00');
    expect((await report(byTool)).totals.total).toBe('100.00');
    expect(await report(byTool)).toEqual(await report(byTool));
    // By tool, one read per month of the range; asked again, none.
    expect(monthReads).toHaveBeenCalledTimes(3);

    // Spend written, then corrected, then deleted, through the other instance: only the changed month is read again.
    const second = await entry(`${month(2)}-10`, '50.00');
    expect((await report(byTool)).totals.total).toBe('150.00');
    expect(monthReads).toHaveBeenCalledTimes(4);
    expect(monthReads).toHaveBeenLastCalledWith(
      expect.objectContaining({ from: Number(month(2).replace('-', '')), to: Number(month(2).replace('-', '')) }),
      expect.any(Function),
    );
    await write('patch', `spend-entries/${second.id}`, { amount: { amount: '70.00', currency: 'EUR' }, version: second.version });
    expect((await report(byTool)).totals.total).toBe('170.00');
    await write('delete', `spend-entries/${first.id}`);
    expect((await report(byTool)).totals.total).toBe('70.00');

    // A foreign-currency entry, then its month's rate corrected.
    const rate = await write('post', 'fx-rates', { currency: 'USD', month: month(3), rate: '0.9' });
    await entry(`${month(3)}-10`, '10.00', 'USD');
    expect((await report(byTool)).totals.total).toBe('79.00');
    await write('patch', `fx-rates/${rate.id}`, { rate: '0.8', version: rate.version });
    expect((await report(byTool)).totals.total).toBe('78.00');

    // The tool's shadow-IT flag (rewritten onto its ledger rows) and its name.
    expect((await report(byTool)).shadowItShare).toBe('1.0000');
    await write('post', `tools/${tool.id}/it-approval`, { status: 'APPROVED', rationale: 'reviewed', version: 1 }, cast.cio);
    expect((await report(byTool)).shadowItShare).toBe('0.0000');
    const calls = monthReads.mock.calls.length;
    await write('patch', `tools/${tool.id}`, { name: 'Cache tool renamed', version: 2 }, cast.it);
    expect((await report(byTool)).rows).toEqual([expect.objectContaining({ key: tool.id, label: 'Cache tool renamed', total: '78.00' })]);
    expect(monthReads).toHaveBeenCalledTimes(calls);

    // A change outside the range keeps the kept figures; another grouping, basis or range is its own entry.
    await entry(`${month(6)}-10`, '5.00');
    expect((await report(byTool)).totals.total).toBe('78.00');
    expect(monthReads).toHaveBeenCalledTimes(calls);
    expect((await report(`basis=actual&groupBy=tool&from=${month(1)}&to=${month(6)}`)).totals.total).toBe('83.00');
    expect((await report(`basis=actual&groupBy=vendor&${range}`)).totals.total).toBe('78.00');
    // Six months by tool read the three not kept yet (4 and 5 never asked by tool, 6 changed); three months by vendor, three.
    expect(monthReads).toHaveBeenCalledTimes(calls + 6);
  });

  it('computes a report asked by many at once a single time', async () => {
    const spendSums = jest.spyOn(reader.app.get(FinanceQueries), 'spendSums');
    spendSums.mockClear();
    const query = `basis=committed&groupBy=category&from=${month(1)}&to=${month(12)}`;
    const answers = await Promise.all(Array.from({ length: 8 }, () => report(query)));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(spendSums).toHaveBeenCalledTimes(1);
  });

  it('has callers asking while an answer is built share the next one, which sees what each committed before asking', async () => {
    const query = `basis=actual&groupBy=tool&from=${month(1)}&to=${month(2)}`;
    const before = (await report(query)).totals.total;
    const finance = reader.app.get(FinanceQueries);
    const spendReports = reader.app.get(SpendReportService);
    const counters = finance.ledgerGenerations.bind(finance);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    // Every answer waits at the gate; it opens once all seven callers have reached the service.
    const reads = jest.spyOn(finance, 'ledgerGenerations').mockImplementation(async (from, to) => {
      await gate;
      return counters(from, to);
    });
    const asked = jest.spyOn(spendReports, 'spend');
    try {
      const first = report(query);
      while (asked.mock.calls.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
      // Committed while the first answer waits: the six asking after it share the next answer, which sees it.
      const budgetOwner = await makeCostCenter(reader, { kind: CostCenterKind.MARKETING });
      const tool = await makeTool(reader, { vendor: await makeVendor(reader), subcategory: 'CRM', budgetOwner });
      await write('post', 'spend-entries', {
        toolId: tool.id,
        date: `${month(2)}-03`,
        costType: 'LICENSE',
        amount: { amount: '2.50', currency: 'EUR' },
      });
      const later = Promise.all(Array.from({ length: 6 }, () => report(query)));
      while (asked.mock.calls.length < 7) await new Promise((resolve) => setTimeout(resolve, 5));
      open();
      const answers = await later;
      await first;
      const total = (Number(before) + 2.5).toFixed(2);
      for (const answer of answers) expect(answer.totals.total).toBe(total);
      expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
      // One answer for the first caller, one shared by the six.
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      open();
      reads.mockRestore();
      asked.mockRestore();
    }
  });

  it('keeps the months before the last added up: a change in the last month adds two parts, one earlier makes that sum again', async () => {
    const budgetOwner = await makeCostCenter(reader, { kind: CostCenterKind.MARKETING });
    const vendors = [await makeVendor(reader), await makeVendor(reader)];
    const tools = [
      await makeTool(reader, { vendor: vendors[0], subcategory: 'SEO', budgetOwner }),
      await makeTool(reader, { vendor: vendors[1], subcategory: 'CRM', budgetOwner }),
    ];
    const spend = (tool: { id: string }, spent: number, amount: string) =>
      write('post', 'spend-entries', {
        toolId: tool.id,
        date: `${month(spent + 6)}-07`,
        costType: 'LICENSE',
        amount: { amount, currency: 'EUR' },
      });
    for (const spent of [1, 2, 3, 4, 5, 6]) await spend(tools[spent % 2], spent, `${spent}.00`);
    // By vendor (the other tests keep months by tool), months 7–12, these two tools' vendors.
    const byVendor = `basis=actual&groupBy=vendor&from=${month(7)}&to=${month(12)}`;
    const totals = async (query = byVendor) =>
      Object.fromEntries(
        (await report(query)).rows.filter((row) => vendors.some((vendor) => vendor.id === row.key)).map((row) => [row.key, row.total]),
      );
    const parts = jest.spyOn(SpendAccumulator.prototype, 'addPart');
    const monthReads = jest.spyOn(reader.app.get(FinanceQueries), 'eachSpendSum');
    try {
      expect(await totals()).toEqual({ [vendors[0].id]: '12.00', [vendors[1].id]: '9.00' });
      parts.mockClear();
      monthReads.mockClear();
      // The last month changed: that month read, then the kept sum of months 7–11 and month 12 added.
      await spend(tools[1], 6, '0.50');
      expect(await totals()).toEqual({ [vendors[0].id]: '12.00', [vendors[1].id]: '9.50' });
      expect(monthReads).toHaveBeenCalledTimes(1);
      expect(parts).toHaveBeenCalledTimes(2);
      parts.mockClear();
      monthReads.mockClear();
      // An earlier month changed: that month read, months 7–11 added up again from the kept months, then the two parts.
      await spend(tools[0], 2, '0.25');
      expect(await totals()).toEqual({ [vendors[0].id]: '12.25', [vendors[1].id]: '9.50' });
      expect(monthReads).toHaveBeenCalledTimes(1);
      expect(parts).toHaveBeenCalledTimes(5 + 2);
      // A one-month range has nothing before its month.
      parts.mockClear();
      expect(await totals(`basis=actual&groupBy=vendor&from=${month(12)}&to=${month(12)}`)).toEqual({
        [vendors[0].id]: '6.00',
        [vendors[1].id]: '0.50',
      });
      expect(parts).toHaveBeenCalledTimes(1);
    } finally {
      parts.mockRestore();
      monthReads.mockRestore();
    }
  });

  it('fails a report by tool whose month read fails (503), keeps nothing wrong, and answers in full when asked again', async () => {
    const query = `basis=actual&groupBy=tool&from=${month(5)}&to=${month(10)}`;
    const budgetOwner = await makeCostCenter(reader, { kind: CostCenterKind.IT });
    const tool = await makeTool(reader, { vendor: await makeVendor(reader), subcategory: 'CRM', budgetOwner });
    for (const spent of [5, 6, 7, 8])
      await write('post', 'spend-entries', {
        toolId: tool.id,
        date: `${month(spent)}-04`,
        costType: 'LICENSE',
        amount: { amount: '1.00', currency: 'EUR' },
      });
    const finance = reader.app.get(FinanceQueries);
    const read = FinanceQueries.prototype.eachSpendSum.bind(finance); // not an earlier test's spy
    // The third month read loses its connection after handing over its sums.
    let reads = 0;
    const monthReads = jest.spyOn(finance, 'eachSpendSum').mockImplementation(async (sumQuery, visit, manager) => {
      reads++;
      if (reads !== 3) return read(sumQuery, visit, manager);
      await read(sumQuery, visit, manager);
      throw Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' });
    });
    try {
      const failed = await reader.http().get(`/api/v1/reports/spend?${query}`).set(cast.finance.auth);
      expect(failed.status).toBe(503);
      monthReads.mockClear();
      const answer = await report(query);
      expect(answer.rows).toContainEqual(expect.objectContaining({ key: tool.id, total: '4.00' }));
      // Asked again: the failed month and the three after it, which the failure stopped before reading; the two
      // before it were kept.
      expect(monthReads).toHaveBeenCalledTimes(4);
    } finally {
      monthReads.mockRestore();
    }
  });

  it('keeps no failed report: a missing rate is a 422 until the rate exists', async () => {
    const costCenter = await makeCostCenter(reader, { kind: CostCenterKind.IT });
    const tool = await makeTool(reader, { vendor: await makeVendor(reader), subcategory: 'CRM', budgetOwner: costCenter });
    await write('post', 'spend-entries', {
      toolId: tool.id,
      date: `${month(4)}-02`,
      costType: 'LICENSE',
      amount: { amount: '20.00', currency: 'GBP' },
    });
    const query = `basis=actual&groupBy=budget&from=${month(4)}&to=${month(4)}`;
    const refused = await reader.http().get(`/api/v1/reports/spend?${query}`).set(cast.finance.auth);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('FX_RATE_MISSING');
    // By tool the months are read one at a time: a refusal still names every missing rate of the range.
    await write('post', 'spend-entries', {
      toolId: tool.id,
      date: `${month(11)}-02`,
      costType: 'LICENSE',
      amount: { amount: '8.00', currency: 'CHF' },
    });
    const byTool = await reader
      .http()
      .get(`/api/v1/reports/spend?basis=actual&groupBy=tool&from=${month(1)}&to=${month(12)}`)
      .set(cast.finance.auth);
    expect(byTool.status).toBe(422);
    expect(byTool.body.details).toEqual([
      { currency: 'CHF', month: month(11) },
      { currency: 'GBP', month: month(4) },
    ]);
    await write('post', 'fx-rates', { currency: 'GBP', month: month(4), rate: '1.25' });
    expect((await report(query)).totals.total).toBe('25.00');
    // The months refused by tool are not kept as refused once their rates exist.
    await write('post', 'fx-rates', { currency: 'CHF', month: month(11), rate: '1.05' });
    const answered = await reader
      .http()
      .get(`/api/v1/reports/spend?basis=actual&groupBy=tool&from=${month(1)}&to=${month(12)}`)
      .set(cast.finance.auth);
    expect(answered.status).toBe(200);
    expect(answered.body.rows).toContainEqual(expect.objectContaining({ key: tool.id, total: '33.40' }));
  });
});
