import { Role } from '@stackgate/platform';
import { ReviewStage, ToolRequest } from '@stackgate/procurement';
import { ReviewStageRequestCreated1767002600000 } from '../../migrations/1767002600000-review-stage-request-created';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

/** Sets a request's creation instant, which the product never changes, as if it had been created then (its stages' copy too). */
async function forgeCreatedAt(testApp: TestApp, id: string, createdAt: Date) {
  await testApp.dataSource.getRepository(ToolRequest).update({ id }, { createdAt });
  await testApp.dataSource.getRepository(ReviewStage).update({ requestId: id }, { requestCreatedAt: createdAt });
}

/**
 * The awaiting-me queue's answer, pinned: which requests, in which order (open stage's due date, then the request's
 * creation, then its id), the total and every page, for deciders of one stage and of several, across rounds, with
 * separation of duties and the actor's own request left out.
 */
describe('Awaiting-me queue: items, order, total and pages', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let both: TestUser;
  let setup: RequestSetup;
  const byKey: Record<string, string> = {};
  const day = 86_400_000;
  const base = Date.UTC(2031, 2, 3, 9, 0, 0);

  const setDue = (id: string, dueAt: Date | null) =>
    testApp.dataSource.getRepository(ReviewStage).update({ requestId: id, status: 'OPEN' as never }, { dueAt });
  const queue = async (user: TestUser, extra = '') =>
    (await testApp.http().get(`/api/v1/requests?queue=awaiting-me${extra}`).set(user.auth).expect(200)).body as {
      items: { id: string; dueAt: string | null; currentStage: string; round: number }[];
      total: number;
      page: number;
      pageSize: number;
    };
  const keys = (items: { id: string }[]) => items.map((item) => Object.keys(byKey).find((key) => byKey[key] === item.id) ?? item.id);

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00', REVIEW_SLA_BUSINESS_DAYS: '5' });
    cast = await makeCast(testApp);
    // Decides two stages (marketing and IT) and requests tools too.
    both = await makeUser(testApp, [Role.MARKETER, Role.CMO, Role.CIO]);
    const costCenter = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: costCenter.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
    const make = async (key: string, by = cast.marketer, over: Record<string, unknown> = {}) => {
      byKey[key] = (await makeRequest(testApp, by, setup, { title: `Queue order ${key}`, ...over })).id;
      return byKey[key];
    };
    const cheap = { estimatedAnnualCost: { amount: '1000.00', currency: 'EUR' } };

    const atMarketing = await make('A', cast.marketer, cheap);
    await submit(testApp, cast.marketer, atMarketing);
    const tiedAtMarketing = await make('B');
    await submit(testApp, cast.marketer, tiedAtMarketing);
    const atIt = await make('C');
    await submit(testApp, cast.marketer, atIt);
    await decide(testApp, cast.cmo, atIt, { stage: 'MARKETING', decision: 'APPROVE' });
    // Sent back at marketing and resubmitted: round 2, marketing open again.
    const secondRound = await make('D', cast.marketer, cheap);
    await submit(testApp, cast.marketer, secondRound);
    await decide(testApp, cast.cmo, secondRound, { stage: 'MARKETING', decision: 'REQUEST_CHANGES', comment: 'Add the plan' });
    await submit(testApp, cast.marketer, secondRound);
    // `both` decided its marketing stage: separation of duties keeps it out of `both`'s IT queue.
    const decidedByBoth = await make('E');
    await submit(testApp, cast.marketer, decidedByBoth);
    await decide(testApp, both, decidedByBoth, { stage: 'MARKETING', decision: 'APPROVE' });
    // `both`'s own request.
    const own = await make('F', both);
    await submit(testApp, both, own);
    // Reaches finance (above the threshold).
    const atFinance = await make('G');
    await submit(testApp, cast.marketer, atFinance);
    await decide(testApp, cast.cmo, atFinance, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, atFinance);
    await decide(testApp, cast.cio, atFinance, { stage: 'IT', decision: 'APPROVE' });
    // `both` decided marketing in round 1, IT sent it back; in round 2 it is at marketing again: `both` may decide that.
    const sentBackAtIt = await make('H');
    await submit(testApp, cast.marketer, sentBackAtIt);
    await decide(testApp, both, sentBackAtIt, { stage: 'MARKETING', decision: 'APPROVE' });
    await decide(testApp, cast.cio, sentBackAtIt, { stage: 'IT', decision: 'REQUEST_CHANGES', comment: 'SSO?' });
    await submit(testApp, cast.marketer, sentBackAtIt);
    // Two requests tied on due date and creation: their ids order them.
    const tiedI = await make('I');
    await submit(testApp, cast.marketer, tiedI);
    const tiedJ = await make('J');
    await submit(testApp, cast.marketer, tiedJ);
    // An open IT stage without a due date sorts first.
    const noDue = await make('K');
    await submit(testApp, cast.marketer, noDue);
    await decide(testApp, cast.cmo, noDue, { stage: 'MARKETING', decision: 'APPROVE' });
    // Out of every queue: a draft, a withdrawn request, an approved one.
    await make('L');
    const withdrawn = await make('M');
    await submit(testApp, cast.marketer, withdrawn);
    const current = await testApp.http().get(`/api/v1/requests/${withdrawn}`).set(cast.marketer.auth).expect(200);
    await testApp
      .http()
      .post(`/api/v1/requests/${withdrawn}/withdraw`)
      .set(cast.marketer.auth)
      .send({ version: current.body.version })
      .expect(200);
    const approved = await make('N', cast.marketer, cheap);
    await submit(testApp, cast.marketer, approved);
    await decide(testApp, cast.cmo, approved, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, approved);
    await decide(testApp, cast.cio, approved, { stage: 'IT', decision: 'APPROVE' });

    const at = (days: number) => new Date(base + days * day);
    for (const [id, due] of [
      [atMarketing, at(1)],
      [tiedAtMarketing, at(1)],
      [atIt, at(1)],
      [secondRound, at(0)],
      [decidedByBoth, at(2)],
      [own, at(-1)],
      [atFinance, at(0)],
      [sentBackAtIt, at(1)],
      [tiedI, at(3)],
      [tiedJ, at(3)],
      [noDue, null],
    ] as [string, Date | null][])
      await setDue(id, due);
    // A, B, C and H share a due date: their creation orders them. I and J share the creation instant too.
    const created = new Date(base - 30 * day);
    await forgeCreatedAt(testApp, tiedI, created);
    await forgeCreatedAt(testApp, tiedJ, created);
    expect(tiedI < tiedJ).toBe(true);
  });
  afterAll(async () => testApp?.close());

  /** Every page of `user`'s queue at `pageSize`, each checked for its page, size and total, then joined. */
  async function allPages(user: TestUser, pageSize: number, total: number, extra = '') {
    const seen: { id: string }[] = [];
    for (let page = 1; page <= Math.ceil(total / pageSize) + 1; page++) {
      const body = await queue(user, `&page=${page}&pageSize=${pageSize}${extra}`);
      expect({ page: body.page, pageSize: body.pageSize, total: body.total }).toEqual({ page, pageSize, total });
      expect(body.items.length).toBe(Math.max(0, Math.min(pageSize, total - (page - 1) * pageSize)));
      seen.push(...body.items);
    }
    return keys(seen);
  }

  it('orders a two-stage decider’s queue by due date (none first), creation, id — without its own request or those it decided elsewhere', async () => {
    const expected = ['K', 'D', 'A', 'B', 'C', 'H', 'I', 'J'];
    const first = await queue(both);
    expect(keys(first.items)).toEqual(expected);
    expect(first).toMatchObject({ total: 8, page: 1, pageSize: 50 });
    expect(first.items.find((item) => item.id === byKey.D)).toMatchObject({ round: 2, currentStage: 'MARKETING' });
    expect(first.items.find((item) => item.id === byKey.H)).toMatchObject({ round: 2, currentStage: 'MARKETING' });
    expect(first.items[0]).toMatchObject({ dueAt: null, currentStage: 'IT' });
    for (const pageSize of [1, 2, 3, 5, 7, 8]) expect(await allPages(both, pageSize, 8)).toEqual(expected);
    expect((await queue(both, '&page=3&pageSize=4')).items).toEqual([]);
  });

  it('gives each single-stage decider the requests at its stage, in the same order, with exact totals', async () => {
    const cmo = ['F', 'D', 'A', 'B', 'H', 'I', 'J'];
    expect(keys((await queue(cast.cmo)).items)).toEqual(cmo);
    for (const pageSize of [1, 2, 4]) expect(await allPages(cast.cmo, pageSize, cmo.length)).toEqual(cmo);
    const cio = ['K', 'C', 'E'];
    expect(keys((await queue(cast.cio)).items)).toEqual(cio);
    for (const pageSize of [1, 2]) expect(await allPages(cast.cio, pageSize, cio.length)).toEqual(cio);
    expect(keys((await queue(cast.finance)).items)).toEqual(['G']);
    expect(await queue(cast.marketer)).toEqual({ items: [], page: 1, pageSize: 50, total: 0 });
    expect(await queue(cast.it)).toEqual({ items: [], page: 1, pageSize: 50, total: 0 });
  });

  it('combines with the status and type filters and an explicit sort', async () => {
    expect(await allPages(both, 3, 8, '&status=IN_REVIEW&type=NEW_TOOL')).toEqual(['K', 'D', 'A', 'B', 'C', 'H', 'I', 'J']);
    expect(await queue(both, '&status=DRAFT')).toEqual({ items: [], page: 1, pageSize: 50, total: 0 });
    expect(await queue(both, '&type=RENEWAL')).toEqual({ items: [], page: 1, pageSize: 50, total: 0 });
    const byTitle = await queue(cast.cmo, '&sort=title&pageSize=3&page=2');
    expect(keys(byTitle.items)).toEqual(['F', 'H', 'I']);
    expect(byTitle.total).toBe(7);
  });

  it('shows the same queue on the requests page and the home page', async () => {
    const agent = await signIn(testApp, both);
    const list = (await agent.get('/requests?queue=awaiting-me').expect(200)).text;
    const positions = ['K', 'D', 'A', 'B', 'C', 'H', 'I', 'J'].map((key) => list.indexOf(`Queue order ${key}<`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((left, right) => left - right)).toEqual(positions);
    for (const key of ['E', 'F', 'G', 'L', 'M', 'N']) expect(list).not.toContain(`Queue order ${key}<`);
    const home = (await agent.get('/').expect(200)).text;
    for (const key of ['K', 'D', 'A', 'B', 'C', 'H', 'I', 'J']) expect(home).toContain(`Queue order ${key}`);
    expect(home).not.toContain('Queue order E');
  });
});

/**
 * Many requests due the same day (as when thousands are submitted on one day) whose creation instants tie or nearly tie
 * across stages (the same millisecond, one millisecond or one second apart): the order is creation, then id, on every
 * page at every page size, for a decider of two stages and of one.
 */
describe('Awaiting-me queue: one due date, tied creation instants', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let both: TestUser;
  const count = 26;
  const base = Date.UTC(2031, 4, 6, 9, 0, 0);
  // Creation offsets (ms) by request, in submission order: equal ones tie, and later requests are often created earlier.
  const offsets = [1000, 0, 0, 1, 999, 0, 1000, 1, 0, 2000, 1, 0, 999, 1000, 0, 1, 2000, 0, 1000, 1, 0, 999, 0, 1, 1000, 0];
  const sameDue = new Date(Date.UTC(2031, 4, 20, 0, 0, 0));
  const requests: { id: string; stage: 'MARKETING' | 'IT'; due: Date | null; created: number }[] = [];

  const queueIds = async (user: TestUser, page: number, pageSize: number) => {
    const res = await testApp.http().get(`/api/v1/requests?queue=awaiting-me&page=${page}&pageSize=${pageSize}`).set(user.auth).expect(200);
    return res.body as { items: { id: string; dueAt: string | null }[]; total: number };
  };
  const allPages = async (user: TestUser, pageSize: number, total: number) => {
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(total / pageSize) + 1; page++) {
      const body = await queueIds(user, page, pageSize);
      expect(body.total).toBe(total);
      expect(body.items.length).toBe(Math.max(0, Math.min(pageSize, total - (page - 1) * pageSize)));
      seen.push(...body.items.map((item) => item.id));
    }
    return seen;
  };
  /** The queue's order: due date (none first), creation, id. */
  const expectedOrder = (stages: string[]) =>
    requests
      .filter((request) => stages.includes(request.stage))
      .sort(
        (left, right) =>
          (left.due === null ? -1 : left.due.getTime()) - (right.due === null ? -1 : right.due.getTime()) ||
          left.created - right.created ||
          (left.id < right.id ? -1 : left.id > right.id ? 1 : 0),
      )
      .map((request) => request.id);

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00', REVIEW_SLA_BUSINESS_DAYS: '5' });
    cast = await makeCast(testApp);
    both = await makeUser(testApp, [Role.CMO, Role.CIO]);
    const costCenter = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    const setup = { costCenterId: costCenter.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
    for (let index = 0; index < count; index++) {
      const { id } = await makeRequest(testApp, cast.marketer, setup, { title: `Same day ${index}` });
      await submit(testApp, cast.marketer, id);
      const stage = index % 3 === 2 ? 'MARKETING' : 'IT';
      if (stage === 'IT') await decide(testApp, cast.cmo, id, { stage: 'MARKETING', decision: 'APPROVE' });
      // Three at marketing without a due date, tied on creation: the queue opens with a run from one stage.
      const due = [2, 5, 8].includes(index) ? null : sameDue;
      requests.push({ id, stage, due, created: base + offsets[index] });
    }
    for (const request of requests) {
      await testApp.dataSource
        .getRepository(ReviewStage)
        .update({ requestId: request.id, status: 'OPEN' as never }, { dueAt: request.due });
      await forgeCreatedAt(testApp, request.id, new Date(request.created));
    }
  });
  afterAll(async () => testApp?.close());

  it('pages a two-stage decider’s queue in creation, then id, order at every page size', async () => {
    const expected = expectedOrder(['MARKETING', 'IT']);
    expect(expected.length).toBe(count);
    expect((await queueIds(both, 1, 50)).items.map((item) => item.id)).toEqual(expected);
    for (const pageSize of [1, 2, 3, 4, 5, 7, 9, 13, 25, 26]) expect(await allPages(both, pageSize, count)).toEqual(expected);
  });

  it('pages each single-stage decider’s queue in the same order', async () => {
    const marketing = expectedOrder(['MARKETING']);
    const atIt = expectedOrder(['IT']);
    for (const pageSize of [1, 2, 3, 4, 8]) {
      expect(await allPages(cast.cmo, pageSize, marketing.length)).toEqual(marketing);
      expect(await allPages(cast.cio, pageSize, atIt.length)).toEqual(atIt);
    }
  });

  it('keeps the queue when the migration copies each request’s creation onto its stages (down, then up)', async () => {
    const differing = async () =>
      (
        await testApp.dataSource.query<{ n: number | string }[]>(
          'SELECT COUNT(*) AS n FROM review_stages s JOIN tool_requests r ON r.id = s.requestId ' +
            'WHERE s.requestCreatedAt IS NULL OR s.requestCreatedAt <> r.createdAt',
        )
      )[0].n;
    expect(Number(await differing())).toBe(0);
    const runner = testApp.dataSource.createQueryRunner();
    try {
      const migration = new ReviewStageRequestCreated1767002600000();
      await migration.down(runner);
      const table = await runner.getTable('review_stages');
      expect(table?.columns.map((column) => column.name)).not.toContain('requestCreatedAt');
      expect(table?.indices.find((index) => index.name === 'IDX_review_stages_queue')?.columnNames).toEqual([
        'stage',
        'status',
        'dueAt',
        'requestId',
        'round',
      ]);
      await migration.up(runner);
      const upgraded = await runner.getTable('review_stages');
      expect(upgraded?.columns.find((column) => column.name === 'requestCreatedAt')?.isNullable).toBe(false);
    } finally {
      await runner.release();
    }
    expect(Number(await differing())).toBe(0);
    const expected = expectedOrder(['MARKETING', 'IT']);
    for (const pageSize of [1, 4, 7]) expect(await allPages(both, pageSize, count)).toEqual(expected);
  });
});
