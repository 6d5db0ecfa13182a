import ExcelJS from 'exceljs';
import { CostCenterKind, ImportRegistry } from '@stackgate/catalog';
import { Contract, LedgerEntry, SpendEntry } from '@stackgate/finance';
import { makeCast } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Spend entries import (CSV and XLSX through /imports)', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  const upload = (body: string | Buffer, name: string, dryRun: boolean, who = cast.finance) =>
    testApp
      .http()
      .post('/api/v1/imports')
      .set(who.auth)
      .field('kind', 'spend-entries')
      .field('dryRun', String(dryRun))
      .attach('file', Buffer.isBuffer(body) ? body : Buffer.from(body), name);
  const count = () => testApp.dataSource.getRepository(SpendEntry).count();
  const header = 'date,tool,contractReference,costType,amount,currency,description,externalRef,allocation';

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, code: 'MKT' });
    await makeCostCenter(testApp, { kind: CostCenterKind.IT, code: 'ITX' });
    const tool = await makeTool(testApp, {
      name: 'Imported Tool',
      vendor: await makeVendor(testApp),
      subcategory: 'SEO',
      budgetOwner: mkt,
    });
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({ toolId: tool.id, reference: 'K-1', startDate: '2026-01-01', termMonths: 12, billing: 'MONTHLY', amount: money('10.00') })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  const good = [
    header,
    '2026-01-31,imported tool,K-1,LICENSE,100.00,EUR,January,INV-1,',
    '2026-02-28,Imported Tool,,OPERATIONS,50.50,USD,,INV-2,MKT:5000; ITX:5000',
    '2026-03-15,Imported Tool,,TRAINING,-5.00,EUR,credit,,',
  ].join('\n');

  it('dry-runs without writing, then commits all rows with their ledger rows', async () => {
    const dry = await upload(good, 'spend.csv', true).expect(200);
    expect(dry.body).toMatchObject({
      kind: 'spend-entries',
      dryRun: true,
      committed: false,
      summary: { create: 3, update: 0, unchanged: 0, invalid: 0 },
    });
    expect(await count()).toBe(0);
    const res = await upload(good, 'spend.csv', false).expect(200);
    expect(res.body).toMatchObject({ committed: true, summary: { create: 3 } });
    const entries = await testApp.dataSource.getRepository(SpendEntry).find({ order: { date: 'ASC' } });
    expect(entries.map((e) => [e.date, e.amountMinor, e.currency, e.source, e.externalRef, !!e.contractId])).toEqual([
      ['2026-01-31', 10000n, 'EUR', 'import', 'INV-1', true],
      ['2026-02-28', 5050n, 'USD', 'import', 'INV-2', false],
      ['2026-03-15', -500n, 'EUR', 'import', null, false],
    ]);
    const rows = await testApp.dataSource
      .getRepository(LedgerEntry)
      .find({ where: { sourceId: entries[1].id }, order: { costCenterKind: 'ASC' } });
    expect(rows.map((r) => [r.month, r.costCenterKind, r.amountMinor, r.basis])).toEqual([
      [202602, 'IT', 2525n, 'ACTUAL'],
      [202602, 'MARKETING', 2525n, 'ACTUAL'],
    ]);
  });

  it('is idempotent by externalRef: re-importing reports unchanged, a changed amount updates', async () => {
    const again = await upload(
      [
        header,
        '2026-01-31,imported tool,K-1,LICENSE,100.00,EUR,January,INV-1,',
        '2026-02-28,Imported Tool,,OPERATIONS,60.00,USD,,INV-2,MKT:5000; ITX:5000',
      ].join('\n'),
      'spend.csv',
      false,
    ).expect(200);
    expect(again.body.summary).toEqual({ create: 0, update: 1, unchanged: 1, invalid: 0 });
    expect(await count()).toBe(3);
    const inv2 = await testApp.dataSource.getRepository(SpendEntry).findOneByOrFail({ externalRef: 'INV-2' });
    expect(inv2.amountMinor).toBe(6000n);
    expect(
      (await testApp.dataSource.getRepository(LedgerEntry).find({ where: { sourceId: inv2.id } })).reduce((s, r) => s + r.amountMinor, 0n),
    ).toBe(6000n);
  });

  it('refuses the whole file when any row is invalid, reporting every error', async () => {
    const bad = [
      header,
      '2026-04-01,Imported Tool,,LICENSE,1.00,EUR,,INV-9,',
      '2026-02-30,Nope,K-9,GADGETS,1.001,EUR,,,MKT:4000',
      '2026-04-02,Imported Tool,,LICENSE,1.00,EUR,,INV-9,',
    ].join('\n');
    const res = await upload(bad, 'bad.csv', false).expect(422);
    expect(res.body.code).toBe('IMPORT_INVALID');
    const cols = res.body.details.errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`);
    expect(cols).toEqual(expect.arrayContaining(['3:date', '3:tool', '3:costType', '3:amount', '3:allocation', '4:externalRef']));
    expect(await count()).toBe(3);
  });

  it('reads XLSX, and only FINANCE may import spend', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('spend');
    ws.addRow(header.split(','));
    ws.addRow(['2026-05-05', 'Imported Tool', '', 'INFRASTRUCTURE', '12.34', 'EUR', 'from xlsx', 'X-1', '']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await upload(buf, 'spend.xlsx', false).expect(200);
    expect(res.body.summary.create).toBe(1);
    expect((await testApp.dataSource.getRepository(SpendEntry).findOneByOrFail({ externalRef: 'X-1' })).amountMinor).toBe(1234n);
    for (const user of [cast.cmo, cast.admin, cast.marketer]) await upload(good, 'spend.csv', true, user).expect(403);
  });

  it('reads and writes a file a slice at a time as planned whole: a refused one is rolled back', async () => {
    const kind = testApp.app.get(ImportRegistry).get('spend-entries')!;
    const planSlice = kind.planSlice;
    const slices = (size: number | undefined) => Object.assign(kind, { planSlice: size });
    const rows = [
      header,
      '2026-06-01,Imported Tool,,LICENSE,10.00,EUR,,S-1,',
      '2026-06-02,Imported Tool,K-1,LICENSE,20.00,EUR,,S-2,MKT:5000; ITX:5000',
      '2026-06-03,Imported Tool,,TRAINING,30.00,USD,,S-3,',
      '2026-06-04,Imported Tool,,LICENSE,40.00,EUR,,S-1,', // row 5 repeats row 2's externalRef, in the fourth slice
    ];
    const before = await count();
    try {
      slices(undefined);
      const whole = await upload(rows.join('\n'), 'spend.csv', true).expect(200);
      slices(1);
      const sliced = await upload(rows.join('\n'), 'spend.csv', true).expect(200);
      expect({ ...sliced.body, id: undefined }).toEqual({ ...whole.body, id: undefined });
      expect(sliced.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([[5, 'externalRef']]);
      await upload(rows.join('\n'), 'spend.csv', false).expect(422); // three slices written, then rolled back
      expect(await count()).toBe(before);
      const done = await upload(rows.slice(0, 4).join('\n'), 'spend.csv', false).expect(200);
      expect(done.body.summary).toEqual({ create: 3, update: 0, unchanged: 0, invalid: 0 });
      expect(await count()).toBe(before + 3);
      const ledger = await testApp.dataSource
        .getRepository(LedgerEntry)
        .createQueryBuilder('l')
        .innerJoin(SpendEntry, 's', 's.id = l.sourceId')
        .where('s.externalRef IN (:...refs)', { refs: ['S-1', 'S-2', 'S-3'] })
        .getCount();
      expect(ledger).toBe(4); // S-2 split between two cost centers
    } finally {
      slices(planSlice);
    }
  });

  describe('contracts', () => {
    const cHeader =
      'tool,reference,startDate,termMonths,billing,amount,currency,costType,seats,autoRenew,noticeDays,internalLeadDays,allocation';
    const file = (amount: string) =>
      [
        cHeader,
        `Imported Tool,IMP-1,2026-01-01,12,QUARTERLY,${amount},EUR,LICENSE,10,true,30,14,MKT:5000; ITX:5000`,
        'Imported Tool,,2026-06-01,1,ONE_TIME,99.00,EUR,IMPLEMENTATION,,,,,',
      ].join('\n');
    const imported = () => testApp.dataSource.getRepository(Contract).find({ where: { reference: 'IMP-1' } });

    it('creates contracts with derived fields and ledger rows, then matches by tool and reference', async () => {
      const dry = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'contracts')
        .field('dryRun', 'true')
        .attach('file', Buffer.from(file('300.00')), 'c.csv')
        .expect(200);
      expect(dry.body.summary).toEqual({ create: 2, update: 0, unchanged: 0, invalid: 0 });
      await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'contracts')
        .field('dryRun', 'false')
        .attach('file', Buffer.from(file('300.00')), 'c.csv')
        .expect(200);
      const [contract] = await imported();
      expect(contract).toMatchObject({
        endDate: '2026-12-31',
        cancelByDate: '2026-12-01',
        reviewStartDate: '2026-11-17',
        annualValueMinor: 120000n,
        seats: 10,
        autoRenew: true,
      });
      expect(
        (await testApp.dataSource.getRepository(LedgerEntry).find({ where: { sourceId: contract.id } })).reduce(
          (s, r) => s + r.amountMinor,
          0n,
        ),
      ).toBe(120000n);
      const again = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'contracts')
        .field('dryRun', 'false')
        .attach('file', Buffer.from([cHeader, file('300.00').split('\n')[1]].join('\n')), 'c.csv')
        .expect(200);
      expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 1, invalid: 0 });
      const changed = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.finance.auth)
        .field('kind', 'contracts')
        .field('dryRun', 'false')
        .attach('file', Buffer.from([cHeader, file('600.00').split('\n')[1]].join('\n')), 'c.csv')
        .expect(200);
      expect(changed.body.summary).toEqual({ create: 0, update: 1, unchanged: 0, invalid: 0 });
      const [updated] = await imported();
      expect(updated).toMatchObject({ id: contract.id, annualValueMinor: 240000n, version: 2 });

      // a row at a time: the same report as planned whole, and the same contract
      const kind = testApp.app.get(ImportRegistry).get('contracts')!;
      const planSlice = kind.planSlice;
      const post = (dryRun: boolean) =>
        testApp
          .http()
          .post('/api/v1/imports')
          .set(cast.finance.auth)
          .field('kind', 'contracts')
          .field('dryRun', String(dryRun))
          .attach('file', Buffer.from(file('900.00').replace('IMP-1', 'IMP-2')), 'c.csv')
          .expect(200);
      try {
        Object.assign(kind, { planSlice: undefined });
        const whole = await post(true);
        Object.assign(kind, { planSlice: 1 });
        const sliced = await post(true);
        expect({ ...sliced.body, id: undefined }).toEqual({ ...whole.body, id: undefined });
        expect((await post(false)).body.summary).toEqual({ create: 2, update: 0, unchanged: 0, invalid: 0 });
        const [second] = await testApp.dataSource.getRepository(Contract).find({ where: { reference: 'IMP-2' } });
        expect(second).toMatchObject({ annualValueMinor: 360000n, endDate: '2026-12-31' });
      } finally {
        Object.assign(kind, { planSlice });
      }
      expect(
        (await testApp.dataSource.getRepository(LedgerEntry).find({ where: { sourceId: contract.id } })).reduce(
          (s, r) => s + r.amountMinor,
          0n,
        ),
      ).toBe(240000n);
    });
  });
});
