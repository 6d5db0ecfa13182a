import { AuditEvent } from '@stackgate/audit';
import { Notification } from '@stackgate/notifications';
import { JobScheduler, Role } from '@stackgate/platform';
import { ReviewStage } from '@stackgate/procurement';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Review workflow: requests, stages, decisions, catalog on approval', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let marketerB: TestUser, boss: TestUser;
  let setup: RequestSetup;
  let crm: { id: string; name: string };

  beforeAll(async () => {
    t = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00', REVIEW_SLA_BUSINESS_DAYS: '5' });
    cast = await makeCast(t);
    [marketerB, boss] = await Promise.all([makeUser(t, [Role.MARKETER]), makeUser(t, [Role.CIO, Role.FINANCE])]);
    const cc = await makeCostCenter(t, cast.admin, { kind: 'MARKETING' });
    crm = await makeTool(t, cast.it, {
      budgetOwnerId: cc.id,
      name: 'Workflow CRM',
      subcategoryId: await subcategoryId(t, 'CRM'),
      isSystemOfRecord: true,
    });
    await makeTool(t, cast.marketer, {
      budgetOwnerId: cc.id,
      name: 'Existing Webinars',
      subcategoryId: await subcategoryId(t, 'Events, Meetings & Webinars'),
      capabilities: ['webinars'],
    });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(t, 'Events, Meetings & Webinars'), targetToolId: crm.id };
  });
  afterAll(async () => t?.close());

  const inbox = async (u: TestUser) =>
    (await t.http().get('/api/v1/notifications?pageSize=200').set(u.auth).expect(200)).body.items as { event: string; entityId: string }[];
  const events = (id: string) =>
    t.dataSource.getRepository(AuditEvent).find({ where: { entityType: 'ToolRequest', entityId: id }, order: { chainSeq: 'ASC' } });

  it('walks the whole path: draft, submit, CMO, IT assessment, CIO with conditions, finance — and the tool is in the catalog', async () => {
    const draft = await makeRequest(t, cast.marketer, setup);
    expect(draft).toMatchObject({ status: 'DRAFT', round: 0, currentStage: null });
    expect(draft.overlapCandidates.map((o: { name: string }) => o.name)).toContain('Existing Webinars');
    expect(draft.integrationImpact).toMatchObject({ personalDataFlows: 1, unapprovedTargets: 1, connectsToSystemOfRecord: true });

    const submitted = await submit(t, cast.marketer, draft.id);
    expect(submitted).toMatchObject({ status: 'IN_REVIEW', round: 1, currentStage: 'MARKETING' });
    expect(submitted.stages.map((s: { stage: string; status: string }) => `${s.stage}:${s.status}`)).toEqual([
      'MARKETING:OPEN',
      'IT:PENDING',
      'FINANCE:PENDING',
    ]);
    expect(submitted.stages[0].dueAt).toBeTruthy();
    expect((await inbox(cast.cmo)).some((n) => n.event === 'review-needed' && n.entityId === draft.id)).toBe(true);
    const queue = await t.http().get('/api/v1/requests?queue=awaiting-me').set(cast.cmo.auth).expect(200);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(draft.id);

    await decide(t, cast.cmo, draft.id, { stage: 'MARKETING', decision: 'APPROVE', comment: 'Fits the demand plan' });
    expect((await inbox(cast.marketer)).some((n) => n.event === 'stage-decided')).toBe(true);
    expect((await inbox(cast.cio)).some((n) => n.event === 'review-needed' && n.entityId === draft.id)).toBe(true);

    const assessed = await t
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

    await decide(t, cast.cio, draft.id, {
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      conditions: 'EU data center only',
      comment: 'Security review passed',
    });
    const atFinance = (await t.http().get(`/api/v1/requests/${draft.id}`).set(cast.finance.auth).expect(200)).body;
    expect(atFinance).toMatchObject({ status: 'IN_REVIEW', currentStage: 'FINANCE' });
    expect(atFinance.assessment.recommendation).toBe('Approve with EU hosting');

    const approved = await decide(t, cast.finance, draft.id, { stage: 'FINANCE', decision: 'APPROVE' });
    expect(approved).toMatchObject({ status: 'APPROVED', currentStage: null });
    expect(approved.toolId).toBeTruthy();

    const tool = (await t.http().get(`/api/v1/tools/${approved.toolId}`).set(cast.marketer.auth).expect(200)).body;
    expect(tool).toMatchObject({
      name: draft.proposedTool.name,
      lifecycle: 'APPROVED',
      businessOwnerId: cast.marketer.id,
      budgetOwnerId: setup.costCenterId,
      itApproval: { status: 'APPROVED_WITH_CONDITIONS', conditions: 'EU data center only', decidedById: cast.cio.id },
      dataClassification: 'PERSONAL',
      vendor: { name: 'Webinar Vendor Ltd' },
    });
    const flows = (await t.http().get(`/api/v1/integrations?toolId=${approved.toolId}`).set(cast.marketer.auth).expect(200)).body.items;
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
    for (const u of [cast.marketer, cast.cmo, cast.cio])
      expect((await inbox(u)).some((n) => n.event === 'request-approved' && n.entityId === draft.id)).toBe(true);
    expect((await inbox(cast.finance)).some((n) => n.event === 'request-approved')).toBe(false);
  });

  it('refuses the wrong deciders and leaves the request unchanged', async () => {
    const own = await makeRequest(t, cast.cmo, setup);
    await submit(t, cast.cmo, own.id);
    const before = (await t.http().get(`/api/v1/requests/${own.id}`).set(cast.cmo.auth).expect(200)).body;
    const refused = await decide(t, cast.cmo, own.id, { stage: 'MARKETING', decision: 'APPROVE' }, 403);
    expect(refused.code).toBe('OWN_REQUEST');
    const after = (await t.http().get(`/api/v1/requests/${own.id}`).set(cast.cmo.auth).expect(200)).body;
    expect(after).toEqual(before);
    expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'authz.denied', entityId: own.id })).toBe(1);

    // A CIO who decided IT cannot also decide FINANCE, even holding FINANCE.
    const r = await makeRequest(t, cast.marketer, setup);
    await submit(t, cast.marketer, r.id);
    await decide(t, cast.cmo, r.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(t, cast.it, r.id);
    await decide(t, boss, r.id, { stage: 'IT', decision: 'APPROVE' });
    const twice = await decide(t, boss, r.id, { stage: 'FINANCE', decision: 'APPROVE' }, 403);
    expect(twice.code).toBe('ONE_STAGE_PER_PERSON');
    // Wrong stage, stale version.
    await decide(t, cast.cmo, r.id, { stage: 'MARKETING', decision: 'APPROVE' }, 409);
    const cur = (await t.http().get(`/api/v1/requests/${r.id}`).set(cast.finance.auth).expect(200)).body;
    const stale = await t
      .http()
      .post(`/api/v1/requests/${r.id}/decisions`)
      .set(cast.finance.auth)
      .send({ version: cur.version - 1, stage: 'FINANCE', decision: 'APPROVE' })
      .expect(409);
    expect(stale.body.code).toBe('STALE_VERSION');
    expect((await t.http().get(`/api/v1/requests/${r.id}`).set(cast.finance.auth).expect(200)).body).toEqual(cur);
    // A rejection ends it; a final request takes no more decisions.
    await decide(t, cast.finance, r.id, { stage: 'FINANCE', decision: 'REJECT' }, 400);
    await decide(t, cast.finance, r.id, { stage: 'FINANCE', decision: 'REJECT', comment: 'No budget this year' });
    const final = await decide(t, cast.finance, r.id, { stage: 'FINANCE', decision: 'APPROVE' }, 409);
    expect(final.code).toBe('REQUEST_FINAL');
    expect((await inbox(cast.marketer)).some((n) => n.event === 'request-rejected' && n.entityId === r.id)).toBe(true);
    // Role refusals come from the guard (403, audited there).
    await t
      .http()
      .post(`/api/v1/requests/${r.id}/decisions`)
      .set(cast.it.auth)
      .send({ version: 1, stage: 'IT', decision: 'APPROVE' })
      .expect(403);
  });

  it("hides marketer A's request from marketer B (404) and keeps requests editable only by their requester", async () => {
    const r = await makeRequest(t, cast.marketer, setup);
    await t.http().get(`/api/v1/requests/${r.id}`).set(marketerB.auth).expect(404);
    await t.http().patch(`/api/v1/requests/${r.id}`).set(marketerB.auth).send({ version: r.version, title: 'Hijacked' }).expect(404);
    await t.http().post(`/api/v1/requests/${r.id}/comments`).set(marketerB.auth).send({ body: 'hi' }).expect(404);
    const list = await t.http().get('/api/v1/requests').set(marketerB.auth).expect(200);
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    await t.http().patch(`/api/v1/requests/${r.id}`).set(cast.cmo.auth).send({ version: r.version, title: 'Not mine' }).expect(403);
    await t.http().post('/api/v1/requests').set(cast.finance.auth).send({}).expect(403);
    await t.http().post(`/api/v1/requests/${r.id}/comments`).set(cast.admin.auth).send({ body: 'x' }).expect(403);
    await t.http().post(`/api/v1/requests/${r.id}/comments`).set(cast.it.auth).send({ body: 'Which SSO?' }).expect(201);
  });

  it('REQUEST_CHANGES → edit → resubmit starts round 2; round 1 stays in history', async () => {
    const r = await makeRequest(t, cast.marketer, setup, { estimatedAnnualCost: { amount: '12000.00', currency: 'EUR' } });
    const s1 = await submit(t, cast.marketer, r.id);
    expect(s1.stages.map((s: { stage: string }) => s.stage)).toEqual(['MARKETING', 'IT']);
    const back = await decide(t, cast.cmo, r.id, { stage: 'MARKETING', decision: 'REQUEST_CHANGES', comment: 'Add expected KPIs' });
    expect(back).toMatchObject({ status: 'CHANGES_REQUESTED', currentStage: null });
    expect((await inbox(cast.marketer)).some((n) => n.event === 'changes-requested' && n.entityId === r.id)).toBe(true);
    const edited = (
      await t
        .http()
        .patch(`/api/v1/requests/${r.id}`)
        .set(cast.marketer.auth)
        .send({ version: back.version, expectedOutcomes: '+20 % webinar attendance' })
        .expect(200)
    ).body;
    const s2 = await submit(t, cast.marketer, edited.id);
    expect(s2).toMatchObject({ status: 'IN_REVIEW', round: 2, currentStage: 'MARKETING' });
    expect(s2.stages.map((s: { round: number; stage: string; status: string }) => `${s.round}:${s.stage}:${s.status}`)).toEqual([
      '1:MARKETING:CHANGES_REQUESTED',
      '1:IT:CANCELLED',
      '2:MARKETING:OPEN',
      '2:IT:PENDING',
    ]);
    await t.http().patch(`/api/v1/requests/${r.id}`).set(cast.marketer.auth).send({ version: s2.version, title: 'In review' }).expect(409);
    await t.http().post(`/api/v1/requests/${r.id}/withdraw`).set(cast.marketer.auth).send({ version: s2.version }).expect(200);
  });

  it('ten concurrent decisions on one stage: exactly one succeeds, one decision and one audit event exist', async () => {
    const r = await makeRequest(t, cast.marketer, setup);
    await submit(t, cast.marketer, r.id);
    const cmos = await Promise.all(Array.from({ length: 9 }, () => makeUser(t, [Role.CMO])));
    const cur = (await t.http().get(`/api/v1/requests/${r.id}`).set(cast.cmo.auth).expect(200)).body;
    const results = await Promise.all(
      [cast.cmo, ...cmos].map((u) =>
        t
          .http()
          .post(`/api/v1/requests/${r.id}/decisions`)
          .set(u.auth)
          .send({ version: cur.version, stage: 'MARKETING', decision: 'APPROVE' }),
      ),
    );
    const codes = results.map((x) => x.status).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(9);
    const decided = await t.dataSource.getRepository(ReviewStage).find({ where: { requestId: r.id, stage: 'MARKETING' as never } });
    expect(decided.filter((s) => s.decidedById)).toHaveLength(1);
    expect(await t.dataSource.getRepository(AuditEvent).countBy({ action: 'request.decided', entityId: r.id })).toBe(1);
  });

  it('flags overdue stages, sorts them first, reminds their deciders once a day, and reports turnaround', async () => {
    const r = await makeRequest(t, cast.marketer, setup);
    await submit(t, cast.marketer, r.id);
    await t.dataSource
      .getRepository(ReviewStage)
      .update({ requestId: r.id, stage: 'MARKETING' as never }, { dueAt: new Date(Date.now() - 3_600_000) });
    const q = (await t.http().get('/api/v1/requests?queue=awaiting-me').set(cast.cmo.auth).expect(200)).body.items;
    expect(q[0]).toMatchObject({ id: r.id, overdue: true });
    const scheduler = t.app.get(JobScheduler);
    const later = new Date(Date.now() + 1000);
    await scheduler.tick(later);
    await scheduler.tick(later);
    const reminders = await t.dataSource.getRepository(Notification).find({ where: { event: 'stage-overdue', entityId: r.id } });
    const recipients = reminders.map((n) => n.recipientId);
    expect(recipients).toContain(cast.cmo.id);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(recipients).not.toContain(cast.cio.id);
    expect(recipients).not.toContain(cast.marketer.id);
    const turnaround = (await t.http().get('/api/v1/requests/turnaround').set(cast.finance.auth).expect(200)).body;
    const marketing = turnaround.stages.find((s: { stage: string }) => s.stage === 'MARKETING');
    expect(marketing.decided).toBeGreaterThanOrEqual(3);
    expect(marketing.medianBusinessHours).not.toBeNull();
    expect(marketing.overdueNow).toBeGreaterThanOrEqual(1);
    await t.http().get('/api/v1/requests/turnaround').set(cast.marketer.auth).expect(403);
    const governance = (await t.http().get('/api/v1/reports/governance').set(cast.cio.auth).expect(200)).body;
    expect(governance.reviewTurnaround.stages.find((s: { stage: string }) => s.stage === 'MARKETING')).toEqual(marketing);
    const html = await t.http().get('/api/v1/reports/governance?format=html').set(cast.cio.auth).expect(200);
    expect(html.text).toContain('Median hours');
  });
});
