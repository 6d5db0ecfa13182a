import { AuditEvent } from '@stackgate/audit';
import { totalsDrift } from '@stackgate/finance';
import { makeCostCenter, makeTool, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { assess, decide, makeRequest, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

/*
 * An approved request's estimate is carried as "approved, not yet contracted" (ledger basis APPROVED)
 * until finance attaches its contract, which retires it in the same transaction. Figures: €60,000.01
 * a year split 60/40 between a marketing and an IT cost center, from the approval month for 12 months.
 */
describe('Approved, not yet contracted commitments', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let mkt: { id: string }, itc: { id: string };
  let sub: string;
  const today = new Date().toISOString().slice(0, 10);
  const month = (offset: number) => {
    const date = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    date.setUTCMonth(date.getUTCMonth() + offset);
    return date.toISOString().slice(0, 7);
  };
  const range = `from=${month(0)}&to=${month(11)}`;
  const get = (path: string, who = cast.finance) => testApp.http().get(`/api/v1/${path}`).set(who.auth);
  const drift = async () => expect(await totalsDrift(testApp.dataSource.manager)).toEqual([]);

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR', FISCAL_YEAR_START_MONTH: '1', FINANCE_APPROVAL_THRESHOLD: '50000.00' });
    cast = await makeCast(testApp);
    mkt = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING', code: 'MKT-A' });
    itc = await makeCostCenter(testApp, cast.admin, { kind: 'IT', code: 'ITC-A' });
    sub = await subcategoryId(testApp, 'Events, Meetings & Webinars');
    await makeTool(testApp, cast.marketer, { budgetOwnerId: mkt.id, name: 'Older Webinars', subcategoryId: sub });
  });
  afterAll(async () => testApp?.close());

  const split = () => [
    { costCenterId: mkt.id, shareBps: 6000 },
    { costCenterId: itc.id, shareBps: 4000 },
  ];

  async function approvedRequest(amount = '60000.01') {
    const request = await makeRequest(
      testApp,
      cast.marketer,
      { costCenterId: mkt.id, subcategoryId: sub },
      { estimatedAnnualCost: { amount, currency: 'EUR' }, allocation: split() },
    );
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, request.id);
    await decide(testApp, cast.cio, request.id, { stage: 'IT', decision: 'APPROVE' });
    const done = await decide(testApp, cast.finance, request.id, { stage: 'FINANCE', decision: 'APPROVE' });
    expect(done.status).toBe('APPROVED');
    return done as { id: string; toolId: string };
  }

  const spend = async (q: string) => (await get(`reports/spend?${range}&${q}`).expect(200)).body;
  const budgetTotals = async () => {
    const years = [...new Set([month(0), month(11)].map((m) => Number(m.slice(0, 4))))];
    let pending = 0;
    let committed = 0;
    for (const fy of years) {
      const report = (await get(`reports/budget-vs-actual?fiscalYear=${fy}`).expect(200)).body;
      pending += Math.round(Number(report.totals.approvedNotContracted) * 100);
      committed += Math.round(Number(report.totals.committed) * 100);
    }
    return { pending, committed };
  };
  const contractBody = (r: { id: string; toolId: string }) => ({
    toolId: r.toolId,
    startDate: today,
    termMonths: 12,
    billing: 'ANNUAL',
    amount: { amount: '60000.01', currency: 'EUR' },
    allocation: split(),
    requestId: r.id,
  });

  it('a rejected or withdrawn request has no pending amount', async () => {
    const rejected = await makeRequest(testApp, cast.marketer, { costCenterId: mkt.id, subcategoryId: sub });
    await submit(testApp, cast.marketer, rejected.id);
    await decide(testApp, cast.cmo, rejected.id, { stage: 'MARKETING', decision: 'REJECT', comment: 'Not this year' });
    const withdrawn = await makeRequest(testApp, cast.marketer, { costCenterId: mkt.id, subcategoryId: sub });
    const submitted = await submit(testApp, cast.marketer, withdrawn.id);
    await testApp
      .http()
      .post(`/api/v1/requests/${withdrawn.id}/withdraw`)
      .set(cast.marketer.auth)
      .send({ version: submitted.version })
      .expect(200);
    for (const id of [rejected.id, withdrawn.id]) await get(`approved-requests/${id}`).expect(404);
    expect((await get('approved-requests').expect(200)).body.total).toBe(0);
    expect((await spend('basis=approved')).totals.total).toBe('0.00');
  });

  it('approve → the estimate is pending in every report; attach the contract → the contract replaces it to the cent', async () => {
    const request = await approvedRequest();
    // Finance's queue and inbox.
    const queue = (await get('approved-requests').expect(200)).body;
    expect(queue.items).toEqual([
      expect.objectContaining({
        requestId: request.id,
        toolId: request.toolId,
        status: 'PENDING',
        approvedOn: today,
        contractId: null,
        pendingAmount: { amount: '60000.01', currency: 'EUR' },
        estimatedAnnualCost: { amount: '60000.01', currency: 'EUR' },
        allocation: split(),
      }),
    ]);
    const inbox = (await get('notifications?pageSize=200').expect(200)).body.items as { event: string; entityId: string; link: string }[];
    expect(inbox.find((n) => n.event === 'contract-awaited' && n.entityId === request.id)?.link).toBe(
      `/contracts/new?requestId=${request.id}`,
    );

    // Spend report: its own basis, and the committed view includes it only when asked.
    const approved = await spend('basis=approved&groupBy=costCenter');
    expect(approved.totals.total).toBe('60000.01');
    const byCc = Object.fromEntries(approved.rows.map((x: { key: string; total: string }) => [x.key, x.total]));
    expect(byCc).toEqual({ [mkt.id]: '36000.01', [itc.id]: '24000.00' });
    expect((await spend('basis=committed')).totals.total).toBe('0.00');
    const withApproved = await spend('basis=committed&includeApproved=true&groupBy=costCenter');
    expect(withApproved).toMatchObject({ includeApproved: true, totals: { total: '60000.01' } });
    // Budget vs actual: a separate column, per cost center.
    expect(await budgetTotals()).toEqual({ pending: 6000001, committed: 0 });
    // Governance: the tool's annual cost over the year of the commitment is no longer 0.
    const gov = (await get(`reports/governance?asOf=${month(11)}-28`).expect(200)).body;
    const group = gov.overlapGroups.find((g: { tools: { id: string }[] }) => g.tools.some((x) => x.id === request.toolId));
    expect(group.tools.find((x: { id: string }) => x.id === request.toolId).annualCost).toEqual({ amount: '60000.01', currency: 'EUR' });
    await drift();
    // The tool page shows the pending amount, labelled, instead of €0.00.
    const web = await signIn(testApp, cast.marketer);
    const page = (await web.get(`/tools/${request.toolId}`).expect(200)).text;
    expect(page).toMatch(/€60,000\.01<\/span>|€60,000\.01 approved, not yet contracted/);
    expect(page).toContain('approved, not yet contracted');

    // Only finance writes contracts.
    for (const who of [cast.marketer, cast.it, cast.cmo, cast.cio])
      await testApp.http().post('/api/v1/contracts').set(who.auth).send(contractBody(request)).expect(403);
    await get('approved-requests', cast.marketer).expect(403);

    // A contract for another tool cannot be attached to the request.
    const other = await makeTool(testApp, cast.marketer, { budgetOwnerId: mkt.id, name: 'Unrelated Tool', subcategoryId: sub });
    const mismatch = await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({ ...contractBody(request), toolId: other.id })
      .expect(422);
    expect(mismatch.body.code).toBe('CONTRACT_TOOL_MISMATCH');
    expect((await get(`contracts?toolId=${other.id}`).expect(200)).body.total).toBe(0);

    const contract = (await testApp.http().post('/api/v1/contracts').set(cast.finance.auth).send(contractBody(request)).expect(201)).body;
    expect((await get(`approved-requests/${request.id}`).expect(200)).body).toMatchObject({
      status: 'ATTACHED',
      contractId: contract.id,
      pendingAmount: { amount: '0.00' },
    });
    expect((await get('approved-requests').expect(200)).body.total).toBe(0);
    expect((await spend('basis=approved')).totals.total).toBe('0.00');
    const committed = await spend('basis=committed&groupBy=costCenter');
    expect(Object.fromEntries(committed.rows.map((x: { key: string; total: string }) => [x.key, x.total]))).toEqual(byCc);
    expect((await spend('basis=committed&includeApproved=true')).totals.total).toBe('60000.01');
    expect(await budgetTotals()).toEqual({ pending: 0, committed: 6000001 });
    expect((await get(`tools/${request.toolId}`).expect(200)).body.annualCost).toEqual({ amount: '60000.01', currency: 'EUR' });
    expect((await web.get(`/tools/${request.toolId}`).expect(200)).text).not.toContain('approved, not yet contracted');
    await drift();
    const audit = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ where: { entityType: 'ApprovedCommitment' }, order: { createdAt: 'ASC' } });
    expect(audit.map((e) => e.action)).toEqual(['commitment.approved_pending', 'commitment.contract_attached']);

    // A request cannot be attached twice; nothing is written by the refusal.
    const again = await testApp.http().post('/api/v1/contracts').set(cast.finance.auth).send(contractBody(request)).expect(409);
    expect(again.body.code).toBe('REQUEST_ALREADY_ATTACHED');
    expect((await get(`contracts?toolId=${request.toolId}`).expect(200)).body.total).toBe(1);
    await drift();
  });

  it('refuses a request that has nothing awaiting a contract, and an invalid requestId', async () => {
    const rejected = await makeRequest(testApp, cast.marketer, { costCenterId: mkt.id, subcategoryId: sub });
    const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: mkt.id, name: 'Some Tool', subcategoryId: sub });
    const body = { toolId: tool.id, startDate: today, termMonths: 12, billing: 'ANNUAL', amount: { amount: '10.00', currency: 'EUR' } };
    const res = await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({ ...body, requestId: rejected.id })
      .expect(409);
    expect(res.body.code).toBe('REQUEST_NOT_AWAITING_CONTRACT');
    await testApp
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({ ...body, requestId: 'nope' })
      .expect(400);
    expect((await get(`contracts?toolId=${tool.id}`).expect(200)).body.total).toBe(0);
  });

  it('web: only finance opens the contract form; a bad amount is answered next to its field and writes nothing', async () => {
    const marketer = await signIn(testApp, cast.marketer);
    await marketer.get('/contracts/new').expect(403);
    const tool = await makeTool(testApp, cast.marketer, { budgetOwnerId: mkt.id, name: 'Web Form Tool', subcategoryId: sub });
    const finance = await signIn(testApp, cast.finance);
    const form = (await finance.get(`/contracts/new?toolId=${tool.id}`).expect(200)).text;
    const once = /name="_once" value="([^"]+)"/.exec(form)![1];
    const res = await finance
      .post('/contracts')
      .type('form')
      .send({
        _csrf: csrfOf(form),
        _once: once,
        toolId: tool.id,
        startDate: today,
        termMonths: '12',
        billing: 'ANNUAL',
        amount: 'sixty',
        currency: 'eur',
        costType: 'LICENSE',
      })
      .expect(400);
    expect(res.text).toMatch(/id="c-amount-err"/);
    expect((await get(`contracts?toolId=${tool.id}`).expect(200)).body.total).toBe(0);
  });
});
