import { AuditEvent } from '@stackgate/audit';
import { Notification } from '@stackgate/notifications';
import { JobScheduler, Role } from '@stackgate/platform';
import { ReviewStage } from '@stackgate/procurement';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Review workflow: requests, stages, decisions, catalog on approval', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let marketerB: TestUser, boss: TestUser;
  let setup: RequestSetup;
  let crm: { id: string; name: string };

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00', REVIEW_SLA_BUSINESS_DAYS: '5' });
    cast = await makeCast(testApp);
    [marketerB, boss] = await Promise.all([makeUser(testApp, [Role.MARKETER]), makeUser(testApp, [Role.CIO, Role.FINANCE])]);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    crm = await makeTool(testApp, cast.it, {
      budgetOwnerId: cc.id,
      name: 'Workflow CRM',
      subcategoryId: await subcategoryId(testApp, 'CRM'),
      isSystemOfRecord: true,
    });
    await makeTool(testApp, cast.marketer, {
      budgetOwnerId: cc.id,
      name: 'Existing Webinars',
      subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars'),
      capabilities: ['webinars'],
    });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars'), targetToolId: crm.id };
  });
  afterAll(async () => testApp?.close());

  const inbox = async (u: TestUser) =>
    (await testApp.http().get('/api/v1/notifications?pageSize=200').set(u.auth).expect(200)).body.items as {
      event: string;
      entityId: string;
    }[];
  const events = (id: string) =>
    testApp.dataSource.getRepository(AuditEvent).find({ where: { entityType: 'ToolRequest', entityId: id }, order: { chainSeq: 'ASC' } });

  it('walks the whole path: draft, submit, CMO, IT assessment, CIO with conditions, finance — and the tool is in the catalog', async () => {
    const draft = await makeRequest(testApp, cast.marketer, setup);
    expect(draft).toMatchObject({ status: 'DRAFT', round: 0, currentStage: null });
    expect(draft.overlapCandidates.map((o: { name: string }) => o.name)).toContain('Existing Webinars');
    expect(draft.integrationImpact).toMatchObject({ personalDataFlows: 1, unapprovedTargets: 1, connectsToSystemOfRecord: true });

    const submitted = await submit(testApp, cast.marketer, draft.id);
    expect(submitted).toMatchObject({ status: 'IN_REVIEW', round: 1, currentStage: 'MARKETING' });
    expect(submitted.stages.map((s: { stage: string; status: string }) => `${s.stage}:${s.status}`)).toEqual([
      'MARKETING:OPEN',
      'IT:PENDING',
      'FINANCE:PENDING',
    ]);
    expect(submitted.stages[0].dueAt).toBeTruthy();
    expect((await inbox(cast.cmo)).some((n) => n.event === 'review-needed' && n.entityId === draft.id)).toBe(true);
    const queue = await testApp.http().get('/api/v1/requests?queue=awaiting-me').set(cast.cmo.auth).expect(200);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(draft.id);

    await decide(testApp, cast.cmo, draft.id, { stage: 'MARKETING', decision: 'APPROVE', comment: 'Fits the demand plan' });
    expect((await inbox(cast.marketer)).some((n) => n.event === 'stage-decided')).toBe(true);
    expect((await inbox(cast.cio)).some((n) => n.event === 'review-needed' && n.entityId === draft.id)).toBe(true);

    const assessed = await testApp
      .http()
      .post(`/api/v1/requests/${draft.id}/assessment`)
      .set(cast.it.auth)
      .send({
        ssoSupported: true,
        securityAttestation: 'SOC2',
        dpaInPlace: true,
        dataResidency: 'EU',
        integrationMethod: 'API',
        risks: 'Lead data leaves the EU on support tickets',
        recommendation: 'Approve with EU hosting',
      })
      .expect(201);
    expect(assessed.body.assessment).toMatchObject({ ssoSupported: true, securityAttestation: 'SOC2', dataResidency: 'EU' });

    await decide(testApp, cast.cio, draft.id, {
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      conditions: 'EU data center only',
      comment: 'Security review passed',
    });
    const atFinance = (await testApp.http().get(`/api/v1/requests/${draft.id}`).set(cast.finance.auth).expect(200)).body;
    expect(atFinance).toMatchObject({ status: 'IN_REVIEW', currentStage: 'FINANCE' });
    expect(atFinance.assessment.recommendation).toBe('Approve with EU hosting');

    const approved = await decide(testApp, cast.finance, draft.id, { stage: 'FINANCE', decision: 'APPROVE' });
    expect(approved).toMatchObject({ status: 'APPROVED', currentStage: null });
    expect(approved.toolId).toBeTruthy();

    const tool = (await testApp.http().get(`/api/v1/tools/${approved.toolId}`).set(cast.marketer.auth).expect(200)).body;
    expect(tool).toMatchObject({
      name: draft.proposedTool.name,
      lifecycle: 'APPROVED',
      businessOwnerId: cast.marketer.id,
      budgetOwnerId: setup.costCenterId,
      itApproval: { status: 'APPROVED_WITH_CONDITIONS', conditions: 'EU data center only', decidedById: cast.cio.id },
      dataClassification: 'PERSONAL',
      vendor: { name: 'Webinar Vendor Ltd' },
    });
    const flows = (await testApp.http().get(`/api/v1/integrations?toolId=${approved.toolId}`).set(cast.marketer.auth).expect(200)).body
      .items;
    expect(flows).toEqual([
      expect.objectContaining({ sourceToolId: approved.toolId, targetToolId: crm.id, status: 'PLANNED', carriesPersonalData: true }),
    ]);

    const trail = (await events(draft.id)).map((e) => e.action);
    expect(trail).toEqual([
      'request.created',
      'request.submitted',
      'request.decided',
      'request.assessed',
      'request.decided',
      'request.decided',
    ]);
    for (const user of [cast.marketer, cast.cmo, cast.cio])
      expect((await inbox(user)).some((n) => n.event === 'request-approved' && n.entityId === draft.id)).toBe(true);
    expect((await inbox(cast.finance)).some((n) => n.event === 'request-approved')).toBe(false);
  });

  it('refuses the wrong deciders and leaves the request unchanged', async () => {
    const own = await makeRequest(testApp, cast.cmo, setup);
    await submit(testApp, cast.cmo, own.id);
    const before = (await testApp.http().get(`/api/v1/requests/${own.id}`).set(cast.cmo.auth).expect(200)).body;
    const refused = await decide(testApp, cast.cmo, own.id, { stage: 'MARKETING', decision: 'APPROVE' }, 403);
    expect(refused.code).toBe('OWN_REQUEST');
    const after = (await testApp.http().get(`/api/v1/requests/${own.id}`).set(cast.cmo.auth).expect(200)).body;
    expect(after).toEqual(before);
    expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'authz.denied', entityId: own.id })).toBe(1);

    // A CIO who decided IT cannot also decide FINANCE, even holding FINANCE.
    const request = await makeRequest(testApp, cast.marketer, setup);
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, request.id);
    await decide(testApp, boss, request.id, { stage: 'IT', decision: 'APPROVE' });
    const twice = await decide(testApp, boss, request.id, { stage: 'FINANCE', decision: 'APPROVE' }, 403);
    expect(twice.code).toBe('ONE_STAGE_PER_PERSON');
    // Wrong stage, stale version.
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' }, 409);
    const cur = (await testApp.http().get(`/api/v1/requests/${request.id}`).set(cast.finance.auth).expect(200)).body;
    const stale = await testApp
      .http()
      .post(`/api/v1/requests/${request.id}/decisions`)
      .set(cast.finance.auth)
      .send({ version: cur.version - 1, stage: 'FINANCE', decision: 'APPROVE' })
      .expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    expect((await testApp.http().get(`/api/v1/requests/${request.id}`).set(cast.finance.auth).expect(200)).body).toEqual(cur);
    // A rejection ends it; a final request takes no more decisions.
    await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'REJECT' }, 400);
    await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'REJECT', comment: 'No budget this year' });
    const final = await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'APPROVE' }, 409);
    expect(final.code).toBe('REQUEST_FINAL');
    expect((await inbox(cast.marketer)).some((n) => n.event === 'request-rejected' && n.entityId === request.id)).toBe(true);
    // Role refusals come from the guard (403, audited there).
    await testApp
      .http()
      .post(`/api/v1/requests/${request.id}/decisions`)
      .set(cast.it.auth)
      .send({ version: 1, stage: 'IT', decision: 'APPROVE' })
      .expect(403);
  });

  it("hides marketer A's request from marketer B (404) and keeps requests editable only by their requester", async () => {
    const request = await makeRequest(testApp, cast.marketer, setup);
    await testApp.http().get(`/api/v1/requests/${request.id}`).set(marketerB.auth).expect(404);
    await testApp
      .http()
      .patch(`/api/v1/requests/${request.id}`)
      .set(marketerB.auth)
      .send({ version: request.version, title: 'Hijacked' })
      .expect(404);
    await testApp.http().post(`/api/v1/requests/${request.id}/comments`).set(marketerB.auth).send({ body: 'hi' }).expect(404);
    const list = await testApp.http().get('/api/v1/requests').set(marketerB.auth).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(request.id);
    await testApp
      .http()
      .patch(`/api/v1/requests/${request.id}`)
      .set(cast.cmo.auth)
      .send({ version: request.version, title: 'Not mine' })
      .expect(403);
    await testApp.http().post('/api/v1/requests').set(cast.finance.auth).send({}).expect(403);
    await testApp.http().post(`/api/v1/requests/${request.id}/comments`).set(cast.admin.auth).send({ body: 'x' }).expect(403);
    await testApp.http().post(`/api/v1/requests/${request.id}/comments`).set(cast.it.auth).send({ body: 'Which SSO?' }).expect(201);
  });

  it('REQUEST_CHANGES → edit → resubmit starts round 2; round 1 stays in history', async () => {
    const request = await makeRequest(testApp, cast.marketer, setup, { estimatedAnnualCost: { amount: '12000.00', currency: 'EUR' } });
    const s1 = await submit(testApp, cast.marketer, request.id);
    expect(s1.stages.map((s: { stage: string }) => s.stage)).toEqual(['MARKETING', 'IT']);
    const back = await decide(testApp, cast.cmo, request.id, {
      stage: 'MARKETING',
      decision: 'REQUEST_CHANGES',
      comment: 'Add expected KPIs',
    });
    expect(back).toMatchObject({ status: 'CHANGES_REQUESTED', currentStage: null });
    expect((await inbox(cast.marketer)).some((n) => n.event === 'changes-requested' && n.entityId === request.id)).toBe(true);
    const edited = (
      await testApp
        .http()
        .patch(`/api/v1/requests/${request.id}`)
        .set(cast.marketer.auth)
        .send({ version: back.version, expectedOutcomes: '+20 % webinar attendance' })
        .expect(200)
    ).body;
    const s2 = await submit(testApp, cast.marketer, edited.id);
    expect(s2).toMatchObject({ status: 'IN_REVIEW', round: 2, currentStage: 'MARKETING' });
    expect(s2.stages.map((s: { round: number; stage: string; status: string }) => `${s.round}:${s.stage}:${s.status}`)).toEqual([
      '1:MARKETING:CHANGES_REQUESTED',
      '1:IT:CANCELLED',
      '2:MARKETING:OPEN',
      '2:IT:PENDING',
    ]);
    await testApp
      .http()
      .patch(`/api/v1/requests/${request.id}`)
      .set(cast.marketer.auth)
      .send({ version: s2.version, title: 'In review' })
      .expect(409);
    await testApp.http().post(`/api/v1/requests/${request.id}/withdraw`).set(cast.marketer.auth).send({ version: s2.version }).expect(200);
  });

  it('ten concurrent decisions on one stage: exactly one succeeds, one decision and one audit event exist', async () => {
    const request = await makeRequest(testApp, cast.marketer, setup);
    await submit(testApp, cast.marketer, request.id);
    const cmos = await Promise.all(Array.from({ length: 9 }, () => makeUser(testApp, [Role.CMO])));
    const cur = (await testApp.http().get(`/api/v1/requests/${request.id}`).set(cast.cmo.auth).expect(200)).body;
    const results = await Promise.all(
      [cast.cmo, ...cmos].map((u) =>
        testApp
          .http()
          .post(`/api/v1/requests/${request.id}/decisions`)
          .set(u.auth)
          .send({ version: cur.version, stage: 'MARKETING', decision: 'APPROVE' }),
      ),
    );
    const codes = results.map((x) => x.status).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(9);
    const decided = await testApp.dataSource
      .getRepository(ReviewStage)
      .find({ where: { requestId: request.id, stage: 'MARKETING' as never } });
    expect(decided.filter((s) => s.decidedById)).toHaveLength(1);
    expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'request.decided', entityId: request.id })).toBe(1);
  });

  it('flags overdue stages, sorts them first, reminds their deciders once a day, and reports turnaround', async () => {
    const request = await makeRequest(testApp, cast.marketer, setup);
    await submit(testApp, cast.marketer, request.id);
    await testApp.dataSource
      .getRepository(ReviewStage)
      .update({ requestId: request.id, stage: 'MARKETING' as never }, { dueAt: new Date(Date.now() - 3_600_000) });
    const queue = (await testApp.http().get('/api/v1/requests?queue=awaiting-me').set(cast.cmo.auth).expect(200)).body.items;
    expect(queue[0]).toMatchObject({ id: request.id, overdue: true });
    const scheduler = testApp.app.get(JobScheduler);
    const later = new Date(Date.now() + 1000);
    await scheduler.tick(later);
    await scheduler.tick(later);
    const reminders = await testApp.dataSource
      .getRepository(Notification)
      .find({ where: { event: 'stage-overdue', entityId: request.id } });
    const recipients = reminders.map((n) => n.recipientId);
    expect(recipients).toContain(cast.cmo.id);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients).not.toContain(cast.cio.id);
    expect(recipients).not.toContain(cast.marketer.id);
    const turnaround = (await testApp.http().get('/api/v1/requests/turnaround').set(cast.finance.auth).expect(200)).body;
    const marketing = turnaround.stages.find((s: { stage: string }) => s.stage === 'MARKETING');
    expect(marketing.decided).toBeGreaterThanOrEqual(3);
    expect(marketing.medianBusinessHours).not.toBeNull();
    expect(marketing.overdueNow).toBeGreaterThanOrEqual(1);
    await testApp.http().get('/api/v1/requests/turnaround').set(cast.marketer.auth).expect(403);
    const governance = (await testApp.http().get('/api/v1/reports/governance').set(cast.cio.auth).expect(200)).body;
    expect(governance.reviewTurnaround.stages.find((s: { stage: string }) => s.stage === 'MARKETING')).toEqual(marketing);
    const html = await testApp.http().get('/api/v1/reports/governance?format=html').set(cast.cio.auth).expect(200);
    expect(html.text).toContain('Median hours');
  });
});
