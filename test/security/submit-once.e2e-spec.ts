import { IdempotencyKeys, IDEMPOTENCY_KEY_TTL_MS, Role } from '@stackgate/platform';
import { makeCostCenter, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { makeRequest } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

const formKeyOf = (html: string): string => {
  const match = /name="_once" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no one-time form key on the page');
  return match[1];
};

/**
 * Issue 23 §6: going back and saving a create form again, or clicking Save twice, creates one
 * record. Each rendered create form carries a one-time key; a repeat leads to what the first
 * submission saved.
 */
describe('Create forms are sent once (one-time form keys)', () => {
  let testApp: TestApp;
  let marketer: TestUser, admin: TestUser, other: TestUser;
  let costCenterId: string, vendorId: string, subId: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    [marketer, admin, other] = await Promise.all([
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
    ]);
    costCenterId = (await makeCostCenter(testApp, admin, { kind: 'MARKETING' })).id;
    vendorId = (await makeVendor(testApp, marketer, { name: 'Once Vendor Inc' })).id;
    subId = await subcategoryId(testApp, 'CRM');
  });
  afterAll(async () => testApp?.close());

  const toolsNamed = async (name: string) =>
    (
      await testApp
        .http()
        .get(`/api/v1/tools?search=${encodeURIComponent(name)}`)
        .set(admin.auth)
        .expect(200)
    ).body.items.filter((x: { name: string }) => x.name === name);
  const toolForm = (csrf: string, once: string, name: string) => ({
    _csrf: csrf,
    _once: once,
    name,
    vendorId,
    subcategoryId: subId,
    budgetOwnerId: costCenterId,
    lifecycle: 'ACTIVE',
  });

  it('a tool form sent twice (Back, then Save) registers one tool and leads to it', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/catalog/new').expect(200);
    const [csrf, once] = [csrfOf(page.text), formKeyOf(page.text)];
    const first = await agent
      .post('/catalog')
      .type('form')
      .send(toolForm(csrf, once, 'Once CRM'))
      .expect(303);
    expect(first.headers.location).toMatch(/^\/tools\/[0-9a-f-]{36}$/);
    await bannersAfter(agent, first);
    const again = await agent
      .post('/catalog')
      .type('form')
      .send(toolForm(csrf, once, 'Once CRM'))
      .expect(303);
    expect(again.headers.location).toBe(first.headers.location);
    expect((await bannersAfter(agent, again)).notice).toMatch(/already sent/);
    expect(await toolsNamed('Once CRM')).toHaveLength(1);
  });

  it('a double click sends the form twice at once: one tool', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/catalog/new').expect(200);
    const body = toolForm(csrfOf(page.text), formKeyOf(page.text), 'Twice Clicked CRM');
    const answers = await Promise.all([agent.post('/catalog').type('form').send(body), agent.post('/catalog').type('form').send(body)]);
    // The second waits for the first to record its tool and is led to it — never a second tool, and no
    // "still being sent" (409) although the first answered before it marked its key done.
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    expect(answers[1].headers.location).toBe(answers[0].headers.location);
    expect(await toolsNamed('Twice Clicked CRM')).toHaveLength(1);
  });

  it('a refused form keeps its key usable: the corrected form saves', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/catalog/new').expect(200);
    const [csrf, once] = [csrfOf(page.text), formKeyOf(page.text)];
    await agent
      .post('/catalog')
      .type('form')
      .send({ ...toolForm(csrf, once, 'Fixed CRM'), vendorId: '' })
      .expect(400);
    await agent
      .post('/catalog')
      .type('form')
      .send(toolForm(csrf, once, 'Fixed CRM'))
      .expect(303);
    expect(await toolsNamed('Fixed CRM')).toHaveLength(1);
  });

  it('a comment refused with an error banner is not remembered as sent; a comment sent twice is posted once', async () => {
    const request = await makeRequest(testApp, marketer, { costCenterId, subcategoryId: subId });
    const agent = await signIn(testApp, marketer);
    const page = await agent.get(`/requests/${request.id}`).expect(200);
    const [csrf, once] = [csrfOf(page.text), formKeyOf(page.text.slice(page.text.indexOf(`/requests/${request.id}/comments`)))];
    const refused = await agent
      .post(`/requests/${request.id}/comments`)
      .type('form')
      .send({ _csrf: csrf, _once: once, body: '' })
      .expect(303);
    expect((await bannersAfter(agent, refused)).error).toMatch(/Write a comment/);
    for (let i = 0; i < 2; i++)
      await agent
        .post(`/requests/${request.id}/comments`)
        .type('form')
        .send({ _csrf: csrf, _once: once, body: 'Only once, please' })
        .expect(303);
    const detail = (await testApp.http().get(`/api/v1/requests/${request.id}`).set(marketer.auth).expect(200)).body;
    expect(detail.comments.filter((c: { body: string }) => c.body === 'Only once, please')).toHaveLength(1);
  });

  it("refuses a malformed key, another user's key and a key reused for another form, creating nothing", async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/catalog/new').expect(200);
    const [csrf, once] = [csrfOf(page.text), formKeyOf(page.text)];
    await agent
      .post('/catalog')
      .type('form')
      .send(toolForm(csrf, once, 'Owned CRM'))
      .expect(303);

    for (const bad of ['short', 'x'.repeat(65), 'has spaces in it ok?', once.replace(/.$/, '!')]) {
      const res = await agent
        .post('/catalog')
        .type('form')
        .send(toolForm(csrf, bad, 'Malformed CRM'));
      expect(res.status).toBe(400);
    }
    expect(await toolsNamed('Malformed CRM')).toHaveLength(0);

    const otherAgent = await signIn(testApp, other);
    const otherPage = await otherAgent.get('/catalog/new').expect(200);
    const stolen = await otherAgent
      .post('/catalog')
      .type('form')
      .send(toolForm(csrfOf(otherPage.text), once, 'Stolen CRM'))
      .expect(400);
    expect(stolen.text).toContain('cannot be sent again');
    expect(await toolsNamed('Stolen CRM')).toHaveLength(0);

    const adminAgent = await signIn(testApp, admin);
    const ccPage = await adminAgent.get('/admin/cost-centers').expect(200);
    const adminOnce = formKeyOf(ccPage.text);
    await adminAgent
      .post('/admin/cost-centers')
      .type('form')
      .send({ _csrf: csrfOf(ccPage.text), _once: adminOnce, code: 'ONCE-1', name: 'Once', kind: 'MARKETING' })
      .expect(303);
    const reused = await adminAgent
      .post('/admin/categories')
      .type('form')
      .send({ _csrf: csrfOf(ccPage.text), _once: adminOnce, name: 'Reused key' })
      .expect(400);
    expect(reused.text).toContain('cannot be sent again');
  });

  it('forgets keys after a day: an expired key is new again, and the daily prune deletes old ones', async () => {
    const keys = testApp.app.get(IdempotencyKeys);
    const user = marketer.id;
    const then = new Date('2026-01-01T10:00:00Z');
    expect(await keys.claim('expiring-key-0000000001', user, 'tool.create', then)).toEqual({ state: 'claimed' });
    await keys.complete('expiring-key-0000000001', '/tools/x');
    expect(await keys.claim('expiring-key-0000000001', user, 'tool.create', new Date(then.getTime() + 1000))).toEqual({
      state: 'done',
      location: '/tools/x',
    });
    const later = new Date(then.getTime() + IDEMPOTENCY_KEY_TTL_MS + 1000);
    expect(await keys.claim('expiring-key-0000000001', user, 'tool.create', later)).toEqual({ state: 'claimed' });
    expect(await keys.claim('expiring-key-0000000002', user, 'tool.create', then)).toEqual({ state: 'claimed' });
    expect(await keys.prune(later)).toBeGreaterThanOrEqual(1);
    expect(await keys.claim('expiring-key-0000000002', user, 'tool.create', later)).toEqual({ state: 'claimed' });
  });
});
