import { randomBytes } from 'node:crypto';
import { AuditEvent } from '@stackgate/audit';
import { LedgerEntry } from '@stackgate/finance';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { auditChainProblems, ContractBody, contractRows, SpendBody, spendRows, ToolBody, toolAllocation } from '../support/ledger-model';
import { startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';

/*
 * The database server dies under load and comes back (MariaDB only). This file starts its OWN
 * throwaway server (scripts/mariadb-throwaway.js) so it can SIGKILL it: never the shared one.
 * While it is down every API call answers 503 DATABASE_UNAVAILABLE (JSON, no stack, no SQL) and
 * the health check 503; after a restart on the same datadir and port the same app process serves
 * again, and nothing is half-written.
 */

interface Throwaway {
  adminUrl: string;
  sql(q: string): Buffer;
  kill(signal?: string): Promise<void>;
  restart(): Promise<void>;
  stop(): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const throwaway = require('../../scripts/mariadb-throwaway') as {
  startMariadb(o?: object): Promise<Throwaway>;
  mariadbAvailable(): boolean;
};

const RUN = TEST_ENGINE === 'mariadb' && throwaway.mariadbAvailable();
const suite = RUN ? describe : describe.skip;
const title = RUN
  ? 'Database outage: 503 while MariaDB is down, the same process serves again after its restart, nothing half-written'
  : 'Database outage (skipped: it kills a MariaDB server of its own, so it runs only with TEST_DB_ENGINE=mariadb and mariadbd installed)';

type Phase = 'up' | 'killing' | 'down' | 'restarting' | 'back';
interface Outcome {
  started: Phase;
  ended: Phase;
  op: string;
  status: number;
  body: Record<string, unknown>;
  retryAfter?: string;
}

const LEAKS = /\bat [\w.<>]+ \(|\.(ts|js):\d+|\b(SELECT|INSERT|UPDATE|DELETE)\b|ECONNREFUSED|PROTOCOL_|ER_[A-Z_]+|mysql|stack/i;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite(title, () => {
  let server: Throwaway;
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let tool: ToolBody;
  let setup: { costCenterId: string; subcategoryId: string };

  beforeAll(async () => {
    server = await throwaway.startMariadb();
    const name = `sg_test_outage_${randomBytes(4).toString('hex')}`;
    server.sql(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    // The whole server is thrown away afterwards, so the database needs no drop of its own.
    testApp = await startTestApp(
      { DB_POOL_SIZE: '6', FINANCE_APPROVAL_THRESHOLD: '50000.00' },
      {},
      { url: `${server.adminUrl}/${name}`, drop: async () => undefined },
    );
    cast = await makeCast(testApp);
    const mkt = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    const it = await makeCostCenter(testApp, cast.admin, { kind: 'IT' });
    tool = await makeTool(testApp, cast.it, {
      budgetOwnerId: mkt.id,
      allocation: [
        { costCenterId: mkt.id, shareBps: 6667 },
        { costCenterId: it.id, shareBps: 3333 },
      ],
    });
    setup = { costCenterId: mkt.id, subcategoryId: await subcategoryId(testApp, 'SEO', cast.marketer) };
  });
  afterAll(async () => {
    await testApp?.close().catch(() => undefined);
    server?.stop();
  });

  it('answers 503 while the server is down, recovers without a restart of the app, and leaves no half-written data', async () => {
    let phase: Phase = 'up';
    const outcomes: Outcome[] = [];
    const acknowledged = { contracts: new Set<string>(), spend: new Set<string>(), requests: new Set<string>() };
    let stop = false;
    const http = () => testApp.http();
    // A request that hangs instead of failing fast fails the test here (supertest's timeout), not by a timed assertion.
    const limit = { response: 20000, deadline: 25000 };

    const ops: {
      name: string;
      run: (k: number) => Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>;
    }[] = [
      { name: 'list tools', run: () => http().get('/api/v1/tools?pageSize=20&sort=name').set(cast.cio.auth).timeout(limit) },
      {
        name: 'create contract',
        run: async (attempt) => {
          const res = await http()
            .post('/api/v1/contracts')
            .set(cast.finance.auth)
            .timeout(limit)
            .send({
              toolId: tool.id,
              startDate: `2026-${String(1 + (attempt % 12)).padStart(2, '0')}-01`,
              termMonths: 1 + (attempt % 14),
              billing: ['MONTHLY', 'QUARTERLY', 'ANNUAL'][attempt % 3],
              amount: { amount: `${100 + attempt}.${String(attempt % 100).padStart(2, '0')}`, currency: 'EUR' },
            });
          if (res.status === 201) acknowledged.contracts.add(res.body.id);
          return res;
        },
      },
      {
        name: 'spend report',
        run: () =>
          http().get('/api/v1/reports/spend?from=2026-01&to=2027-12&groupBy=costCenter&basis=committed').set(cast.cio.auth).timeout(limit),
      },
      {
        name: 'create spend entry',
        run: async (attempt) => {
          const res = await http()
            .post('/api/v1/spend-entries')
            .set(cast.finance.auth)
            .timeout(limit)
            .send({
              toolId: tool.id,
              date: `2026-${String(1 + (attempt % 12)).padStart(2, '0')}-15`,
              costType: 'OPERATIONS',
              amount: { amount: `${10 + attempt}.0${attempt % 10}`, currency: 'EUR' },
            });
          if (res.status === 201) acknowledged.spend.add(res.body.id);
          return res;
        },
      },
      { name: 'list my requests', run: () => http().get('/api/v1/requests?queue=mine').set(cast.marketer.auth).timeout(limit) },
      {
        name: 'create and submit a request',
        run: async (attempt) => {
          const created = await http()
            .post('/api/v1/requests')
            .set(cast.marketer.auth)
            .timeout(limit)
            .send({
              type: 'NEW_TOOL',
              title: `Outage request ${attempt}`,
              businessCase: 'We need it for SEO reporting.',
              proposedTool: {
                name: `Outage Tool ${attempt} ${randomBytes(2).toString('hex')}`,
                vendorName: 'SEO Vendor',
                subcategoryId: setup.subcategoryId,
              },
              estimatedAnnualCost: { amount: attempt % 2 ? '60000.00' : '1200.00', currency: 'EUR' },
              allocation: [{ costCenterId: setup.costCenterId, shareBps: 10000 }],
            });
          if (created.status !== 201) return created;
          acknowledged.requests.add(created.body.id);
          return http()
            .post(`/api/v1/requests/${created.body.id}/submit`)
            .set(cast.marketer.auth)
            .timeout(limit)
            .send({ version: created.body.version });
        },
      },
    ];

    let seq = 0;
    const worker = async () => {
      while (!stop) {
        const attempt = seq++;
        const op = ops[attempt % ops.length];
        const started = phase;
        let status = 0,
          body: Record<string, unknown> = {},
          retryAfter: string | undefined;
        try {
          const res = await op.run(attempt);
          ({ status, body } = res);
          retryAfter = res.headers['retry-after'];
        } catch (err) {
          body = { transportError: String((err as Error).message) };
        }
        outcomes.push({ started, ended: phase, op: op.name, status, body, retryAfter });
        // Fail fast, not in a tight loop, while the database is away.
        if (status === 503) await sleep(50);
      }
    };
    const count = (f: (o: Outcome) => boolean) => outcomes.filter(f).length;
    const waitUntil = async (what: string, ok: () => boolean | Promise<boolean>, ms = 30000) => {
      const end = Date.now() + ms;
      while (!(await ok())) {
        if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
        await sleep(100);
      }
    };

    const workers = Array.from({ length: 4 }, () => worker());
    try {
      await waitUntil('a warm-up under load', () => count((o) => o.started === 'up' && o.ended === 'up' && o.status < 300) >= 24);

      phase = 'killing';
      await server.kill('SIGKILL');
      phase = 'down';
      const seenDown = () => new Set(outcomes.filter((o) => o.started === 'down' && o.ended === 'down').map((o) => o.op));
      await waitUntil(
        'reads and writes made while the server is down',
        () => count((o) => o.started === 'down') >= 12 && seenDown().size === ops.length,
      );
      const health = await http().get('/api/health').timeout(limit);
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'DATABASE_UNAVAILABLE' });
      const login = await http().post('/api/v1/auth/login').timeout(limit).send({ email: cast.cio.email, password: 'test-password-123' });
      expect(login.status).toBe(503);
      expect(login.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
      expect(JSON.stringify(login.body)).not.toMatch(LEAKS);

      phase = 'restarting';
      await server.restart();
      await waitUntil('the health check to answer 200 again', async () => (await http().get('/api/health').timeout(limit)).status === 200);
      phase = 'back';
      await waitUntil(
        'writes after the restart',
        () => count((o) => o.started === 'back' && o.status >= 200 && o.status < 300 && o.op.startsWith('create')) >= 12,
      );
    } finally {
      stop = true;
      await Promise.all(workers);
    }

    // While it was up (before and after), everything succeeded; while it was down, everything was a clean 503.
    const wrong = (o: Outcome) => `${o.op} [${o.started}→${o.ended}]: ${o.status} ${JSON.stringify(o.body)}`;
    expect(
      outcomes
        .filter((o) => (o.started === 'up' && o.ended === 'up') || o.started === 'back')
        .filter((o) => o.status < 200 || o.status >= 300)
        .map(wrong),
    ).toEqual([]);
    const whileDown = outcomes.filter((o) => o.started === 'down' && o.ended === 'down');
    expect(whileDown.length).toBeGreaterThanOrEqual(12);
    expect([...new Set(whileDown.map((o) => o.op))].sort()).toEqual(ops.map((o) => o.name).sort());
    expect(whileDown.filter((o) => o.status !== 503 || o.body.code !== 'DATABASE_UNAVAILABLE').map(wrong)).toEqual([]);
    for (const outcome of whileDown) {
      expect(outcome.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', code: 'DATABASE_UNAVAILABLE' });
      expect(typeof outcome.body.requestId).toBe('string');
      expect(outcome.retryAfter).toBeDefined();
      expect(JSON.stringify(outcome.body)).not.toMatch(LEAKS);
    }
    // Calls caught by the kill or the restart either completed or were refused as unavailable, never a 500.
    expect(outcomes.filter((o) => !(o.status >= 200 && o.status < 300) && o.status !== 503).map(wrong)).toEqual([]);
    const health = await http().get('/api/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', database: 'up' });

    // ---- No half-written data ----
    const contracts: ContractBody[] = (
      await http().get(`/api/v1/contracts?toolId=${tool.id}&pageSize=200`).set(cast.finance.auth).expect(200)
    ).body.items;
    const spend: SpendBody[] = (await http().get(`/api/v1/spend-entries?toolId=${tool.id}&pageSize=200`).set(cast.finance.auth).expect(200))
      .body.items;
    const mine: { id: string }[] = (await http().get('/api/v1/requests?queue=mine&pageSize=200').set(cast.marketer.auth).expect(200)).body
      .items;
    const requests: {
      id: string;
      status: string;
      round: number;
      stages: { stage: string; round: number; status: string }[];
      estimatedAnnualCost: { amount: string };
    }[] = [];
    for (const request of mine)
      requests.push((await http().get(`/api/v1/requests/${request.id}`).set(cast.marketer.auth).expect(200)).body);
    // Every acknowledged write survived the crash.
    for (const id of acknowledged.contracts) expect(contracts.map((c) => c.id)).toContain(id);
    for (const id of acknowledged.spend) expect(spend.map((e) => e.id)).toContain(id);
    for (const id of acknowledged.requests) expect(requests.map((r) => r.id)).toContain(id);
    expect(contracts.length).toBeGreaterThan(4);
    expect(spend.length).toBeGreaterThan(4);

    const ledger = await testApp.dataSource.getRepository(LedgerEntry).find();
    const rowsOf = (id: string) =>
      ledger
        .filter((r) => r.sourceId === id)
        .map((r) => `${r.month}|${r.costCenterId}|${r.amountMinor}`)
        .sort();
    for (const contract of contracts)
      expect({ contract: contract.id, rows: rowsOf(contract.id) }).toEqual({ contract: contract.id, rows: contractRows(contract) });
    for (const entry of spend)
      expect({ spend: entry.id, rows: rowsOf(entry.id) }).toEqual({
        spend: entry.id,
        rows: spendRows(entry, entry.allocation?.length ? entry.allocation : toolAllocation(tool)),
      });
    const sources = new Set([...contracts, ...spend].map((x) => x.id));
    expect(ledger.filter((r) => !sources.has(r.sourceId)).map((r) => r.sourceId)).toEqual([]);

    // Every submitted request has the stages of its round (FINANCE from the threshold on).
    for (const request of requests.filter((x) => x.status !== 'DRAFT')) {
      const round = request.stages.filter((s) => s.round === request.round).map((s) => `${s.stage}:${s.status}`);
      const finance = Number(request.estimatedAnnualCost.amount) >= 50000;
      expect({ request: request.id, stages: round }).toEqual({
        request: request.id,
        stages: ['MARKETING:OPEN', 'IT:PENDING', ...(finance ? ['FINANCE:PENDING'] : [])],
      });
    }
    for (const request of requests.filter((x) => x.status === 'DRAFT'))
      expect({ request: request.id, stages: request.stages }).toEqual({ request: request.id, stages: [] });

    // Each record has exactly its creation event, no event outlived a rolled-back write, and every entity's hash chain is intact.
    const events = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ order: { entityType: 'ASC', entityId: 'ASC', chainSeq: 'ASC' } });
    const createdIds = (action: string) =>
      events
        .filter((e) => e.action === action)
        .map((e) => e.entityId)
        .sort();
    expect(createdIds('contract.created')).toEqual(contracts.map((c) => c.id).sort());
    expect(createdIds('spend_entry.created')).toEqual(spend.map((e) => e.id).sort());
    expect(createdIds('request.created')).toEqual(requests.map((r) => r.id).sort());
    expect(createdIds('request.submitted')).toEqual(
      requests
        .filter((r) => r.status !== 'DRAFT')
        .map((r) => r.id)
        .sort(),
    );
    const chains = new Map<string, AuditEvent[]>();
    for (const event of events.filter((x) => x.entityId))
      chains.set(`${event.entityType}:${event.entityId}`, [...(chains.get(`${event.entityType}:${event.entityId}`) ?? []), event]);
    expect(chains.size).toBeGreaterThan(10);
    expect([...chains.values()].flatMap(auditChainProblems)).toEqual([]);
  });
});
