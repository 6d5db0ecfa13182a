import { In } from 'typeorm';
import { CostCenterKind } from '@stackgate/catalog';
import { Notification } from '@stackgate/notifications';
import { Role } from '@stackgate/platform';
import { ReviewStage, Stage } from '@stackgate/procurement';
import { WeeklyDigestJob } from '@stackgate/reporting';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { makeCostCenter, makeTool, makeVendor, money, subcategory } from '../support/finance-factories';
import { decide, makeRequest, submit } from '../support/procurement-factories';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

const DAY = 86_400_000;
const isoDay = (moment: Date) => moment.toISOString().slice(0, 10);

/** Monday 08:00 UTC of the week after `from` (the digests' default moment is Monday 07:00 UTC). */
function nextMonday(from: Date): Date {
  const weekday = from.getUTCDay() || 7;
  return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 8 - weekday, 8));
}

describe('Weekly digests (issue 26 §3)', () => {
  let db: TestDatabase;
  let first: TestApp, second: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let cmo2: TestUser, owner: TestUser, idleOwner: TestUser;
  const monday = nextMonday(new Date());
  const requests: Record<string, { id: string; title: string }> = {};

  const digests = (event?: string) =>
    first.dataSource.getRepository(Notification).find({
      where: { event: event ? event : In(['digest-reviewer', 'digest-budget-owner']) },
      order: { createdAt: 'ASC' },
    });
  const contract = (toolId: string, reference: string, startDate: string, amount: string, seats?: number) =>
    first
      .http()
      .post('/api/v1/contracts')
      .set(cast.finance.auth)
      .send({
        toolId,
        reference,
        startDate,
        termMonths: 12,
        billing: 'ANNUAL',
        amount: money(amount),
        noticeDays: 30,
        internalLeadDays: 30,
        autoRenew: true,
        ...(seats ? { seats } : {}),
      })
      .expect(201);

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await startTestApp({}, {}, db);
    second = TEST_ENGINE === 'mariadb' ? await startTestApp({ DB_MIGRATE_ON_START: 'false' }, {}, db) : first;
    cast = await makeCast(first);
    cmo2 = await makeUser(first, [Role.CMO]);
    owner = await makeUser(first, [Role.MARKETER], { displayName: 'Olga Owner' });
    idleOwner = await makeUser(first, [Role.MARKETER]);

    // Requests: R1 and R3 at the marketing stage (R3 overdue), R2 at the IT stage.
    const center = await makeCostCenter(first, { kind: CostCenterKind.MARKETING, ownerId: owner.id });
    const setup = { costCenterId: center.id, subcategoryId: (await subcategory(first, 'SEO')).id };
    for (const key of ['R1', 'R2', 'R3']) {
      const draft = await makeRequest(first, cast.marketer, setup, { title: `Digest request ${key}` });
      await submit(first, cast.marketer, draft.id);
      requests[key] = { id: draft.id, title: draft.title };
    }
    await decide(first, cast.cmo, requests.R2.id, { stage: 'MARKETING', decision: 'APPROVE' });
    await first.dataSource
      .getRepository(ReviewStage)
      .update({ requestId: requests.R3.id, stage: Stage.MARKETING }, { dueAt: new Date(monday.getTime() - 3 * DAY) });

    // Budgets: Olga owns the cost center of two tools; one renews within 90 days and has 8 unused seats.
    const vendor = await makeVendor(first);
    const seated = await makeTool(first, {
      name: 'Seated',
      vendor,
      subcategory: 'SEO',
      budgetOwner: center,
      licensedSeats: 20,
      activeUsers: 12,
    });
    const later = await makeTool(first, { name: 'Later', vendor, subcategory: 'SEO', budgetOwner: center });
    await contract(seated.id, 'SOON-1', isoDay(new Date(monday.getTime() - 300 * DAY)), '2400.60', 20);
    await contract(later.id, 'LATE-1', isoDay(new Date(monday.getTime() - 100 * DAY)), '1234.56');
    const idleCenter = await makeCostCenter(first, { kind: CostCenterKind.MARKETING, ownerId: idleOwner.id });
    await makeTool(first, { name: 'Idle', vendor, subcategory: 'SEO', budgetOwner: idleCenter });

    await first
      .http()
      .put('/api/v1/me/notification-preferences')
      .set(cmo2.auth)
      .send({ digests: { reviewer: false } })
      .expect(200);
  });
  afterAll(async () => {
    await first?.close();
    if (second !== first) await second?.close();
    await db?.drop();
  });

  it('writes nothing before the digest moment of the week', async () => {
    expect(await first.app.get(WeeklyDigestJob).run(new Date(monday.getTime() - 2 * 3600_000))).toBe(0);
    expect(await digests()).toEqual([]);
  });

  it('writes one digest per person per week, even when two instances run it at once and again', async () => {
    const [byFirst, bySecond] = await Promise.all([
      first.app.get(WeeklyDigestJob).run(monday),
      second.app.get(WeeklyDigestJob).run(monday),
    ]);
    const rows = await digests();
    expect(byFirst + bySecond).toBe(rows.length);
    expect(await first.app.get(WeeklyDigestJob).run(new Date(monday.getTime() + 2 * DAY))).toBe(0);
    expect(await second.app.get(WeeklyDigestJob).run(new Date(monday.getTime() + 3 * DAY))).toBe(0);
    expect(await digests()).toHaveLength(rows.length);
    const who = (event: string) =>
      rows
        .filter((row) => row.event === event)
        .map((row) => row.recipientId)
        .sort();
    // FINANCE has nothing waiting, cmo2 turned the digest off, the idle owner's tools have nothing to say.
    expect(who('digest-reviewer')).toEqual([cast.cmo.id, cast.cio.id, cast.it.id].sort());
    expect(who('digest-budget-owner')).toEqual([owner.id]);
    for (const row of rows) expect(row.dedupeKey).toMatch(/^digest:(reviewer|budget-owner):\d{4}-W\d{2}:/);
  });

  it('lists what waits for a reviewer, overdue first, with counts and the queue link', async () => {
    const [cmoDigest] = (await digests('digest-reviewer')).filter((row) => row.recipientId === cast.cmo.id);
    expect(cmoDigest.subject).toBe('Weekly digest: 2 reviews wait for you (1 overdue)');
    const body = cmoDigest.body;
    expect(body.indexOf(requests.R3.title)).toBeGreaterThan(-1);
    expect(body.indexOf(requests.R3.title)).toBeLessThan(body.indexOf(requests.R1.title));
    expect(body).toContain(
      `"${requests.R3.title}": Marketing stage decision, OVERDUE since ${isoDay(new Date(monday.getTime() - 3 * DAY))} (3 days)`,
    );
    expect(body).not.toContain(requests.R2.title);
    expect(body).toContain('/requests?queue=awaiting-me');
    const [cioDigest] = (await digests('digest-reviewer')).filter((row) => row.recipientId === cast.cio.id);
    expect(cioDigest.subject).toBe('Weekly digest: 1 review waits for you');
    expect(cioDigest.body).toContain(`"${requests.R2.title}": IT stage decision`);
    const [itDigest] = (await digests('digest-reviewer')).filter((row) => row.recipientId === cast.it.id);
    expect(itDigest.body.match(/IT assessment,/g)).toHaveLength(3);
    expect(itDigest.body).toContain('/requests?queue=awaiting-assessment');
    expect(itDigest.body).not.toContain('/requests?queue=awaiting-me');
  });

  it('gives the budget owner their renewals within 90 days and unused seats, to the cent', async () => {
    const [row] = await digests('digest-budget-owner');
    expect(row.subject).toBe('Weekly digest: 1 renewal in the next 90 days, 8 unused seats worth 960.24 EUR a year');
    expect(row.body).toContain('Hello Olga Owner');
    expect(row.body).toContain('Renewals in the next 90 days (1, 2400.60 EUR a year in total):');
    expect(row.body).toMatch(
      /- Seated \(SOON-1\): cancel by \d{4}-\d{2}-\d{2}, ends \d{4}-\d{2}-\d{2}; 2400\.60 EUR a year; renews automatically\./,
    );
    expect(row.body).toContain('- Seated: 8 of 20 seats unused (12 active), 960.24 EUR a year (120.03 EUR per seat).');
    expect(row.body).not.toContain('LATE-1');
    expect(row.body).toContain('/renewals');
  });

  it('sends the next week again, and nothing at all when digests are off', async () => {
    const before = (await digests()).length;
    expect(await first.app.get(WeeklyDigestJob).run(new Date(monday.getTime() + 7 * DAY))).toBe(4);
    expect((await digests()).length).toBe(before + 4);
    const off = await startTestApp({ DIGESTS_ENABLED: 'false', DB_MIGRATE_ON_START: 'false' }, {}, db);
    try {
      expect(await off.app.get(WeeklyDigestJob).run(new Date(monday.getTime() + 14 * DAY))).toBe(0);
    } finally {
      await off.close();
    }
    expect((await digests()).length).toBe(before + 4);
  });
});
