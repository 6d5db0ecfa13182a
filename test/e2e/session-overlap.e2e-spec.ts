import { AuditEvent } from '@stackgate/audit';
import { ToolsService } from '@stackgate/catalog';
import { UsersRepository } from '@stackgate/identity';
import { SpendReportService } from '@stackgate/reporting';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * Reports (@ReadsWhileSessionConfirms) start their reads while the guard confirms the session.
 * These tests hold the session read open to show that the report has started and that nothing is
 * answered until the session is confirmed, and that a refused session wins over the report.
 */
describe('Reports read while the session is confirmed', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let reportCalls: number;
  let sessionGate: Promise<void> | null = null;
  let reportGate: Promise<void> | null = null;
  const REPORT = '/api/v1/reports/spend?from=2026-01&to=2026-06&groupBy=month';
  const get = (who: TestUser, path = REPORT) => t.http().get(path).set(who.auth);

  beforeAll(async () => {
    t = await startTestApp();
    cast = await makeCast(t);
    const reports = t.app.get(SpendReportService);
    const spend = reports.spend.bind(reports);
    jest.spyOn(reports, 'spend').mockImplementation(async (q) => {
      reportCalls++;
      const gate = reportGate;
      if (gate) await gate;
      return spend(q);
    });
    const users = t.app.get(UsersRepository);
    const findSession = users.findSessionById.bind(users);
    jest.spyOn(users, 'findSessionById').mockImplementation(async (id) => {
      const gate = sessionGate;
      if (gate) await gate;
      return findSession(id);
    });
  });
  beforeEach(() => { reportCalls = 0; sessionGate = null; reportGate = null; });
  afterAll(async () => t?.close());

  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    return cond();
  };
  /** Sends the request with the session read held until release() is called. */
  const withHeldSession = (who: TestUser, path = REPORT) => {
    let release!: () => void;
    sessionGate = new Promise((r) => { release = r; });
    let answered = false;
    const res = get(who, path).then((r) => { answered = true; return r; });
    return { res, release: () => release(), answered: () => answered };
  };

  it('starts the report before the session read returns, and answers only after it', async () => {
    const first = await get(cast.finance); // the guard learns finance's roles
    expect(first.status).toBe(200);
    expect(reportCalls).toBe(1);

    const held = withHeldSession(cast.finance);
    expect(await until(() => reportCalls === 2)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(held.answered()).toBe(false);
    held.release();
    const res = await held.res;
    expect(res.status).toBe(200);
    expect(res.body).toEqual(first.body);
  });

  it('a user whose roles do not allow the route never starts it, and gets 403', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await get(cast.marketer);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    expect(reportCalls).toBe(0);
  });

  it('a token revoked since the last request gets 401 with no header of the report, even as CSV', async () => {
    const user = await makeUser(t, [Role.FINANCE]);
    const csv = `${REPORT}&format=csv`;
    const ok = await get(user, csv);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-disposition']).toMatch(/attachment/);
    expect((await t.http().post('/api/v1/auth/logout').set(user.auth)).status).toBe(204);

    reportCalls = 0;
    const res = await get(user, csv);
    expect(reportCalls).toBe(1); // it did start, on the roles the user had
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBeUndefined();
  });

  it('a refusal is written only once the report is done with the response', async () => {
    const user = await makeUser(t, [Role.FINANCE]);
    expect((await get(user)).status).toBe(200);
    expect((await t.http().post('/api/v1/auth/logout').set(user.auth)).status).toBe(204);
    let release!: () => void;
    reportGate = new Promise((r) => { release = r; });
    let answered = false;
    const res = get(user, `${REPORT}&format=csv`).then((r) => { answered = true; return r; });
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    release();
    expect((await res).status).toBe(401);
  });

  it('a bad query with a revoked token is 401, not 400; with a valid one it is 400', async () => {
    const user = await makeUser(t, [Role.CIO]);
    expect((await get(user)).status).toBe(200);
    const bad = '/api/v1/reports/spend?from=2026-01&to=2026-06&groupBy=nope';
    const invalid = await get(user, bad);
    expect(invalid.status).toBe(400);
    expect((await t.http().post('/api/v1/auth/logout').set(user.auth)).status).toBe(204);
    expect((await get(user, bad)).status).toBe(401);
  });

  it('roles taken away since the last request give 403, audited, whatever the report found', async () => {
    const user = await makeUser(t, [Role.FINANCE, Role.MARKETER]);
    expect((await get(user)).status).toBe(200);
    const change = await t.http().patch(`/api/v1/users/${user.id}`).set(cast.admin.auth).send({ roles: [Role.MARKETER] });
    expect(change.status).toBe(200);

    reportCalls = 0;
    const held = withHeldSession(user);
    expect(await until(() => reportCalls === 1)).toBe(true);
    held.release();
    const res = await held.res;
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const denied = await t.dataSource.getRepository(AuditEvent).find({ where: { action: 'authz.denied', actorId: user.id } });
    expect(denied).toHaveLength(1);
    expect(denied[0].metadata).toMatchObject({ method: 'GET', path: '/api/v1/reports/spend', roles: [Role.MARKETER] });

    reportCalls = 0;
    expect((await get(user)).status).toBe(403); // the guard now knows: no more reads for this user
    expect(reportCalls).toBe(0);
  });

  it('routes without the decorator still confirm the session before their handler starts', async () => {
    const tools = t.app.get(ToolsService);
    const list = jest.spyOn(tools, 'list');
    try {
      const user = await makeUser(t, [Role.FINANCE]);
      expect((await get(user, '/api/v1/tools')).status).toBe(200);
      list.mockClear();
      const held = withHeldSession(user, '/api/v1/tools');
      await new Promise((r) => setTimeout(r, 100));
      expect(list).not.toHaveBeenCalled();
      held.release();
      expect((await held.res).status).toBe(200);
      expect(list).toHaveBeenCalledTimes(1);
    } finally {
      list.mockRestore();
    }
  });
});
