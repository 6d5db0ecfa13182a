import { AuditEvent } from '@stackgate/audit';
import { CostCenterKind, ItApprovalStatus, Lifecycle, Tool } from '@stackgate/catalog';
import { DiscoveryCandidate, DiscoveryTransaction } from '@stackgate/discovery';
import { LedgerEntry, SpendEntry } from '@stackgate/finance';
import { Notification } from '@stackgate/notifications';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, subcategory } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 25 §1: spend discovery through POST /imports (kind spend-transactions) and the discovery
 * queue. Money is checked to the cent against figures computed here, not read back from the product.
 */
describe('Spend discovery: import, matching, queue', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let hotjar: Tool;
  let zoom: Tool;
  let mktId: string;
  let itId: string;

  const upload = (
    body: string,
    opts: { dryRun?: boolean; preset?: string; who?: { auth: Record<string, string> }; name?: string } = {},
  ) => {
    const req = testApp
      .http()
      .post('/api/v1/imports')
      .set((opts.who ?? cast.finance).auth)
      .field('kind', 'spend-transactions')
      .field('dryRun', String(opts.dryRun ?? false));
    if (opts.preset !== undefined) req.field('preset', opts.preset);
    return req.attach('file', Buffer.from(body), opts.name ?? 'card.csv');
  };
  const header = 'date,merchant,amount,currency,employee,costCenter,memo,reference';
  const repo = <T extends object>(entity: new () => T) => testApp.dataSource.getRepository(entity);
  const candidateByKey = (merchantKey: string) => repo(DiscoveryCandidate).findOneByOrFail({ merchantKey });
  const ledgerOf = async (entryIds: string[]) =>
    (await repo(LedgerEntry).find()).filter((l) => entryIds.includes(l.sourceId)).reduce((sum, l) => sum + l.amountMinor, 0n);

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' });
    const itCc = await makeCostCenter(testApp, { kind: CostCenterKind.IT, code: 'ITC' });
    mktId = mkt.id;
    itId = itCc.id;
    // Hotjar splits a third / two thirds: 100.00 → 33.33 + 66.67 (largest remainder), to the cent
    hotjar = await makeTool(testApp, {
      name: 'Hotjar',
      vendor: await makeVendor(testApp, { name: 'Hotjar Ltd' }),
      subcategory: 'Mobile & Web Analytics',
      budgetOwner: mkt,
      allocation: [
        { costCenterId: mkt.id, shareBps: 3333 },
        { costCenterId: itCc.id, shareBps: 6667 },
      ],
    });
    zoom = await makeTool(testApp, {
      name: 'Zoom',
      vendor: await makeVendor(testApp, { name: 'Zoom Video Communications' }),
      subcategory: 'Events, Meetings & Webinars',
      budgetOwner: itCc,
    });
    await testApp
      .http()
      .post('/api/v1/fx-rates')
      .set(cast.finance.auth)
      .send({ currency: 'USD', month: '2026-01', rate: '0.9' })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  const first = [
    header,
    '2026-02-03,PAYPAL *HOTJAR,100.00,EUR,ana@example.com,,,T-1',
    '2026-02-04,HOTJAR LTD DUBLIN IE,39.00,EUR,ben@example.com,MKT,,T-2',
    '2026-02-05,Zoom.us 888-799-9666,14.99,USD,ana@example.com,,,T-3',
    '2026-02-06,PAYPAL *LIVESTORM,99.00,EUR,ana@example.com,MKT,webinars,T-4',
    '2026-03-06,LIVESTORM SAS PARIS FR,99.00,EUR,cleo@example.com,,,T-5',
    '2026-03-07,SQ *CANVA,12.95,USD,ben@example.com,ITC,,T-6',
    '2026-03-08,SQ *CANVA,12.95,USD,ben@example.com,ITC,,',
    '2026-03-08,SQ *CANVA,12.95,USD,ben@example.com,ITC,,',
  ].join('\n');

  it('dry-runs without writing: matched lines, new candidates, one note per merchant', async () => {
    const dry = await upload(first, { dryRun: true }).expect(200);
    expect(dry.body).toMatchObject({ kind: 'spend-transactions', dryRun: true, summary: { create: 8, unchanged: 0, invalid: 0 } });
    expect(dry.body.notes.map((n: { message: string }) => n.message)).toEqual([
      'PAYPAL *HOTJAR: Hotjar (its name)',
      'Zoom.us 888-799-9666: Zoom (its name)',
      'PAYPAL *LIVESTORM: new discovery candidate "livestorm"',
      'SQ *CANVA: new discovery candidate "canva"',
    ]);
    expect(await repo(DiscoveryTransaction).count()).toBe(0);
    expect(await repo(SpendEntry).count()).toBe(0);
  });

  it('commits: matched lines become spend entries split to the cent, unmatched ones candidates with base-currency totals', async () => {
    await upload(first).expect(200);
    const entries = await repo(SpendEntry).find({ order: { date: 'ASC' } });
    expect(entries.map((e) => [e.toolId, e.amountMinor, e.currency, e.externalRef])).toEqual([
      [hotjar.id, 10000n, 'EUR', 'txn:ref:T-1'],
      [hotjar.id, 3900n, 'EUR', 'txn:ref:T-2'],
      [zoom.id, 1499n, 'USD', 'txn:ref:T-3'],
    ]);
    const ledger = await repo(LedgerEntry).find({ where: { sourceId: entries[0].id } });
    expect(Object.fromEntries(ledger.map((l) => [l.costCenterId, l.amountMinor]))).toEqual({ [mktId]: 3333n, [itId]: 6667n });
    // the line's own cost center takes the whole line
    const second = await repo(LedgerEntry).find({ where: { sourceId: entries[1].id } });
    expect(second.map((l) => [l.costCenterId, l.amountMinor])).toEqual([[mktId, 3900n]]);

    const livestorm = await candidateByKey('livestorm');
    expect(livestorm).toMatchObject({ status: 'OPEN', source: 'SPEND', totalBaseMinor: 19800n, transactions: 2, payers: 2 });
    expect([livestorm.firstSeen, livestorm.lastSeen]).toEqual(['2026-02-06', '2026-03-06']);
    const events = await subcategory(testApp, 'Events, Meetings & Webinars');
    expect(livestorm.suggestedSubcategoryId).toBe(events.id);
    // 3 × 12.95 USD at 0.9 (January's rate, the latest before March): 11.655 → 11.66 each, half away from zero
    expect(await candidateByKey('canva')).toMatchObject({ totalBaseMinor: 3n * 1166n, transactions: 3, payers: 1 });
  });

  it('tells IT and the CIO about the new candidates once, not the importer', async () => {
    const notices = await repo(Notification).find({ where: { event: 'discovery-candidates-found' } });
    expect(notices.map((n) => n.recipientId).sort()).toEqual([cast.it.id, cast.cio.id].sort());
    expect(notices[0].subject).toBe('Discovery: 2 tools nobody registered');
    expect(notices[0].body).toContain('Livestorm, Canva');
  });

  it('re-importing the same file changes nothing; an overlapping file adds only its new lines', async () => {
    const counts = async () => [await repo(DiscoveryTransaction).count(), await repo(SpendEntry).count(), await repo(LedgerEntry).count()];
    const before = await counts();
    const again = await upload(first).expect(200);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 8, invalid: 0 });
    expect(await counts()).toEqual(before);
    const overlapping = [header, ...first.split('\n').slice(5), '2026-03-20,PAYPAL *LIVESTORM,99.00,EUR,cleo@example.com,,,T-9'].join('\n');
    const res = await upload(overlapping).expect(200);
    expect(res.body.summary).toMatchObject({ create: 1, unchanged: 4 });
    expect(await candidateByKey('livestorm')).toMatchObject({ totalBaseMinor: 29700n, transactions: 3 });
    expect(await candidateByKey('canva')).toMatchObject({ transactions: 3 });
  });

  it('lists the queue with payers and cost centers, filtered by status and source', async () => {
    const res = await testApp.http().get('/api/v1/discovery/candidates?status=OPEN&source=SPEND').set(cast.cmo.auth).expect(200);
    expect(res.body.items.map((c: { merchant: string }) => c.merchant)).toEqual(['livestorm', 'canva']);
    const [livestorm] = res.body.items;
    expect(livestorm).toMatchObject({
      name: 'Livestorm',
      totalSpend: { amount: '297.00', currency: 'EUR' },
      transactions: 3,
      payers: 2,
      topPayers: [
        { employee: 'cleo@example.com', amount: { amount: '198.00', currency: 'EUR' }, transactions: 2 },
        { employee: 'ana@example.com', amount: { amount: '99.00', currency: 'EUR' }, transactions: 1 },
      ],
      actions: ['REGISTER', 'LINK', 'DISMISS'],
    });
    expect(livestorm.costCenters).toEqual([
      { costCenterId: null, code: null, amount: { amount: '198.00', currency: 'EUR' } },
      { costCenterId: mktId, code: 'MKT', amount: { amount: '99.00', currency: 'EUR' } },
    ]);
    const linked = await testApp.http().get('/api/v1/discovery/candidates?status=LINKED').set(cast.finance.auth).expect(200);
    expect(linked.body.total).toBe(0);
    await testApp.http().get('/api/v1/discovery/candidates?status=NOPE').set(cast.it.auth).expect(400);
    // a search with LIKE wildcards, a backslash and non-ASCII letters finds by part of the merchant or name, on both engines
    const search = async (q: string) =>
      (
        await testApp
          .http()
          .get(`/api/v1/discovery/candidates?q=${encodeURIComponent(q)}`)
          .set(cast.it.auth)
          .expect(200)
      ).body.items.map((c: { merchant: string }) => c.merchant);
    expect(await search('STORM')).toEqual(['livestorm']);
    expect(await search('%')).toEqual([]);
    expect(await search('x\\ café _')).toEqual([]);
    await testApp.http().get('/api/v1/discovery/candidates').set(cast.marketer.auth).expect(403);
  });

  it('registers a candidate as a shadow-IT tool with its spend; 409 on a second register; reopen moves the spend back', async () => {
    const livestorm = await candidateByKey('livestorm');
    const events = await subcategory(testApp, 'Events, Meetings & Webinars');
    const body = { subcategoryId: events.id, budgetOwnerId: mktId };
    await testApp.http().post(`/api/v1/discovery/candidates/${livestorm.id}/register`).set(cast.cmo.auth).send(body).expect(403);
    const res = await testApp.http().post(`/api/v1/discovery/candidates/${livestorm.id}/register`).set(cast.it.auth).send(body).expect(200);
    expect(res.body).toMatchObject({ status: 'REGISTERED', actions: ['REOPEN'] });
    const tool = await repo(Tool).findOneByOrFail({ id: res.body.toolId });
    expect(tool).toMatchObject({
      name: 'Livestorm',
      lifecycle: Lifecycle.ACTIVE,
      itApprovalStatus: ItApprovalStatus.NOT_REVIEWED,
      shadowIt: true,
    });
    const moved = await repo(SpendEntry).find({ where: { toolId: tool.id } });
    expect(moved.reduce((sum, e) => sum + e.amountMinor, 0n)).toBe(29700n);
    expect(await ledgerOf(moved.map((e) => e.id))).toBe(29700n);
    const audit = await repo(AuditEvent).find({ where: { entityId: livestorm.id, action: 'discovery_candidate.registered' } });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorId).toBe(cast.it.id);

    const again = await testApp
      .http()
      .post(`/api/v1/discovery/candidates/${livestorm.id}/register`)
      .set(cast.it.auth)
      .send(body)
      .expect(409);
    expect(again.body.code).toBe('CANDIDATE_STATE');
    await testApp.http().post(`/api/v1/discovery/candidates/${livestorm.id}/dismiss`).set(cast.cio.auth).send({}).expect(409);

    // a later line of the merchant is matched through the learned alias
    await upload([header, '2026-04-01,LIVESTORM SAS,99.00,EUR,ana@example.com,,,T-10'].join('\n')).expect(200);
    expect(await repo(SpendEntry).count({ where: { toolId: tool.id } })).toBe(4);

    await testApp.http().post(`/api/v1/discovery/candidates/${livestorm.id}/reopen`).set(cast.cio.auth).expect(200);
    expect(await repo(SpendEntry).count({ where: { toolId: tool.id } })).toBe(0);
    expect(await ledgerOf(moved.map((e) => e.id))).toBe(0n);
    expect(await candidateByKey('livestorm')).toMatchObject({ status: 'OPEN', toolId: null, transactions: 4, totalBaseMinor: 39600n });
    expect(await repo(AuditEvent).count({ where: { entityId: livestorm.id, action: 'discovery_candidate.reopened' } })).toBe(1);
  });

  it('links a candidate to an existing tool: the alias is learned and the spend moves; a retired tool is refused', async () => {
    const canva = await candidateByKey('canva');
    const retired = await makeTool(testApp, {
      name: 'Old Design Tool',
      vendor: await makeVendor(testApp),
      subcategory: 'Content Marketing',
      budgetOwner: await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING }),
      lifecycle: Lifecycle.RETIRED,
    });
    const refused = await testApp
      .http()
      .post(`/api/v1/discovery/candidates/${canva.id}/link`)
      .set(cast.it.auth)
      .send({ toolId: retired.id });
    expect([refused.status, refused.body.code]).toEqual([422, 'CANDIDATE_TOOL_RETIRED']);
    await testApp
      .http()
      .post(`/api/v1/discovery/candidates/${canva.id}/link`)
      .set(cast.it.auth)
      .send({ toolId: '0190aaaa-0000-7000-8000-000000000000' })
      .expect(422);
    const res = await testApp
      .http()
      .post(`/api/v1/discovery/candidates/${canva.id}/link`)
      .set(cast.it.auth)
      .send({ toolId: zoom.id })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'LINKED', toolId: zoom.id });
    const entries = await repo(SpendEntry).find({ where: { toolId: zoom.id, currency: 'USD' } });
    expect(entries.map((e) => e.amountMinor).sort()).toEqual([1295n, 1295n, 1295n, 1499n]);
    expect(res.body.recentTransactions.every((t: { spendEntryId: string | null }) => t.spendEntryId)).toBe(true);
  });

  it('dismisses a candidate: later lines of the merchant are kept on it and ignored; it can be reopened', async () => {
    await upload([header, '2026-04-02,STARBUCKS 1234 SEATTLE WA,4.50,EUR,ana@example.com,,,T-20'].join('\n')).expect(200);
    const coffee = await candidateByKey('starbucks');
    await testApp.http().post(`/api/v1/discovery/candidates/${coffee.id}/dismiss`).set(cast.it.auth).send({ reason: 'Coffee' }).expect(200);
    const later = await upload([header, '2026-04-09,STARBUCKS 1234 SEATTLE WA,5.50,EUR,ben@example.com,,,T-21'].join('\n')).expect(200);
    expect(later.body.notes[0].message).toBe('STARBUCKS 1234 SEATTLE WA: ignored, "Starbucks" was dismissed as not software');
    expect(await candidateByKey('starbucks')).toMatchObject({ status: 'DISMISSED', dismissReason: 'Coffee', transactions: 2 });
    expect(await repo(Notification).count({ where: { event: 'discovery-candidates-found' } })).toBe(4); // 2 + 1 (starbucks) per recipient pair
    await testApp.http().post(`/api/v1/discovery/candidates/${coffee.id}/reopen`).set(cast.it.auth).expect(200);
    await testApp.http().post(`/api/v1/discovery/candidates/${coffee.id}/reopen`).set(cast.it.auth).expect(409);
    const audit = await repo(AuditEvent).find({ where: { entityId: coffee.id }, order: { id: 'ASC' } });
    expect(audit.map((a) => a.action)).toEqual([
      'discovery_candidate.created',
      'discovery_candidate.dismissed',
      'discovery_candidate.reopened',
    ]);
  });

  describe('hostile and wrong input: a clear 4xx and nothing written', () => {
    const rowsBefore = () => repo(DiscoveryTransaction).count();

    it.each([
      ['a huge amount', 'amount', '2026-05-01,PAYPAL *HOTJAR,99999999999999.00,EUR,,,,H-1'],
      ['a date that does not exist', 'date', '2026-02-30,PAYPAL *HOTJAR,1.00,EUR,,,,H-2'],
      ['a US date in the generic preset', 'date', '05/01/2026,PAYPAL *HOTJAR,1.00,EUR,,,,H-3'],
      ['an unknown currency', 'currency', '2026-05-01,PAYPAL *HOTJAR,1.00,XXQ,,,,H-4'],
      ['a currency without an FX rate', 'currency', '2026-05-01,PAYPAL *HOTJAR,1.00,GBP,,,,H-5'],
      ['an unknown cost center', 'costCenter', '2026-05-01,PAYPAL *HOTJAR,1.00,EUR,,NOPE,,H-6'],
      ['a merchant of digits only', 'merchant', '2026-05-01,12345 678,1.00,EUR,,,,H-7'],
      ['too many decimals', 'amount', '2026-05-01,PAYPAL *HOTJAR,1.005,EUR,,,,H-8'],
    ])('refuses %s (422, row error on %s)', async (_what, column, line) => {
      const before = await rowsBefore();
      const res = await upload([header, line].join('\n')).expect(422);
      expect(res.body.code).toBe('IMPORT_INVALID');
      expect(res.body.details.errors[0].column).toBe(column);
      expect(await rowsBefore()).toBe(before);
    });

    it('refuses an unknown preset (400) and a preset on a kind without presets', async () => {
      const res = await upload(first, { preset: 'quickbooks' }).expect(400);
      expect(res.body.message).toContain('generic, expensify, ramp, brex');
      await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'spend-entries')
        .field('preset', 'generic')
        .attach('file', Buffer.from('date\n'), 'x.csv')
        .expect(400);
    });

    it('refuses a duplicate reference in one file, unknown columns of the generic preset, and importers without the role', async () => {
      await upload([header, '2026-05-01,PAYPAL *HOTJAR,1.00,EUR,,,,D-1', '2026-05-02,PAYPAL *HOTJAR,2.00,EUR,,,,D-1'].join('\n')).expect(
        422,
      );
      const unknown = await upload(`${header},extra\n2026-05-01,X,1.00,EUR,,,,,y`).expect(422);
      expect(unknown.body.code).toBe('IMPORT_INVALID_HEADER');
      await upload(first, { who: cast.marketer }).expect(403);
    });

    it('keeps a formula cell as text (stored as written, never evaluated) and a merchant key without its formula signs', async () => {
      await upload([header, '2026-05-03,"=HYPERLINK(""http://evil.example"",""x"")",3.00,EUR,,,,F-1'].join('\n')).expect(200);
      const row = await repo(DiscoveryTransaction).findOneByOrFail({ reference: 'F-1' });
      expect(row.merchantRaw).toBe('=HYPERLINK("http://evil.example","x")');
      expect(row.merchantKey).toBe('hyperlink evil example x');
    });
  });

  describe('presets and saved mappings', () => {
    it('reads a Brex-style export: US dates, extra columns ignored, department names that are no code only noted', async () => {
      const csv = [
        'Posted Date,Merchant,Amount,Currency,Cardholder,Department,Memo,Transaction ID,Card Last Four,Category',
        '04/15/2026,PAYPAL *HOTJAR,"1,234.50",EUR,Dee Lopez,Growth,,BX-1,4242,Software',
      ].join('\n');
      const res = await upload(csv, { preset: 'brex' }).expect(200);
      expect(res.body.notes.map((n: { message: string }) => n.message)).toContain(
        `"Growth" is no cost center code: the line takes the tool's allocation`,
      );
      const entry = await repo(SpendEntry).findOneByOrFail({ externalRef: 'txn:ref:BX-1' });
      expect([entry.date, entry.amountMinor, entry.toolId]).toEqual(['2026-04-15', 123450n, hotjar.id]);
    });

    it('saves a custom mapping and imports with preset custom:<name>', async () => {
      const mapping = {
        date: 'Posting date',
        merchant: 'Description',
        amount: 'Debit',
        currency: 'Ccy',
        reference: 'Id',
        dateOrder: 'DMY',
      };
      await testApp.http().put('/api/v1/discovery/spend-mappings/Amex corporate').set(cast.finance.auth).send(mapping).expect(200);
      await testApp.http().put('/api/v1/discovery/spend-mappings/x').set(cast.marketer.auth).send(mapping).expect(403);
      await testApp
        .http()
        .put('/api/v1/discovery/spend-mappings/bad')
        .set(cast.finance.auth)
        .send({ ...mapping, amount: 'Description' })
        .expect(400);
      const csv = ['Posting date,Description,Debit,Ccy,Id,Balance', '16.04.2026,ZOOM.US 888-799-9666,20.00,EUR,AX-1,1000'].join('\n');
      await upload(csv, { preset: 'custom:amex corporate' }).expect(200);
      const entry = await repo(SpendEntry).findOneByOrFail({ externalRef: 'txn:ref:AX-1' });
      expect([entry.date, entry.toolId]).toEqual(['2026-04-16', zoom.id]);
      const listed = await testApp.http().get('/api/v1/discovery/spend-mappings').set(cast.it.auth).expect(200);
      expect(listed.body.map((m: { preset: string }) => m.preset)).toEqual(['custom:Amex corporate']);
    });
  });
});
