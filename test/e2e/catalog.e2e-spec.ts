import { AuditEvent } from '@stackgate/audit';
import { Tool } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

type Cast = Awaited<ReturnType<typeof makeCast>>;
const ROLES = ['marketer', 'cmo', 'it', 'cio', 'finance', 'admin'] as const;
const WRITERS = ['marketer', 'cmo', 'it', 'cio', 'admin'] as const;

describe('Catalog: taxonomy, cost centers, vendors, tools', () => {
  let testApp: TestApp;
  let cast: Cast;
  let cc: { id: string; code: string };
  let crm: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    crm = await subcategoryId(testApp, 'CRM', cast.marketer);
  });
  afterAll(async () => testApp?.close());

  const api = (u: TestUser) => ({
    get: (p: string) => testApp.http().get(`/api/v1${p}`).set(u.auth),
    post: (p: string, b: object) => testApp.http().post(`/api/v1${p}`).set(u.auth).send(b),
    patch: (p: string, b: object) => testApp.http().patch(`/api/v1${p}`).set(u.auth).send(b),
    del: (p: string) => testApp.http().delete(`/api/v1${p}`).set(u.auth),
  });
  const auditCount = (where: Partial<AuditEvent>) => testApp.dataSource.getRepository(AuditEvent).countBy(where as never);
  const loadTool = (id: string) => testApp.dataSource.getRepository(Tool).findOneByOrFail({ id });

  describe('taxonomy', () => {
    it('is seeded with the 6 categories and 49 subcategories of the 2022 landscape', async () => {
      const res = await api(cast.finance).get('/categories').expect(200);
      expect(res.body.map((c: { name: string }) => c.name)).toEqual([
        'Advertising & Promotion',
        'Content & Experience',
        'Social & Relationships',
        'Commerce & Sales',
        'Data',
        'Management',
      ]);
      expect(res.body.reduce((n: number, c: { subcategories: unknown[] }) => n + c.subcategories.length, 0)).toBe(49);
      expect(res.body[4].subcategories.map((s: { name: string }) => s.name)).toContain('Customer Data Platform');
    });

    it('lets only ADMIN add, rename and deactivate; deleting one in use is 409', async () => {
      const tree = (await api(cast.admin).get('/categories').expect(200)).body;
      const data = tree.find((c: { name: string }) => c.name === 'Data');
      for (const role of ['marketer', 'cmo', 'it', 'cio', 'finance'] as const) {
        await api(cast[role])
          .post('/categories', { name: unique('Nope'), parentId: data.id })
          .expect(403);
      }
      const created = await api(cast.admin).post('/categories', { name: 'Reverse ETL', parentId: data.id }).expect(201);
      expect(created.body).toMatchObject({ name: 'Reverse ETL', parentId: data.id, active: true, version: 1 });
      await api(cast.admin).post('/categories', { name: 'reverse etl' }).expect(409);
      await api(cast.admin)
        .post('/categories', { name: unique('Deep'), parentId: created.body.id })
        .expect(422);
      await api(cast.cio).patch(`/categories/${created.body.id}`, { name: 'x', version: 1 }).expect(403);
      const renamed = await api(cast.admin)
        .patch(`/categories/${created.body.id}`, { name: 'Reverse ETL & Activation', version: 1 })
        .expect(200);
      expect(renamed.body).toMatchObject({ name: 'Reverse ETL & Activation', version: 2 });
      await api(cast.admin).patch(`/categories/${created.body.id}`, { active: false, version: 1 }).expect(409);
      await api(cast.admin).patch(`/categories/${created.body.id}`, { active: false, version: 2 }).expect(200);
      // A deactivated subcategory takes no new tools.
      const vendor = await makeVendor(testApp, cast.it);
      const refused = await api(cast.it)
        .post('/tools', { name: unique('T'), vendorId: vendor.id, subcategoryId: created.body.id, budgetOwnerId: cc.id })
        .expect(422);
      expect(refused.body.code).toBe('CATEGORY_INACTIVE');
      // In use → 409; unused → 204.
      await makeTool(testApp, cast.it, { budgetOwnerId: cc.id, subcategoryId: crm });
      expect((await api(cast.admin).del(`/categories/${crm}`).expect(409)).body.code).toBe('CATEGORY_IN_USE');
      expect((await api(cast.admin).del(`/categories/${data.id}`).expect(409)).body.code).toBe('CATEGORY_IN_USE');
      await api(cast.cmo).del(`/categories/${created.body.id}`).expect(403);
      await api(cast.admin).del(`/categories/${created.body.id}`).expect(204);
      await api(cast.admin).get(`/categories/${created.body.id}`).expect(404);
      expect(await auditCount({ entityType: 'Category', entityId: created.body.id })).toBe(4);
    });
  });

  describe('cost centers', () => {
    it('are written by ADMIN only and read by everyone', async () => {
      for (const role of ['marketer', 'cmo', 'it', 'cio', 'finance'] as const) {
        await api(cast[role])
          .post('/cost-centers', { code: unique('X'), name: 'x', kind: 'IT' })
          .expect(403);
        await api(cast[role]).get(`/cost-centers/${cc.id}`).expect(200);
      }
      const it = await api(cast.admin)
        .post('/cost-centers', { code: 'it-ops', name: 'IT operations', kind: 'IT', ownerId: cast.cio.id })
        .expect(201);
      expect(it.body).toMatchObject({ code: 'IT-OPS', kind: 'IT', ownerId: cast.cio.id, active: true, version: 1 });
      await api(cast.admin).post('/cost-centers', { code: 'IT-ops', name: 'dup', kind: 'IT' }).expect(409);
      await api(cast.admin)
        .post('/cost-centers', { code: unique('K'), name: 'bad kind', kind: 'SALES' })
        .expect(400);
      const ghost = '0190a5b2-0000-7000-8000-000000000000';
      expect(
        (
          await api(cast.admin)
            .post('/cost-centers', { code: unique('K'), name: 'x', kind: 'OTHER', ownerId: ghost })
            .expect(422)
        ).body.code,
      ).toBe('REFERENCE_NOT_FOUND');
      await api(cast.it).patch(`/cost-centers/${it.body.id}`, { name: 'x', version: 1 }).expect(403);
      await api(cast.admin).patch(`/cost-centers/${it.body.id}`, { name: 'IT run', version: 1 }).expect(200);
      await api(cast.admin).patch(`/cost-centers/${it.body.id}`, { name: 'stale', version: 1 }).expect(409);
      const list = await api(cast.marketer).get('/cost-centers?kind=IT').expect(200);
      expect(list.body.items.map((c: { code: string }) => c.code)).toEqual(['IT-OPS']);
      expect(await auditCount({ entityType: 'CostCenter', entityId: it.body.id })).toBe(2);
    });
  });

  describe('vendors', () => {
    it('are written by MARKETER, CMO, IT, CIO, ADMIN (not FINANCE), unique regardless of case', async () => {
      for (const role of WRITERS)
        await api(cast[role])
          .post('/vendors', { name: unique(`V-${role}`) })
          .expect(201);
      await api(cast.finance)
        .post('/vendors', { name: unique('V') })
        .expect(403);
      const response = await api(cast.it)
        .post('/vendors', { name: 'HubSpot', website: 'https://hubspot.com', soc2: true, dpaSigned: true })
        .expect(201);
      expect(response.body).toMatchObject({ name: 'HubSpot', soc2: true, iso27001: false, dpaSigned: true, version: 1 });
      expect((await api(cast.it).post('/vendors', { name: 'HUBSPOT' }).expect(409)).body.code).toBe('VENDOR_NAME_TAKEN');
      await api(cast.it).post('/vendors', { name: 'Bad', website: 'not a url' }).expect(400);
      await api(cast.finance).patch(`/vendors/${response.body.id}`, { iso27001: true, version: 1 }).expect(403);
      await api(cast.it).patch(`/vendors/${response.body.id}`, { iso27001: true, version: 1 }).expect(200);
      await api(cast.marketer).patch(`/vendors/${response.body.id}`, { notes: 'stale', version: 1 }).expect(409);
      const found = await api(cast.finance).get('/vendors?search=hubs').expect(200);
      expect(found.body.items.map((x: { id: string }) => x.id)).toEqual([response.body.id]);
      expect(await auditCount({ entityType: 'Vendor', entityId: response.body.id })).toBe(2);
    });
  });

  describe('tools', () => {
    it('are registered by MARKETER, CMO, IT, CIO, ADMIN and read by everyone; FINANCE is refused', async () => {
      const vendor = await makeVendor(testApp, cast.it);
      for (const role of WRITERS) {
        const res = await api(cast[role])
          .post('/tools', { name: unique(`Tool-${role}`), vendorId: vendor.id, subcategoryId: crm, budgetOwnerId: cc.id })
          .expect(201);
        expect(res.body).toMatchObject({ lifecycle: 'ACTIVE', createdById: cast[role].id, version: 1 });
        for (const reader of ROLES) await api(cast[reader]).get(`/tools/${res.body.id}`).expect(200);
        expect(await auditCount({ action: 'tool.created', entityId: res.body.id })).toBe(1);
      }
      await api(cast.finance)
        .post('/tools', { name: unique('T'), vendorId: vendor.id, subcategoryId: crm, budgetOwnerId: cc.id })
        .expect(403);
      for (const reader of ROLES) await api(cast[reader]).get('/tools').expect(200);
    });

    it('answers every field, the derived ones and expanded references', async () => {
      const it = await makeCostCenter(testApp, cast.admin, { kind: 'IT' });
      const vendor = await makeVendor(testApp, cast.it, { name: unique('Salesforce') });
      const res = await api(cast.it)
        .post('/tools', {
          name: unique('Sales Cloud'),
          vendorId: vendor.id,
          subcategoryId: crm,
          description: 'The CRM',
          capabilities: ['crm', 'CRM', 'pipeline'],
          lifecycle: 'APPROVED',
          businessOwnerId: cast.cmo.id,
          technicalOwnerId: cast.it.id,
          budgetOwnerId: cc.id,
          allocation: [
            { costCenterId: cc.id, shareBps: 6000 },
            { costCenterId: it.id, shareBps: 4000 },
          ],
          dataClassification: 'PERSONAL',
          ssoEnabled: true,
          hostingRegion: 'EU',
          isSystemOfRecord: true,
          licensedSeats: 50,
          activeUsers: 42,
          website: 'https://salesforce.com',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        vendor: { id: vendor.id, name: vendor.name },
        subcategory: { id: crm, name: 'CRM' },
        category: { name: 'Social & Relationships' },
        capabilities: ['crm', 'pipeline'],
        lifecycle: 'APPROVED',
        shadowIt: false,
        customAllocation: true,
        itApproval: { status: 'NOT_REVIEWED', rationale: null, conditions: null, decidedById: null, decidedAt: null },
        allocation: [
          { costCenterId: cc.id, shareBps: 6000 },
          { costCenterId: it.id, shareBps: 4000 },
        ],
        dataClassification: 'PERSONAL',
        ssoEnabled: true,
        hostingRegion: 'EU',
        isSystemOfRecord: true,
        licensedSeats: 50,
        activeUsers: 42,
        annualCost: { amount: '0.00', currency: 'EUR' },
      });
      expect(res.body.nameKey).toBeUndefined();
      const plain = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
      expect(plain).toMatchObject({ allocation: [{ costCenterId: cc.id, shareBps: 10000 }], customAllocation: false, shadowIt: true });
    });

    it('refuses unknown references with 422 REFERENCE_NOT_FOUND naming the field, and bad allocations', async () => {
      const vendor = await makeVendor(testApp, cast.it);
      const ghost = '0190a5b2-0000-7000-8000-000000000000';
      const base = { name: unique('Ref'), vendorId: vendor.id, subcategoryId: crm, budgetOwnerId: cc.id };
      for (const [field, body] of [
        ['vendorId', { vendorId: ghost }],
        ['subcategoryId', { subcategoryId: ghost }],
        ['budgetOwnerId', { budgetOwnerId: ghost }],
        ['businessOwnerId', { businessOwnerId: ghost }],
        ['technicalOwnerId', { technicalOwnerId: ghost }],
        [
          'allocation.costCenterId',
          {
            allocation: [
              { costCenterId: cc.id, shareBps: 5000 },
              { costCenterId: ghost, shareBps: 5000 },
            ],
          },
        ],
      ] as const) {
        const res = await api(cast.it)
          .post('/tools', { ...base, ...body })
          .expect(422);
        expect(res.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field } });
      }
      const top = (await api(cast.it).get('/categories').expect(200)).body[0].id;
      expect(
        (
          await api(cast.it)
            .post('/tools', { ...base, subcategoryId: top })
            .expect(422)
        ).body.code,
      ).toBe('NOT_A_SUBCATEGORY');
      await api(cast.it)
        .post('/tools', { ...base, allocation: [{ costCenterId: cc.id, shareBps: 9999 }] })
        .expect(400);
      await api(cast.it)
        .post('/tools', { ...base, unknownField: 1 })
        .expect(400);
      expect(await testApp.dataSource.getRepository(Tool).countBy({ nameKey: base.name.toLowerCase() })).toBe(0);
    });

    it('keeps names unique regardless of case', async () => {
      const tool = await makeTool(testApp, cast.cmo, { budgetOwnerId: cc.id });
      const res = await api(cast.cmo)
        .post('/tools', { name: tool.name.toUpperCase(), vendorId: tool.vendorId, subcategoryId: crm, budgetOwnerId: cc.id })
        .expect(409);
      expect(res.body.code).toBe('TOOL_NAME_TAKEN');
      const other = await makeTool(testApp, cast.cmo, { budgetOwnerId: cc.id });
      expect((await api(cast.cmo).patch(`/tools/${other.id}`, { name: tool.name.toLowerCase(), version: 1 }).expect(409)).body.code).toBe(
        'TOOL_NAME_TAKEN',
      );
    });

    it('lets every writer edit business fields; FINANCE is refused', async () => {
      const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
      let version = 1;
      for (const role of WRITERS) {
        const res = await api(cast[role])
          .patch(`/tools/${tool.id}`, { description: `by ${role}`, version })
          .expect(200);
        expect(res.body).toMatchObject({ description: `by ${role}`, version: ++version });
      }
      await api(cast.finance).patch(`/tools/${tool.id}`, { description: 'finance', version }).expect(403);
      expect((await loadTool(tool.id)).description).toBe('by admin');
    });

    it('refuses technical fields to MARKETER and CMO (403, nothing changes, audited) and allows IT, CIO, ADMIN', async () => {
      const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
      for (const role of ['marketer', 'cmo'] as const) {
        for (const body of [{ ssoEnabled: true }, { hostingRegion: 'US' }, { dataClassification: 'SENSITIVE_PERSONAL' }]) {
          const before = await auditCount({ action: 'authz.denied', actorId: cast[role].id });
          const res = await api(cast[role])
            .patch(`/tools/${tool.id}`, { description: 'sneaky', ...body, version: 1 })
            .expect(403);
          expect(res.body.code).toBe('TECHNICAL_FIELDS_FORBIDDEN');
          expect(await auditCount({ action: 'authz.denied', actorId: cast[role].id })).toBe(before + 1);
        }
        const vendor = await makeVendor(testApp, cast[role]);
        await api(cast[role])
          .post('/tools', { name: unique('SSO'), vendorId: vendor.id, subcategoryId: crm, budgetOwnerId: cc.id, ssoEnabled: false })
          .expect(403);
      }
      const unchanged = await loadTool(tool.id);
      expect(unchanged).toMatchObject({
        version: 1,
        description: null,
        ssoEnabled: false,
        hostingRegion: null,
        dataClassification: 'NONE',
      });
      let version = 1;
      for (const role of ['it', 'cio', 'admin'] as const) {
        const res = await api(cast[role])
          .patch(`/tools/${tool.id}`, { ssoEnabled: role !== 'cio', hostingRegion: `EU-${role}`, dataClassification: 'PERSONAL', version })
          .expect(200);
        expect(res.body).toMatchObject({ hostingRegion: `EU-${role}`, dataClassification: 'PERSONAL', version: ++version });
      }
      await api(cast.finance).patch(`/tools/${tool.id}`, { ssoEnabled: true, version }).expect(403);
    });

    it('changes IT approval only through POST /tools/:id/it-approval by the CIO, and keeps shadowIt in sync', async () => {
      const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
      expect(tool.shadowIt).toBe(true);
      for (const role of ['marketer', 'cmo', 'it', 'finance', 'admin'] as const) {
        await api(cast[role]).post(`/tools/${tool.id}/it-approval`, { status: 'APPROVED', rationale: 'ok' }).expect(403);
      }
      await api(cast.it).patch(`/tools/${tool.id}`, { itApprovalStatus: 'APPROVED', version: 1 }).expect(400);
      const cond = await api(cast.cio)
        .post(`/tools/${tool.id}/it-approval`, { status: 'APPROVED_WITH_CONDITIONS', rationale: 'fine' })
        .expect(400);
      expect(cond.body.message).toMatch(/conditions/);
      await api(cast.cio).post(`/tools/${tool.id}/it-approval`, { status: 'APPROVED' }).expect(400);
      const ok = await api(cast.cio)
        .post(`/tools/${tool.id}/it-approval`, {
          status: 'APPROVED_WITH_CONDITIONS',
          rationale: 'fine',
          conditions: 'SSO by Q3',
          version: 1,
        })
        .expect(200);
      expect(ok.body).toMatchObject({
        shadowIt: false,
        version: 2,
        itApproval: { status: 'APPROVED_WITH_CONDITIONS', rationale: 'fine', conditions: 'SSO by Q3', decidedById: cast.cio.id },
      });
      expect(ok.body.itApproval.decidedAt).toBeTruthy();
      await api(cast.cio).post(`/tools/${tool.id}/it-approval`, { status: 'REJECTED', rationale: 'no', version: 1 }).expect(409);
      const rejected = await api(cast.cio)
        .post(`/tools/${tool.id}/it-approval`, { status: 'REJECTED', rationale: 'no', conditions: 'ignored' })
        .expect(200);
      expect(rejected.body).toMatchObject({ shadowIt: true, itApproval: { status: 'REJECTED', conditions: null } });
      expect(await auditCount({ action: 'tool.it_approval_changed', entityId: tool.id })).toBe(2);
      const shadow = await api(cast.finance).get('/tools?shadowIt=true&pageSize=200').expect(200);
      expect(shadow.body.items.map((x: { id: string }) => x.id)).toContain(tool.id);
    });

    it('validates lifecycle moves: a retired tool is never reactivated', async () => {
      const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id, lifecycle: 'PROPOSED' });
      const step = async (lifecycle: string, version: number, status = 200) =>
        api(cast.marketer).patch(`/tools/${tool.id}`, { lifecycle, version }).expect(status);
      await step('APPROVED', 1);
      expect((await step('PROPOSED', 2, 422)).body.code).toBe('LIFECYCLE_TRANSITION');
      await step('ACTIVE', 2);
      expect((await loadTool(tool.id)).shadowIt).toBe(true);
      await step('SUNSETTING', 3);
      expect((await loadTool(tool.id)).shadowIt).toBe(false);
      await step('ACTIVE', 4);
      const retired = await api(cast.cmo).post(`/tools/${tool.id}/retire`, { version: 5 }).expect(200);
      expect(retired.body).toMatchObject({ lifecycle: 'RETIRED', shadowIt: false, version: 6 });
      for (const to of ['ACTIVE', 'APPROVED', 'SUNSETTING', 'PROPOSED'])
        expect((await step(to, 6, 422)).body.code).toBe('LIFECYCLE_TRANSITION');
      await api(cast.finance).post(`/tools/${tool.id}/retire`, { version: 6 }).expect(403);
      expect(await auditCount({ action: 'tool.retired', entityId: tool.id })).toBe(1);
    });

    it('refuses a stale version with 409 and changes nothing', async () => {
      const tool = await makeTool(testApp, cast.it, { budgetOwnerId: cc.id });
      await api(cast.it).patch(`/tools/${tool.id}`, { description: 'first', version: 1 }).expect(200);
      const res = await api(cast.cmo).patch(`/tools/${tool.id}`, { description: 'second', version: 1 }).expect(409);
      expect(res.body.code).toBe('STALE_VERSION');
      await api(cast.cmo).post(`/tools/${tool.id}/retire`, { version: 1 }).expect(409);
      expect(await loadTool(tool.id)).toMatchObject({ description: 'first', version: 2, lifecycle: 'ACTIVE' });
      await api(cast.cmo).patch('/tools/0190a5b2-0000-7000-8000-000000000000', { description: 'x', version: 1 }).expect(404);
      await api(cast.cmo).get('/tools/0190a5b2-0000-7000-8000-000000000000').expect(404);
      await api(cast.cmo).patch(`/tools/${tool.id}`, { description: 'no version' }).expect(400);
    });

    it('shows its audit history', async () => {
      const tool = await makeTool(testApp, cast.it, { budgetOwnerId: cc.id });
      await api(cast.it).patch(`/tools/${tool.id}`, { licensedSeats: 10, version: 1 }).expect(200);
      await api(cast.cio).post(`/tools/${tool.id}/it-approval`, { status: 'APPROVED', rationale: 'ok' }).expect(200);
      const res = await api(cast.finance).get(`/tools/${tool.id}/history`).expect(200);
      expect(res.body.items.map((e: { action: string }) => e.action)).toEqual(['tool.it_approval_changed', 'tool.updated', 'tool.created']);
      expect(res.body.items[1].changes.licensedSeats).toEqual({ before: null, after: 10 });
      expect(res.body.total).toBe(3);
    });

    it('lists with filters, search, sorting and paging', async () => {
      const marketing = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
      const email = await subcategoryId(testApp, 'Email Marketing', cast.it);
      const cdp = await subcategoryId(testApp, 'Customer Data Platform', cast.it);
      const vendor = await makeVendor(testApp, cast.it, { name: unique('Zeta Vendor') });
      const tag = unique('zz');
      const alpha = await makeTool(testApp, cast.it, {
        name: `${tag} Alpha`,
        budgetOwnerId: marketing.id,
        subcategoryId: email,
        businessOwnerId: cast.cmo.id,
        dataClassification: 'PERSONAL',
      });
      const beta = await makeTool(testApp, cast.it, {
        name: `${tag} Beta`,
        budgetOwnerId: marketing.id,
        subcategoryId: cdp,
        vendorId: vendor.id,
        lifecycle: 'PROPOSED',
      });
      const other = await makeTool(testApp, cast.it, {
        name: unique('Other'),
        budgetOwnerId: marketing.id,
        subcategoryId: cdp,
        description: `mentions ${tag} here`,
      });
      const ids = async (q: string) =>
        (await api(cast.finance).get(`/tools?budgetOwnerId=${marketing.id}&${q}`).expect(200)).body.items.map((x: { id: string }) => x.id);
      expect(await ids(`search=${tag}&sort=name`)).toEqual(
        [other.id, alpha.id, beta.id].sort((x, y) =>
          [alpha, beta, other]
            .find((t1) => t1.id === x)!
            .name.toLowerCase()
            .localeCompare([alpha, beta, other].find((t1) => t1.id === y)!.name.toLowerCase()),
        ),
      );
      expect(await ids(`search=${encodeURIComponent(vendor.name.slice(0, 12).toUpperCase())}`)).toEqual([beta.id]);
      expect(await ids(`subcategoryId=${cdp}&sort=name`)).toEqual(expect.arrayContaining([beta.id, other.id]));
      expect(await ids(`categoryId=${alpha.categoryId}`)).toEqual([alpha.id]);
      expect(await ids('lifecycle=PROPOSED')).toEqual([beta.id]);
      expect(await ids(`businessOwnerId=${cast.cmo.id}`)).toEqual([alpha.id]);
      expect(await ids('dataClassification=PERSONAL')).toEqual([alpha.id]);
      expect(await ids('itApproval=NOT_REVIEWED&shadowIt=true&sort=-name')).toEqual(
        [other, alpha].sort((x, y) => y.name.toLowerCase().localeCompare(x.name.toLowerCase())).map((x) => x.id),
      );
      const page = await api(cast.finance).get(`/tools?budgetOwnerId=${marketing.id}&pageSize=2&page=2&sort=createdAt`).expect(200);
      expect(page.body).toMatchObject({ page: 2, pageSize: 2, total: 3, items: [{ id: other.id }] });
      await api(cast.finance).get('/tools?sort=password').expect(400);
      await api(cast.finance).get('/tools?shadowIt=maybe').expect(400);
      await api(cast.finance).get('/tools?color=red').expect(400);
      const pct = await api(cast.finance).get('/tools?search=%25').expect(200);
      expect(pct.body.total).toBe(0);
    });

    it('documents the routes in OpenAPI with who may call them', async () => {
      const doc = (await testApp.http().get('/api/docs-json').expect(200)).body;
      expect(doc.paths['/api/v1/tools/{id}/it-approval'].post.description).toMatch(/CIO/);
      expect(doc.paths['/api/v1/tools'].get.summary).toBeTruthy();
      expect(doc.components.schemas.CreateToolDto.required).toEqual(
        expect.arrayContaining(['name', 'vendorId', 'subcategoryId', 'budgetOwnerId']),
      );
    });
  });

  it('requires a token for every catalog route', async () => {
    for (const path of ['/tools', '/vendors', '/categories', '/cost-centers', '/integrations', '/stack-map'])
      await testApp.http().get(`/api/v1${path}`).expect(401);
    expect(Role.ADMIN).toBe('ADMIN');
  });
});
