import { AuditEvent } from '@stackgate/audit';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { auditChainProblems } from '../support/ledger-model';
import { startTestApp, TestApp } from '../support/test-app';
import { createClusterDatabase, GaleraCluster, phaseRecorder, TimedWrite, useGaleraCluster } from './galera-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// rejoining: from the restart of the killed node until it is Synced (its instance may answer 503 or write again)
type Phase = 'up' | 'down' | 'rejoining' | 'back';
type Outcome = TimedWrite<Phase>;

/**
 * A node SIGKILLed under write load: the instances on the surviving nodes keep serving, the one on the dead
 * node answers 503 until its node rejoins (IST), and afterwards every node holds the same rows, every
 * acknowledged write among them, with intact audit chains. Then quorum: with two nodes killed the survivor
 * refuses writes with 503 and is not ready.
 */
describe('A Galera node lost under write load', () => {
  const galera = useGaleraCluster();
  let cluster: GaleraCluster;
  let db: Awaited<ReturnType<typeof createClusterDatabase>>;
  let database: string;
  const instances: TestApp[] = [];
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let tool: { id: string };

  beforeAll(async () => {
    cluster = galera.get();
    db = await createClusterDatabase(cluster);
    database = new URL(db.url.replace(/^mariadb:/, 'http:')).pathname.slice(1);
    for (const node of [1, 2, 3]) {
      const env = { DB_URL: db.nodeUrl(node), DB_POOL_SIZE: '4', ...(node > 1 ? { DB_MIGRATE_ON_START: 'false' } : {}) };
      instances.push(await startTestApp(env, {}, db));
    }
    cast = await makeCast(instances[0]);
    const costCenter = await makeCostCenter(instances[0], cast.admin, { kind: 'MARKETING' });
    tool = await makeTool(instances[0], cast.it, { budgetOwnerId: costCenter.id });
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close().catch(() => undefined);
    await db?.drop().catch(() => undefined);
  });

  const countOn = (node: number, table: string, where = '1=1') =>
    Number(cluster.sql(node, `SELECT COUNT(*) FROM \`${database}\`.${table} WHERE ${where}`).trim());

  it('keeps serving on the surviving nodes, answers 503 on the dead one, loses no acknowledged write', async () => {
    let phase: Phase = 'up';
    // Per phase: each instance's answers and slowest write, event-loop stalls, flow control on the survivors.
    const recorder = phaseRecorder<Phase>(cluster, [1, 2]);
    const enter = (next: Phase) => {
      phase = next;
      recorder.enter(next);
    };
    enter('up');
    let stop = false;
    const outcomes: Outcome[] = [];
    const acknowledged = new Set<string>();
    let attempted = 0;
    const limit = { response: 20000, deadline: 25000 };
    const worker = async (node: number) => {
      const instance = instances[node - 1];
      for (let attempt = 0; !stop; attempt++) {
        const started = phase;
        const startedAt = Date.now();
        attempted++;
        let status = 0;
        let code: string | undefined;
        try {
          const res = await instance
            .http()
            .post('/api/v1/spend-entries')
            .set(cast.finance.auth)
            .timeout(limit)
            .send({
              toolId: tool.id,
              date: `2026-${String(1 + (attempt % 12)).padStart(2, '0')}-15`,
              costType: 'OPERATIONS',
              amount: { amount: `${10 + attempt}.${String(node).padStart(2, '0')}`, currency: 'EUR' },
            });
          status = res.status;
          code = res.body?.code;
          if (status === 201) acknowledged.add(res.body.id);
        } catch {
          status = -1;
        }
        outcomes.push({ node, phase: started, ended: phase, status, code, startedAt, ms: Date.now() - startedAt });
        if (status !== 201) await sleep(100);
      }
    };
    const waitUntil = async (what: string, ok: () => boolean | Promise<boolean>, ms = 60000) => {
      const end = Date.now() + ms;
      while (!(await ok())) {
        if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
        await sleep(100);
      }
    };
    const created = (node: number, during: Phase) =>
      outcomes.filter((o) => o.node === node && o.phase === during && o.ended === during && o.status === 201).length;

    const workers = [1, 2, 3].flatMap((node) => [worker(node), worker(node)]);
    try {
      await waitUntil('writes on every node', () => [1, 2, 3].every((node) => created(node, 'up') >= 5));
      await cluster.kill(3, 'SIGKILL');
      enter('down');
      await cluster.waitSynced(2);
      await waitUntil(
        'writes on the surviving nodes and refusals on the dead one',
        () =>
          [1, 2].every((node) => created(node, 'down') >= 5) &&
          outcomes.filter((o) => o.node === 3 && o.phase === 'down' && o.ended === 'down').length >= 3,
      );
      const ready = await instances[2].http().get('/api/health/ready');
      expect(ready.status).toBe(503);
      enter('rejoining');
      await cluster.restart(3);
      await cluster.waitSynced(3);
      enter('back');
      await waitUntil('writes on every node after the rejoin', () => [1, 2, 3].every((node) => created(node, 'back') >= 3));
    } finally {
      stop = true;
      await Promise.all(workers);
      // Printed before any assertion, so that a failed run shows where the time went.
      for (const line of recorder.summary(outcomes)) process.stdout.write(`[galera] node kill, ${line}\n`);
      process.stdout.write(`[galera] node 3 rejoined: ${JSON.stringify(cluster.joinReport(3))}\n`);
    }

    // The restart recovers node 3's position, so it catches up by IST from a donor's gcache and no survivor is
    // read-locked: an SST (rsync holds FLUSH TABLES WITH READ LOCK on the donor for the copy) stalls the donor's writes.
    expect(cluster.joinReport(3)).toMatchObject({ method: 'IST' });
    const describeOutcome = (o: Outcome) => `node ${o.node} [${o.phase}→${o.ended}]: ${o.status} ${o.code ?? ''} (${o.ms} ms)`;
    const whileDown = outcomes.filter((o) => o.node === 3 && o.phase === 'down' && o.ended === 'down');
    // Six writers on one tool's hot ledger totals from three nodes: a write that lost its certification race ten
    // times in a row (the transaction's retries) is refused as a clean 409 CONCURRENT_UPDATE, nothing written.
    const exhaustedRetries = outcomes.filter((o) => o.status === 409 && o.code === 'CONCURRENT_UPDATE');
    process.stdout.write(
      `[galera] node kill: ${outcomes.length} writes, ${outcomes.filter((o) => o.status === 201).length} acknowledged, ` +
        `${whileDown.length} refused by the dead node's instance, ${exhaustedRetries.length} lost their race ten times: ` +
        `${exhaustedRetries.map(describeOutcome).join('; ')}\n`,
    );
    // Surviving nodes: every write succeeded (or lost a race cleanly), throughout. The dead node: 503 DATABASE_UNAVAILABLE
    // while down, never a 500.
    expect(outcomes.filter((o) => o.node !== 3 && o.status !== 201 && o.code !== 'CONCURRENT_UPDATE').map(describeOutcome)).toEqual([]);
    expect(exhaustedRetries.length).toBeLessThanOrEqual(Math.ceil(outcomes.length / 100));
    expect(whileDown.filter((o) => o.status !== 503 || o.code !== 'DATABASE_UNAVAILABLE').map(describeOutcome)).toEqual([]);
    expect(outcomes.filter((o) => o.status !== 201 && o.status !== 503 && o.code !== 'CONCURRENT_UPDATE').map(describeOutcome)).toEqual([]);
    expect(
      outcomes.filter((o) => o.node === 3 && o.phase === 'back' && o.status !== 201 && o.code !== 'CONCURRENT_UPDATE').map(describeOutcome),
    ).toEqual([]);
    expect((await instances[2].http().get('/api/health/ready')).status).toBe(200);

    // Every node holds the same rows, every acknowledged write among them, and no row nobody was told about.
    const ids = [1, 2, 3].map((node) =>
      cluster
        .sql(node, `SELECT id FROM \`${database}\`.spend_entries WHERE toolId = '${tool.id}' ORDER BY id`)
        .trim()
        .split('\n')
        .filter(Boolean),
    );
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    for (const id of acknowledged) expect(ids[0]).toContain(id);
    const tables = ['spend_entries', 'ledger_entries', 'audit_events'];
    const perNode = Object.fromEntries(tables.map((table) => [table, [1, 2, 3].map((node) => countOn(node, table))]));
    for (const table of tables) expect(new Set(perNode[table]).size).toBe(1);
    const events = await instances[2].dataSource
      .getRepository(AuditEvent)
      .find({ order: { entityType: 'ASC', entityId: 'ASC', chainSeq: 'ASC' } });
    const chains = new Map<string, AuditEvent[]>();
    for (const event of events.filter((x) => x.entityId))
      chains.set(`${event.entityType}:${event.entityId}`, [...(chains.get(`${event.entityType}:${event.entityId}`) ?? []), event]);
    expect([...chains.values()].flatMap(auditChainProblems)).toEqual([]);
    const spendCreated = events.filter((event) => event.action === 'spend_entry.created').map((event) => event.entityId);
    expect(spendCreated.sort()).toEqual([...ids[0]].sort());

    const figures = {
      attempted,
      acknowledged: acknowledged.size,
      foundAfterwards: ids[0].length,
      refusedWhileDown: whileDown.length,
      perNode,
      rejoinedBy: cluster.lastJoin(3),
      donor: cluster.joinReport(3).donor,
      slowestOnSurvivorsMs: Object.fromEntries(
        (['up', 'down', 'rejoining', 'back'] as Phase[]).map((during) => [
          during,
          outcomes.filter((o) => o.node !== 3 && o.phase === during).reduce((max, o) => Math.max(max, o.ms), 0),
        ]),
      ),
    };
    process.stdout.write(`[galera] node kill under write load: ${JSON.stringify(figures)}\n`);
    expect(acknowledged.size).toBe(ids[0].length);
  });

  it('refuses writes with 503 and is not ready on the survivor when two nodes are killed (no quorum)', async () => {
    const before = countOn(1, 'cost_centers');
    await cluster.kill(2, 'SIGKILL');
    await cluster.kill(3, 'SIGKILL');
    // The survivor notices it is alone (a minority of the last primary component) and leaves it.
    for (let tries = 0; tries < 100 && cluster.status(1).primary; tries++) await sleep(200);
    expect(cluster.status(1)).toMatchObject({ primary: false, ready: false });
    const write = await instances[0]
      .http()
      .post('/api/v1/cost-centers')
      .set(cast.admin.auth)
      .send({ code: 'NO-QUORUM', name: 'Written without quorum', kind: 'IT' });
    expect(write.status).toBe(503);
    expect(write.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    const ready = await instances[0].http().get('/api/health/ready');
    expect(ready.status).toBe(503);

    // Recovery: the survivor is made the primary component again, the others rejoin; nothing was written.
    cluster.sql(1, "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'");
    await cluster.restart(2);
    await cluster.restart(3);
    await cluster.waitSynced(3);
    for (const node of [1, 2, 3]) expect(countOn(node, 'cost_centers')).toBe(before);
    expect((await instances[0].http().get('/api/health/ready')).status).toBe(200);
  });
});
