import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { In } from 'typeorm';
import { AuditEvent } from '@stackgate/audit';
import { SHADOW_IT_IMPORT_NOTE, Tool, TOOL_COLUMNS, ToolsImportKind, ToolsService, Vendor } from '@stackgate/catalog';
import { Integration, IntegrationsImportKind } from '@stackgate/integrations';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

type Cast = Awaited<ReturnType<typeof makeCast>>;
type Row = Record<string, string>;
const COLUMNS = TOOL_COLUMNS.map((c) => c.name);
const SUBS = ['CRM', 'Email Marketing', 'Customer Data Platform', 'SEO', 'Collaboration', 'DMP'];

function csv(rows: Row[], columns = COLUMNS): Buffer {
  return Buffer.from(stringify([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))]));
}

async function xlsx(rows: Row[], columns = COLUMNS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('tools');
  ws.addRow(columns);
  for (const row of rows) ws.addRow(columns.map((c) => row[c] ?? ''));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('Spreadsheet import and export', () => {
  let testApp: TestApp;
  let cast: Cast;
  let mkt: { code: string; id: string };
  let itcc: { code: string; id: string };

  jest.setTimeout(60_000);

  beforeAll(async () => {
    testApp = await startTestApp({ IMPORT_MAX_ROWS: '4500', UPLOAD_LIMIT: '3mb' });
    cast = await makeCast(testApp);
    mkt = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    itcc = await makeCostCenter(testApp, cast.admin, { kind: 'IT' });
  });
  afterAll(async () => testApp?.close());

  const upload = (user: TestUser, file: Buffer, name: string, fields: Record<string, string>) => {
    const req = testApp.http().post('/api/v1/imports').set(user.auth);
    for (const [field, value] of Object.entries(fields)) req.field(field, value);
    return req.attach('file', file, name);
  };
  const toolRows = (prefix: string, n: number): Row[] =>
    Array.from({ length: n }, (_, i) => ({
      name: `${prefix} Tool ${i}`,
      vendor: `${prefix} Vendor ${i % 25}`,
      subcategory: SUBS[i % SUBS.length],
      description: i % 3 ? `Row ${i}, with "quotes", commas\nand a newline` : '',
      capabilities: i % 2 ? 'email; sms' : '',
      lifecycle: ['ACTIVE', 'PROPOSED', 'APPROVED', 'SUNSETTING'][i % 4],
      businessOwnerEmail: i % 5 ? cast.cmo.email : '',
      technicalOwnerEmail: i % 7 ? '' : cast.it.email,
      budgetOwnerCode: i % 2 ? mkt.code : itcc.code.toLowerCase(),
      allocation: i % 4 === 0 ? `${mkt.code}:6000; ${itcc.code}:4000` : '',
      dataClassification: ['NONE', 'INTERNAL', 'PERSONAL', 'SENSITIVE_PERSONAL'][i % 4],
      ssoEnabled: i % 2 ? 'true' : 'false',
      hostingRegion: i % 3 ? 'EU' : '',
      isSystemOfRecord: i % 10 === 0 ? 'TRUE' : 'no',
      licensedSeats: i % 6 ? String(i) : '',
      activeUsers: i % 6 ? String(Math.floor(i / 2)) : '',
      website: i % 8 ? `https://t${i}.example` : '',
    }));
  const countTools = (prefix: string) =>
    testApp.dataSource
      .getRepository(Tool)
      .createQueryBuilder('t')
      .where('t.name LIKE :p', { p: `${prefix} Tool %` })
      .getCount();
  const countVendors = (prefix: string) =>
    testApp.dataSource
      .getRepository(Vendor)
      .createQueryBuilder('v')
      .where('v.name LIKE :p', { p: `${prefix} Vendor %` })
      .getCount();
  const countAudit = () => testApp.dataSource.getRepository(AuditEvent).count();

  for (const format of ['csv', 'xlsx'] as const) {
    it(`runs the 2,000-row round trip in ${format.toUpperCase()}: dry run, refused commit, commit, re-import, export → import`, async () => {
      const prefix = unique(format);
      const encode = (rows: Row[]) => (format === 'csv' ? Promise.resolve(csv(rows)) : xlsx(rows));
      const name = `tools.${format}`;
      const good = toolRows(prefix, 2000);
      const bad = good.map((r) => ({ ...r }));
      bad[99].subcategory = 'Crystal Balls'; // sheet row 101
      bad[499].allocation = `${mkt.code}:6000; ${itcc.code}:3000`; // row 501
      bad[1499].licensedSeats = 'lots'; // row 1501
      const auditBefore = await countAudit();

      const dry = await upload(cast.it, await encode(bad), name, { kind: 'tools', dryRun: 'true' }).expect(200);
      expect(dry.body).toMatchObject({
        kind: 'tools',
        dryRun: true,
        committed: false,
        format,
        totalRows: 2000,
        summary: { create: 1997, update: 0, unchanged: 0, invalid: 3 },
      });
      // written in pieces, the answer is the JSON text of the report all the same
      expect(dry.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(dry.text).toBe(JSON.stringify(dry.body));
      expect(dry.body.rows.map((r: { row: number }) => r.row)).toEqual(Array.from({ length: 2000 }, (_, i) => i + 2));
      expect(dry.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
        [101, 'subcategory'],
        [501, 'allocation'],
        [1501, 'licensedSeats'],
      ]);
      expect(dry.body.rows[0]).toEqual({
        row: 2,
        action: 'create',
        valid: true,
        errors: [],
        notes: [`vendor "${prefix} Vendor 0" will be created`, SHADOW_IT_IMPORT_NOTE],
      });
      // 25 new vendors, and the 500 ACTIVE rows (every fourth) whose tools will be shadow IT.
      expect(dry.body.notes.filter((n: { message: string }) => n.message !== SHADOW_IT_IMPORT_NOTE)).toHaveLength(25);
      expect(dry.body.notes.filter((n: { message: string }) => n.message === SHADOW_IT_IMPORT_NOTE)).toHaveLength(500);
      expect(await countTools(prefix)).toBe(0);
      expect(await countVendors(prefix)).toBe(0);
      expect(await countAudit()).toBe(auditBefore);

      const refused = await upload(cast.it, await encode(bad), name, { kind: 'tools', dryRun: 'false' }).expect(422);
      expect(refused.body.code).toBe('IMPORT_INVALID');
      expect(refused.body.details.summary.invalid).toBe(3);
      expect(await countTools(prefix)).toBe(0);
      expect(await countVendors(prefix)).toBe(0);

      const committed = await upload(cast.it, await encode(good), name, { kind: 'tools', dryRun: 'false' }).expect(200);
      expect(committed.body).toMatchObject({ committed: true, summary: { create: 2000, update: 0, unchanged: 0, invalid: 0 } });
      expect(await countTools(prefix)).toBe(2000);
      expect(await countVendors(prefix)).toBe(25);
      // Written in slices of 1,000 (createManyInTransaction): every tool has its one event.
      expect(
        await testApp.dataSource
          .getRepository(AuditEvent)
          .createQueryBuilder('e')
          .innerJoin(Tool, 't', 't.id = e.entityId')
          .where('e.action = :a AND t.name LIKE :p AND e.chainSeq = 1', { a: 'tool.created', p: `${prefix} Tool %` })
          .getCount(),
      ).toBe(2000);
      const sample = await testApp.dataSource.getRepository(Tool).findOneByOrFail({ nameKey: `${prefix} tool 4`.toLowerCase() });
      expect(sample).toMatchObject({
        lifecycle: 'ACTIVE',
        budgetOwnerId: itcc.id,
        allocation: [
          { costCenterId: mkt.id, shareBps: 6000 },
          { costCenterId: itcc.id, shareBps: 4000 },
        ],
        ssoEnabled: false,
        isSystemOfRecord: false,
        licensedSeats: 4,
        capabilities: [],
      });
      expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'tool.created', entityId: sample.id })).toBe(1);

      const again = await upload(cast.it, await encode(good), name, { kind: 'tools', dryRun: 'false' }).expect(200);
      expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 2000, invalid: 0 });
      expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'tool.updated', entityId: sample.id })).toBe(0);
      const auditAfterCommit = await countAudit();

      const exported = await testApp
        .http()
        .get(`/api/v1/tools/export?format=${format}`)
        .set(cast.finance.auth)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(exported.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="tools-.*\\.${format}"`));
      const roundTrip = await upload(cast.marketer, exported.body as Buffer, `export.${format}`, { kind: 'tools', dryRun: 'true' }).expect(
        200,
      );
      expect(roundTrip.body.summary).toEqual({ create: 0, update: 0, unchanged: roundTrip.body.totalRows, invalid: 0 });
      expect(roundTrip.body.totalRows).toBeGreaterThanOrEqual(2000);
      expect(await countAudit()).toBe(auditAfterCommit); // export and dry run write nothing
    }, 180_000);
  }

  it('plans and writes a tools file a slice at a time, answering as planned whole; an invalid row in a later slice rolls the earlier ones back', async () => {
    const kind = testApp.app.get(ToolsImportKind);
    const planSlice = kind.planSlice;
    const slices = (size: number | undefined) => Object.assign(kind, { planSlice: size });
    const withoutId = (body: Record<string, unknown>) => ({ ...body, id: undefined });
    try {
      const prefix = unique('slices');
      const good = toolRows(prefix, 2000);
      const bad = good.map((r) => ({ ...r }));
      bad[1499].licensedSeats = 'lots'; // row 1501, in the third slice of 700
      bad[1899].name = bad[99].name; // row 1901 names row 101's tool again
      const auditBefore = await countAudit();

      slices(undefined);
      const whole = await upload(cast.it, csv(bad), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(200);
      const wholeGood = await upload(cast.it, csv(good), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(200);
      slices(700);
      const sliced = await upload(cast.it, csv(bad), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(200);
      expect(withoutId(sliced.body)).toEqual(withoutId(whole.body));
      expect(sliced.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
        [1501, 'licensedSeats'],
        [1901, 'name'],
      ]);

      // slices 1 and 2 are written before row 1501 is read, then rolled back with the rest
      const refused = await upload(cast.it, csv(bad), 'tools.csv', { kind: 'tools', dryRun: 'false' }).expect(422);
      expect(refused.body.code).toBe('IMPORT_INVALID');
      expect(refused.body.details.rows).toEqual(whole.body.rows);
      expect(await countTools(prefix)).toBe(0);
      expect(await countVendors(prefix)).toBe(0);
      expect(await countAudit()).toBe(auditBefore);

      // each slice read after the earlier ones were written: the same report as the file planned whole
      const committed = await upload(cast.it, csv(good), 'tools.csv', { kind: 'tools', dryRun: 'false' }).expect(200);
      expect(committed.body.summary).toEqual({ create: 2000, update: 0, unchanged: 0, invalid: 0 });
      expect(committed.body.rows).toEqual(wholeGood.body.rows);
      expect(committed.body.notes).toEqual(wholeGood.body.notes);
      expect(await countTools(prefix)).toBe(2000);
      expect(await countVendors(prefix)).toBe(25);
    } finally {
      slices(planSlice);
    }
  }, 180_000);

  it('updates matched tools, reports field-level refusals per row, and enforces roles', async () => {
    const prefix = unique('upd');
    await upload(cast.it, csv(toolRows(prefix, 3)), 'tools.csv', { kind: 'tools', dryRun: 'false' }).expect(200);
    const rows = toolRows(prefix, 3);
    rows[0].description = 'changed';
    rows[1].name = rows[1].name.toUpperCase(); // same tool, renamed case
    rows[2].ssoEnabled = rows[2].ssoEnabled === 'true' ? 'false' : 'true';
    const byMarketer = await upload(cast.marketer, csv(rows), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(200);
    expect(byMarketer.body.rows.map((r: { action: string }) => r.action)).toEqual(['update', 'update', 'update']);
    expect(byMarketer.body.errors).toEqual([{ row: 4, column: 'ssoEnabled', message: 'only IT, CIO or ADMIN may change ssoEnabled' }]);
    const ok = await upload(cast.it, csv(rows), 'tools.csv', { kind: 'tools', dryRun: 'false' }).expect(200);
    expect(ok.body.summary).toEqual({ create: 0, update: 3, unchanged: 0, invalid: 0 });
    const t0 = await testApp.dataSource.getRepository(Tool).findOneByOrFail({ nameKey: rows[0].name.toLowerCase() });
    expect(t0).toMatchObject({ description: 'changed', version: 2 });
    expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'tool.updated', entityId: t0.id })).toBe(1);
    // A file without the technical columns leaves them alone, even for a marketer.
    const narrow = ['name', 'vendor', 'subcategory', 'budgetOwnerCode', 'description'];
    const keep = await upload(cast.marketer, csv(rows, narrow), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(200);
    expect(keep.body.summary).toEqual({ create: 0, update: 0, unchanged: 3, invalid: 0 });
    const denied = await upload(cast.finance, csv(rows), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(403);
    expect(denied.body.code).toBe('FORBIDDEN');
    // Lifecycle rules apply to imports too.
    rows[0].lifecycle = 'RETIRED';
    await upload(cast.it, csv(rows), 'tools.csv', { kind: 'tools', dryRun: 'false' }).expect(200);
    rows[0].lifecycle = 'ACTIVE';
    const back = await upload(cast.it, csv(rows), 'tools.csv', { kind: 'tools', dryRun: 'true' }).expect(200);
    expect(back.body.errors).toEqual([{ row: 2, column: 'lifecycle', message: 'a RETIRED tool cannot become ACTIVE' }]);
    // Duplicate names inside one file.
    const dup = await upload(cast.it, csv([rows[1], { ...rows[1], name: rows[1].name.toLowerCase() }]), 'tools.csv', {
      kind: 'tools',
      dryRun: 'true',
    }).expect(200);
    expect(dup.body.errors).toHaveLength(1);
    expect(dup.body.errors[0]).toMatchObject({ row: 3, column: 'name' });
  });

  it('writes many tools in slices: a duplicate in a later slice rolls every slice back with 409', async () => {
    const prefix = unique('slices');
    const vendor = await makeVendor(testApp, cast.it);
    const sub = await subcategoryId(testApp, 'CRM', cast.it);
    const existing = await makeTool(testApp, cast.it, { budgetOwnerId: mkt.id, vendorId: vendor.id, subcategoryId: sub });
    const inputs = Array.from({ length: 2300 }, (_, i) => ({
      name: `${prefix} Tool ${i}`,
      vendorId: vendor.id,
      subcategoryId: sub,
      budgetOwnerId: mkt.id,
      capabilities: ['email'],
    }));
    inputs[1700].name = existing.name; // in the second slice of 1,000; the lookup is skipped, so the unique index refuses it
    const tools = testApp.app.get(ToolsService);
    const auditBefore = await countAudit();
    await expect(
      testApp.dataSource.transaction((m) => tools.createManyInTransaction(m, null, inputs, { namesChecked: true })),
    ).rejects.toMatchObject({ status: 409, code: 'TOOL_NAME_TAKEN' });
    expect(await countTools(prefix)).toBe(0);
    expect(await countAudit()).toBe(auditBefore);

    inputs[1700].name = `${prefix} Tool 1700`;
    await expect(testApp.dataSource.transaction((m) => tools.createManyInTransaction(m, null, inputs))).resolves.toBe(2300);
    expect(await countTools(prefix)).toBe(2300);
    expect(await countAudit()).toBe(auditBefore + 2300);
  });

  it('imports and exports integrations by tool names', async () => {
    const [first, second, third] = [
      await makeTool(testApp, cast.it, { budgetOwnerId: mkt.id }),
      await makeTool(testApp, cast.it, { budgetOwnerId: mkt.id }),
      await makeTool(testApp, cast.it, { budgetOwnerId: mkt.id }),
    ];
    const cols = ['sourceTool', 'targetTool', 'method', 'frequency', 'status', 'dataObjects', 'carriesPersonalData', 'ownerEmail', 'notes'];
    const rows: Row[] = [
      {
        sourceTool: first.name,
        targetTool: second.name,
        method: 'API',
        frequency: 'DAILY',
        dataObjects: 'contacts; leads',
        carriesPersonalData: 'true',
        ownerEmail: cast.it.email,
      },
      { sourceTool: second.name, targetTool: third.name, method: 'file', frequency: 'WEEKLY', status: 'PLANNED' },
      { sourceTool: third.name, targetTool: third.name, method: 'API', frequency: 'DAILY' },
      { sourceTool: first.name, targetTool: 'Nope', method: 'API', frequency: 'HOURLY' },
    ];
    const dry = await upload(cast.marketer, csv(rows, cols), 'flows.csv', { kind: 'integrations', dryRun: 'true' }).expect(200);
    expect(dry.body.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [4, 'targetTool'],
      [5, 'targetTool'],
    ]);
    await upload(cast.marketer, csv(rows, cols), 'flows.csv', { kind: 'integrations', dryRun: 'false' }).expect(422);
    const good = rows.slice(0, 2);
    const done = await upload(cast.marketer, csv(good, cols), 'flows.csv', { kind: 'integrations', dryRun: 'false' }).expect(200);
    expect(done.body.summary).toEqual({ create: 2, update: 0, unchanged: 0, invalid: 0 });
    expect(await testApp.dataSource.getRepository(Integration).countBy({ sourceToolId: first.id })).toBe(1);
    const again = await upload(cast.marketer, csv(good, cols), 'flows.csv', { kind: 'integrations', dryRun: 'false' }).expect(200);
    expect(again.body.summary).toEqual({ create: 0, update: 0, unchanged: 2, invalid: 0 });
    const exported = await testApp.http().get('/api/v1/integrations/export?format=csv').set(cast.finance.auth).expect(200);
    const roundTrip = await upload(cast.it, Buffer.from(exported.text), 'flows.csv', { kind: 'integrations', dryRun: 'true' }).expect(200);
    expect(roundTrip.body.summary).toEqual({ create: 0, update: 0, unchanged: 2, invalid: 0 });
    await upload(cast.finance, csv(good, cols), 'flows.csv', { kind: 'integrations', dryRun: 'true' }).expect(403);
  });

  it('plans and writes an integrations file a slice at a time, as planned whole', async () => {
    const kind = testApp.app.get(IntegrationsImportKind);
    const planSlice = kind.planSlice;
    const slices = (size: number | undefined) => Object.assign(kind, { planSlice: size });
    const tools: { id: string; name: string }[] = [];
    for (let i = 0; i < 4; i++) tools.push(await makeTool(testApp, cast.it, { budgetOwnerId: mkt.id }));
    const cols = ['sourceTool', 'targetTool', 'method', 'frequency', 'status'];
    const flow = (from: number, to: number, method = 'API'): Row => ({
      sourceTool: tools[from].name,
      targetTool: tools[to].name,
      method,
      frequency: 'DAILY',
    });
    const flowsOf = () => testApp.dataSource.getRepository(Integration).countBy({ sourceToolId: In(tools.map((t) => t.id)) });
    try {
      await upload(cast.marketer, csv([flow(0, 1)], cols), 'flows.csv', { kind: 'integrations', dryRun: 'false' }).expect(200);
      // rows 2–7 in slices of 2: row 2 updates the flow there is, row 7 repeats row 4's live flow
      const rows = [{ ...flow(0, 1), frequency: 'WEEKLY' }, flow(1, 2), flow(2, 3), flow(3, 0), flow(0, 2, 'FILE'), flow(2, 3)];
      slices(undefined);
      const whole = await upload(cast.marketer, csv(rows, cols), 'flows.csv', { kind: 'integrations', dryRun: 'true' }).expect(200);
      slices(2);
      const sliced = await upload(cast.marketer, csv(rows, cols), 'flows.csv', { kind: 'integrations', dryRun: 'true' }).expect(200);
      expect({ ...sliced.body, id: undefined }).toEqual({ ...whole.body, id: undefined });
      expect(sliced.body.rows.map((r: { action: string }) => r.action)).toEqual([
        'update',
        'create',
        'create',
        'create',
        'create',
        'create',
      ]);
      expect(sliced.body.errors).toEqual([{ row: 7, column: null, message: 'the same live flow appears more than once (first at row 4)' }]);

      // slices 1 and 2 are written before row 7 is read, then rolled back with the rest
      await upload(cast.marketer, csv(rows, cols), 'flows.csv', { kind: 'integrations', dryRun: 'false' }).expect(422);
      expect(await flowsOf()).toBe(1);
      const done = await upload(cast.marketer, csv(rows.slice(0, 5), cols), 'flows.csv', { kind: 'integrations', dryRun: 'false' }).expect(
        200,
      );
      expect(done.body.summary).toEqual({ create: 4, update: 1, unchanged: 0, invalid: 0 });
      expect(await flowsOf()).toBe(5);
    } finally {
      slices(planSlice);
    }
  });

  it('serves templates with the import columns', async () => {
    const tpl = await testApp.http().get('/api/v1/imports/templates/tools?format=csv').set(cast.finance.auth).expect(200);
    expect(tpl.headers['content-type']).toMatch(/text\/csv/);
    expect(tpl.text.split(/\r?\n/)[0]).toBe(COLUMNS.join(','));
    const response = await testApp
      .http()
      .get('/api/v1/imports/templates/integrations?format=xlsx')
      .set(cast.finance.auth)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(response.body as never);
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual([
      'sourceTool',
      'targetTool',
      'method',
      'frequency',
      'status',
      'dataObjects',
      'carriesPersonalData',
      'ownerEmail',
      'notes',
    ]);
    await testApp.http().get('/api/v1/imports/templates/nope').set(cast.finance.auth).expect(400);
  });

  it('refuses oversized files (413), too many rows (422), other file types (415) and bad headers (422), never crashing', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 10, 'a');
    expect((await upload(cast.it, big, 'big.csv', { kind: 'tools', dryRun: 'true' }).expect(413)).body.code).toBe('PAYLOAD_TOO_LARGE');
    const many = csv(toolRows(unique('many'), 4501));
    expect((await upload(cast.it, many, 'many.csv', { kind: 'tools', dryRun: 'true' }).expect(422)).body.code).toBe('IMPORT_TOO_MANY_ROWS');
    const manyX = await xlsx(toolRows(unique('manyx'), 4501));
    expect((await upload(cast.it, manyX, 'many.xlsx', { kind: 'tools', dryRun: 'true' }).expect(422)).body.code).toBe(
      'IMPORT_TOO_MANY_ROWS',
    );
    expect((await upload(cast.it, Buffer.from('hello'), 'notes.txt', { kind: 'tools' }).expect(415)).body.code).toBe(
      'UNSUPPORTED_FILE_TYPE',
    );
    expect((await upload(cast.it, Buffer.from('not a zip'), 'broken.xlsx', { kind: 'tools' }).expect(400)).body.code).toBe('INVALID_FILE');
    const header = await upload(cast.it, Buffer.from('name,colour\nx,red\n'), 'h.csv', { kind: 'tools' }).expect(422);
    expect(header.body).toMatchObject({
      code: 'IMPORT_INVALID_HEADER',
      details: { unknown: ['colour'], missing: ['vendor', 'subcategory', 'budgetOwnerCode'] },
    });
    expect((await upload(cast.it, csv([]), 'e.csv', { kind: 'nope' }).expect(400)).body.code).toBe('UNKNOWN_IMPORT_KIND');
    await upload(cast.it, csv([]), 'e.csv', { kind: 'tools', dryRun: 'true', extra: '1' }).expect(400);
    expect((await testApp.http().post('/api/v1/imports').set(cast.it.auth).field('kind', 'tools').expect(400)).body.code).toBe(
      'FILE_REQUIRED',
    );
    const empty = await upload(cast.it, csv([]), 'e.csv', { kind: 'tools' }).expect(200);
    expect(empty.body).toMatchObject({ dryRun: true, totalRows: 0 });
  }, 60_000);
});
