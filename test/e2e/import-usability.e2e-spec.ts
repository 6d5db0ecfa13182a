import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

type Cast = Awaited<ReturnType<typeof makeCast>>;

const binary = (
  res: { on(event: string, listener: (chunk?: Buffer) => void): void },
  callback: (err: Error | null, body: Buffer) => void,
) => {
  const parts: Buffer[] = [];
  res.on('data', (chunk) => parts.push(chunk!));
  res.on('end', () => callback(null, Buffer.concat(parts)));
};

describe('Import templates with example rows, and allocations in percent', () => {
  let testApp: TestApp;
  let cast: Cast;
  let mkt: { code: string; id: string };
  let itcc: { code: string; id: string };
  jest.setTimeout(60_000);

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    mkt = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    itcc = await makeCostCenter(testApp, cast.admin, { kind: 'IT' });
    await makeTool(testApp, cast.marketer, { name: unique('Alpha Suite'), budgetOwnerId: mkt.id });
    await makeTool(testApp, cast.marketer, { name: unique('Beta Suite'), budgetOwnerId: mkt.id });
  });
  afterAll(async () => testApp?.close());

  const upload = (u: TestUser, file: Buffer, name: string, kind: string, dryRun: 'true' | 'false') =>
    testApp.http().post('/api/v1/imports').set(u.auth).field('kind', kind).field('dryRun', dryRun).attach('file', file, name);

  const importers: [string, keyof Cast][] = [
    ['tools', 'marketer'],
    ['integrations', 'it'],
    ['contracts', 'finance'],
    ['spend-entries', 'finance'],
  ];

  it.each(importers)('ships the %s template with example rows that a dry run accepts, as CSV and as XLSX', async (kind, who) => {
    const user = cast[who];
    const csv = await testApp.http().get(`/api/v1/imports/templates/${kind}?format=csv`).set(user.auth).expect(200);
    const records = parse<Record<string, string>>(csv.text, { columns: true, skip_empty_lines: true });
    expect(records.length).toBeGreaterThanOrEqual(1);
    if (kind !== 'integrations') expect(records[0].allocation).toMatch(/^\S+:60%; \S+:40%$/);
    const checked = await upload(user, Buffer.from(csv.text), `${kind}.csv`, kind, 'true').expect(200);
    expect(checked.body.summary.invalid).toBe(0);
    expect(checked.body.totalRows).toBe(records.length);

    const xlsx = await testApp
      .http()
      .get(`/api/v1/imports/templates/${kind}?format=xlsx`)
      .set(user.auth)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    expect(book.worksheets[0].rowCount).toBe(records.length + 1);
    const checkedXlsx = await upload(user, xlsx.body as Buffer, `${kind}.xlsx`, kind, 'true').expect(200);
    expect(checkedXlsx.body.summary).toEqual(checked.body.summary);
  });

  it('leaves out an example that could not pass: no tool to name, no contract row', async () => {
    const empty = await startTestApp();
    try {
      const finance = (await makeCast(empty)).finance;
      const csv = await empty.http().get('/api/v1/imports/templates/contracts?format=csv').set(finance.auth).expect(200);
      expect(csv.text.trim().split(/\r?\n/)).toHaveLength(1);
    } finally {
      await empty.close();
    }
  });

  it('imports allocations in percent exactly, refuses a bad split with a reader-worded error and writes nothing', async () => {
    const name = unique('Percent Tool');
    const vendor = unique('Percent Vendor');
    const columns = 'name,vendor,subcategory,budgetOwnerCode,allocation';
    const good = `${columns}\n${name},${vendor},CRM,${mkt.code},${mkt.code}:66.67%; ${itcc.code}:33.33%\n`;
    const done = await upload(cast.marketer, Buffer.from(good), 'p.csv', 'tools', 'false').expect(200);
    expect(done.body.summary.create).toBe(1);
    const tool = (
      await testApp
        .http()
        .get(`/api/v1/tools?search=${encodeURIComponent(name)}`)
        .set(cast.marketer.auth)
        .expect(200)
    ).body.items[0];
    const stored = (await testApp.http().get(`/api/v1/tools/${tool.id}`).set(cast.marketer.auth).expect(200)).body;
    expect(stored.allocation).toEqual([
      { costCenterId: mkt.id, shareBps: 6667 },
      { costCenterId: itcc.id, shareBps: 3333 },
    ]);
    // The same split in basis points is the same record: nothing changes.
    const again = `${columns}\n${name},${vendor},CRM,${mkt.code},${mkt.code}:6667; ${itcc.code}:3333\n`;
    expect((await upload(cast.marketer, Buffer.from(again), 'p.csv', 'tools', 'true').expect(200)).body.summary.unchanged).toBe(1);

    const bad =
      `${columns}\n${unique('Bad Split')},V,CRM,${mkt.code},${mkt.code}:60%; ${itcc.code}:30%\n` +
      `${unique('Old Style')},V,CRM,${mkt.code},${mkt.code}:100\n`;
    const refused = await upload(cast.marketer, Buffer.from(bad), 'p.csv', 'tools', 'false').expect(422);
    expect(refused.body.code).toBe('IMPORT_INVALID');
    const messages = (refused.body.details.errors as { message: string }[]).map((e) => e.message);
    expect(messages).toEqual([
      'allocation: shares must add up to 100%, they add up to 90%',
      `allocation: shares must add up to 10000 basis points (100%), they add up to 100 basis points (1%); for percent add a % sign, e.g. "MKT:100%"`,
    ]);
    expect((await testApp.http().get('/api/v1/tools?search=Bad%20Split').set(cast.marketer.auth)).body.total).toBe(0);
  });

  it('refuses an extra field on the error-rows route, like the import itself', async () => {
    await testApp
      .http()
      .post('/api/v1/imports/error-rows')
      .set(cast.marketer.auth)
      .field('kind', 'tools')
      .field('extra', '1')
      .attach('file', Buffer.from('name\nx'), 'x.csv')
      .expect(400);
  });

  it('takes percent in the finance kinds too (same cell parser)', async () => {
    const tool = (await testApp.http().get('/api/v1/tools?search=Alpha').set(cast.finance.auth).expect(200)).body.items[0];
    const ref = unique('INV');
    const csv =
      'date,tool,costType,amount,currency,externalRef,allocation\n' +
      `2026-03-31,${tool.name},LICENSE,100.00,eur,${ref},${mkt.code}:12.5%; ${itcc.code}:87.5%\n`;
    const done = await upload(cast.finance, Buffer.from(csv), 's.csv', 'spend-entries', 'false').expect(200);
    expect(done.body.summary.create).toBe(1);
  });
});
