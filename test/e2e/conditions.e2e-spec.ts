import { AuditEvent } from '@stackgate/audit';
import { Notification } from '@stackgate/notifications';
import { JobScheduler, Role } from '@stackgate/platform';
import { RequestCondition } from '@stackgate/procurement';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Conditions of an approval as trackable items: recorded with the decision, open → done → verified, reminders. */
describe('Conditions as trackable items', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let it2: TestUser;
  let setup: RequestSetup;

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
    it2 = await makeUser(testApp, [Role.IT]);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
  });
  afterAll(async () => testApp?.close());

  const atIt = async (title: string) => {
    const request = await makeRequest(testApp, cast.marketer, setup, { title });
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, request.id);
    return request;
  };
  const post = (u: TestUser, id: string, action: string, body: Record<string, unknown> = {}) =>
    testApp.http().post(`/api/v1/conditions/${id}/${action}`).set(u.auth).send(body);
  const get = async (u: TestUser, id: string) => (await testApp.http().get(`/api/v1/requests/${id}`).set(u.auth).expect(200)).body;
  const notes = (event: string, entityId: string) => testApp.dataSource.getRepository(Notification).find({ where: { event, entityId } });

  it("records the CIO's conditions as items, keeps the joined text, and refuses bad items changing nothing", async () => {
    const request = await atIt('Conditions: bad input');
    const before = await get(cast.cio, request.id);
    const item = { text: 'Sign the DPA', ownerId: cast.marketer.id, dueDate: day(5) };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ stage: 'IT', decision: 'APPROVE', conditionItems: [item] }, 400, 'CONDITION_ITEMS_INVALID'],
      [
        { stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditionItems: [{ ...item, dueDate: day(-1) }] },
        400,
        'CONDITION_ITEMS_INVALID',
      ],
      [{ stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditionItems: [{ ...item, text: '   ' }] }, 400, 'VALIDATION_FAILED'],
      [
        { stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditions: 'Other text', conditionItems: [item] },
        400,
        'CONDITION_ITEMS_INVALID',
      ],
      [
        {
          stage: 'IT',
          decision: 'APPROVE_WITH_CONDITIONS',
          conditionItems: [{ ...item, ownerId: '0190aaaa-0000-7000-8000-000000000000' }],
        },
        422,
        'CONDITION_OWNER_UNKNOWN',
      ],
      [{ stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditionItems: [{ ...item, ownerId: 'nope' }] }, 400, 'VALIDATION_FAILED'],
      [{ stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditionItems: [] }, 400, 'CONDITIONS_REQUIRED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await testApp
        .http()
        .post(`/api/v1/requests/${request.id}/decisions`)
        .set(cast.cio.auth)
        .send({ version: before.version, ...body });
      expect([res.status, res.body.code, JSON.stringify(body)]).toEqual([status, code, JSON.stringify(body)]);
    }
    const after = await get(cast.cio, request.id);
    expect(after).toMatchObject({ version: before.version, currentStage: 'IT', conditionItems: [] });
    expect(await testApp.dataSource.getRepository(RequestCondition).count({ where: { requestId: request.id } })).toBe(0);
  });

  it('walks open → done → verified with the right people, every bad move a clear 4xx, audited and notified', async () => {
    const request = await atIt('Conditions: walk');
    const decided = await decide(testApp, cast.cio, request.id, {
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      comment: 'Fine with conditions',
      conditionItems: [
        { text: 'Sign the DPA', ownerId: cast.marketer.id, dueDate: day(5) },
        { text: 'Enable SSO', ownerId: cast.it.id, dueDate: day(10) },
      ],
    });
    expect(decided.stages.find((s: { stage: string }) => s.stage === 'IT').conditions).toBe('Sign the DPA\nEnable SSO');
    expect(decided.conditionItems).toEqual([
      expect.objectContaining({
        text: 'Sign the DPA',
        ownerId: cast.marketer.id,
        state: 'OPEN',
        stage: 'IT',
        position: 0,
        toolId: null,
        pastDue: false,
        createdById: cast.cio.id,
      }),
      expect.objectContaining({ text: 'Enable SSO', ownerId: cast.it.id, state: 'OPEN', position: 1 }),
    ]);
    const [dpa, sso] = decided.conditionItems as { id: string }[];
    // Not approved yet: the conditions cannot move.
    expect((await post(cast.marketer, dpa.id, 'done').expect(409)).body.code).toBe('CONDITION_NOT_ACTIVE');
    expect(await notes('condition-assigned', dpa.id)).toEqual([]);

    const approved = await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'APPROVE' });
    const tool = (await testApp.http().get(`/api/v1/tools/${approved.toolId}`).set(cast.marketer.auth).expect(200)).body;
    expect(tool.itApproval).toMatchObject({ status: 'APPROVED_WITH_CONDITIONS', conditions: 'Sign the DPA\nEnable SSO' });
    expect((await notes('condition-assigned', dpa.id)).map((n) => n.recipientId)).toEqual([cast.marketer.id]);
    expect((await notes('condition-assigned', sso.id)).map((n) => n.recipientId)).toEqual([cast.it.id]);

    // done: owner, IT or CIO only.
    for (const user of [cast.cmo, cast.finance, cast.admin])
      expect((await post(user, dpa.id, 'done').expect(403)).body.code).toBe('CONDITION_NOT_OWNER');
    expect((await post(cast.marketer, sso.id, 'done').expect(403)).body.code).toBe('CONDITION_NOT_OWNER');
    expect((await post(cast.it, dpa.id, 'verify').expect(409)).body).toMatchObject({
      code: 'CONDITION_STATE',
      message: expect.stringContaining('still open'),
    });
    const done = (await post(cast.marketer, dpa.id, 'done').expect(200)).body;
    expect(done).toMatchObject({ state: 'DONE', doneById: cast.marketer.id, doneByName: expect.any(String), toolId: approved.toolId });
    expect(done.doneAt).toBeTruthy();
    expect((await post(cast.marketer, dpa.id, 'done').expect(409)).body.code).toBe('CONDITION_STATE');
    expect((await notes('condition-done', dpa.id)).map((n) => n.recipientId).sort()).toEqual([cast.it.id, it2.id].sort());

    // verify: IT or CIO only, not who marked it done.
    for (const user of [cast.marketer, cast.cmo, cast.finance])
      expect((await post(user, dpa.id, 'verify').expect(403)).body.code).toBe('CONDITION_VERIFIER_ONLY');
    const verified = (await post(cast.it, dpa.id, 'verify').expect(200)).body;
    expect(verified).toMatchObject({ state: 'VERIFIED', verifiedById: cast.it.id, doneById: cast.marketer.id });
    expect((await post(cast.cio, dpa.id, 'verify').expect(409)).body.code).toBe('CONDITION_STATE');

    await post(cast.it, sso.id, 'done').expect(200);
    expect((await post(cast.it, sso.id, 'verify').expect(403)).body.code).toBe('CONDITION_SELF_VERIFY');
    // reopen: IT/CIO with a reason; the owner hears why.
    expect((await post(cast.cio, sso.id, 'reopen', {}).expect(400)).body.code).toBe('REASON_REQUIRED');
    expect((await post(cast.marketer, dpa.id, 'reopen', { reason: 'x' }).expect(403)).body.code).toBe('CONDITION_VERIFIER_ONLY');
    const reopened = (await post(cast.cio, sso.id, 'reopen', { reason: 'SSO is enabled for admins only' }).expect(200)).body;
    expect(reopened).toMatchObject({
      state: 'OPEN',
      reopenReason: 'SSO is enabled for admins only',
      reopenedById: cast.cio.id,
      doneById: null,
    });
    expect((await notes('condition-reopened', sso.id)).map((n) => n.recipientId)).toEqual([cast.it.id]);
    expect((await post(cast.cio, sso.id, 'reopen', { reason: 'again' }).expect(409)).body.code).toBe('CONDITION_STATE');
    await post(cast.it, '0190aaaa-0000-7000-8000-000000000000', 'done').expect(404);
    await post(cast.it, 'not-a-uuid', 'done').expect(400);

    const trail = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ where: { entityType: 'RequestCondition', entityId: sso.id }, order: { chainSeq: 'ASC' } });
    expect(trail.map((e) => e.action)).toEqual([
      'condition.created',
      'authz.denied',
      'condition.done',
      'authz.denied',
      'condition.reopened',
    ]);
    expect(trail[1]).toMatchObject({ actorId: cast.marketer.id, metadata: expect.objectContaining({ reason: 'CONDITION_NOT_OWNER' }) });
    expect(trail[4]).toMatchObject({ actorId: cast.cio.id });

    // Lists: the owner's "to do", the tool's conditions; a marketer sees only theirs.
    const mine = (await testApp.http().get('/api/v1/conditions?owner=me&state=OPEN').set(cast.it.auth).expect(200)).body.items;
    expect(mine.map((c: { id: string }) => c.id)).toEqual([sso.id]);
    const forTool = (await testApp.http().get(`/api/v1/conditions?toolId=${approved.toolId}`).set(cast.cio.auth).expect(200)).body.items;
    expect(forTool.map((c: { state: string }) => c.state)).toEqual(['VERIFIED', 'OPEN']);
    const other = await makeUser(testApp, [Role.MARKETER]);
    expect((await testApp.http().get(`/api/v1/conditions?toolId=${approved.toolId}`).set(other.auth).expect(200)).body.items).toEqual([]);
    await post(other, dpa.id, 'done').expect(404);
    await testApp.http().get('/api/v1/conditions?state=CLOSED').set(cast.it.auth).expect(400);
  });

  it('reminds owners before the due date and after it, once per condition and week, and lists it as past due', async () => {
    const request = await atIt('Conditions: reminders');
    const decided = await decide(testApp, cast.cio, request.id, {
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      conditionItems: [
        { text: 'Soon', ownerId: cast.marketer.id, dueDate: day(2) },
        { text: 'Late', ownerId: cast.marketer.id, dueDate: day(1) },
        { text: 'Later', ownerId: cast.marketer.id, dueDate: day(30) },
      ],
    });
    await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'APPROVE' });
    const [soon, late, later] = decided.conditionItems as { id: string }[];
    await testApp.dataSource.getRepository(RequestCondition).update({ id: late.id }, { dueDate: day(-3) });
    const scheduler = testApp.app.get(JobScheduler);
    const now = new Date(Date.now() + 1000);
    await scheduler.tick(now);
    await scheduler.tick(now);
    expect((await notes('condition-due-soon', soon.id)).map((n) => n.recipientId)).toEqual([cast.marketer.id]);
    expect((await notes('condition-overdue', late.id)).map((n) => n.recipientId).sort()).toEqual([cast.marketer.id, cast.cio.id].sort());
    expect(await notes('condition-due-soon', later.id)).toEqual([]);
    expect(await notes('condition-overdue', soon.id)).toEqual([]);
    // A week later: another past-due reminder, still one per recipient.
    await scheduler.tick(new Date(Date.now() + 7 * 86_400_000));
    expect(await notes('condition-overdue', late.id)).toHaveLength(4);
    const pastDue = (await testApp.http().get('/api/v1/conditions?pastDue=true').set(cast.cio.auth).expect(200)).body.items;
    expect(pastDue.map((c: { id: string }) => c.id)).toEqual([late.id]);
    expect(pastDue[0]).toMatchObject({ pastDue: true, state: 'OPEN' });
  });
});

describe('Governance: approved tools with open conditions past due', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  it('lists the tool in JSON, CSV and HTML, read through procurement, and drops it once the condition is done', async () => {
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    const requestSetup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
    const request = await makeRequest(testApp, cast.marketer, requestSetup, { title: 'Governance: conditioned' });
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, request.id);
    const decided = await decide(testApp, cast.cio, request.id, {
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      conditionItems: [
        { text: 'A', ownerId: cast.marketer.id, dueDate: day(1) },
        { text: 'B', ownerId: cast.marketer.id, dueDate: day(2) },
        { text: 'C', ownerId: cast.marketer.id, dueDate: day(20) },
      ],
    });
    const approved = await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'APPROVE' });
    const [firstItem, secondItem] = decided.conditionItems as { id: string }[];
    await testApp.dataSource.getRepository(RequestCondition).update({ id: firstItem.id }, { dueDate: day(-10) });
    await testApp.dataSource.getRepository(RequestCondition).update({ id: secondItem.id }, { dueDate: day(-2) });
    const json = (await testApp.http().get('/api/v1/reports/governance').set(cast.cio.auth).expect(200)).body;
    expect(json.openConditionsPastDue).toEqual([
      {
        tool: { id: approved.toolId, name: approved.proposedTool.name },
        request: { id: request.id, title: 'Governance: conditioned' },
        openPastDue: 2,
        oldestDueDate: day(-10),
      },
    ]);
    const csv = (await testApp.http().get('/api/v1/reports/governance?format=csv').set(cast.cio.auth).expect(200)).text;
    expect(csv).toContain(`open_conditions_past_due,${approved.proposedTool.name},2 open past due since ${day(-10)}`);
    const html = (await testApp.http().get('/api/v1/reports/governance?format=html').set(cast.cio.auth).expect(200)).text;
    expect(html).toContain('Approved tools with open conditions past due');
    expect(html).toContain('Governance: conditioned');
    await testApp.http().post(`/api/v1/conditions/${firstItem.id}/done`).set(cast.marketer.auth).send({}).expect(200);
    await testApp.http().post(`/api/v1/conditions/${secondItem.id}/done`).set(cast.marketer.auth).send({}).expect(200);
    expect((await testApp.http().get('/api/v1/reports/governance').set(cast.cio.auth).expect(200)).body.openConditionsPastDue).toEqual([]);
  });
});
