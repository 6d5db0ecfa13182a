import { CostCenterKind, Lifecycle } from '@stackgate/catalog';
import { AuditEvent } from '@stackgate/audit';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money, subcategory } from '../support/finance-factories';
import { makeRequest } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

/*
 * The renewal workbench (issue 23 §2): states per contract term, recorded decisions with their
 * permissions and refusals, the renewals report's state and decision, and the request warning.
 * The example: a sunsetting, auto-renewing contract on 25 seats with 6 active users, cancel by
 * 2026-12-01 (term 2026-01-01..2026-12-31, 30 days notice, 30 days lead), seen on 2026-12-04.
 */
describe('Renewal workbench', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let otherCmo: Awaited<ReturnType<typeof makeUser>>;
  let inactive: Awaited<ReturnType<typeof makeUser>>;
  const ids: Record<string, string> = {};
  const AS_OF = '2026-12-04';

  const contract = async (toolId: string, body: Record<string, unknown>) =>
    (
      await testApp
        .http()
        .post('/api/v1/contracts')
        .set(cast.finance.auth)
        .send({ toolId, billing: 'ANNUAL', amount: money('3000.00'), ...body })
        .expect(201)
    ).body.id as string;
  const list = async (query = '', who = cast.finance) =>
    (await testApp.http().get(`/api/v1/renewals?asOf=${AS_OF}${query}`).set(who.auth).expect(200)).body;
  const decide = (contractId: string, body: Record<string, unknown>, who = cast.finance) =>
    testApp.http().put(`/api/v1/renewals/${contractId}/decision`).set(who.auth).send(body);

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    otherCmo = await makeUser(testApp, [Role.CMO]);
    inactive = await makeUser(testApp, [Role.MARKETER]);
    await testApp.http().patch(`/api/v1/users/${inactive.id}`).set(cast.admin.auth).send({ active: false }).expect(200);
    const mkt = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING, ownerId: cast.cmo.id });
    const vendor = await makeVendor(testApp, { name: 'Webinar Co' });
    const sunset = await makeTool(testApp, {
      name: 'OldWebinars',
      vendor,
      subcategory: 'Events, Meetings & Webinars',
      budgetOwner: mkt,
      lifecycle: Lifecycle.SUNSETTING,
      licensedSeats: 25,
      activeUsers: 6,
    });
    const seo = await makeTool(testApp, {
      name: 'SeoSuite',
      vendor,
      subcategory: 'SEO',
      budgetOwner: mkt,
      licensedSeats: 10,
      activeUsers: 9,
    });
    const chat = await makeTool(testApp, { name: 'ChatNow', vendor, subcategory: 'SEO', budgetOwner: mkt });
    Object.assign(ids, { sunset: sunset.id, seo: seo.id, chat: chat.id, mkt: mkt.id });
    // Missed: cancel by 2026-12-01, 3 days ago.
    ids.missed = await contract(sunset.id, {
      reference: 'MISSED',
      startDate: '2026-01-01',
      termMonths: 12,
      seats: 25,
      autoRenew: true,
      noticeDays: 30,
      internalLeadDays: 30,
    });
    // Due and overdue: ends 2027-01-07, cancel by 2026-12-08 (4 days left).
    ids.overdue = await contract(seo.id, {
      reference: 'OVERDUE',
      startDate: '2026-01-08',
      termMonths: 12,
      seats: 10,
      noticeDays: 30,
      internalLeadDays: 30,
    });
    // Due, not overdue: ends 2027-01-31, cancel by 2027-01-01 (28 days left), review from 2026-12-02.
    ids.due = await contract(chat.id, { reference: 'DUE', startDate: '2026-02-01', termMonths: 12, noticeDays: 30, internalLeadDays: 30 });
    // Upcoming: ends 2027-03-31, cancel by 2027-03-01, review from 2027-01-30.
    ids.upcoming = await contract(chat.id, {
      reference: 'UPCOMING',
      startDate: '2026-04-01',
      termMonths: 12,
      noticeDays: 30,
      internalLeadDays: 30,
    });
    // Outside the 180-day window, and a term already over: neither is listed.
    ids.far = await contract(chat.id, { reference: 'FAR', startDate: '2026-12-01', termMonths: 24, noticeDays: 30 });
    ids.over = await contract(chat.id, { reference: 'OVER', startDate: '2025-01-01', termMonths: 12 });
    await testApp
      .http()
      .post('/api/v1/spend-entries')
      .set(cast.finance.auth)
      .send({ date: '2026-11-15', toolId: sunset.id, costType: 'LICENSE', amount: money('250.00') })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  it('lists current terms by cancel-by date with state, red flag, days left, utilisation and cost trend', async () => {
    const body = await list();
    expect(body.items.map((r: { reference: string }) => r.reference)).toEqual(['MISSED', 'OVERDUE', 'DUE', 'UPCOMING']);
    expect(body.items.map((r: { state: string; overdue: boolean }) => [r.state, r.overdue])).toEqual([
      ['MISSED', true],
      ['DECISION_DUE', true],
      ['DECISION_DUE', false],
      ['UPCOMING', false],
    ]);
    const missed = body.items[0];
    expect(missed).toMatchObject({
      tool: { id: ids.sunset, name: 'OldWebinars' },
      toolLifecycle: 'SUNSETTING',
      vendor: { name: 'Webinar Co' },
      cancelByDate: '2026-12-01',
      daysToCancelBy: -3,
      autoRenew: true,
      seats: 25,
      activeUsers: 6,
      utilisation: '0.2400',
      annualValue: money('3000.00'),
      decision: null,
      canDecide: true,
    });
    expect(missed.costTrend.map((p: { month: string }) => p.month)).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(missed.costTrend[4].amount).toEqual(money('250.00'));
    expect(missed.costTrendDirection).toBe('UP');
    expect(body.counts).toEqual({ UPCOMING: 1, DECISION_DUE: 2, MISSED: 1, DECIDED: 0 });
    expect(body.total).toBe(4);
  });

  it('filters by state and pages', async () => {
    expect((await list('&state=MISSED')).items.map((r: { reference: string }) => r.reference)).toEqual(['MISSED']);
    const page2 = await list('&pageSize=2&page=2');
    expect(page2.items.map((r: { reference: string }) => r.reference)).toEqual(['DUE', 'UPCOMING']);
    expect(page2.total).toBe(4);
  });

  it('refuses bad input with 400 and changes nothing', async () => {
    await testApp.http().get('/api/v1/renewals?state=LATE').set(cast.finance.auth).expect(400);
    await testApp.http().get('/api/v1/renewals?asOf=2026-02-30').set(cast.finance.auth).expect(400);
    const owner = cast.finance.id;
    for (const bad of [
      { decision: 'KEEP', ownerId: owner, rationale: 'x' },
      { decision: 'RENEW', ownerId: owner },
      { decision: 'RENEW', ownerId: owner, rationale: '' },
      { decision: 'RENEW', ownerId: 'nope', rationale: 'x' },
      { decision: 'RENEW', ownerId: owner, rationale: 'x', extra: 1 },
      { decision: 'DOWNSIZE', ownerId: owner, rationale: 'Too many seats' },
      { decision: 'DOWNSIZE', ownerId: owner, rationale: 'x', seats: 0 },
      { decision: 'RENEW', ownerId: owner, rationale: 'x', seats: 5 },
    ]) {
      const res = await decide(ids.missed, bad);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    await testApp
      .http()
      .put('/api/v1/renewals/not-a-uuid/decision')
      .set(cast.finance.auth)
      .send({ decision: 'RENEW', ownerId: owner, rationale: 'x' })
      .expect(400);
    await decide('0190f0f0-0000-7000-8000-000000000000', { decision: 'RENEW', ownerId: owner, rationale: 'x' }).expect(404);
    const notFewer = await decide(ids.missed, { decision: 'DOWNSIZE', ownerId: owner, rationale: 'x', seats: 25 }).expect(422);
    expect(notFewer.body.code).toBe('RENEWAL_SEATS_NOT_FEWER');
    const ghost = await decide(ids.missed, { decision: 'RENEW', ownerId: '0190f0f0-0000-7000-8000-000000000001', rationale: 'x' }).expect(
      422,
    );
    expect(ghost.body.code).toBe('REFERENCE_NOT_FOUND');
    await decide(ids.missed, { decision: 'RENEW', ownerId: inactive.id, rationale: 'x' }).expect(422);
    expect((await list('&state=DECIDED')).total).toBe(0);
  });

  it('lets finance record a decision: DECIDED, audited, shown with owner and rationale', async () => {
    const res = await decide(ids.missed, {
      decision: 'DOWNSIZE',
      seats: 8,
      ownerId: cast.marketer.id,
      rationale: 'Sunsetting; 6 of 25 seats used',
    }).expect(200);
    expect(res.body).toMatchObject({
      state: 'DECIDED',
      overdue: false,
      decision: {
        decision: 'DOWNSIZE',
        seats: 8,
        owner: { id: cast.marketer.id },
        rationale: 'Sunsetting; 6 of 25 seats used',
        decidedBy: { id: cast.finance.id },
        termEndDate: '2026-12-31',
        version: 1,
      },
    });
    const events = await testApp.dataSource.getRepository(AuditEvent).find({ where: { entityId: ids.missed, action: 'renewal.decided' } });
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBe(cast.finance.id);
  });

  it('versions the decision: a replacement needs the current version (stale is 409) and is audited with before/after', async () => {
    await decide(ids.missed, {
      decision: 'CANCEL',
      ownerId: cast.marketer.id,
      rationale: 'Replaced by the new platform',
      version: 7,
    }).expect(409);
    const res = await decide(ids.missed, {
      decision: 'CANCEL',
      ownerId: cast.marketer.id,
      rationale: 'Replaced by the new platform',
      version: 1,
    }).expect(200);
    expect(res.body.decision).toMatchObject({ decision: 'CANCEL', seats: null, version: 2 });
    await decide(ids.missed, { decision: 'RENEW', ownerId: cast.marketer.id, rationale: 'stale', version: 1 }).expect(409);
    const changed = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ where: { entityId: ids.missed, action: 'renewal.decision_changed' } });
    expect(changed).toHaveLength(1);
    expect(JSON.stringify(changed[0].changes)).toContain('DOWNSIZE');
    expect(JSON.stringify(changed[0].changes)).toContain('CANCEL');
    // Sending a version when there is no decision yet is stale too.
    await decide(ids.due, { decision: 'RENEW', ownerId: cast.marketer.id, rationale: 'x', version: 1 }).expect(409);
  });

  it('lets the CMO who owns the budget decide; refuses another CMO, IT, marketers and admins (403, audited)', async () => {
    await decide(ids.due, { decision: 'RENEGOTIATE', ownerId: cast.cmo.id, rationale: 'Ask for 15 % off' }, cast.cmo).expect(200);
    const before = await testApp.dataSource.getRepository(AuditEvent).count({ where: { action: 'authz.denied' } });
    const refused = await decide(ids.overdue, { decision: 'RENEW', ownerId: otherCmo.id, rationale: 'x' }, otherCmo).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    expect(await testApp.dataSource.getRepository(AuditEvent).count({ where: { action: 'authz.denied' } })).toBe(before + 1);
    for (const who of [cast.it, cast.marketer, cast.admin])
      await decide(ids.overdue, { decision: 'RENEW', ownerId: cast.finance.id, rationale: 'x' }, who).expect(403);
    // The CIO does not own the marketing budget.
    await decide(ids.overdue, { decision: 'RENEW', ownerId: cast.finance.id, rationale: 'x' }, cast.cio).expect(403);
    expect((await list('', otherCmo)).items.every((r: { canDecide: boolean }) => !r.canDecide)).toBe(true);
    expect((await list('', cast.cmo)).items.every((r: { canDecide: boolean }) => r.canDecide)).toBe(true);
    await testApp.http().get('/api/v1/renewals').set(cast.marketer.auth).expect(403);
    expect((await list('&state=DECIDED')).items.map((r: { reference: string }) => r.reference)).toEqual(['MISSED', 'DUE']);
  });

  it('refuses a decision on a cancelled contract (422) and starts over when the term changes', async () => {
    const contract = (await testApp.http().get(`/api/v1/contracts/${ids.far}`).set(cast.finance.auth).expect(200)).body;
    await testApp
      .http()
      .patch(`/api/v1/contracts/${ids.far}`)
      .set(cast.finance.auth)
      .send({ status: 'CANCELLED', version: contract.version })
      .expect(200);
    const res = await decide(ids.far, { decision: 'RENEW', ownerId: cast.finance.id, rationale: 'x' }).expect(422);
    expect(res.body.code).toBe('RENEWAL_CONTRACT_NOT_ACTIVE');
    // Extending the DUE contract's term by a year: the recorded decision was for the old term.
    const due = (await testApp.http().get(`/api/v1/contracts/${ids.due}`).set(cast.finance.auth).expect(200)).body;
    await testApp
      .http()
      .patch(`/api/v1/contracts/${ids.due}`)
      .set(cast.finance.auth)
      .send({ termMonths: 24, version: due.version })
      .expect(200);
    const row = (await testApp.http().get(`/api/v1/renewals/${ids.due}?`).set(cast.finance.auth).expect(200)).body;
    expect(row).toMatchObject({ state: 'UPCOMING', decision: null });
  });

  it('shows state and decision in the renewals report (JSON, CSV, HTML)', async () => {
    const json = (await testApp.http().get(`/api/v1/reports/renewals?asOf=${AS_OF}&withinDays=120`).set(cast.finance.auth).expect(200))
      .body;
    const byRef = Object.fromEntries(json.items.map((i: { reference: string }) => [i.reference, i]));
    expect(byRef.MISSED).toMatchObject({
      state: 'DECIDED',
      overdue: false,
      decision: {
        decision: 'CANCEL',
        owner: { id: cast.marketer.id },
        rationale: 'Replaced by the new platform',
        decidedBy: { id: cast.finance.id },
      },
    });
    expect(byRef.OVERDUE).toMatchObject({ state: 'DECISION_DUE', overdue: true, decision: null });
    const csv = (
      await testApp.http().get(`/api/v1/reports/renewals?asOf=${AS_OF}&withinDays=120&format=csv`).set(cast.finance.auth).expect(200)
    ).text;
    expect(csv.split('\r\n')[0]).toContain('state,overdue,decision,decisionSeats,decisionOwner,decisionRationale,decidedBy,decidedAt');
    expect(csv).toMatch(/MISSED,.*DECIDED,false,CANCEL,,/);
    const html = (
      await testApp.http().get(`/api/v1/reports/renewals?asOf=${AS_OF}&withinDays=120&format=html`).set(cast.finance.auth).expect(200)
    ).text;
    expect(html).toContain('Decision due');
    expect(html).toContain('class="renewal-red"');
    expect(html).toContain('Replaced by the new platform');
  });

  it('warns on requests that integrate with a sunsetting tool or one to be cancelled', async () => {
    const sub = await subcategory(testApp, 'Events, Meetings & Webinars');
    const r1 = await makeRequest(testApp, cast.marketer, { costCenterId: ids.mkt, subcategoryId: sub.id, targetToolId: ids.sunset });
    const d1 = (await testApp.http().get(`/api/v1/requests/${r1.id}`).set(cast.marketer.auth).expect(200)).body;
    expect(d1.toolWarnings.map((w: { toolName: string; reason: string }) => [w.toolName, w.reason])).toEqual([
      ['OldWebinars', 'RENEWAL_CANCEL'],
      ['OldWebinars', 'SUNSETTING'],
    ]);
    expect(d1.toolWarnings[0].message).toContain('to be cancelled');
    const r2 = await makeRequest(testApp, cast.marketer, { costCenterId: ids.mkt, subcategoryId: sub.id, targetToolId: ids.seo });
    expect((await testApp.http().get(`/api/v1/requests/${r2.id}`).set(cast.marketer.auth).expect(200)).body.toolWarnings).toEqual([]);
    // The request page shows the same warning; a request without one shows none.
    const agent = await signIn(testApp, cast.marketer);
    const page = (await agent.get(`/requests/${r1.id}`).expect(200)).text;
    expect(page).toContain('Depends on a tool that is going away');
    expect(page).toMatch(/OldWebinars<\/a>: being sunset/);
    expect(page).toMatch(/OldWebinars<\/a>: its renewal decision is to cancel it/);
    expect((await agent.get(`/requests/${r2.id}`).expect(200)).text).not.toContain('Depends on a tool that is going away');
  });

  it('web workbench: lists rows in red, refuses a bad form with 400 next to the field, records a decision (303)', async () => {
    const agent = await signIn(testApp, cast.finance);
    const page = (await agent.get('/renewals?state=DECISION_DUE').expect(200)).text;
    expect(page).toContain('class="renewal-row renewal-red" id="renewal-' + ids.overdue + '"');
    const csrf = csrfOf(page);
    const bad = await agent
      .post(`/renewals/${ids.overdue}/decision`)
      .type('form')
      .send({ _csrf: csrf, decision: 'RENEW', ownerId: cast.finance.id, rationale: '' })
      .expect(400);
    expect(bad.text).toMatch(/id="rationale-[0-9a-f-]+-err">Rationale: /);
    const ok = await agent
      .post(`/renewals/${ids.overdue}/decision`)
      .type('form')
      .send({ _csrf: csrf, decision: 'RENEW', ownerId: cast.finance.id, rationale: 'Used by 9 of 10', seats: '' })
      .expect(303);
    expect(ok.headers.location).toBe('/renewals');
    const row = (await testApp.http().get(`/api/v1/renewals/${ids.overdue}`).set(cast.finance.auth).expect(200)).body;
    expect(row.decision).toMatchObject({ decision: 'RENEW', rationale: 'Used by 9 of 10' });
    // A marketer cannot open the workbench.
    await (await signIn(testApp, cast.marketer)).get('/renewals').expect(403);
  });
});
