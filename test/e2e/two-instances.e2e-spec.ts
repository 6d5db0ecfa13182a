import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DeliveryStatus, Notification, NotificationsService } from '@stackgate/notifications';
import { JobScheduler, Role } from '@stackgate/platform';
import { ReviewStage } from '@stackgate/procurement';
import { makeCostCenter, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser } from '../support/factories';
import { makeRequest, submit } from '../support/procurement-factories';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

interface Received {
  to: string;
  subject: string;
}

/** RFC 2047 "Q" encoded words (nodemailer encodes subjects with quotes or non-ASCII). */
function decodeWords(header: string): string {
  return header.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) =>
    Buffer.from(
      q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8'),
  );
}

/** A real SMTP listener on loopback that can be told to refuse messages. */
async function startSmtp() {
  const received: Received[] = [];
  const state = { reject: false };
  const server = new SMTPServer({
    authOptional: true,
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8');
      });
      stream.on('end', () => {
        if (state.reject) return callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
        const headers = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
        const subject = decodeWords(/^Subject: (.*)$/m.exec(headers)?.[1] ?? '');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { received, state, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * Two Stackgate instances on one database (the scale-out setup): tokens work across them, one
 * decision wins, scheduled jobs run once per period, and e-mail goes out once — and is retried.
 */
describe('Two instances on one database, with e-mail delivery', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let db: TestDatabase;
  let first: TestApp, second: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;

  beforeAll(async () => {
    smtp = await startSmtp();
    db = await createTestDatabase();
    const env = { SMTP_URL: smtp.url, SMTP_FROM: 'Stackgate <stackgate@example.test>' };
    first = await startTestApp(env, {}, db);
    // SQLite is the single-process embedded default: two processes on one file only contend for
    // its lock. There the second "instance" is the same app; MariaDB gets a real second instance.
    second = TEST_ENGINE === 'mariadb' ? await startTestApp({ ...env, DB_MIGRATE_ON_START: 'false' }, {}, db) : first;
    cast = await makeCast(first);
  });
  afterAll(async () => {
    await first?.close();
    if (second !== first) await second?.close();
    await db?.drop();
    await smtp?.close();
  });

  const tickBoth = (now: Date) => Promise.all([first.app.get(JobScheduler).tick(now), second.app.get(JobScheduler).tick(now)]);

  it('a token issued by one instance works on the other', async () => {
    await second.http().get('/api/v1/auth/me').set(cast.cio.auth).expect(200);
    await second.http().post('/api/v1/auth/logout').set(cast.cio.auth).expect(204);
    await first.http().get('/api/v1/auth/me').set(cast.cio.auth).expect(401);
    cast.cio = await makeUser(first, [Role.CIO]);
  });

  it('delivers each notification by e-mail exactly once, with both instances ticking', async () => {
    const cc = await makeCostCenter(first, cast.admin, { kind: 'MARKETING' });
    const request = await makeRequest(first, cast.marketer, { costCenterId: cc.id, subcategoryId: await subcategoryId(first, 'SEO') });
    await submit(first, cast.marketer, request.id);
    const pending = await first.dataSource
      .getRepository(Notification)
      .find({ where: { entityId: request.id, deliveryStatus: DeliveryStatus.PENDING } });
    expect(pending.length).toBeGreaterThanOrEqual(1);
    const now = new Date(Date.now() + 1000);
    await tickBoth(now);
    await tickBoth(now);
    const mine = smtp.received.filter((m) => m.subject.includes(request.title));
    expect(mine.map((m) => m.to).sort()).toEqual(pending.map((p) => p.recipientEmail).sort());
    const after = await first.dataSource.getRepository(Notification).find({ where: { entityId: request.id } });
    expect(after.every((n) => n.deliveryStatus === DeliveryStatus.SENT && n.deliveryAttempts === 1 && n.deliveredAt)).toBe(true);
  });

  it('retries a failed delivery with backoff and then delivers it once', async () => {
    smtp.state.reject = true;
    const svc = first.app.get(NotificationsService);
    const [row] = await first.dataSource.transaction((m) =>
      svc.enqueue(m, { event: 'test-notice', recipients: [{ id: cast.finance.id, email: cast.finance.email }], data: { name: 'Retry' } }),
    );
    const t0 = new Date(Date.now() + 1000);
    await tickBoth(t0);
    let notification = await first.dataSource.getRepository(Notification).findOneByOrFail({ id: row.id });
    expect(notification).toMatchObject({ deliveryStatus: DeliveryStatus.PENDING, deliveryAttempts: 1 });
    expect(notification.lastError).toMatch(/Mailbox temporarily unavailable|451/);
    expect(notification.nextAttemptAt!.getTime()).toBeGreaterThan(t0.getTime());
    smtp.state.reject = false;
    await tickBoth(t0); // not due yet
    expect(smtp.received.filter((m) => m.subject.includes('Retry'))).toHaveLength(0);
    const later = new Date(notification.nextAttemptAt!.getTime() + 1000);
    await tickBoth(later);
    await tickBoth(later);
    expect(smtp.received.filter((m) => m.subject.includes('Retry'))).toHaveLength(1);
    notification = await first.dataSource.getRepository(Notification).findOneByOrFail({ id: row.id });
    expect(notification).toMatchObject({ deliveryStatus: DeliveryStatus.SENT, deliveryAttempts: 2 });
  });

  it('sends an overdue reminder once, not once per instance', async () => {
    const cc = await makeCostCenter(first, cast.admin, { kind: 'IT' });
    const request = await makeRequest(first, cast.marketer, { costCenterId: cc.id, subcategoryId: await subcategoryId(first, 'DMP') });
    await submit(first, cast.marketer, request.id);
    await first.dataSource
      .getRepository(ReviewStage)
      .update({ requestId: request.id, stage: 'MARKETING' as never }, { dueAt: new Date(Date.now() - 3_600_000) });
    const day = new Date(Date.now() + 2000);
    await tickBoth(day);
    await tickBoth(day);
    const reminders = await first.dataSource.getRepository(Notification).find({ where: { event: 'stage-overdue', entityId: request.id } });
    expect(reminders.filter((x) => x.recipientId === cast.cmo.id)).toHaveLength(1);
    expect(
      smtp.received.filter((m) => m.subject.startsWith('Overdue') && m.subject.includes(request.title) && m.to === cast.cmo.email),
    ).toHaveLength(1);
  });

  it('concurrent decisions through both instances: exactly one wins', async () => {
    const cc = await makeCostCenter(first, cast.admin, { kind: 'MARKETING' });
    const request = await makeRequest(first, cast.marketer, { costCenterId: cc.id, subcategoryId: await subcategoryId(first, 'PR') });
    const submitted = await submit(first, cast.marketer, request.id);
    const cmo2 = await makeUser(first, [Role.CMO]);
    const body = { version: submitted.version, stage: 'MARKETING', decision: 'APPROVE' };
    const results = await Promise.all([
      first.http().post(`/api/v1/requests/${request.id}/decisions`).set(cast.cmo.auth).send(body),
      second.http().post(`/api/v1/requests/${request.id}/decisions`).set(cmo2.auth).send(body),
      second.http().post(`/api/v1/requests/${request.id}/decisions`).set(cast.cmo.auth).send(body),
      first.http().post(`/api/v1/requests/${request.id}/decisions`).set(cmo2.auth).send(body),
    ]);
    expect(results.map((x) => x.status).sort()).toEqual([200, 409, 409, 409]);
  });
});
