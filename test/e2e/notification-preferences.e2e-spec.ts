import { AuditEvent } from '@stackgate/audit';
import { DeliveryStatus, Notification, NotificationPreferencesService, NotificationsService } from '@stackgate/notifications';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('Notification preferences (issue 26 §3)', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  const path = '/api/v1/me/notification-preferences';
  beforeAll(async () => {
    // SMTP configured (never reached: nothing is delivered in this suite), so rows are PENDING unless e-mail is off.
    testApp = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:9' });
    cast = await makeCast(testApp);
  });
  afterAll(async () => testApp?.close());

  const prefs = async (auth: Record<string, string>) => (await testApp.http().get(path).set(auth).expect(200)).body;
  const eventOf = (body: { events: { event: string }[] }, event: string) => body.events.find((e) => e.event === event);

  it('defaults to every channel and both digests on, grouped into reader-worded categories', async () => {
    const body = await prefs(cast.cmo.auth);
    expect(body.digests).toEqual({ reviewer: true, budgetOwner: true });
    expect(eventOf(body, 'review-needed')).toEqual({
      event: 'review-needed',
      label: 'Review needed',
      category: 'REVIEWS',
      categoryLabel: 'Reviews waiting for me',
      inbox: true,
      email: true,
      slack: true,
      mandatory: [],
    });
    expect(eventOf(body, 'webhook-disabled')).toMatchObject({ category: 'ADMIN', mandatory: ['inbox', 'email'] });
    expect(body.events.map((e: { event: string }) => e.event)).not.toContain('digest-reviewer');
    await testApp.http().get(path).expect(401);
  });

  it('refuses bad changes with a 400 and changes nothing', async () => {
    const before = await prefs(cast.cio.auth);
    const bad = [
      { events: [{ event: 'no-such-event', email: false }] },
      { events: [{ event: 'review-needed', fax: false }] },
      { events: [{ event: 'review-needed', email: 'no' }] },
      {
        events: [
          { event: 'review-needed', email: false },
          { event: 'webhook-disabled', email: false },
        ],
      },
      {
        events: [
          { event: 'review-needed', email: false },
          { event: 'review-needed', inbox: false },
        ],
      },
      { events: [{ event: 'digest-reviewer', email: false }] },
      { digests: { weekly: false } },
      { digests: { reviewer: 'off' } },
      { events: 'review-needed' },
      { extra: true },
    ];
    for (const body of bad) {
      const res = await testApp.http().put(path).set(cast.cio.auth).send(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await prefs(cast.cio.auth)).toEqual(before);
  });

  it('applies partial changes, keeps other channels and people untouched, and audits', async () => {
    const res = await testApp
      .http()
      .put(path)
      .set(cast.cmo.auth)
      .send({ events: [{ event: 'review-needed', email: false }], digests: { reviewer: false } })
      .expect(200);
    expect(eventOf(res.body, 'review-needed')).toMatchObject({ inbox: true, email: false, slack: true });
    expect(res.body.digests).toEqual({ reviewer: false, budgetOwner: true });
    await testApp
      .http()
      .put(path)
      .set(cast.cmo.auth)
      .send({
        events: [
          { event: 'review-needed', slack: false },
          { event: 'webhook-disabled', slack: false },
        ],
      })
      .expect(200);
    const after = await prefs(cast.cmo.auth);
    expect(eventOf(after, 'review-needed')).toMatchObject({ inbox: true, email: false, slack: false });
    expect(eventOf(after, 'webhook-disabled')).toMatchObject({ inbox: true, email: true, slack: false });
    expect(eventOf(await prefs(cast.cio.auth), 'review-needed')).toMatchObject({ email: true, slack: true });
    const audit = await testApp.dataSource
      .getRepository(AuditEvent)
      .find({ where: { action: 'notification_preferences.updated', entityId: cast.cmo.id } });
    expect(audit).toHaveLength(2);
  });

  it('enqueue applies each recipient’s preferences: e-mail off → not delivered, inbox off → hidden, mandatory stays on', async () => {
    await testApp
      .http()
      .put(path)
      .set(cast.it.auth)
      .send({ events: [{ event: 'test-notice', inbox: false }] })
      .expect(200);
    await testApp
      .http()
      .put(path)
      .set(cast.finance.auth)
      .send({ events: [{ event: 'test-notice', email: false, inbox: false }] })
      .expect(200);
    const notifications = testApp.app.get(NotificationsService);
    const people = [cast.it, cast.finance, cast.admin];
    const rows = await testApp.dataSource.transaction((manager) =>
      notifications.enqueue(manager, {
        event: 'test-notice',
        recipients: people.map((p) => ({ id: p.id, email: p.email })),
        data: { name: 'Ada' },
        dedupeKey: 'prefs-test',
      }),
    );
    const byUser = new Map(rows.map((row) => [row.recipientId, row]));
    expect(byUser.get(cast.it.id)).toMatchObject({ hidden: true, deliveryStatus: DeliveryStatus.PENDING });
    expect(byUser.get(cast.finance.id)).toMatchObject({ hidden: true, deliveryStatus: DeliveryStatus.NOT_REQUIRED, nextAttemptAt: null });
    expect(byUser.get(cast.admin.id)).toMatchObject({ hidden: false, deliveryStatus: DeliveryStatus.PENDING });
    const stored = await testApp.dataSource.getRepository(Notification).find({ where: { dedupeKey: `prefs-test:${cast.finance.id}` } });
    expect(stored).toMatchObject([{ hidden: true, deliveryStatus: DeliveryStatus.NOT_REQUIRED }]);
    // hidden rows are neither listed nor counted unread, but still dedupe
    const inbox = await testApp.http().get('/api/v1/notifications').set(cast.it.auth).expect(200);
    expect(inbox.body).toMatchObject({ total: 0, unread: 0 });
    const again = await testApp.dataSource.transaction((manager) =>
      notifications.enqueue(manager, { event: 'test-notice', recipients: [cast.it], data: { name: 'Ada' }, dedupeKey: 'prefs-test' }),
    );
    expect(again).toEqual([]);

    // a mandatory notice reaches an administrator who turned everything they could off
    await testApp
      .http()
      .put(path)
      .set(cast.admin.auth)
      .send({ events: [{ event: 'webhook-disabled', slack: false }] })
      .expect(200);
    const [notice] = await testApp.dataSource.transaction((manager) =>
      notifications.enqueue(manager, {
        event: 'webhook-disabled',
        recipients: [cast.admin],
        data: { url: 'https://example.test/hook', failures: 25, lastError: 'HTTP 500', link: '/admin/webhooks' },
      }),
    );
    expect(notice).toMatchObject({ hidden: false, deliveryStatus: DeliveryStatus.PENDING });
  });

  it('answers the Slack sink in one batch: who allows a direct message for an event', async () => {
    const service = testApp.app.get(NotificationPreferencesService);
    const allowed = await service.allows(testApp.dataSource.manager, [cast.cmo.id, cast.cio.id, cast.admin.id], 'review-needed', 'SLACK');
    expect([...allowed].sort()).toEqual([cast.cio.id, cast.admin.id].sort());
    const digests = await service.digestRecipients(testApp.dataSource.manager, [cast.cmo.id, cast.cio.id], 'reviewer');
    expect([...digests]).toEqual([cast.cio.id]);
  });
});
