import { QueueRecountJob, recountQueue } from '@stackgate/procurement';
import { RequestQueueCounts1767002700000 } from '../../migrations/1767002700000-request-queue-counts';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

/** A small deterministic generator (mulberry32): the walk is the same on every run and engine. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) % below;
  };
}

/**
 * The awaiting-me queue's total reads request_queue_counts (migration 1767002700000): how many requests are in review at
 * each (stage, type). Submit, decide and withdraw move those counts in their transactions; these tests hold them to the
 * requests themselves after every step of a random walk, under concurrent decisions, after the hourly recount mends a
 * forged drift, and through the migration's backfill.
 */
describe('Awaiting-me counts: request_queue_counts stays what the requests say', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;
  let targetToolId: string;

  /** The counts table's non-zero rows, and the same counted from the requests in review, as "STAGE TYPE n" lines. */
  const counts = async () =>
    (
      await testApp.dataSource.query<{ stage: string; type: string; requests: number | string }[]>(
        'SELECT stage, type, requests FROM request_queue_counts WHERE requests <> 0 ORDER BY stage, type',
      )
    ).map((row) => `${row.stage} ${row.type} ${Number(row.requests)}`);
  const truth = async () =>
    (
      await testApp.dataSource.query<{ stage: string; type: string; requests: number | string }[]>(
        "SELECT currentStage AS stage, type, COUNT(*) AS requests FROM tool_requests WHERE status = 'IN_REVIEW' " +
          'GROUP BY currentStage, type ORDER BY currentStage, type',
      )
    ).map((row) => `${row.stage} ${row.type} ${Number(row.requests)}`);
  const queue = async (user: TestUser, extra = '') =>
    (await testApp.http().get(`/api/v1/requests?queue=awaiting-me&pageSize=100${extra}`).set(user.auth).expect(200)).body as {
      items: { id: string }[];
      total: number;
    };
  /** Each decider's total equals the items it is shown (the walk stays under one page). */
  const expectTotalsMatchItems = async () => {
    for (const user of [cast.cmo, cast.cio, cast.finance]) {
      for (const extra of ['', '&type=NEW_TOOL', '&type=EXPANSION']) {
        const answer = await queue(user, extra);
        expect({ extra, total: answer.total }).toEqual({ extra, total: answer.items.length });
      }
    }
  };
  const current = async (id: string) =>
    (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body as {
      status: string;
      currentStage: string | null;
      version: number;
    };
  const withdraw = async (id: string) =>
    testApp
      .http()
      .post(`/api/v1/requests/${id}/withdraw`)
      .set(cast.marketer.auth)
      .send({ version: (await current(id)).version })
      .expect(200);

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
    const costCenter = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: costCenter.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
    targetToolId = (await makeTool(testApp, cast.admin, { budgetOwnerId: costCenter.id })).id;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('after every step of a random walk through submit, decisions, resubmission and withdrawal', async () => {
    const draw = generator(27);
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const over = {
        title: `Counted ${i}`,
        // Some below the finance threshold (two stages), some above (three); some expansions of a catalog tool.
        ...(i % 2 ? { estimatedAnnualCost: { amount: '1000.00', currency: 'EUR' } } : {}),
        ...(i % 3 === 2 ? { type: 'EXPANSION', toolId: targetToolId, proposedTool: undefined } : {}),
      };
      ids.push((await makeRequest(testApp, cast.marketer, setup, over)).id);
    }
    const decider: Record<string, TestUser> = { MARKETING: cast.cmo, IT: cast.cio, FINANCE: cast.finance };
    const steps: string[] = [];
    for (let step = 0; step < 45; step++) {
      const id = ids[draw(ids.length)];
      const request = await current(id);
      const choice = draw(10);
      if (request.status === 'DRAFT' || request.status === 'CHANGES_REQUESTED') {
        if (choice < 8) await submit(testApp, cast.marketer, id);
        else await withdraw(id);
      } else if (request.status === 'IN_REVIEW') {
        const stage = request.currentStage!;
        if (choice === 0) await withdraw(id);
        else if (choice === 1) await decide(testApp, decider[stage], id, { stage, decision: 'REJECT', comment: 'Not now' });
        else if (choice <= 3) await decide(testApp, decider[stage], id, { stage, decision: 'REQUEST_CHANGES', comment: 'Add the plan' });
        else {
          if (stage === 'IT') await assess(testApp, cast.it, id);
          await decide(testApp, decider[stage], id, { stage, decision: 'APPROVE' });
        }
      } else continue;
      steps.push(`${request.status}@${request.currentStage ?? '-'}:${choice}`);
      expect({ step, counts: await counts() }).toEqual({ step, counts: await truth() });
    }
    // The walk went through every kind of move, not only submissions.
    expect(steps.some((move) => move.startsWith('IN_REVIEW@IT'))).toBe(true);
    expect(steps.some((move) => move.startsWith('IN_REVIEW@FINANCE'))).toBe(true);
    expect(steps.some((move) => move.startsWith('CHANGES_REQUESTED'))).toBe(true);
    expect((await truth()).length).toBeGreaterThan(0);
    await expectTotalsMatchItems();
  });

  it('when many decisions of one stage and repeats of them arrive at once: one winner each, every count moved once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const id = (await makeRequest(testApp, cast.marketer, setup, { title: `Raced ${i}` })).id;
      await submit(testApp, cast.marketer, id);
      ids.push(id);
    }
    const before = await queue(cast.cio);
    const versions = await Promise.all(ids.map(async (id) => (await current(id)).version));
    // Each approval sent twice with the same version, all twenty at once.
    const answers = await Promise.all(
      [...ids, ...ids].map((id, i) =>
        testApp
          .http()
          .post(`/api/v1/requests/${id}/decisions`)
          .set(cast.cmo.auth)
          .send({ version: versions[i % ids.length], stage: 'MARKETING', decision: 'APPROVE' }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(10).fill(200), ...Array(10).fill(409)]);
    expect(await counts()).toEqual(await truth());
    expect((await queue(cast.cio)).total).toBe(before.total + 10);
    await expectTotalsMatchItems();
  });

  it('the hourly recount mends counts that drifted (as an older instance leaves them in a rolling upgrade), once per hour', async () => {
    const job = testApp.app.get(QueueRecountJob);
    await submit(testApp, cast.marketer, (await makeRequest(testApp, cast.marketer, setup, { title: 'Counted at marketing' })).id);
    const right = await queue(cast.cmo);
    const hour = new Date(Date.UTC(2031, 0, 1, 10, 5));
    await job.run(hour);
    // Forged: marketing counted 5 too many, the IT rows gone.
    await testApp.dataSource.query(
      "UPDATE request_queue_counts SET requests = requests + 5 WHERE stage = 'MARKETING' AND type = 'NEW_TOOL'",
    );
    await testApp.dataSource.query("DELETE FROM request_queue_counts WHERE stage = 'IT'");
    expect((await queue(cast.cmo)).total).toBe(right.total + 5);
    expect(await counts()).not.toEqual(await truth());
    // The same hour was recounted already: nothing done.
    expect(await job.run(new Date(Date.UTC(2031, 0, 1, 10, 55)))).toBeNull();
    const drift = await job.run(new Date(Date.UTC(2031, 0, 1, 11, 0)));
    expect(drift?.map((wrong) => `${wrong.stage} ${wrong.type} ${wrong.counted}→${wrong.actual}`).sort()).toEqual(
      (await truth())
        .filter((line) => line.startsWith('IT ') || line.startsWith('MARKETING NEW_TOOL '))
        .map((line) => {
          const [stage, type, actual] = line.split(' ');
          return `${stage} ${type} ${stage === 'IT' ? 0 : Number(actual) + 5}→${actual}`;
        })
        .sort(),
    );
    expect(await counts()).toEqual(await truth());
    expect((await queue(cast.cmo)).total).toBe(right.total);
    await expectTotalsMatchItems();
    // Nothing left to mend.
    expect(await testApp.dataSource.transaction((manager) => recountQueue(manager))).toEqual([]);
  });

  it('the migration fills the counts from the requests in review (down, then up)', async () => {
    const before = await truth();
    expect(before.length).toBeGreaterThan(1);
    const runner = testApp.dataSource.createQueryRunner();
    try {
      const migration = new RequestQueueCounts1767002700000();
      await migration.down(runner);
      expect(await runner.hasTable('request_queue_counts')).toBe(false);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await counts()).toEqual(before);
    await expectTotalsMatchItems();
  });
});
