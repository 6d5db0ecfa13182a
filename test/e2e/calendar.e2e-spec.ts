import ICAL from 'ical.js';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/** The renewals calendar: a per-person secret link to an RFC 5545 feed, validated with ical.js. */
describe('Renewals calendar feed', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let ownedTool: { id: string; name: string };
  let otherTool: { id: string; name: string };

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_URL: 'https://stackgate.example.com' });
    cast = await makeCast(testApp);
    const costCenterId = (await makeCostCenter(testApp, cast.admin)).id;
    ownedTool = await makeTool(testApp, cast.it, {
      budgetOwnerId: costCenterId,
      businessOwnerId: cast.marketer.id,
      name: 'Hub, Inc.; "CRM"',
    });
    otherTool = await makeTool(testApp, cast.it, { budgetOwnerId: costCenterId });
    for (const [tool, reference] of [
      [ownedTool, 'C-1, annual'],
      [otherTool, 'C-2'],
    ] as const)
      await testApp
        .http()
        .post('/api/v1/contracts')
        .set(cast.finance.auth)
        .send({
          toolId: tool.id,
          reference,
          startDate: '2026-03-01',
          termMonths: 12,
          billing: 'ANNUAL',
          amount: { amount: '12000.00', currency: 'EUR' },
          noticeDays: 30,
          autoRenew: true,
        })
        .expect(201);
  });

  afterAll(async () => testApp?.close());

  const link = async (user: TestUser) => {
    const res = await testApp.http().post('/api/v1/me/calendar-token').set(user.auth).expect(201);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.body as { token: string; url: string };
  };
  const fetchFeed = (token: string) => testApp.http().get(`/calendar/renewals.ics?token=${encodeURIComponent(token)}`);
  const events = (text: string) =>
    ICAL.Component.fromString(text)
      .getAllSubcomponents('vevent')
      .map((vevent) => new ICAL.Event(vevent));

  it('serves finance readers every active contract: one all-day event per cancel-by and per renewal date', async () => {
    const { token, url } = await link(cast.finance);
    expect(url).toBe(`https://stackgate.example.com/calendar/renewals.ics?token=${token}`);
    const res = await fetchFeed(token).expect(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, max-age=300');
    const text = res.text;
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line, 'utf8') <= 75)).toBe(true);
    const calendar = ICAL.Component.fromString(text);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    const all = events(text);
    expect(all).toHaveLength(4);
    const mine = all.filter((event) => event.summary.includes(ownedTool.name));
    expect(mine.map((event) => event.startDate.toString()).sort()).toEqual(['2027-01-29', '2027-03-01']);
    expect(mine.every((event) => event.startDate.isDate && event.endDate.isDate)).toBe(true);
    const cancelBy = mine.find((event) => event.startDate.toString() === '2027-01-29')!;
    expect(cancelBy.summary).toBe(`Cancel-by date: ${ownedTool.name} (12000.00 EUR)`);
    expect(cancelBy.description).toContain('Contract: C-1, annual');
    expect(cancelBy.description).toContain(`Owner: ${cast.marketer.email.split('@')[0]}`);
    expect(cancelBy.description).toContain('Annual value: 12000.00 EUR');
    expect(cancelBy.component.getFirstPropertyValue('dtstamp')).toBeTruthy();
    expect(cancelBy.component.getFirstPropertyValue('url')).toBe(`https://stackgate.example.com/tools/${ownedTool.id}`);
    const again = events((await fetchFeed(token).expect(200)).text);
    expect(again.map((event) => event.uid).sort()).toEqual(all.map((event) => event.uid).sort());
    expect(new Set(all.map((event) => event.uid)).size).toBe(4);
  });

  it('serves a business owner the contracts of their own tools only, and others none', async () => {
    const owner = events((await fetchFeed((await link(cast.marketer)).token).expect(200)).text);
    expect(owner.map((event) => event.summary).every((summary) => summary.includes(ownedTool.name))).toBe(true);
    expect(owner).toHaveLength(2);
    expect(events((await fetchFeed((await link(cast.it)).token).expect(200)).text)).toHaveLength(0);
  });

  it('answers 404 to a wrong, rotated or revoked token, and never opens with a session alone', async () => {
    const first = await link(cast.cio);
    const rotated = await link(cast.cio);
    await fetchFeed(first.token).expect(404);
    await fetchFeed(rotated.token).expect(200);
    await fetchFeed(`${rotated.token.slice(0, -2)}xx`).expect(404);
    await fetchFeed('').expect(404);
    await testApp.http().get('/calendar/renewals.ics').set(cast.cio.auth).expect(404);
    await testApp.http().get('/calendar/renewals.ics').set('Cookie', `sg_session=${cast.cio.token}`).expect(404);
    await testApp.http().get('/calendar/renewals.ics?token=a&token=b').expect(404);
    await testApp.http().delete('/api/v1/me/calendar-token').set(cast.cio.auth).expect(204);
    await fetchFeed(rotated.token).expect(404);
    await testApp.http().delete('/api/v1/me/calendar-token').set(cast.cio.auth).expect(204);
    await testApp.http().post('/api/v1/me/calendar-token').expect(401);
  });
});
