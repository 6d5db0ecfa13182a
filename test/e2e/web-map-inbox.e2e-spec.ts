import { NotificationsService } from '@stackgate/notifications';
import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

describe('Web UI: stack map and inbox', () => {
  let t: TestApp;
  let admin: TestUser, marketer: TestUser;
  let a: { id: string; name: string }, b: { id: string; name: string };
  beforeAll(async () => {
    t = await startTestApp();
    [admin, marketer] = await Promise.all([makeUser(t, [Role.ADMIN]), makeUser(t, [Role.MARKETER])]);
    const cc = await makeCostCenter(t, admin, { kind: 'MARKETING' });
    a = await makeTool(t, marketer, { budgetOwnerId: cc.id, name: 'Map Source <b>' });
    b = await makeTool(t, marketer, { budgetOwnerId: cc.id, name: 'Map Target' });
    await t.http().post('/api/v1/integrations').set(marketer.auth)
      .send({ sourceToolId: a.id, targetToolId: b.id, dataObjects: ['contacts'], method: 'API', frequency: 'DAILY', carriesPersonalData: true }).expect(201);
  });
  afterAll(async () => t?.close());

  it('renders the stack map with boxes that link to the tool pages', async () => {
    const agent = await signIn(t, marketer);
    const page = await agent.get('/stack-map').expect(200);
    expect(page.text).toContain(`href="/tools/${a.id}"`);
    expect(page.text).toContain(`href="/tools/${b.id}"`);
    expect(page.text).toContain('Map Source &lt;b&gt;');
    expect(page.text).toContain('edge active personal');
    const svg = await agent.get('/stack-map.svg').expect(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    // Six lanes, in taxonomy order, including those with no tool yet.
    const lanes = [...page.text.matchAll(/class="lane-title">([^<]+)</g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(lanes).toEqual(['Advertising & Promotion', 'Content & Experience', 'Social & Relationships', 'Commerce & Sales', 'Data', 'Management']);
    await agent.get(`/tools/${a.id}`).expect(200);
  });

  it('lists the user\'s own notifications and opens one (marking it read)', async () => {
    const svc = t.app.get(NotificationsService);
    await t.dataSource.transaction((m) => svc.enqueue(m, { event: 'test-notice', recipients: [{ id: marketer.id, email: marketer.email }], data: { name: 'Maya' }, link: `/tools/${a.id}` }));
    const agent = await signIn(t, marketer);
    const inbox = await agent.get('/notifications').expect(200);
    expect(inbox.text).toContain('Stackgate test notice for Maya');
    expect(inbox.text).toContain('1 unread');
    const id = /action="\/notifications\/([0-9a-f-]{36})\/open"/.exec(inbox.text)![1];
    const opened = await agent.post(`/notifications/${id}/open`).type('form').send({ _csrf: csrfOf(inbox.text) }).expect(303);
    expect(opened.headers.location).toBe(`/tools/${a.id}`);
    expect((await agent.get('/notifications').expect(200)).text).toContain('0 unread');
    const adminAgent = await signIn(t, admin);
    const adminInbox = await adminAgent.get('/notifications').expect(200);
    expect(adminInbox.text).not.toContain('test notice for Maya');
    await adminAgent.post(`/notifications/${id}/open`).type('form').set('Accept', 'text/html').send({ _csrf: csrfOf(adminInbox.text) }).expect(404);
  });
});
