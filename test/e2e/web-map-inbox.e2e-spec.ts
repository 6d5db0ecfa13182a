import { NotificationsService } from '@stackgate/notifications';
import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';

describe('Web UI: stack map and inbox', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser;
  let source: { id: string; name: string }, target: { id: string; name: string };
  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer] = await Promise.all([makeUser(testApp, [Role.ADMIN]), makeUser(testApp, [Role.MARKETER])]);
    const cc = await makeCostCenter(testApp, admin, { kind: 'MARKETING' });
    source = await makeTool(testApp, marketer, { budgetOwnerId: cc.id, name: 'Map Source <b>' });
    target = await makeTool(testApp, marketer, { budgetOwnerId: cc.id, name: 'Map Target' });
    await testApp
      .http()
      .post('/api/v1/integrations')
      .set(marketer.auth)
      .send({
        sourceToolId: source.id,
        targetToolId: target.id,
        dataObjects: ['contacts'],
        method: 'API',
        frequency: 'DAILY',
        carriesPersonalData: true,
      })
      .expect(201);
  });
  afterAll(async () => testApp?.close());

  it('renders the stack map with boxes that link to the tool pages', async () => {
    const agent = await signIn(testApp, marketer);
    const page = await agent.get('/stack-map').expect(200);
    expect(page.text).toContain(`href="/tools/${source.id}"`);
    expect(page.text).toContain(`href="/tools/${target.id}"`);
    expect(page.text).toContain('Map Source &lt;b&gt;');
    expect(page.text).toContain('edge active personal');
    const svg = await agent.get('/stack-map.svg').expect(200);
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    // Six lanes, in taxonomy order, including those with no tool yet.
    // The page carries the map twice (three lanes a row, and one a row for phones); the wide one comes first.
    const wide = page.text.slice(0, page.text.indexOf('class="map-view map-narrow"'));
    expect(page.text).toContain('data-columns="3"');
    expect(page.text).toContain('data-columns="1"');
    const lanes = [...wide.matchAll(/class="lane-title">([^<]+)</g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(lanes).toEqual([
      'Advertising & Promotion',
      'Content & Experience',
      'Social & Relationships',
      'Commerce & Sales',
      'Data',
      'Management',
    ]);
    await agent.get(`/tools/${source.id}`).expect(200);
    // The flows as a table (the map's text alternative), and the box's name says where its data goes.
    expect(page.text).toMatch(/<td data-label="From">Map Source &lt;b&gt;<\/td><td data-label="To">Map Target<\/td>/);
    expect(wide).toContain('sends data to Map Target');
  });

  it('refuses a map query it does not understand, changing nothing', async () => {
    const agent = await signIn(testApp, marketer);
    await agent.get('/stack-map?category=not-a-lane').expect(400);
    await agent.get('/stack-map?grouped=maybe').expect(400);
    await agent.get('/stack-map?expand=1%27%20or%201=1').expect(400);
    await agent.get('/stack-map?grouped=true').expect(200);
  });

  it("lists the user's own notifications and opens one (marking it read)", async () => {
    const svc = testApp.app.get(NotificationsService);
    await testApp.dataSource.transaction((m) =>
      svc.enqueue(m, {
        event: 'test-notice',
        recipients: [{ id: marketer.id, email: marketer.email }],
        data: { name: 'Maya' },
        link: `/tools/${source.id}`,
      }),
    );
    const agent = await signIn(testApp, marketer);
    const inbox = await agent.get('/notifications').expect(200);
    expect(inbox.text).toContain('Stackgate test notice for Maya');
    expect(inbox.text).toContain('1 unread');
    const id = /action="\/notifications\/([0-9a-f-]{36})\/open"/.exec(inbox.text)![1];
    const opened = await agent
      .post(`/notifications/${id}/open`)
      .type('form')
      .send({ _csrf: csrfOf(inbox.text) })
      .expect(303);
    expect(opened.headers.location).toBe(`/tools/${source.id}`);
    expect((await agent.get('/notifications').expect(200)).text).toContain('0 unread');
    const adminAgent = await signIn(testApp, admin);
    const adminInbox = await adminAgent.get('/notifications').expect(200);
    expect(adminInbox.text).not.toContain('test notice for Maya');
    await adminAgent
      .post(`/notifications/${id}/open`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrfOf(adminInbox.text) })
      .expect(404);
  });
});
