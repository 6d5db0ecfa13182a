import fc from 'fast-check';
import request from 'supertest';
import { IsNull, Not } from 'typeorm';
import { AuditEvent, hashEvent } from '@stackgate/audit';
import { CostCenterKind } from '@stackgate/catalog';
import { totalsDrift } from '@stackgate/finance';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { makeCostCenter, makeIntegration, makeTool, makeVendor, money } from '../support/finance-factories';
import { makeRequest, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { PERMISSION_MATRIX } from '../security/permission-matrix';
import { FuzzRequest, IdPools, requestArb } from '../security/openapi-arbitraries';
import { docOperations, DocOperation, jsonSuccessSchema, OpenApiDoc, schemaProblems } from '../security/openapi';

/*
 * Fuzzing from the OpenAPI spec: for every documented operation, as every role, without a token
 * and with a garbage one, schema-valid and mutated requests (fast-check, fixed seed). The API
 * must never answer 5xx; every 4xx is the error JSON; a role the permission matrix refuses never
 * gets a 2xx (403, or 401 without a valid token); a schema-invalid body or query never gets a 2xx;
 * a refused write changes no row; the audit hash chains stay intact.
 *
 * FUZZ_RUNS (default 2000) and FUZZ_SEED reproduce or extend a run: the seed is printed, and every
 * failure lists the request that caused it.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** FUZZ_OPS (a regular expression over "METHOD /path") focuses a local run on some operations. */
const ONLY = process.env.FUZZ_OPS ? new RegExp(process.env.FUZZ_OPS) : undefined;

type Principal = Role | 'NO_TOKEN' | 'GARBAGE_TOKEN';
const PRINCIPALS: Principal[] = [...Object.values(Role), 'NO_TOKEN', 'GARBAGE_TOKEN'];

describe('Fuzzing every operation of the OpenAPI spec', () => {
  let testApp: TestApp;
  let doc: OpenApiDoc;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let pools: Record<string, string[]>;
  let baseUrl: string;
  let tables: { table: string; version: string | null; updatedAt: string | null }[];

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR', LOGIN_MAX_FAILURES: '1000' });
    cast = await makeCast(testApp);
    doc = (await testApp.http().get('/api/docs-json').expect(200)).body;
    // One listening socket for the whole run (supertest would otherwise bind a new port per request).
    await testApp.app.listen(0, '127.0.0.1');
    baseUrl = (await testApp.app.getUrl()).replace('[::1]', '127.0.0.1');

    // A small dataset, so that schema-valid requests reach real records some of the time.
    const victims = [await makeUser(testApp, [Role.MARKETER]), await makeUser(testApp, [Role.IT])];
    const ccs = [
      await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING }),
      await makeCostCenter(testApp, { kind: CostCenterKind.IT }),
    ];
    const vendors = [await makeVendor(testApp), await makeVendor(testApp, { dpaSigned: false })];
    const tools = [
      await makeTool(testApp, { vendor: vendors[0], subcategory: 'Email Marketing', budgetOwner: ccs[0] }),
      await makeTool(testApp, { vendor: vendors[0], subcategory: 'CRM', budgetOwner: ccs[1], isSystemOfRecord: true }),
      await makeTool(testApp, { vendor: vendors[1], subcategory: 'CRM', budgetOwner: ccs[0] }),
    ];
    const integration = await makeIntegration(testApp, tools[0], tools[1]);
    const asFinance = async (path: string, body: object) => {
      const res = await testApp.http().post(`/api/v1/${path}`).set(cast.finance.auth).send(body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    const contract = await asFinance('contracts', {
      toolId: tools[0].id,
      startDate: '2026-01-01',
      termMonths: 12,
      billing: 'MONTHLY',
      amount: money('100.00'),
    });
    const spend = await asFinance('spend-entries', {
      toolId: tools[0].id,
      date: '2026-02-03',
      costType: 'LICENSE',
      amount: money('50.00'),
    });
    const budget = await asFinance('budgets', { costCenterId: ccs[0].id, fiscalYear: 2026, amount: money('10000.00') });
    const rate = await asFinance('fx-rates', { currency: 'USD', month: '2026-01', rate: '0.92' });
    const categories = (await testApp.http().get('/api/v1/categories').set(cast.cmo.auth).expect(200)).body as {
      id: string;
      subcategories: { id: string }[];
    }[];
    const subIds = categories.flatMap((c) => c.subcategories.map((s) => s.id));
    const setup = { costCenterId: ccs[0].id, subcategoryId: subIds[0], targetToolId: tools[1].id };
    const drafts = [(await makeRequest(testApp, cast.marketer, setup)).id, (await makeRequest(testApp, cast.cmo, setup)).id];
    const inReview = (await submit(testApp, cast.marketer, (await makeRequest(testApp, cast.marketer, setup)).id)).id as string;
    const inbox = (await testApp.http().get('/api/v1/notifications').set(cast.cmo.auth).expect(200)).body.items as { id: string }[];

    const users = Object.values(cast).map((u) => u.id);
    pools = {
      costCenterId: ccs.map((c) => c.id),
      'cost-centers': ccs.map((c) => c.id),
      vendorId: vendors.map((v) => v.id),
      vendors: vendors.map((v) => v.id),
      subcategoryId: subIds,
      categoryId: categories.map((c) => c.id),
      parentId: categories.map((c) => c.id),
      categories: [...subIds.slice(0, 3), categories[0].id],
      toolId: tools.map((x) => x.id),
      sourceToolId: tools.map((x) => x.id),
      targetToolId: tools.map((x) => x.id),
      tools: tools.map((x) => x.id),
      integrations: [integration.id],
      contractId: [contract],
      contracts: [contract],
      'spend-entries': [spend],
      budgets: [budget],
      'fx-rates': [rate],
      requests: [...drafts, inReview],
      notifications: inbox.map((n) => n.id),
      // References to people are harmless; /users/:id only ever targets the two victims, so the
      // fuzzer cannot change the roles or tokens of the users it signs in as.
      ownerId: users,
      businessOwnerId: users,
      technicalOwnerId: users,
      actorId: users,
      users: victims.map((v) => v.id),
    };
    pools.budgetOwnerId = pools.costCenterId;
    // Logins with real e-mails (and, some of the time, the right password) succeed without revoking anything.
    pools.email = Object.values(cast).map((u) => u.email);
    pools.entityId = [...pools.tools, ...pools.requests, ...users];

    // Tables whose rows a refused write must not touch (audit events and login throttling are written by refusals on purpose).
    tables = testApp.dataSource.entityMetadatas
      .filter((m) => !/Audit|Throttle|Lease/.test(m.name))
      .map((m) => ({
        table: m.tableName,
        version: m.findColumnWithPropertyName('version')?.databaseName ?? null,
        updatedAt: m.findColumnWithPropertyName('updatedAt')?.databaseName ?? null,
      }));
  });
  afterAll(async () => testApp?.close());

  const ids: IdPools = { forName: (name) => pools[name] ?? [] };

  /** Row count, newest update and version sum of every business table: any write moves one of them. */
  async function fingerprint(): Promise<string> {
    const quote = (c: string) => testApp.dataSource.driver.escape(c);
    const sql = tables
      .map(({ table, version, updatedAt }) => {
        const newest = updatedAt ? `MAX(${quote(updatedAt)})` : 'NULL';
        const versions = version ? `SUM(${quote(version)})` : 'NULL';
        return `SELECT '${table}' AS t, COUNT(*) AS n, ${newest} AS u, ${versions} AS v FROM ${quote(table)}`;
      })
      .join(' UNION ALL ');
    const rows = await testApp.dataSource.query<{ t: string; n: unknown; u: unknown; v: unknown }[]>(sql);
    return JSON.stringify(rows.map((r) => [r.t, String(r.n), r.u instanceof Date ? r.u.toISOString() : String(r.u), String(r.v)]));
  }

  const GARBAGE = [
    'Bearer garbage',
    'Bearer ',
    'Basic YWRtaW46YWRtaW4=',
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
    'bearer x.y.z',
    'Bearer ' + 'A'.repeat(5000),
  ];

  function authFor(principal: Principal, attempt: number): string | undefined {
    if (principal === 'NO_TOKEN') return undefined;
    if (principal === 'GARBAGE_TOKEN') {
      const tampered = `Bearer ${cast.admin.token.slice(0, -6)}AAAAAA`;
      return [...GARBAGE, tampered][attempt % (GARBAGE.length + 1)];
    }
    const users: Record<Role, TestUser> = {
      MARKETER: cast.marketer,
      CMO: cast.cmo,
      IT: cast.it,
      CIO: cast.cio,
      FINANCE: cast.finance,
      ADMIN: cast.admin,
    };
    return users[principal].auth.Authorization;
  }

  async function send(fuzzRequest: FuzzRequest, auth: string | undefined) {
    const method = fuzzRequest.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put';
    const req = request(baseUrl)[method](fuzzRequest.url);
    if (auth !== undefined) req.set('Authorization', auth);
    if (fuzzRequest.accept !== undefined) req.set('Accept', fuzzRequest.accept);
    if (fuzzRequest.multipart) {
      for (const [name, value] of Object.entries(fuzzRequest.multipart.fields)) req.field(name, value);
      if (fuzzRequest.multipart.file) req.attach('file', fuzzRequest.multipart.file.content, fuzzRequest.multipart.file.name);
      return req;
    }
    if (fuzzRequest.rawBody !== undefined) return req.set('Content-Type', 'application/json').send(fuzzRequest.rawBody);
    if (fuzzRequest.body !== undefined)
      return req.set('Content-Type', fuzzRequest.contentType ?? 'application/json').send(JSON.stringify(fuzzRequest.body));
    return req;
  }

  it(`answers ${RUNS}+ generated requests without a 5xx, with the error JSON, and without a write that should be refused`, async () => {
    console.log(`fuzz: seed ${SEED}, ${RUNS} runs (FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} reproduce this run)`);
    const all = docOperations(doc);
    expect(all.length).toBeGreaterThan(50);
    const ops = ONLY ? all.filter((o) => ONLY.test(`${o.method} ${o.routePath}`)) : all;
    const perOp = Math.ceil(RUNS / ops.length);
    // Per operation, a fixed-seed sample; run round by round so that operations interleave.
    const samples: { o: DocOperation; reqs: FuzzRequest[] }[] = ops.map((o, i) => ({
      o,
      reqs: fc.sample(requestArb(doc, o, ids), { seed: SEED + i * 7919, numRuns: perOp }),
    }));

    const failures: string[] = [];
    const seen = { total: 0, status: new Map<number, number>(), bodyInvalid: 0, refused: 0, success: 0, writes: 0 };
    const cells = new Set<string>();
    const timing = { http: 0, fingerprint: 0 };
    const slow: [number, string][] = [];
    const succeeded = new Set<string>();
    const rejectedValid: string[] = [];
    let before = await fingerprint();
    for (let round = 0; round < perOp; round++) {
      for (const [oi, { o: operation, reqs }] of samples.entries()) {
        const sample = reqs[round];
        const key = `${operation.method} ${operation.routePath}`;
        const access = PERMISSION_MATRIX[key];
        if (!access) throw new Error(`${key} is documented but not in the permission matrix`);
        // Even rounds walk every principal (each cell is hit); odd rounds go to a caller the matrix
        // allows, so that the mutated bodies reach validation and the services.
        const allowed: Principal[] = access === 'PUBLIC' ? PRINCIPALS : access === 'ANY' ? Object.values(Role) : [...access];
        let principal =
          round % 2 === 0 ? PRINCIPALS[(round / 2 + oi) % PRINCIPALS.length] : allowed[((round - 1) / 2 + oi) % allowed.length];
        // Logging out revokes the token every later request needs: only without a valid token.
        if (key === 'POST /api/v1/auth/logout' && principal !== 'NO_TOKEN') principal = 'GARBAGE_TOKEN';
        const started = Date.now();
        const res = await send(sample, authFor(principal, round));
        timing.http += Date.now() - started;
        if (process.env.FUZZ_PROFILE)
          slow.push([
            Date.now() - started,
            `${principal} ${sample.method} ${operation.routePath} ${sample.variant.slice(0, 60)} ${res.status}`,
          ]);
        seen.total++;
        cells.add(`${key} ${principal}`);
        seen.status.set(res.status, (seen.status.get(res.status) ?? 0) + 1);
        const problems: string[] = [];
        if (res.status >= 500) problems.push('5xx');
        if (res.status >= 400) {
          const body = res.body as Record<string, unknown>;
          if (!String(res.headers['content-type']).startsWith('application/json'))
            problems.push(`error content-type ${res.headers['content-type']}`);
          if (
            body?.statusCode !== res.status ||
            typeof body?.error !== 'string' ||
            typeof body?.message !== 'string' ||
            typeof body?.requestId !== 'string' ||
            !body.requestId
          )
            problems.push('error JSON shape');
          if (
            /\bat [\w.<>]+ \(|\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|\bUPDATE `?\w+`? SET\b|SQLITE_[A-Z]+|\bER_[A-Z_]+\b/.test(
              JSON.stringify(body),
            )
          )
            problems.push('error leaks a stack or SQL');
        }
        const ok = res.status >= 200 && res.status < 300;
        // The body is parsed before authentication: broken JSON, an unsupported charset or an oversized body is refused as such, never accepted.
        const unparsed = (res.status === 400 && res.body?.code === 'MALFORMED_JSON') || res.status === 413 || res.status === 415;
        if (access !== 'PUBLIC' && (principal === 'NO_TOKEN' || principal === 'GARBAGE_TOKEN')) {
          seen.refused++;
          if (res.status !== 401 && !unparsed) problems.push('expected 401 without a valid token');
        } else if (access !== 'PUBLIC' && access !== 'ANY' && !access.includes(principal as Role)) {
          seen.refused++;
          if (res.status !== 403 && !unparsed) problems.push(`expected 403 for ${principal}`);
        } else {
          if (sample.bodyInvalid) seen.bodyInvalid++;
          if (ok && sample.bodyInvalid) problems.push('schema-invalid body accepted');
          if (ok && sample.queryInvalid) problems.push('invalid query accepted');
        }
        if (ok) {
          seen.success++;
          succeeded.add(key);
          const schema = jsonSuccessSchema(operation.op, res.status);
          if (schema && String(res.headers['content-type']).startsWith('application/json')) {
            problems.push(
              ...schemaProblems(doc, schema, res.body)
                .slice(0, 3)
                .map((p) => `response breaks its schema: ${p}`),
            );
          }
        }
        if (process.env.FUZZ_PROFILE && !ok && sample.variant === 'valid body; valid query' && res.status !== 401 && res.status !== 403) {
          rejectedValid.push(`${key} ${res.status} ${JSON.stringify(res.body?.message).slice(0, 160)}`);
        }
        if (operation.method !== 'GET') {
          seen.writes++;
          const fpStarted = Date.now();
          const after = await fingerprint();
          timing.fingerprint += Date.now() - fpStarted;
          if (res.status >= 400 && after !== before) problems.push('a refused write changed rows');
          before = after;
        }
        if (problems.length && failures.length < 40) {
          const body = sample.rawBody ?? (sample.body === undefined ? '' : JSON.stringify(sample.body));
          failures.push(
            `#${seen.total} ${problems.join(', ')}: ${principal} ${sample.method} ${sample.url.slice(0, 200)} [${sample.variant}] ` +
              `body=${body.slice(0, 300)} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
          );
        }
      }
    }
    console.log(
      `fuzz: ${seen.total} requests, ${cells.size} operation × principal cells, ${seen.success} 2xx, ${seen.refused} ` +
        `refused by role/token, ${seen.bodyInvalid} schema-invalid bodies from allowed callers, ${seen.writes} ` +
        `writes (${timing.http} ms HTTP, ${timing.fingerprint} ms row checks); ` +
        `statuses ${JSON.stringify(Object.fromEntries([...seen.status].sort((a, b) => a[0] - b[0])))}`,
    );
    console.log(
      `fuzz: operations never answered 2xx: ${
        ops
          .map((o) => `${o.method} ${o.routePath}`)
          .filter((k) => !succeeded.has(k))
          .join(', ') || 'none'
      }`,
    );
    if (process.env.FUZZ_PROFILE) console.log([...new Set(rejectedValid)].sort().join('\n'));
    if (process.env.FUZZ_PROFILE)
      console.log(
        slow
          .sort((a, b) => b[0] - a[0])
          .slice(0, 25)
          .map((x) => x.join(' '))
          .join('\n'),
      );
    expect(failures).toEqual([]);
    expect(seen.total).toBeGreaterThanOrEqual(RUNS);
    const logout = ops.some((o) => o.routePath === '/api/v1/auth/logout') ? 6 : 0; // logout with a real token is never sent
    if (perOp >= 2 * PRINCIPALS.length) expect(cells.size).toBe(ops.length * PRINCIPALS.length - logout);
    // The run exercised all kinds of answers, not only refusals.
    if (!ONLY) {
      expect(seen.success).toBeGreaterThan(RUNS / 20);
      expect(seen.bodyInvalid).toBeGreaterThan(RUNS / 20);
    }
    expect([...seen.status.keys()].filter((s) => s >= 500)).toEqual([]);
  });

  it('answers an undocumented method on every documented path with 404 or 405 and the error JSON, changing nothing', async () => {
    const wrong: string[] = [];
    let sent = 0;
    const paths = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/'));
    // /tools/export is also /tools/{id} to a PATCH: a method is undocumented for a URL only if no documented path matches it.
    const served = paths.flatMap(([p, item]) =>
      Object.keys(item).map((m) => ({ m, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) })),
    );
    for (const [path] of paths) {
      const url = path.replace('{id}', pools.tools[0]).replace('{kind}', 'tools');
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        if (served.some((x) => x.m === method && x.re.test(url))) continue;
        const before = await fingerprint();
        const res = await request(baseUrl)
          [method](url)
          .set(cast.admin.auth)
          .set('Content-Type', 'application/json')
          .send(method === 'get' ? undefined : '{"name":"x"}');
        sent++;
        if (![404, 405].includes(res.status) || res.body?.statusCode !== res.status || !res.body?.requestId)
          wrong.push(`${method.toUpperCase()} ${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
        if ((await fingerprint()) !== before) wrong.push(`${method.toUpperCase()} ${url} changed rows`);
      }
    }
    expect(sent).toBeGreaterThan(100);
    expect(wrong).toEqual([]);
  });

  it('leaves ledger_totals equal to the sums of the ledger after the run', async () => {
    expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);
  });

  it('leaves every audit hash chain intact after the run', async () => {
    const events = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ where: { entityId: Not(IsNull()) }, order: { entityType: 'ASC', entityId: 'ASC', chainSeq: 'ASC' } });
    if (!ONLY) expect(events.length).toBeGreaterThan(30);
    const broken: string[] = [];
    let prev: AuditEvent | undefined;
    for (const event of events) {
      const first = !prev || prev.entityType !== event.entityType || prev.entityId !== event.entityId;
      const seq = first ? 1 : prev!.chainSeq! + 1;
      if (event.chainSeq !== seq) broken.push(`${event.entityType} ${event.entityId}: chainSeq ${event.chainSeq}, expected ${seq}`);
      if (event.prevHash !== (first ? null : prev!.hash))
        broken.push(`${event.entityType} ${event.entityId} #${event.chainSeq}: prevHash does not link`);
      if (hashEvent(event) !== event.hash)
        broken.push(`${event.entityType} ${event.entityId} #${event.chainSeq}: hash does not match the content`);
      prev = event;
    }
    expect(broken.slice(0, 20)).toEqual([]);
  });
});
