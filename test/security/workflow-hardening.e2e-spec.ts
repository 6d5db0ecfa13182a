import { AuditEvent } from '@stackgate/audit';
import { Role } from '@stackgate/platform';
import { ItAssessment } from '@stackgate/procurement';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 21 item 4: the IT gate cannot be skipped. The IT stage approves only on an IT assessment of
 * the current round, and nobody assesses their own request (403, audited), like deciding.
 */
describe('Workflow hardening: the IT gate', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
  });
  afterAll(async () => testApp?.close());

  const read = async (id: string, u: TestUser = cast.cio) =>
    (await testApp.http().get(`/api/v1/requests/${id}`).set(u.auth).expect(200)).body;
  /** A request (12,000 EUR: MARKETING and IT only) whose IT stage is open. */
  async function atItStage(by: TestUser = cast.marketer): Promise<string> {
    const request = await makeRequest(testApp, by, setup, { estimatedAnnualCost: { amount: '12000.00', currency: 'EUR' } });
    await submit(testApp, by, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    return request.id;
  }

  it('the CIO cannot approve the IT stage of a request without an IT assessment: 422 ASSESSMENT_REQUIRED, and nothing changes', async () => {
    const id = await atItStage();
    const before = await read(id);
    expect(before).toMatchObject({ status: 'IN_REVIEW', currentStage: 'IT', assessment: null });
    for (const body of [{ decision: 'APPROVE' }, { decision: 'APPROVE_WITH_CONDITIONS', conditions: 'EU only' }]) {
      const refused = await decide(testApp, cast.cio, id, { stage: 'IT', ...body }, 422);
      expect(refused).toMatchObject({ statusCode: 422, code: 'ASSESSMENT_REQUIRED' });
      expect(refused.message).toMatch(/assessment/i);
    }
    expect(await read(id)).toEqual(before);
    expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'request.decided', entityId: id })).toBe(1); // the MARKETING one

    // With IT's assessment of this round, the same decision goes through.
    await assess(testApp, cast.it, id);
    const approved = await decide(testApp, cast.cio, id, { stage: 'IT', decision: 'APPROVE' });
    expect(approved).toMatchObject({ status: 'APPROVED', toolId: expect.any(String) });
  });

  it('the CIO may still reject, or send the request back, without an assessment (saying no never skips the gate)', async () => {
    const sentBack = await decide(testApp, cast.cio, await atItStage(), {
      stage: 'IT',
      decision: 'REQUEST_CHANGES',
      comment: 'Which personal data does it store?',
    });
    expect(sentBack.status).toBe('CHANGES_REQUESTED');
    const rejected = await decide(testApp, cast.cio, await atItStage(), {
      stage: 'IT',
      decision: 'REJECT',
      comment: 'Duplicates our webinar platform',
    });
    expect(rejected.status).toBe('REJECTED');
  });

  it("after a send-back and resubmission, the earlier round's assessment no longer counts", async () => {
    const id = await atItStage();
    await assess(testApp, cast.it, id, { recommendation: 'Round 1: approve' });
    const back = await decide(testApp, cast.cio, id, { stage: 'IT', decision: 'REQUEST_CHANGES', comment: 'Name the data residency' });
    expect(back.status).toBe('CHANGES_REQUESTED');
    // Nothing is assessed while the request is back with its requester: it can still change.
    const early = await testApp
      .http()
      .post(`/api/v1/requests/${id}/assessment`)
      .set(cast.it.auth)
      .send({ ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true })
      .expect(409);
    expect(early.body.code).toBe('NOT_IN_REVIEW');
    const edited = (
      await testApp
        .http()
        .patch(`/api/v1/requests/${id}`)
        .set(cast.marketer.auth)
        .send({ version: back.version, expectedOutcomes: 'EU hosting only' })
        .expect(200)
    ).body;
    await submit(testApp, cast.marketer, edited.id);
    await decide(testApp, cast.cmo, id, { stage: 'MARKETING', decision: 'APPROVE' });
    const round2 = await read(id);
    expect(round2).toMatchObject({ round: 2, currentStage: 'IT', assessment: { round: 1, recommendation: 'Round 1: approve' } });

    const refused = await decide(testApp, cast.cio, id, { stage: 'IT', decision: 'APPROVE' }, 422);
    expect(refused.code).toBe('ASSESSMENT_REQUIRED');
    expect(await read(id)).toEqual(round2);

    const reassessed = await assess(testApp, cast.it, id, { recommendation: 'Round 2: approve' });
    expect(reassessed.assessment).toMatchObject({ round: 2, recommendation: 'Round 2: approve' });
    expect((await decide(testApp, cast.cio, id, { stage: 'IT', decision: 'APPROVE' })).status).toBe('APPROVED');
  });

  it('a user holding MARKETER and IT cannot assess their own request: 403 OWN_REQUEST, audited, nothing written', async () => {
    const dual = await makeUser(testApp, [Role.MARKETER, Role.IT]);
    const id = await atItStage(dual);
    const before = await read(id);
    const res = await testApp
      .http()
      .post(`/api/v1/requests/${id}/assessment`)
      .set(dual.auth)
      .send({ ssoSupported: true, securityAttestation: 'SOC2_AND_ISO27001', dpaInPlace: true, recommendation: 'Approve (my own request)' })
      .expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'OWN_REQUEST' });
    expect(await read(id)).toEqual(before);
    expect(await testApp.dataSource.getRepository(ItAssessment).countBy({ requestId: id })).toBe(0);
    const denied = await testApp.dataSource.getRepository(AuditEvent).find({ where: { action: 'authz.denied', entityId: id } });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorId: dual.id, metadata: expect.objectContaining({ reason: 'OWN_REQUEST', assessment: true }) });
    // So the CIO still has nothing to approve on; another IT user's assessment opens the gate.
    expect((await decide(testApp, cast.cio, id, { stage: 'IT', decision: 'APPROVE' }, 422)).code).toBe('ASSESSMENT_REQUIRED');
    await assess(testApp, cast.it, id);
    expect((await decide(testApp, cast.cio, id, { stage: 'IT', decision: 'APPROVE' })).status).toBe('APPROVED');
  });

  it("a CMO who is also CIO assesses nobody's request of their own either, and IT assesses only requests in review", async () => {
    const boss = await makeUser(testApp, [Role.CMO, Role.CIO]);
    const own = await makeRequest(testApp, boss, setup);
    await submit(testApp, boss, own.id);
    expect((await assess(testApp, boss, own.id, {}, 403)).code).toBe('OWN_REQUEST');
    const draft = await makeRequest(testApp, cast.marketer, setup);
    expect((await assess(testApp, cast.it, draft.id, {}, 409)).code).toBe('NOT_IN_REVIEW');
  });
});
