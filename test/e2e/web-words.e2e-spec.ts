import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { assess, decide, makeRequest, RequestSetup, submit } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string) => /name="_once" value="([^"]+)"/.exec(html)![1];

/** Issue 23 §3: the forms take what people type and word what they refuse next to the field. */
describe('Web forms: what people type, and words they understand', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let setup: RequestSetup;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    setup = { costCenterId: cc.id, subcategoryId: await subcategoryId(testApp, 'Events, Meetings & Webinars') };
  });
  afterAll(async () => testApp?.close());

  const requestForm = (csrf: string, once: string, over: Record<string, string>) => ({
    _csrf: csrf,
    _once: once,
    type: 'NEW_TOOL',
    title: 'Buy a webinar tool',
    toolName: 'Webinar Words',
    vendorName: 'Words BV',
    subcategoryId: setup.subcategoryId,
    businessCase: 'Webinars that sync leads',
    costAmount: '60,000',
    costCurrency: 'eur',
    cc0: setup.costCenterId,
    pct0: '100 %',
    ...over,
  });

  it('a marketer types "60,000", "eur" and "100 %": the draft stores 60000.00 EUR at 100 %', async () => {
    const agent = await signIn(testApp, cast.marketer);
    const page = await agent.get('/requests/new').expect(200);
    const saved = await agent
      .post('/requests/new')
      .type('form')
      .send(requestForm(csrfOf(page.text), formKeyOf(page.text), {}))
      .expect(303);
    const id = /\/requests\/([0-9a-f-]{36})/.exec(saved.headers.location)![1];
    const stored = (await testApp.http().get(`/api/v1/requests/${id}`).set(cast.marketer.auth).expect(200)).body;
    expect(stored).toMatchObject({
      estimatedAnnualCost: { amount: '60000.00', currency: 'EUR' },
      allocation: [{ costCenterId: setup.costCenterId, shareBps: 10000 }],
    });
  });

  it('refuses "€60k", an empty subcategory and a 60 % split with words next to each field, and saves nothing', async () => {
    const agent = await signIn(testApp, cast.marketer);
    const before = (await testApp.http().get('/api/v1/requests').set(cast.marketer.auth).expect(200)).body.total;
    const page = await agent.get('/requests/new').expect(200);
    const bad = await agent
      .post('/requests/new')
      .type('form')
      .send(requestForm(csrfOf(page.text), formKeyOf(page.text), { costAmount: '€60k', subcategoryId: '', pct0: '60' }))
      .expect(400);
    const errorOf = (id: string) => new RegExp(`<p class="field-error" id="${id}-err">([^<]*)</p>`).exec(bad.text)?.[1];
    expect(errorOf('q-cost')).toBe('Enter an amount such as 60000 or 60,000.00');
    expect(errorOf('q-sub')).toBe('Choose one');
    expect(bad.text).toContain('The shares must add up to 100 %, each cost center once');
    expect(bad.text).not.toMatch(/basis points|must be a UUID|decimal places than/);
    expect((await testApp.http().get('/api/v1/requests').set(cast.marketer.auth).expect(200)).body.total).toBe(before);
  });

  it('the CIO approving with conditions but none written sees the Conditions field marked', async () => {
    const request = await makeRequest(testApp, cast.marketer, setup);
    await submit(testApp, cast.marketer, request.id);
    await decide(testApp, cast.cmo, request.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, request.id);
    const agent = await signIn(testApp, cast.cio);
    const page = await agent.get(`/requests/${request.id}`).expect(200);
    const version = /action="\/requests\/[^"]+\/decisions"[\s\S]*?name="version" value="(\d+)"/.exec(page.text)![1];
    const refused = await agent
      .post(`/requests/${request.id}/decisions`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), version, stage: 'IT', decision: 'APPROVE_WITH_CONDITIONS', conditions: '' })
      .expect(400);
    expect(refused.text).toMatch(/id="d-conditions"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('id="d-conditions-err"');
    expect(refused.text).not.toMatch(/id="d-comment"[^>]*aria-invalid/);
  });
});
