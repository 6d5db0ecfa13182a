import { Role } from '@stackgate/platform';
import { makeCostCenter, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

describe('Web UI: catalog pages', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser, cio: TestUser;
  let costCenterId: string, vendorId: string, crmId: string;
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer, cio] = await Promise.all([
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.CIO]),
    ]);
    costCenterId = (await makeCostCenter(testApp, admin, { kind: 'MARKETING' })).id;
    vendorId = (await makeVendor(testApp, marketer, { name: 'Acme CRM Inc' })).id;
    crmId = await subcategoryId(testApp, 'CRM');
  });
  afterAll(async () => testApp?.close());

  it('a marketer registers a tool through the form; technical fields are not theirs to set', async () => {
    const agent = await signIn(testApp, marketer);
    const form = await agent.get('/catalog/new').expect(200);
    expect(form.text).toContain('Register a tool');
    const bad = await agent
      .post('/catalog')
      .type('form')
      .send({ _csrf: csrfOf(form.text), name: '', vendorId, subcategoryId: crmId, budgetOwnerId: costCenterId })
      .expect(400);
    expect(bad.text).toContain('aria-invalid="true"');
    const ok = await agent
      .post('/catalog')
      .type('form')
      .send({
        _csrf: csrfOf(form.text),
        name: 'Acme CRM',
        vendorId,
        subcategoryId: crmId,
        budgetOwnerId: costCenterId,
        lifecycle: 'ACTIVE',
        capabilities: 'crm, pipeline',
        description: 'Our CRM',
        hostingRegion: 'Mars',
        isSystemOfRecord: 'on',
      })
      .expect(303);
    const toolId = /\/tools\/([0-9a-f-]{36})/.exec(ok.headers.location)![1];
    const api = await testApp.http().get(`/api/v1/tools/${toolId}`).set(marketer.auth).expect(200);
    expect(api.body).toMatchObject({
      name: 'Acme CRM',
      capabilities: ['crm', 'pipeline'],
      isSystemOfRecord: true,
      hostingRegion: null,
      shadowIt: true,
    });
    const page = await agent.get(`/tools/${toolId}`).expect(200);
    expect(page.text).toContain('Acme CRM');
    expect(page.text).toContain('shadow IT');
    expect(page.text).not.toContain('Record IT approval');
    expect(page.text).not.toContain('<h2>Contracts</h2>');
    const list = await agent.get('/catalog?shadowIt=true').expect(200);
    expect(list.text).toContain(`href="/tools/${toolId}"`);
    const none = await agent.get('/catalog?search=nothing-matches-this').expect(200);
    expect(none.text).toContain('No tool matches');
  });

  it('the CIO records an IT approval from the tool page, and conditions are enforced', async () => {
    const tool = (await testApp.http().get('/api/v1/tools?search=Acme').set(cio.auth).expect(200)).body.items[0];
    const agent = await signIn(testApp, cio);
    const page = await agent.get(`/tools/${tool.id}`).expect(200);
    expect(page.text).toContain('Record IT approval');
    const refused = await agent
      .post(`/tools/${tool.id}/it-approval`)
      .type('form')
      .send({ _csrf: csrfOf(page.text), version: String(tool.version), status: 'APPROVED_WITH_CONDITIONS', rationale: 'ok' })
      .expect(303);
    expect(refused.headers.location).toBe(`/tools/${tool.id}`);
    expect((await bannersAfter(agent, refused)).error).toMatch(/condition/i);
    await agent
      .post(`/tools/${tool.id}/it-approval`)
      .type('form')
      .send({
        _csrf: csrfOf(page.text),
        version: String(tool.version),
        status: 'APPROVED_WITH_CONDITIONS',
        rationale: 'Reviewed',
        conditions: 'EU hosting only',
      })
      .expect(303);
    const after = await testApp.http().get(`/api/v1/tools/${tool.id}`).set(cio.auth).expect(200);
    expect(after.body.itApproval).toMatchObject({ status: 'APPROVED_WITH_CONDITIONS', conditions: 'EU hosting only', decidedById: cio.id });
    expect(after.body.shadowIt).toBe(false);
    const shown = await agent.get(`/tools/${tool.id}`).expect(200);
    expect(shown.text).toContain('EU hosting only');
    // The history says what happened in words, by the person's name (not the event code nor an e-mail address).
    const history = /<h2>History<\/h2>[\s\S]*?<\/table>/.exec(shown.text)![0];
    expect(history).toMatch(
      new RegExp(
        `>${cio.email.split('@')[0]}</td><td[^>]*>IT approval changed<br><span class="muted small">` +
          'Changed: IT approval: Not reviewed by IT → Approved by IT with conditions;',
      ),
    );
    expect(history).not.toContain('tool.it_approval_changed');
    expect(history).not.toContain(cio.email);
  });

  it('a marketer cannot post the IT approval form', async () => {
    const tool = (await testApp.http().get('/api/v1/tools?search=Acme').set(marketer.auth).expect(200)).body.items[0];
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/catalog').expect(200);
    await agent
      .post(`/tools/${tool.id}/it-approval`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrfOf(page.text), status: 'REJECTED', rationale: 'no' })
      .expect(403);
  });
});
