import { Notification } from '@stackgate/notifications';
import { Role } from '@stackgate/platform';
import { ReviewStage } from '@stackgate/procurement';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';

/** IT's queue: requests awaiting an IT assessment of their current round, overdue first, and the notice when the IT stage opens. */
describe('IT queue: awaiting assessment', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let it2: TestUser, marketerIt: TestUser;
  let setup: RequestSetup;

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00', REVIEW_SLA_BUSINESS_DAYS: '5' });
    cast = await makeCast(testApp);
    [it2, marketerIt] = await Promise.all([makeUser(testApp, [Role.IT]), makeUser(testApp, [Role.MARKETER, Role.IT])]);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
  });
  afterAll(async () => testApp?.close());

  const queue = async (u: TestUser, extra = '') =>
    (await testApp.http().get(`/api/v1/requests?queue=awaiting-assessment${extra}`).set(u.auth).expect(200)).body;
  const ids = (page: { items: { id: string }[] }) => page.items.map((r) => r.id);
  const notices = (id: string) =>
    testApp.dataSource.getRepository(Notification).find({ where: { event: 'assessment-needed', entityId: id } });
  const setDue = (id: string, stage: string, dueAt: Date) =>
    testApp.dataSource.getRepository(ReviewStage).update({ requestId: id, stage: stage as never, status: 'OPEN' as never }, { dueAt });

  it('holds requests in review at the IT stage or before it that IT has not assessed this round, overdue first, and nothing else', async () => {
    const atMarketing = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: at marketing' });
    await submit(testApp, cast.marketer, atMarketing.id);
    const atIt = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: at IT, overdue' });
    await submit(testApp, cast.marketer, atIt.id);
    await decide(testApp, cast.cmo, atIt.id, { stage: 'MARKETING', decision: 'APPROVE' });
    const assessed = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: assessed' });
    await submit(testApp, cast.marketer, assessed.id);
    await decide(testApp, cast.cmo, assessed.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, assessed.id);
    const assessedAhead = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: assessed ahead' });
    await submit(testApp, cast.marketer, assessedAhead.id);
    await assess(testApp, cast.it, assessedAhead.id);
    const atFinance = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: at finance' });
    await submit(testApp, cast.marketer, atFinance.id);
    await decide(testApp, cast.cmo, atFinance.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, atFinance.id);
    await decide(testApp, cast.cio, atFinance.id, { stage: 'IT', decision: 'APPROVE' });
    const draft = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: draft' });
    const own = await makeRequest(testApp, marketerIt, setup, { title: 'Queue: own request of an IT user' });
    await submit(testApp, marketerIt, own.id);

    // The IT stage is overdue; the marketing one is due later than the other marketing-stage request.
    await setDue(atIt.id, 'IT', new Date(Date.now() - 86_400_000));
    await setDue(atMarketing.id, 'MARKETING', new Date(Date.now() + 2 * 86_400_000));
    await setDue(own.id, 'MARKETING', new Date(Date.now() + 86_400_000));

    const mine = await queue(cast.it);
    // Overdue first, then the IT stage before the stages IT assesses ahead, then by due date.
    expect(ids(mine)).toEqual([atIt.id, own.id, atMarketing.id]);
    expect(mine.total).toBe(3);
    expect(mine.items[0]).toMatchObject({ overdue: true, currentStage: 'IT', status: 'IN_REVIEW' });
    expect(mine.items[2]).toMatchObject({ overdue: false, currentStage: 'MARKETING' });
    for (const out of [assessed, assessedAhead, atFinance, draft]) expect(ids(mine)).not.toContain(out.id);

    // Nobody assesses their own request: it is not in its requester's queue.
    expect(ids(await queue(marketerIt))).toEqual([atIt.id, atMarketing.id]);
    // The CIO may assess too, and sees the same queue.
    expect(ids(await queue(cast.cio))).toEqual([atIt.id, own.id, atMarketing.id]);
    // Filters and an explicit sort combine with the queue.
    expect(ids(await queue(cast.it, '&sort=title'))).toEqual([atIt.id, atMarketing.id, own.id]);
    expect((await queue(cast.it, '&type=RENEWAL')).total).toBe(0);
    expect(ids(await queue(cast.it, '&pageSize=1&page=2'))).toEqual([own.id]);

    // A request at the IT stage that is not overdue still comes before those at marketing.
    const atIt2 = await makeRequest(testApp, cast.marketer, setup, { title: 'Queue: at IT, due later' });
    await submit(testApp, cast.marketer, atIt2.id);
    await decide(testApp, cast.cmo, atIt2.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await setDue(atIt2.id, 'IT', new Date(Date.now() + 10 * 86_400_000));
    expect(ids(await queue(cast.it))).toEqual([atIt.id, atIt2.id, own.id, atMarketing.id]);
    expect(ids(await queue(cast.it, '&pageSize=2&page=2'))).toEqual([own.id, atMarketing.id]);
    expect((await queue(cast.it, '&pageSize=2&page=2')).total).toBe(4);

    // Assessing takes a request out of the queue.
    await assess(testApp, it2, atIt.id);
    await assess(testApp, it2, atIt2.id);
    expect(ids(await queue(cast.it))).toEqual([own.id, atMarketing.id]);
  });

  it('is empty for roles that do not assess, and refuses an unknown queue with 400', async () => {
    for (const user of [cast.marketer, cast.cmo, cast.finance, cast.admin])
      expect(await queue(user)).toMatchObject({ items: [], total: 0 });
    const bad = await testApp.http().get('/api/v1/requests?queue=awaiting-assesment').set(cast.it.auth).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await testApp.http().get('/api/v1/requests?queue=awaiting-assessment').expect(401);
  });

  it('tells every IT user but the requester when a request reaches the IT stage unassessed, once per round, in-app and through the e-mail outbox', async () => {
    const request = await makeRequest(testApp, marketerIt, setup, { title: 'Notice: reaches IT' });
    await submit(testApp, marketerIt, request.id);
    expect(await notices(request.id)).toEqual([]);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    const rows = await notices(request.id);
    expect(rows.map((n) => n.recipientId).sort()).toEqual([cast.it.id, it2.id].sort());
    expect(rows[0]).toMatchObject({
      link: `/requests/${request.id}`,
      entityType: 'ToolRequest',
      recipientEmail: expect.stringContaining('@'),
    });
    expect(rows[0].subject).toBe('IT assessment needed: Notice: reaches IT');
    expect(rows[0].body).toContain('/requests?queue=awaiting-assessment');
    const inbox = (await testApp.http().get('/api/v1/notifications?pageSize=200').set(cast.it.auth).expect(200)).body.items as {
      event: string;
      entityId: string;
    }[];
    expect(inbox.filter((n) => n.event === 'assessment-needed' && n.entityId === request.id)).toHaveLength(1);
    // The CIO still hears that the IT stage waits for their decision; it is not an assessment notice.
    expect(rows.map((n) => n.recipientId)).not.toContain(cast.cio.id);

    // Sent back and resubmitted: a new round reaching IT is a new notice.
    await decide(testApp, cast.cio, request.id, { stage: 'IT', decision: 'REQUEST_CHANGES', comment: 'Add the DPA' });
    await submit(testApp, marketerIt, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    expect(await notices(request.id)).toHaveLength(4);
    expect(ids(await queue(cast.it))).toContain(request.id);
  });

  it('says nothing when IT already assessed the round before the IT stage opened', async () => {
    const request = await makeRequest(testApp, cast.marketer, setup, { title: 'Notice: assessed ahead' });
    await submit(testApp, cast.marketer, request.id);
    await assess(testApp, cast.it, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    expect(await notices(request.id)).toEqual([]);
    expect(ids(await queue(cast.it))).not.toContain(request.id);
  });

  it('shows IT its queue on the home page and as the default requests list, overdue marked', async () => {
    const request = await makeRequest(testApp, cast.marketer, setup, { title: 'Web: waits for IT' });
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await setDue(request.id, 'IT', new Date(Date.now() - 3_600_000));
    const agent = await signIn(testApp, cast.it);
    const home = (await agent.get('/').expect(200)).text;
    expect(home).toMatch(/Awaiting IT assessment \(\d+, <span class="badge badge-rejected">\d+ overdue<\/span>\)/);
    expect(home).toContain(`href="/requests/${request.id}"`);
    expect(home).toContain('href="/requests?queue=awaiting-assessment"');
    const list = (await agent.get('/requests').expect(200)).text;
    expect(list).toContain('aria-current="page">Awaiting assessment</a>');
    expect(list).toContain('waiting for an IT assessment of their current round, overdue first');
    expect(list.indexOf(`/requests/${request.id}"`)).toBeGreaterThan(0);
    expect((await agent.get('/requests?queue=awaiting-assessment').expect(200)).text).toContain('Web: waits for IT');
    // A marketer's home has no such card, and the CIO's list offers the tab.
    const marketerHome = (await (await signIn(testApp, cast.marketer)).get('/').expect(200)).text;
    expect(marketerHome).not.toContain('Awaiting IT assessment');
    expect((await (await signIn(testApp, cast.cio)).get('/requests').expect(200)).text).toContain('>Awaiting assessment</a>');
  });
});
