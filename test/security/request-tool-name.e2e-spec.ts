import { AuditEvent } from '@stackgate/audit';
import { Tool, ToolsService } from '@stackgate/catalog';
import { Integration } from '@stackgate/integrations';
import { Notification } from '@stackgate/notifications';
import { ToolRequest } from '@stackgate/procurement';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast, TestUser } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

/**
 * Issue 21 item 12: a marketer cannot block a pending NEW_TOOL approval by registering a tool with
 * the proposed name first, and no request ends up stuck IN_REVIEW over a name.
 */
describe('Workflow hardening: the proposed tool name of a request in review', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;
  let cc: { id: string; code: string };
  let crm: { id: string };
  let seq = 0;

  beforeAll(async () => {
    testApp = await startTestApp({ FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
    cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    crm = await makeTool(testApp, cast.it, { budgetOwnerId: cc.id, subcategoryId: await subcategoryId(testApp, 'CRM') });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars'), targetToolId: crm.id };
  });
  afterAll(async () => testApp?.close());

  const read = async (id: string, u: TestUser = cast.cio) =>
    (await testApp.http().get(`/api/v1/requests/${id}`).set(u.auth).expect(200)).body;
  const toolsNamed = (name: string) => testApp.dataSource.getRepository(Tool).countBy({ nameKey: name.toLowerCase() });
  /** A NEW_TOOL request for `name` (12,000 EUR: MARKETING then IT), submitted. */
  async function inReview(name = `Webinar Suite ${++seq}`) {
    const request = await makeRequest(testApp, cast.marketer, setup, {
      proposedTool: { name, vendorName: 'Suite Vendor', subcategoryId: setup.subcategoryId },
      estimatedAnnualCost: { amount: '12000.00', currency: 'EUR' },
    });
    await submit(testApp, cast.marketer, request.id);
    return { id: request.id as string, name };
  }
  const registerWith = (u: TestUser, name: string, vendorId: string) =>
    testApp.http().post('/api/v1/tools').set(u.auth).send({ name, vendorId, subcategoryId: setup.subcategoryId, budgetOwnerId: cc.id });
  const register = async (u: TestUser, name: string) => registerWith(u, name, (await makeVendor(testApp, u)).id);

  it(
    'registering a tool with the name of a request in review is refused, whatever the case and the way in: 409 ' +
      'TOOL_NAME_RESERVED naming the request',
    async () => {
      const request = await inReview();
      const res = await register(cast.marketer, `  ${request.name.toUpperCase()} `);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'TOOL_NAME_RESERVED', details: { requestId: request.id } });
      expect(res.body.message).toContain(request.id);
      expect(await toolsNamed(request.name)).toBe(0);

      // Renaming another tool to it.
      const other = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
      const rename = await testApp
        .http()
        .patch(`/api/v1/tools/${other.id}`)
        .set(cast.marketer.auth)
        .send({ name: request.name.toLowerCase(), version: other.version });
      expect(rename.status).toBe(409);
      expect(rename.body).toMatchObject({ code: 'TOOL_NAME_RESERVED', details: { requestId: request.id } });
      expect((await testApp.http().get(`/api/v1/tools/${other.id}`).set(cast.marketer.auth).expect(200)).body).toMatchObject({
        name: other.name,
        version: other.version,
      });

      // A spreadsheet import.
      const header = 'name,vendor,subcategory,budgetOwnerCode';
      const file = Buffer.from(
        `${header}\nAnother Tool ${seq},Vendor X,"Events, Meetings & Webinars",${cc.code}\n${request.name},Vendor X,"Events, Meetings & Webinars",${cc.code}\n`,
      );
      const imported = await testApp
        .http()
        .post('/api/v1/imports')
        .set(cast.it.auth)
        .field('kind', 'tools')
        .field('dryRun', 'false')
        .attach('file', file, 'tools.csv');
      expect(imported.status).toBe(409);
      expect(imported.body).toMatchObject({ code: 'TOOL_NAME_RESERVED', details: { requestId: request.id } });
      expect(await toolsNamed(request.name)).toBe(0);
      expect(await toolsNamed(`Another Tool ${seq}`)).toBe(0);

      // The web form.
      const agent = await signIn(testApp, cast.marketer);
      const form = await agent.get('/catalog/new').expect(200);
      const vendor = await makeVendor(testApp, cast.marketer);
      const web = await agent
        .post('/catalog')
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          name: request.name,
          vendorId: vendor.id,
          subcategoryId: setup.subcategoryId,
          budgetOwnerId: cc.id,
          lifecycle: 'ACTIVE',
        });
      expect(web.status).toBeGreaterThanOrEqual(400);
      expect(web.text).toContain('reserved');
      expect(await toolsNamed(request.name)).toBe(0);
    },
  );

  it(
    'the race: a tool registered between the last-but-one and the last decision is refused, and the last approval puts the ' +
      "request's tool in the catalog",
    async () => {
      const request = await inReview();
      await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' }); // the last-but-one decision
      await assess(testApp, cast.it, request.id);
      expect((await register(cast.marketer, request.name)).body.code).toBe('TOOL_NAME_RESERVED');
      const approved = await decide(testApp, cast.cio, request.id, {
        stage: 'IT',
        decision: 'APPROVE_WITH_CONDITIONS',
        conditions: 'SSO first',
      }); // the last
      expect(approved).toMatchObject({ status: 'APPROVED', toolId: expect.any(String) });
      const tool = (await testApp.http().get(`/api/v1/tools/${approved.toolId}`).set(cast.cio.auth).expect(200)).body;
      expect(tool).toMatchObject({
        name: request.name,
        lifecycle: 'APPROVED',
        itApproval: { status: 'APPROVED_WITH_CONDITIONS', conditions: 'SSO first' },
      });
      // Once decided, the name is simply a catalog tool's.
      expect((await register(cast.marketer, request.name)).body.code).toBe('TOOL_NAME_TAKEN');
    },
  );

  it(
    'the race at the same moment: registrations sent together with the last decision never leave the request stuck, and only ' +
      'one tool holds the name',
    async () => {
      for (let round = 0; round < 4; round++) {
        const request = await inReview();
        await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
        await assess(testApp, cast.it, request.id);
        const { version } = await read(request.id);
        const [v1, v2] = [await makeVendor(testApp, cast.marketer), await makeVendor(testApp, cast.cmo)];
        // The registrations leave first, so without the reservation they would win the name.
        const [first, second, decision] = await Promise.all([
          registerWith(cast.marketer, request.name, v1.id),
          registerWith(cast.cmo, request.name.toUpperCase(), v2.id),
          testApp
            .http()
            .post(`/api/v1/requests/${request.id}/decisions`)
            .set(cast.cio.auth)
            .send({ stage: 'IT', decision: 'APPROVE', version }),
        ]);
        const registrations = [first, second];
        for (const reg of registrations) {
          expect(reg.status).toBe(409);
          expect(['TOOL_NAME_RESERVED', 'TOOL_NAME_TAKEN']).toContain(reg.body.code);
        }
        // A decision that lost a race on the name would answer 409 and leave the stage open; retried, it goes through.
        const final =
          decision.status === 200 ? decision.body : await decide(testApp, cast.cio, request.id, { stage: 'IT', decision: 'APPROVE' });
        expect(final).toMatchObject({ status: 'APPROVED', toolId: expect.any(String) });
        expect(await toolsNamed(request.name)).toBe(1);
        expect((await testApp.http().get(`/api/v1/tools/${final.toolId}`).set(cast.cio.auth).expect(200)).body).toMatchObject({
          lifecycle: 'APPROVED',
          itApproval: { status: 'APPROVED' },
        });
      }
    },
  );

  it('a request is not submitted for a name the catalog has (TOOL_NAME_TAKEN) or another request in review has (TOOL_NAME_RESERVED)', async () => {
    const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id });
    const taken = await testApp
      .http()
      .post('/api/v1/requests')
      .set(cast.marketer.auth)
      .send({
        type: 'NEW_TOOL',
        title: 'Taken',
        proposedTool: { name: tool.name.toUpperCase(), vendorName: 'V', subcategoryId: setup.subcategoryId },
        businessCase: 'x',
        estimatedAnnualCost: { amount: '1.00', currency: 'EUR' },
        allocation: [{ costCenterId: cc.id, shareBps: 10000 }],
      })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'TOOL_NAME_TAKEN', details: { toolId: tool.id } });

    const first = await inReview();
    const second = await makeRequest(testApp, cast.cmo, setup, {
      proposedTool: { name: first.name.toLowerCase(), vendorName: 'V', subcategoryId: setup.subcategoryId },
    });
    const refused = await testApp
      .http()
      .post(`/api/v1/requests/${second.id}/submit`)
      .set(cast.cmo.auth)
      .send({ version: second.version })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'TOOL_NAME_RESERVED', details: { requestId: first.id } });
    expect((await read(second.id)).status).toBe('DRAFT');
    // Once the first is decided (rejected here), the second goes into review.
    await decide(testApp, cast.cmo, first.id, { stage: 'MARKETING', decision: 'REJECT', comment: 'Not now' });
    expect((await submit(testApp, cast.cmo, second.id)).status).toBe('IN_REVIEW');
  });

  it(
    'a tool that holds the name anyway (a race the reservation could not see) is linked at the last approval: the request is ' +
      'approved, the tool does not inherit the IT approval',
    async () => {
      const request = await inReview();
      await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
      await assess(testApp, cast.it, request.id);
      // The registration slips past the reservation, as a concurrent transaction on another instance can.
      const vendor = await makeVendor(testApp, cast.marketer);
      const squatter = await testApp.dataSource.transaction((m) =>
        testApp.app.get(ToolsService).createInTransaction(
          m,
          { id: cast.marketer.id, email: cast.marketer.email, displayName: '', roles: ['MARKETER'] } as never,
          {
            name: request.name,
            vendorId: vendor.id,
            subcategoryId: setup.subcategoryId,
            budgetOwnerId: cc.id,
          },
          { reservationHolder: true },
        ),
      );
      const before = (await testApp.http().get(`/api/v1/tools/${squatter.id}`).set(cast.cio.auth).expect(200)).body;
      expect(before).toMatchObject({ lifecycle: 'ACTIVE', shadowIt: true, itApproval: { status: 'NOT_REVIEWED' } });

      const approved = await decide(testApp, cast.cio, request.id, { stage: 'IT', decision: 'APPROVE' });
      expect(approved).toMatchObject({ status: 'APPROVED', currentStage: null, toolId: squatter.id });
      const after = (await testApp.http().get(`/api/v1/tools/${squatter.id}`).set(cast.cio.auth).expect(200)).body;
      expect(after).toEqual(before); // no IT approval, lifecycle or owner copied onto someone else's entry
      expect(await toolsNamed(request.name)).toBe(1);
      expect(await testApp.dataSource.getRepository(Integration).countBy({ sourceToolId: squatter.id })).toBe(0);
      const linked = await testApp.dataSource
        .getRepository(AuditEvent)
        .findOneBy({ action: 'request.linked_existing_tool', entityId: request.id });
      expect(linked?.metadata).toMatchObject({ toolName: request.name, toolItApproval: 'NOT_REVIEWED', itApprovalCopied: false });
      const notice = await testApp.dataSource
        .getRepository(Notification)
        .findOneBy({ recipientId: cast.cio.id, event: 'request-approved', entityId: request.id });
      expect(notice?.body).toMatch(/already in the catalog/);
    },
  );

  it('two requests in review for one name (left from before this rule) both finish: the first creates the tool, the second links to it', async () => {
    const firstRequest = await inReview();
    const secondRequest = await inReview();
    await testApp.dataSource
      .getRepository(ToolRequest)
      .update(
        { id: secondRequest.id },
        { proposedTool: { name: firstRequest.name.toUpperCase(), vendorName: 'Suite Vendor', subcategoryId: setup.subcategoryId } },
      );
    for (const id of [firstRequest.id, secondRequest.id]) {
      await decide(testApp, cast.cmo, id, { stage: 'MARKETING', decision: 'APPROVE' });
      await assess(testApp, cast.it, id);
    }
    const first = await decide(testApp, cast.cio, firstRequest.id, { stage: 'IT', decision: 'APPROVE' });
    expect(first).toMatchObject({ status: 'APPROVED', toolId: expect.any(String) });
    const second = await decide(testApp, cast.cio, secondRequest.id, { stage: 'IT', decision: 'APPROVE' });
    expect(second).toMatchObject({ status: 'APPROVED', toolId: first.toolId });
    expect(await testApp.dataSource.getRepository(ToolRequest).countBy({ status: 'IN_REVIEW' as never, id: firstRequest.id })).toBe(0);
  });
});
