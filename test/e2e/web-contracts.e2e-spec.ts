import { makeCostCenter, makeTool, makeVendor } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';
import { bannersAfter, csrfOf, signIn } from '../support/web';

type Contract = { id: string; toolId: string; vendorId: string; endDate: string; cancelByDate: string; version: number; status: string };

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
/** The first day of the month `months` from this one (negative: before). */
const monthStart = (months: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
};
const daysUntil = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / DAY);
const errorOf = (html: string, id: string) => new RegExp(`<p class="field-error" id="${id}-err">([^<]*)</p>`).exec(html)?.[1];
const alertOf = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1]?.replace(/&#x27;/g, "'");

/** Issue 23 §1: finance edits and terminates contracts in the web UI, and filters the contracts list by a bookmarkable query. */
describe('Web: contracts — edit, terminate, list filters', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let vendorA: { id: string };
  let vendorB: { id: string };
  let toolA: { id: string };
  let toolB: { id: string };
  let soon: Contract; // ends this month, 60 days' notice: cancel-by passed, still running
  let later: Contract; // ends in about 2–3 months
  let far: Contract; // ends in about 2 years

  const contract = async (body: Record<string, unknown>): Promise<Contract> =>
    (
      await testApp
        .http()
        .post('/api/v1/contracts')
        .set(cast.finance.auth)
        .send({ termMonths: 12, billing: 'ANNUAL', amount: { amount: '1200.00', currency: 'EUR' }, ...body })
        .expect(201)
    ).body;
  const read = async (id: string): Promise<Contract & Record<string, unknown>> =>
    (await testApp.http().get(`/api/v1/contracts/${id}`).set(cast.finance.auth).expect(200)).body;

  beforeAll(async () => {
    testApp = await startTestApp();
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' });
    [vendorA, vendorB] = await Promise.all([makeVendor(testApp, cast.marketer), makeVendor(testApp, cast.marketer)]);
    toolA = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id, vendorId: vendorA.id });
    toolB = await makeTool(testApp, cast.marketer, { budgetOwnerId: cc.id, vendorId: vendorB.id });
    soon = await contract({ toolId: toolA.id, startDate: monthStart(-11), noticeDays: 60, reference: 'SOON-1' });
    later = await contract({ toolId: toolB.id, startDate: monthStart(-9), reference: 'LATER-1' });
    far = await contract({ toolId: toolB.id, startDate: monthStart(0), termMonths: 24, reference: 'FAR-1' });
  });
  afterAll(async () => testApp?.close());

  describe('the list filters (query string, bookmarkable)', () => {
    const listed = async (query: string) => {
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get(`/contracts?${query}`).expect(200);
      return [soon, later, far].filter((row) => page.text.includes(`/contracts/${row.id}/edit`)).map((c) => c.id);
    };
    const within = (days: number) =>
      [soon, later, far].filter((c) => daysUntil(c.endDate) >= 0 && daysUntil(c.endDate) <= days).map((c) => c.id);

    it('by vendor, tool and status', async () => {
      expect(await listed(`vendorId=${vendorA.id}`)).toEqual([soon.id]);
      expect(await listed(`toolId=${toolB.id}`)).toEqual(expect.arrayContaining([later.id, far.id]));
      expect(await listed(`toolId=${toolB.id}`)).toHaveLength(2);
      expect(await listed(`vendorId=${vendorB.id}&toolId=${toolA.id}`)).toEqual([]);
      expect(await listed('status=CANCELLED')).toEqual([]);
    });

    it('by renewal window: renews within 30 / 60 / 90 days, and cancel-by passed while still running', async () => {
      expect(within(30)).toContain(soon.id);
      for (const days of [30, 60, 90]) expect((await listed(`renewal=${days}`)).sort()).toEqual(within(days).sort());
      expect(await listed('renewal=90')).not.toContain(far.id);
      expect(daysUntil(soon.cancelByDate)).toBeLessThan(0);
      expect(await listed('renewal=cancel-by-passed')).toEqual([soon.id]);
      const agent = await signIn(testApp, cast.finance);
      const page = await agent.get('/contracts?renewal=cancel-by-passed').expect(200);
      expect(page.text).toContain('<option value="cancel-by-passed" selected>');
      expect(page.text).toContain('(passed)');
    });

    it('hostile or stale values are ignored and named, never echoed; the whole list shows', async () => {
      const agent = await signIn(testApp, cast.finance);
      const query =
        'status=%3Cscript%3Ealert(1)%3C%2Fscript%3E&toolId=..%2F..%2Fetc&vendorId=x&vendorId=y&renewal=9999%27%20OR%201%3D1&page=-1&sort=%3Cb%3E';
      const page = await agent.get(`/contracts?${query}`).expect(200);
      expect(page.text).toContain('Filter values not understood and ignored: tool, vendor, status, renewal window.');
      expect(page.text).not.toContain('<script>alert(1)');
      expect(page.text).not.toContain('OR 1=1');
      for (const row of [soon, later, far]) expect(page.text).toContain(`/contracts/${row.id}/edit`);
    });

    it('the API answers the same filters and refuses malformed ones with 400', async () => {
      const api = (q: string) => testApp.http().get(`/api/v1/contracts?${q}`).set(cast.finance.auth);
      const ids = async (q: string) => ((await api(q).expect(200)).body.items as Contract[]).map((c) => c.id).sort();
      expect(await ids(`vendorId=${vendorA.id}`)).toEqual([soon.id]);
      expect(await ids(`renewsWithinDays=90&toolId=${toolB.id}`)).toEqual(
        within(90)
          .filter((id) => id !== soon.id)
          .sort(),
      );
      expect(await ids(`cancelByPassed=true&vendorId=${vendorA.id}`)).toEqual([soon.id]);
      expect(await ids(`cancelByPassed=false&vendorId=${vendorA.id}`)).toEqual([]);
      // asOf moves the window: counted from its own end date, `far` renews within 0 days.
      expect(await ids(`renewsWithinDays=0&asOf=${far.endDate}&toolId=${toolB.id}`)).toEqual([far.id]);
      for (const bad of [
        'renewsWithinDays=abc',
        'renewsWithinDays=-1',
        'renewsWithinDays=99999',
        'cancelByPassed=yes',
        'vendorId=x',
        'asOf=2026-02-30',
      ])
        expect((await api(bad).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('editing', () => {
    it('finance edits the fields the API allows; a stale version is a 409 page in plain words and changes nothing', async () => {
      const agent = await signIn(testApp, cast.finance);
      const form = await agent.get(`/contracts/${later.id}/edit?back=list`).expect(200);
      expect(form.text).toContain('value="LATER-1"');
      const sent = {
        _csrf: csrfOf(form.text),
        version: /name="version" value="(\d+)"/.exec(form.text)![1],
        back: 'list',
        toolId: toolB.id,
        reference: 'LATER-2',
        startDate: (await read(later.id)).startDate as string,
        termMonths: '12',
        billing: 'ANNUAL',
        amount: '2,400.00',
        currency: 'eur',
        costType: 'LICENSE',
        seats: '25',
        noticeDays: '30',
        autoRenew: 'on',
      };
      const saved = await agent.post(`/contracts/${later.id}`).type('form').send(sent).expect(303);
      expect(saved.headers.location).toBe('/contracts');
      expect((await bannersAfter(agent, saved)).notice).toBe('Contract saved');
      const after = await read(later.id);
      expect(after).toMatchObject({
        reference: 'LATER-2',
        amount: { amount: '2400.00', currency: 'EUR' },
        seats: 25,
        noticeDays: 30,
        autoRenew: true,
      });

      // The same form sent again carries the version read before the save: someone else's change in between.
      const stale = await agent
        .post(`/contracts/${later.id}`)
        .type('form')
        .send({ ...sent, reference: 'LATER-3' })
        .expect(409);
      expect(alertOf(stale.text)).toContain('changed by someone else');
      expect((await read(later.id)).reference).toBe('LATER-2');
      expect((await read(later.id)).version).toBe(after.version);

      // A malformed version, a bad amount: 400 with the field marked, nothing saved.
      const bad = await agent
        .post(`/contracts/${later.id}`)
        .type('form')
        .send({ ...sent, version: String(after.version), amount: 'lots' })
        .expect(400);
      expect(errorOf(bad.text, 'c-amount')).toBeTruthy();
      const noVersion = await agent
        .post(`/contracts/${later.id}`)
        .type('form')
        .send({ ...sent, version: 'abc' })
        .expect(400);
      expect(alertOf(noVersion.text)).toContain('changed by someone else');
      expect((await read(later.id)).version).toBe(after.version);
    });

    it('an emptied reference and seats clear them; an empty split reverts to the tool’s', async () => {
      const agent = await signIn(testApp, cast.finance);
      const current = await read(later.id);
      const form = await agent.get(`/contracts/${later.id}/edit`).expect(200);
      const sent = {
        _csrf: csrfOf(form.text),
        version: String(current.version),
        toolId: toolB.id,
        reference: '',
        startDate: current.startDate as string,
        termMonths: '12',
        billing: 'ANNUAL',
        amount: '2400',
        currency: 'EUR',
        costType: 'LICENSE',
        seats: '',
        noticeDays: '30',
      };
      const saved = await agent.post(`/contracts/${later.id}`).type('form').send(sent).expect(303);
      expect(saved.headers.location).toBe(`/tools/${toolB.id}`);
      expect(await read(later.id)).toMatchObject({ reference: null, seats: null, autoRenew: false, ownAllocation: false });
    });
  });

  describe('terminating', () => {
    it('finance confirms with a date and a reason; the contract leaves renewals and the audit trail keeps both', async () => {
      const agent = await signIn(testApp, cast.finance);
      const toolPage = await agent.get(`/tools/${toolA.id}`).expect(200);
      expect(toolPage.text).toContain(`/contracts/${soon.id}/terminate?back=tool`);
      const confirm = await agent.get(`/contracts/${soon.id}/terminate?back=tool`).expect(200);
      expect(confirm.text).toContain('Terminate the contract');
      const version = /name="version" value="(\d+)"/.exec(confirm.text)![1];
      const base = { _csrf: csrfOf(confirm.text), version, back: 'tool' };

      const noReason = await agent
        .post(`/contracts/${soon.id}/terminate`)
        .type('form')
        .send({ ...base, effectiveDate: today(), reason: '  ' })
        .expect(400);
      expect(errorOf(noReason.text, 't-reason')).toBe('Fill this in');
      const badDate = await agent
        .post(`/contracts/${soon.id}/terminate`)
        .type('form')
        .send({ ...base, effectiveDate: '2026-02-30', reason: 'x' })
        .expect(400);
      expect(errorOf(badDate.text, 't-date')).toBeTruthy();
      const beforeStart = await agent
        .post(`/contracts/${soon.id}/terminate`)
        .type('form')
        .send({ ...base, effectiveDate: '2000-01-01', reason: 'Too early' })
        .expect(422);
      expect(errorOf(beforeStart.text, 't-date')).toContain('start date');
      expect(await read(soon.id)).toMatchObject({ status: 'ACTIVE', terminatedOn: null, terminationReason: null });

      const done = await agent
        .post(`/contracts/${soon.id}/terminate`)
        .type('form')
        .send({ ...base, effectiveDate: today(), reason: 'Consolidated onto <b>the CRM</b>' })
        .expect(303);
      expect(done.headers.location).toBe(`/tools/${toolA.id}`);
      expect((await bannersAfter(agent, done)).notice).toContain(`Contract terminated as of ${today()}`);
      // The date and the reason are kept on the contract itself, shown (escaped) under its status on the tool page and the list.
      expect(await read(soon.id)).toMatchObject({
        status: 'CANCELLED',
        terminatedOn: today(),
        terminationReason: 'Consolidated onto <b>the CRM</b>',
      });
      const shown = `Terminated ${today()}: Consolidated onto &lt;b&gt;the CRM&lt;/b&gt;`;
      expect((await agent.get(`/tools/${toolA.id}`).expect(200)).text).toContain(shown);
      expect((await agent.get('/contracts').expect(200)).text).toContain(shown);
      expect((await agent.get(`/contracts/${soon.id}/terminate`).expect(200)).text).toContain(shown);
      const events = (
        await testApp.http().get(`/api/v1/audit-events?entityType=Contract&entityId=${soon.id}`).set(cast.admin.auth).expect(200)
      ).body.items as { action: string; metadata: Record<string, unknown> | null }[];
      expect(events.find((e) => e.action === 'contract.terminated')?.metadata).toEqual({
        effectiveDate: today(),
        reason: 'Consolidated onto <b>the CRM</b>',
      });

      // Gone from the renewal windows; listed as cancelled; no second terminate button, and a second POST is refused.
      expect((await agent.get('/contracts?renewal=cancel-by-passed').expect(200)).text).not.toContain(`/contracts/${soon.id}/edit`);
      const list = await agent.get('/contracts?status=CANCELLED').expect(200);
      expect(list.text).toContain(`/contracts/${soon.id}/edit`);
      expect(list.text).not.toContain(`/contracts/${soon.id}/terminate`);
      const again = await agent
        .post(`/contracts/${soon.id}/terminate`)
        .type('form')
        .send({ ...base, version: String((await read(soon.id)).version), effectiveDate: today(), reason: 'again' })
        .expect(409);
      expect(alertOf(again.text)).toBe('This contract is already terminated');
      expect(await read(soon.id)).toMatchObject({ terminatedOn: today(), terminationReason: 'Consolidated onto <b>the CRM</b>' });
    });

    it('the API: 200 with status CANCELLED, 409 when stale or already terminated, 400 for a bad body', async () => {
      const fresh = await contract({ toolId: toolA.id, startDate: monthStart(0) });
      const post = (body: Record<string, unknown>, user = cast.finance) =>
        testApp.http().post(`/api/v1/contracts/${fresh.id}/terminate`).set(user.auth).send(body);
      await post({ effectiveDate: today(), reason: 'No longer used', version: 1 }, cast.cmo).expect(403);
      for (const body of [
        {},
        { effectiveDate: today(), reason: '', version: 1 },
        { effectiveDate: today(), reason: 'x'.repeat(501), version: 1 },
      ])
        expect((await post(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
      expect((await post({ effectiveDate: today(), reason: 'No longer used', version: 7 }).expect(409)).body.code).toBe('STALE_VERSION');
      expect(fresh).toMatchObject({ terminatedOn: null, terminationReason: null });
      expect(await read(fresh.id)).toMatchObject({ status: 'ACTIVE', version: 1, terminatedOn: null, terminationReason: null });
      const ends = monthStart(2);
      const ok = await post({ effectiveDate: ends, reason: 'No longer used', version: 1 }).expect(200);
      expect(ok.body).toMatchObject({
        id: fresh.id,
        status: 'CANCELLED',
        version: 2,
        terminatedOn: ends,
        terminationReason: 'No longer used',
      });
      expect((await post({ effectiveDate: today(), reason: 'again', version: 2 }).expect(409)).body.code).toBe(
        'CONTRACT_ALREADY_TERMINATED',
      );
      // The list answers them too, and the second attempt changed nothing.
      const listed = (await testApp.http().get(`/api/v1/contracts?toolId=${toolA.id}&status=CANCELLED`).set(cast.finance.auth).expect(200))
        .body.items as Record<string, unknown>[];
      expect(listed.find((c) => c.id === fresh.id)).toMatchObject({ terminatedOn: ends, terminationReason: 'No longer used' });
    });

    it('a PATCH keeps the termination date and reason; reactivating (status ACTIVE) clears them, the audit trail keeps them', async () => {
      const fresh = await contract({ toolId: toolA.id, startDate: monthStart(0), reference: 'PATCH-1' });
      const api = testApp.http();
      await api
        .post(`/api/v1/contracts/${fresh.id}/terminate`)
        .set(cast.finance.auth)
        .send({ effectiveDate: today(), reason: 'Replaced', version: 1 })
        .expect(200);
      const patched = await api
        .patch(`/api/v1/contracts/${fresh.id}`)
        .set(cast.finance.auth)
        .send({ reference: 'PATCH-2', seats: 5, status: 'CANCELLED', version: 2 })
        .expect(200);
      expect(patched.body).toMatchObject({
        reference: 'PATCH-2',
        seats: 5,
        status: 'CANCELLED',
        terminatedOn: today(),
        terminationReason: 'Replaced',
      });
      // The body cannot set them: they are written by the terminate operation only.
      const unknownField = await api
        .patch(`/api/v1/contracts/${fresh.id}`)
        .set(cast.finance.auth)
        .send({ terminatedOn: null, terminationReason: null, version: 3 });
      expect(unknownField.status).toBe(400);
      expect(await read(fresh.id)).toMatchObject({ version: 3, terminatedOn: today(), terminationReason: 'Replaced' });

      // The web edit form (no status field) keeps them as well.
      const agent = await signIn(testApp, cast.finance);
      const form = await agent.get(`/contracts/${fresh.id}/edit`).expect(200);
      expect(form.text).toContain(`This contract is terminated as of ${today()}`);
      await agent
        .post(`/contracts/${fresh.id}`)
        .type('form')
        .send({
          _csrf: csrfOf(form.text),
          version: /name="version" value="(\d+)"/.exec(form.text)![1],
          toolId: toolA.id,
          reference: 'PATCH-3',
          startDate: monthStart(0),
          termMonths: '12',
          billing: 'ANNUAL',
          amount: '1200.00',
          currency: 'EUR',
          costType: 'LICENSE',
          seats: '5',
          noticeDays: '0',
        })
        .expect(303);
      expect(await read(fresh.id)).toMatchObject({ reference: 'PATCH-3', terminatedOn: today(), terminationReason: 'Replaced' });

      const reactivated = await api
        .patch(`/api/v1/contracts/${fresh.id}`)
        .set(cast.finance.auth)
        .send({ status: 'ACTIVE', version: (await read(fresh.id)).version })
        .expect(200);
      expect(reactivated.body).toMatchObject({ status: 'ACTIVE', terminatedOn: null, terminationReason: null });
      const events = (await api.get(`/api/v1/audit-events?entityType=Contract&entityId=${fresh.id}`).set(cast.admin.auth).expect(200)).body
        .items as { action: string; metadata: Record<string, unknown> | null }[];
      expect(events.find((e) => e.action === 'contract.terminated')?.metadata).toEqual({ effectiveDate: today(), reason: 'Replaced' });
    });
  });

  describe('who may', () => {
    it('readers see the list without edit or terminate; their GETs and POSTs are 403; others do not see contracts', async () => {
      for (const user of [cast.cmo, cast.cio, cast.admin]) {
        const agent = await signIn(testApp, user);
        const list = await agent.get('/contracts').expect(200);
        expect(list.text).not.toContain(`/contracts/${far.id}/edit`);
        expect(list.text).not.toContain(`/contracts/${far.id}/terminate`);
        const toolPage = await agent.get(`/tools/${toolB.id}`).expect(200);
        expect(toolPage.text).not.toContain(`/contracts/${far.id}/edit`);
        await agent.get(`/contracts/${far.id}/edit`).expect(403);
        await agent.get(`/contracts/${far.id}/terminate`).expect(403);
        const _csrf = csrfOf(list.text);
        await agent.post(`/contracts/${far.id}`).type('form').send({ _csrf, version: '1', reference: 'hijack' }).expect(403);
        await agent
          .post(`/contracts/${far.id}/terminate`)
          .type('form')
          .send({ _csrf, version: '1', effectiveDate: today(), reason: 'x' })
          .expect(403);
      }
      const marketer = await signIn(testApp, cast.marketer);
      await marketer.get('/contracts').expect(403);
      expect(await read(far.id)).toMatchObject({ reference: 'FAR-1', status: 'ACTIVE', version: 1 });
    });

    it('a malformed or unknown contract id is refused before anything is read', async () => {
      const agent = await signIn(testApp, cast.finance);
      await agent.get('/contracts/not-a-uuid/edit').expect(400);
      await agent.get('/contracts/00000000-0000-4000-8000-000000000000/terminate').expect(404);
    });
  });
});

/** Migration 1767001500000 on contracts terminated before it: they keep null (their date and reason stay in the audit trail). */
describe(`Contract termination columns: contracts terminated before migration 1767001500000 (${TEST_ENGINE})`, () => {
  let db: TestDatabase;
  let testApp: TestApp | undefined;
  afterAll(async () => {
    await testApp?.close();
    await db?.drop();
  });

  it('keep null after the migration; a termination after it is kept', async () => {
    db = await createTestDatabase();
    const first = await startTestApp({}, {}, db);
    const cast = await makeCast(first);
    const cc = await makeCostCenter(first, cast.admin, { kind: 'MARKETING' });
    const tool = await makeTool(first, cast.marketer, { budgetOwnerId: cc.id });
    const create = async (reference: string) =>
      (
        await first
          .http()
          .post('/api/v1/contracts')
          .set(cast.finance.auth)
          .send({
            toolId: tool.id,
            startDate: monthStart(0),
            termMonths: 12,
            billing: 'ANNUAL',
            amount: { amount: '10.00', currency: 'EUR' },
            reference,
          })
          .expect(201)
      ).body as Contract;
    const [old, active] = [await create('OLD-1'), await create('ACTIVE-1')];
    await first
      .http()
      .post(`/api/v1/contracts/${old.id}/terminate`)
      .set(cast.finance.auth)
      .send({ effectiveDate: today(), reason: 'Before the upgrade', version: 1 })
      .expect(200);
    // Back to the schema before the migration (the columns dropped), as a database terminated then would be: later
    // migrations are undone first.
    const executedNames = async () =>
      (await first.dataSource.query<{ name: string }[]>('SELECT name FROM schema_migrations')).map((row) => row.name);
    while ((await executedNames()).includes('ContractTermination1767001500000'))
      await first.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await executedNames()).not.toContain('ContractTermination1767001500000');
    await first.close();

    testApp = await startTestApp({}, {}, db);
    const get = async (id: string) => (await testApp!.http().get(`/api/v1/contracts/${id}`).set(cast.finance.auth).expect(200)).body;
    expect(await get(old.id)).toMatchObject({ status: 'CANCELLED', terminatedOn: null, terminationReason: null, reference: 'OLD-1' });
    expect(await get(active.id)).toMatchObject({ status: 'ACTIVE', terminatedOn: null, terminationReason: null });
    await testApp
      .http()
      .post(`/api/v1/contracts/${active.id}/terminate`)
      .set(cast.finance.auth)
      .send({ effectiveDate: today(), reason: 'After the upgrade', version: 1 })
      .expect(200);
    expect(await get(active.id)).toMatchObject({ status: 'CANCELLED', terminatedOn: today(), terminationReason: 'After the upgrade' });
  });
});
