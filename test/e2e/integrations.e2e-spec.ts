import { AuditEvent } from '@stackgate/audit';
import { CatalogQueries, Tool } from '@stackgate/catalog';
import { Integration, StackMapService } from '@stackgate/integrations';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

type Cast = Awaited<ReturnType<typeof makeCast>>;
const WRITERS = ['marketer', 'cmo', 'it', 'cio', 'admin'] as const;
const ROLES = [...WRITERS, 'finance'] as const;

describe('Integrations and the stack map', () => {
  let testApp: TestApp;
  let cast: Cast;
  let cc: { id: string };

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    cc = await makeCostCenter(testApp, cast.admin);
  });
  afterAll(async () => testApp?.close());

  const api = (u: TestUser) => ({
    get: (p: string) => testApp.http().get(`/api/v1${p}`).set(u.auth),
    post: (p: string, b: object) => testApp.http().post(`/api/v1${p}`).set(u.auth).send(b),
    patch: (p: string, b: object) => testApp.http().patch(`/api/v1${p}`).set(u.auth).send(b),
  });
  const tool = (opts: Record<string, unknown> = {}) => makeTool(testApp, cast.it, { budgetOwnerId: cc.id, ...opts });
  const flow = (source: string, target: string, extra: Record<string, unknown> = {}) => ({
    sourceToolId: source,
    targetToolId: target,
    dataObjects: ['contacts', 'leads'],
    method: 'API',
    frequency: 'DAILY',
    ...extra,
  });
  const auditCount = (where: Partial<AuditEvent>) => testApp.dataSource.getRepository(AuditEvent).countBy(where as never);

  it('are created, edited and retired by MARKETER, CMO, IT, CIO, ADMIN and read by all; FINANCE is refused', async () => {
    const [source, target] = [await tool(), await tool()];
    await api(cast.finance).post('/integrations', flow(source.id, target.id)).expect(403);
    const methods = ['NATIVE', 'API', 'IPAAS', 'FILE', 'MANUAL'];
    for (const [index, role] of WRITERS.entries()) {
      const created = await api(cast[role])
        .post('/integrations', flow(source.id, target.id, { method: methods[index], carriesPersonalData: true, ownerId: cast[role].id }))
        .expect(201);
      expect(created.body).toMatchObject({
        sourceTool: { id: source.id, name: source.name },
        targetTool: { id: target.id, name: target.name },
        method: methods[index],
        status: 'ACTIVE',
        carriesPersonalData: true,
        dataObjects: ['contacts', 'leads'],
        version: 1,
      });
      expect(created.body.liveKey).toBeUndefined();
      for (const reader of ROLES) await api(cast[reader]).get(`/integrations/${created.body.id}`).expect(200);
      await api(cast.finance).patch(`/integrations/${created.body.id}`, { frequency: 'HOURLY', version: 1 }).expect(403);
      const edited = await api(cast[role]).patch(`/integrations/${created.body.id}`, { frequency: 'HOURLY', version: 1 }).expect(200);
      expect(edited.body).toMatchObject({ frequency: 'HOURLY', version: 2 });
      await api(cast[role]).patch(`/integrations/${created.body.id}`, { frequency: 'WEEKLY', version: 1 }).expect(409);
      await api(cast.finance).post(`/integrations/${created.body.id}/retire`, { version: 2 }).expect(403);
      const retired = await api(cast[role]).post(`/integrations/${created.body.id}/retire`, { version: 2 }).expect(200);
      expect(retired.body).toMatchObject({ status: 'RETIRED', version: 3 });
      expect(await auditCount({ entityType: 'Integration', entityId: created.body.id })).toBe(3);
    }
    for (const reader of ROLES) await api(cast[reader]).get('/integrations').expect(200);
  });

  it('refuses the same tool at both ends, unknown tools and retired tools', async () => {
    const only = await tool();
    expect((await api(cast.marketer).post('/integrations', flow(only.id, only.id)).expect(422)).body.code).toBe('SAME_TOOL');
    const ghost = '0190a5b2-0000-7000-8000-000000000000';
    const r1 = await api(cast.marketer).post('/integrations', flow(only.id, ghost)).expect(422);
    expect(r1.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'targetToolId' } });
    const r2 = await api(cast.marketer).post('/integrations', flow(ghost, only.id)).expect(422);
    expect(r2.body).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'sourceToolId' } });
    const old = await tool();
    await api(cast.it).post(`/tools/${old.id}/retire`, { version: 1 }).expect(200);
    expect((await api(cast.marketer).post('/integrations', flow(only.id, old.id)).expect(422)).body.code).toBe('TOOL_RETIRED');
    await api(cast.marketer)
      .post('/integrations', flow(only.id, only.id, { method: 'TELEPATHY' }))
      .expect(400);
    await api(cast.marketer)
      .post('/integrations', { ...flow(only.id, old.id), liveKey: 'x' })
      .expect(400);
  });

  it('keeps one live flow per (source, target, method)', async () => {
    const [source, target] = [await tool(), await tool()];
    const first = await api(cast.it)
      .post('/integrations', flow(source.id, target.id, { status: 'PLANNED' }))
      .expect(201);
    expect((await api(cast.it).post('/integrations', flow(source.id, target.id)).expect(409)).body.code).toBe('DUPLICATE_INTEGRATION');
    await api(cast.it).post('/integrations', flow(target.id, source.id)).expect(201); // the other direction
    const file = await api(cast.it)
      .post('/integrations', flow(source.id, target.id, { method: 'FILE' }))
      .expect(201);
    // Changing the method onto an existing live flow is a duplicate too.
    expect((await api(cast.it).patch(`/integrations/${file.body.id}`, { method: 'API', version: 1 }).expect(409)).body.code).toBe(
      'DUPLICATE_INTEGRATION',
    );
    await api(cast.it).post(`/integrations/${first.body.id}/retire`, { version: 1 }).expect(200);
    const again = await api(cast.it).post('/integrations', flow(source.id, target.id)).expect(201);
    // Reviving the retired one would collide with the new live flow.
    expect((await api(cast.it).patch(`/integrations/${first.body.id}`, { status: 'ACTIVE', version: 2 }).expect(409)).body.code).toBe(
      'DUPLICATE_INTEGRATION',
    );
    expect(
      await testApp.dataSource
        .getRepository(Integration)
        .countBy({ sourceToolId: source.id, targetToolId: target.id, method: 'API' as never }),
    ).toBe(2);
    expect(again.body.status).toBe('ACTIVE');
  });

  it('filters by tool at either end, status and personal data', async () => {
    const [first, second, third] = [await tool(), await tool(), await tool()];
    const ab = (
      await api(cast.it)
        .post('/integrations', flow(first.id, second.id, { carriesPersonalData: true }))
        .expect(201)
    ).body;
    const ca = (
      await api(cast.it)
        .post('/integrations', flow(third.id, first.id, { status: 'BROKEN' }))
        .expect(201)
    ).body;
    const bc = (
      await api(cast.it)
        .post('/integrations', flow(second.id, third.id, { status: 'PLANNED' }))
        .expect(201)
    ).body;
    const ids = async (q: string) =>
      (await api(cast.finance).get(`/integrations?${q}&pageSize=200`).expect(200)).body.items.map((i: { id: string }) => i.id).sort();
    expect(await ids(`toolId=${first.id}`)).toEqual([ab.id, ca.id].sort());
    expect(await ids(`toolId=${first.id}&status=BROKEN`)).toEqual([ca.id]);
    expect(await ids(`toolId=${second.id}&carriesPersonalData=true`)).toEqual([ab.id]);
    expect(await ids(`toolId=${third.id}&carriesPersonalData=false`)).toEqual([bc.id, ca.id].sort());
    await api(cast.finance).get('/integrations?sort=liveKey').expect(400);
  });

  it('refuses to retire a tool with live integrations unless asked to retire them too, in one transaction', async () => {
    const [first, second, third] = [await tool(), await tool(), await tool()];
    const ab = (await api(cast.it).post('/integrations', flow(first.id, second.id)).expect(201)).body;
    const ca = (
      await api(cast.it)
        .post('/integrations', flow(third.id, first.id, { status: 'PLANNED' }))
        .expect(201)
    ).body;
    const bc = (await api(cast.it).post('/integrations', flow(second.id, third.id)).expect(201)).body;
    const refused = await api(cast.cmo).post(`/tools/${first.id}/retire`, { version: 1 }).expect(422);
    expect(refused.body.code).toBe('TOOL_HAS_LIVE_INTEGRATIONS');
    expect(refused.body.details.dependencies.map((d: { id: string }) => d.id).sort()).toEqual([ab.id, ca.id].sort());
    const viaPatch = await api(cast.cmo).patch(`/tools/${first.id}`, { lifecycle: 'RETIRED', version: 1 }).expect(422);
    expect(viaPatch.body.code).toBe('TOOL_HAS_LIVE_INTEGRATIONS');
    expect((await testApp.dataSource.getRepository(Tool).findOneByOrFail({ id: first.id })).lifecycle).toBe('ACTIVE');

    // A stale version rolls the cascade back too.
    await api(cast.cmo).post(`/tools/${first.id}/retire`, { version: 9, retireIntegrations: true }).expect(409);
    expect((await api(cast.cmo).get(`/integrations/${ab.id}`).expect(200)).body.status).toBe('ACTIVE');

    const done = await api(cast.cmo).post(`/tools/${first.id}/retire`, { version: 1, retireIntegrations: true }).expect(200);
    expect(done.body.lifecycle).toBe('RETIRED');
    expect((await api(cast.cmo).get(`/integrations/${ab.id}`).expect(200)).body.status).toBe('RETIRED');
    expect((await api(cast.cmo).get(`/integrations/${ca.id}`).expect(200)).body.status).toBe('RETIRED');
    expect((await api(cast.cmo).get(`/integrations/${bc.id}`).expect(200)).body.status).toBe('ACTIVE');
    expect(await auditCount({ action: 'integration.retired', entityId: ab.id })).toBe(1);
    expect(await auditCount({ action: 'tool.retired', entityId: first.id })).toBe(1);
  });

  describe('stack map', () => {
    it('answers nodes and edges with their flags; retired ones only on request; marks silos', async () => {
      const map0 = (await api(cast.finance).get('/stack-map').expect(200)).body;
      const crm = await subcategoryId(testApp, 'CRM', cast.it);
      const cdp = await subcategoryId(testApp, 'Customer Data Platform', cast.it);
      const core = await tool({ subcategoryId: crm, isSystemOfRecord: true });
      const hub = await tool({ subcategoryId: cdp });
      const lonely = await tool({ lifecycle: 'PROPOSED' });
      const silo = await tool();
      const gone = await tool();
      await api(cast.cio).post(`/tools/${core.id}/it-approval`, { status: 'APPROVED', rationale: 'ok' }).expect(200);
      const e1 = (
        await api(cast.it)
          .post('/integrations', flow(core.id, hub.id, { carriesPersonalData: true }))
          .expect(201)
      ).body;
      const e2 = (
        await api(cast.it)
          .post('/integrations', flow(hub.id, silo.id, { status: 'PLANNED' }))
          .expect(201)
      ).body;
      const e3 = (await api(cast.it).post('/integrations', flow(hub.id, gone.id)).expect(201)).body;
      await api(cast.it).post(`/tools/${gone.id}/retire`, { version: 1, retireIntegrations: true }).expect(200);

      for (const role of ROLES) await api(cast[role]).get('/stack-map').expect(200);
      const map = (await api(cast.marketer).get('/stack-map').expect(200)).body;
      const node = (id: string) => map.nodes.find((n: { id: string }) => n.id === id);
      expect(map.nodes).toHaveLength(map0.nodes.length + 4);
      expect(node(gone.id)).toBeUndefined();
      expect(node(core.id)).toEqual({
        id: core.id,
        name: core.name,
        categoryId: core.categoryId,
        categoryName: 'Social & Relationships',
        subcategoryId: crm,
        subcategoryName: 'CRM',
        lifecycle: 'ACTIVE',
        itApproval: 'APPROVED',
        shadowIt: false,
        isSystemOfRecord: true,
        silo: false,
      });
      expect(node(hub.id)).toMatchObject({ categoryName: 'Data', subcategoryName: 'Customer Data Platform', shadowIt: true, silo: false });
      expect(node(silo.id)).toMatchObject({ silo: true, shadowIt: true }); // only a PLANNED flow
      expect(node(lonely.id)).toMatchObject({ silo: false, lifecycle: 'PROPOSED' }); // not active: not a silo
      const edgeIds = map.edges.map((e: { id: string }) => e.id);
      expect(edgeIds).toEqual(expect.arrayContaining([e1.id, e2.id]));
      expect(edgeIds).not.toContain(e3.id);
      expect(map.edges.find((e: { id: string }) => e.id === e1.id)).toEqual({
        id: e1.id,
        sourceToolId: core.id,
        targetToolId: hub.id,
        method: 'API',
        status: 'ACTIVE',
        carriesPersonalData: true,
      });
      expect(map.categories.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['Social & Relationships', 'Data']));

      const all = (await api(cast.marketer).get('/stack-map?includeRetired=true').expect(200)).body;
      expect(all.nodes.find((n: { id: string }) => n.id === gone.id)).toMatchObject({ lifecycle: 'RETIRED', silo: false });
      expect(all.edges.find((e: { id: string }) => e.id === e3.id)).toMatchObject({ status: 'RETIRED' });
      await api(cast.marketer).get('/stack-map?includeRetired=yes').expect(400);
    });

    it('answers in two queries whatever the size of the stack', async () => {
      const queries: string[] = [];
      // Count the SELECTs on tools/integrations by wrapping the driver's query runner.
      const qrProto = Object.getPrototypeOf(testApp.dataSource.createQueryRunner());
      const query = qrProto.query;
      qrProto.query = function (sql: string, ...rest: unknown[]) {
        if (/^\s*SELECT/i.test(sql) && /FROM [`"]?(tools|integrations)/i.test(sql)) queries.push(sql);
        return query.call(this, sql, ...rest);
      };
      try {
        await api(cast.finance).get('/stack-map').expect(200);
      } finally {
        qrProto.query = query;
      }
      expect(queries).toHaveLength(2);
    });

    it('callers asking at once share builds, and each sees what was committed before it asked', async () => {
      const catalog = testApp.app.get(CatalogQueries);
      const stackMap = testApp.app.get(StackMapService);
      const readTools = catalog.stackMapTools.bind(catalog);
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      // Every build waits at the gate; the gate opens once all seven callers have reached the service.
      const reads = jest.spyOn(catalog, 'stackMapTools').mockImplementation(async (includeRetired) => {
        await gate;
        return readTools(includeRetired);
      });
      const respond = jest.spyOn(stackMap, 'respond');
      try {
        const first = api(cast.finance)
          .get('/stack-map')
          .then((res) => res);
        while (respond.mock.calls.length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
        // Committed while the first build waits: the callers asking after it wait for the next build, which starts
        // after them, so each of them sees it.
        const added = await tool();
        const later = Promise.all(
          Array.from({ length: 6 }, () =>
            api(cast.finance)
              .get('/stack-map')
              .then((res) => res),
          ),
        );
        while (respond.mock.calls.length < 7) await new Promise((resolve) => setTimeout(resolve, 5));
        open();
        const answers = await later;
        expect((await first).status).toBe(200);
        for (const res of answers) {
          expect(res.status).toBe(200);
          expect(res.body.nodes.map((node: { id: string }) => node.id)).toContain(added.id);
        }
        expect(new Set(answers.map((res) => res.text)).size).toBe(1);
        expect(answers[0].text).toBe(JSON.stringify(answers[0].body));
        // One build for the first caller, one shared by the six.
        expect(reads).toHaveBeenCalledTimes(2);
      } finally {
        reads.mockRestore();
        respond.mockRestore();
      }
    });
  });
});
