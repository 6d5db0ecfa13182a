import { NotificationsService } from '@stackgate/notifications';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Notifications: outbox and in-app inbox', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  it('renders a template per recipient, shows each user only their own, and marks read', async () => {
    const svc = testApp.app.get(NotificationsService);
    const rows = await testApp.dataSource.transaction((m) =>
      svc.enqueue(m, {
        event: 'test-notice',
        recipients: [
          { id: cast.cmo.id, email: cast.cmo.email },
          { id: cast.cio.id, email: cast.cio.email },
          { id: cast.cmo.id, email: cast.cmo.email },
        ],
        data: { name: 'Ada' },
        entityType: 'Tool',
        entityId: 'x',
        dedupeKey: 'test:1',
      }),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].subject).toBe('Stackgate test notice for Ada');
    expect(rows[0].body).toContain('Hello Ada');
    const again = await testApp.dataSource.transaction((m) =>
      svc.enqueue(m, {
        event: 'test-notice',
        recipients: [{ id: cast.cmo.id, email: cast.cmo.email }],
        data: { name: 'Ada' },
        dedupeKey: 'test:1',
      }),
    );
    expect(again).toHaveLength(0);

    const inbox = await testApp.http().get('/api/v1/notifications').set(cast.cmo.auth).expect(200);
    expect(inbox.body).toMatchObject({ total: 1, unread: 1, page: 1 });
    const id = inbox.body.items[0].id;
    await testApp.http().post(`/api/v1/notifications/${id}/read`).set(cast.cio.auth).expect(404);
    await testApp.http().post(`/api/v1/notifications/${id}/read`).set(cast.cmo.auth).expect(200);
    const after = await testApp.http().get('/api/v1/notifications?unread=true').set(cast.cmo.auth).expect(200);
    expect(after.body).toMatchObject({ total: 0, unread: 0 });
    const cio = await testApp.http().get('/api/v1/notifications').set(cast.cio.auth).expect(200);
    expect(cio.body.total).toBe(1);
    expect((await testApp.http().post('/api/v1/notifications/read-all').set(cast.cio.auth).expect(200)).body).toEqual({ marked: 1 });
    await testApp.http().get('/api/v1/notifications').expect(401);
  });
});
