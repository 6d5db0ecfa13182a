import { parse } from 'csv-parse/sync';
import { Tool } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeUser, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

const SORT_FIELDS = ['name', 'vendor', 'category', 'lifecycle', 'itApproval', 'annualCost', 'createdAt', 'updatedAt'];

describe('Catalog list: sort, saved views, filtered export', () => {
  let testApp: TestApp;
  let admin: TestUser, marketer: TestUser, finance: TestUser, other: TestUser;
  let prefix: string;
  let costCenterId: string;
  const ids: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };

  const names = async (query: string, user = marketer) => {
    const res = await testApp.http().get(`/api/v1/tools?${query}`).set(user.auth).expect(200);
    return (res.body.items as { name: string }[]).map((tool) => tool.name.slice(prefix.length + 1));
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    [admin, marketer, finance, other] = await Promise.all([
      makeUser(testApp, [Role.ADMIN]),
      makeUser(testApp, [Role.MARKETER]),
      makeUser(testApp, [Role.FINANCE]),
      makeUser(testApp, [Role.MARKETER]),
    ]);
    prefix = unique('Sortable').toLowerCase();
    costCenterId = (await makeCostCenter(testApp, admin)).id;
    // Each field orders the three tools differently (see the table in the first test).
    const plan = [
      { key: 'A', vendor: 'v-charlie', sub: 'CRM', lifecycle: 'SUNSETTING', it: 'APPROVED', cost: 30000n, created: '03', updated: '01' },
      { key: 'B', vendor: 'v-alpha', sub: 'PR', lifecycle: 'ACTIVE', it: 'REJECTED', cost: null, created: '01', updated: '03' },
      {
        key: 'C',
        vendor: 'v-bravo',
        sub: 'Email Marketing',
        lifecycle: 'PROPOSED',
        it: 'NOT_REVIEWED',
        cost: 10000n,
        created: '02',
        updated: '02',
      },
    ] as const;
    for (const spec of plan) {
      const vendorId = (await makeVendor(testApp, marketer, { name: `${prefix} ${spec.vendor}` })).id;
      const tool = await makeTool(testApp, marketer, {
        name: `${prefix} ${({ A: 'alpha', B: 'bravo', C: 'charlie' } as const)[spec.key]}`,
        budgetOwnerId: costCenterId,
        vendorId,
        subcategoryId: await subcategoryId(testApp, spec.sub, marketer),
      });
      ids[spec.key] = tool.id;
      // Lifecycle, approval, cost and dates are set directly: this suite is about ordering, not the workflow that sets them.
      await testApp.dataSource.getRepository(Tool).update(tool.id, {
        lifecycle: spec.lifecycle as Tool['lifecycle'],
        itApprovalStatus: spec.it as Tool['itApprovalStatus'],
        annualCostMinor: spec.cost,
        annualCostCurrency: spec.cost === null ? null : 'EUR',
        createdAt: new Date(`2026-01-${spec.created}T10:00:00.000Z`),
        updatedAt: new Date(`2026-02-${spec.updated}T10:00:00.000Z`),
      });
    }
  });
  afterAll(async () => testApp?.close());

  it('sorts on every allowed field, both directions, server-side', async () => {
    const expected: Record<string, string[]> = {
      name: ['alpha', 'bravo', 'charlie'],
      vendor: ['bravo', 'charlie', 'alpha'], // v-alpha, v-bravo, v-charlie
      category: ['bravo', 'charlie', 'alpha'], // Advertising & Promotion, Content & Experience, Social & Relationships
      lifecycle: ['bravo', 'charlie', 'alpha'], // ACTIVE, PROPOSED, SUNSETTING
      itApproval: ['alpha', 'charlie', 'bravo'], // APPROVED, NOT_REVIEWED, REJECTED
      annualCost: ['bravo', 'charlie', 'alpha'], // none first, then 100.00, 300.00
      createdAt: ['bravo', 'charlie', 'alpha'],
      updatedAt: ['alpha', 'charlie', 'bravo'],
    };
    expect(Object.keys(expected)).toEqual(SORT_FIELDS);
    const search = `search=${encodeURIComponent(prefix)}`;
    for (const field of SORT_FIELDS) {
      expect([field, await names(`${search}&sort=${field}`)]).toEqual([field, expected[field]]);
      expect([`-${field}`, await names(`${search}&sort=-${field}`)]).toEqual([`-${field}`, [...expected[field]].reverse()]);
    }
    expect(await names(search)).toEqual(expected.name); // default: by name
  });

  it('breaks ties by id, so pages of equal values never repeat or skip a tool, in either direction', async () => {
    const tiePrefix = unique('tie').toLowerCase();
    const made: string[] = [];
    for (let i = 0; i < 4; i++)
      made.push((await makeTool(testApp, marketer, { name: `${tiePrefix} ${i}`, budgetOwnerId: costCenterId })).id);
    for (const sort of ['lifecycle', '-lifecycle', 'annualCost', '-annualCost']) {
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const res = await testApp
          .http()
          .get(`/api/v1/tools?search=${tiePrefix}&sort=${sort}&pageSize=1&page=${page}`)
          .set(marketer.auth)
          .expect(200);
        expect(res.body.total).toBe(4);
        seen.push(res.body.items[0].id);
      }
      expect([sort, seen]).toEqual([sort, [...made].sort()]);
    }
  });

  it('refuses any other sort with 400 and a list of the allowed fields (nothing reaches SQL)', async () => {
    const hostile = [
      'password',
      'nameKey',
      'NAME',
      'vendorId',
      'v.nameKey',
      'name;DROP TABLE tools',
      "name' OR '1'='1",
      'name desc',
      '--name',
      '-',
      'annualCost,name',
      '(select 1)',
      'x'.repeat(61),
    ];
    for (const sort of hostile) {
      const res = await testApp.http().get('/api/v1/tools').query({ sort }).set(marketer.auth);
      expect([sort, res.status]).toEqual([sort, 400]);
    }
    const unknown = await testApp.http().get('/api/v1/tools?sort=password').set(marketer.auth).expect(400);
    expect(unknown.body.code).toBe('INVALID_SORT');
    for (const field of SORT_FIELDS) expect(unknown.body.message).toContain(`-${field}`);
    await testApp.http().get('/api/v1/tools?sort=name&sort=vendor').set(marketer.auth).expect(400); // repeated
    await testApp.http().get('/api/v1/tools/export?sort=password').set(marketer.auth).expect(400);
    expect(await testApp.dataSource.getRepository(Tool).count()).toBeGreaterThanOrEqual(3);
  });

  it('exports exactly the filtered tools, in the list order (CSV), and every tool without filters', async () => {
    const download = (query: string) =>
      testApp
        .http()
        .get(`/api/v1/tools/export?${query}`)
        .set(finance.auth)
        .buffer(true)
        .parse((res, cb) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => cb(null, text));
        })
        .expect(200);
    const rowsOf = (text: string) => parse<{ name: string; lifecycle: string }>(text.replace(/^\uFEFF/, ''), { columns: true });
    const search = `search=${encodeURIComponent(prefix)}`;
    const byVendorDesc = rowsOf((await download(`${search}&sort=-vendor`)).body as string);
    expect(byVendorDesc.map((r) => r.name.slice(prefix.length + 1))).toEqual(['alpha', 'charlie', 'bravo']);
    const sunsetting = rowsOf((await download(`${search}&lifecycle=SUNSETTING`)).body as string);
    expect(sunsetting.map((r) => [r.name, r.lifecycle])).toEqual([[`${prefix} alpha`, 'SUNSETTING']]);
    const none = rowsOf((await download(`${search}&itApproval=APPROVED_WITH_CONDITIONS`)).body as string);
    expect(none).toEqual([]);
    const all = rowsOf((await download('format=csv')).body as string);
    expect(all.length).toBe(await testApp.dataSource.getRepository(Tool).count());
    await testApp.http().get('/api/v1/tools/export?lifecycle=GONE').set(finance.auth).expect(400);
    await testApp.http().get('/api/v1/tools/export?page=2').set(finance.auth).expect(400); // no paging in an export
  });

  describe('saved views', () => {
    const base = '/api/v1/catalog-views';

    it('create, list, read, rename, replace filters, delete: the view is its owner’s', async () => {
      const created = await testApp
        .http()
        .post(base)
        .set(marketer.auth)
        .send({ name: '  Sunsetting by cost  ', filters: { sort: '-annualCost', lifecycle: 'SUNSETTING', search: prefix } })
        .expect(201);
      expect(created.body).toMatchObject({
        name: 'Sunsetting by cost',
        filters: { search: prefix, lifecycle: 'SUNSETTING', sort: '-annualCost' },
        query: `search=${encodeURIComponent(prefix).replace(/%20/g, '+')}&lifecycle=SUNSETTING&sort=-annualCost`,
        version: 1,
      });
      const id = created.body.id as string;
      // The saved query string drives the list as saved.
      expect(await names(created.body.query)).toEqual(['alpha']);

      const list = await testApp.http().get(base).set(marketer.auth).expect(200);
      expect(list.body.items.map((v: { id: string }) => v.id)).toContain(id);
      await testApp.http().get(`${base}/${id}`).set(marketer.auth).expect(200);

      await testApp.http().post(base).set(marketer.auth).send({ name: 'sunsetting BY COST', filters: {} }).expect(409);
      const renamed = await testApp.http().patch(`${base}/${id}`).set(marketer.auth).send({ name: 'Sunsetting', version: 1 }).expect(200);
      expect(renamed.body).toMatchObject({ name: 'Sunsetting', version: 2, filters: { lifecycle: 'SUNSETTING' } });
      await testApp.http().patch(`${base}/${id}`).set(marketer.auth).send({ name: 'Stale', version: 1 }).expect(409);
      const refiltered = await testApp
        .http()
        .patch(`${base}/${id}`)
        .set(marketer.auth)
        .send({ filters: { shadowIt: true, sort: 'vendor' }, version: 2 })
        .expect(200);
      expect(refiltered.body).toMatchObject({
        filters: { shadowIt: true, sort: 'vendor' },
        query: 'shadowIt=true&sort=vendor',
        version: 3,
      });

      await testApp.http().delete(`${base}/${id}`).set(marketer.auth).expect(204);
      await testApp.http().get(`${base}/${id}`).set(marketer.auth).expect(404);
      await testApp.http().delete(`${base}/${id}`).set(marketer.auth).expect(404);
    });

    it("another user's view is not found: not listed, not readable, not renamable, not deletable", async () => {
      const mine = await testApp
        .http()
        .post(base)
        .set(marketer.auth)
        .send({ name: 'Private', filters: { lifecycle: 'ACTIVE' } })
        .expect(201);
      const id = mine.body.id as string;
      const theirs = await testApp.http().get(base).set(other.auth).expect(200);
      expect(theirs.body.items.map((v: { id: string }) => v.id)).not.toContain(id);
      for (const res of [
        await testApp.http().get(`${base}/${id}`).set(other.auth),
        await testApp.http().patch(`${base}/${id}`).set(other.auth).send({ name: 'Mine now', version: 1 }),
        await testApp.http().delete(`${base}/${id}`).set(other.auth),
        await testApp.http().delete(`${base}/${id}`).set(admin.auth),
      ])
        expect(res.status).toBe(404);
      // The same name is free for someone else.
      await testApp.http().post(base).set(other.auth).send({ name: 'Private', filters: {} }).expect(201);
      const still = await testApp.http().get(`${base}/${id}`).set(marketer.auth).expect(200);
      expect(still.body).toMatchObject({ name: 'Private', version: 1 });
      await testApp.http().get(base).expect(401);
    });

    it('refuses bad views with 4xx and saves nothing', async () => {
      const count = async () => (await testApp.http().get(base).set(finance.auth).expect(200)).body.total as number;
      const before = await count();
      const bad: [Record<string, unknown>, number][] = [
        [{ name: 'x', filters: { sort: 'password' } }, 400],
        [{ name: 'x', filters: { sort: 'name;DROP TABLE catalog_views' } }, 400],
        [{ name: 'x', filters: { lifecycle: 'GONE' } }, 400],
        [{ name: 'x', filters: { vendorId: 'not-a-uuid' } }, 400],
        [{ name: 'x', filters: { page: 2 } }, 400],
        [{ name: 'x', filters: { ownerId: finance.id } }, 400],
        [{ name: 'x', filters: 'lifecycle=ACTIVE' }, 400],
        [{ name: 'x' }, 400],
        [{ name: '', filters: {} }, 400],
        [{ name: '   ', filters: {} }, 400],
        [{ name: 'a\nb', filters: {} }, 400],
        [{ name: 'x'.repeat(101), filters: {} }, 400],
        [{ name: 'x', filters: {}, ownerId: marketer.id }, 400],
      ];
      for (const [body, status] of bad) {
        const res = await testApp.http().post(base).set(finance.auth).send(body);
        expect([body, res.status]).toEqual([body, status]);
      }
      expect(await count()).toBe(before);
      await testApp.http().get(`${base}/not-a-uuid`).set(finance.auth).expect(400);
      const view = await testApp.http().post(base).set(finance.auth).send({ name: 'Good', filters: {} }).expect(201);
      await testApp
        .http()
        .patch(`${base}/${view.body.id}`)
        .set(finance.auth)
        .send({ filters: { sort: '-password' }, version: 1 })
        .expect(400);
      await testApp.http().patch(`${base}/${view.body.id}`).set(finance.auth).send({ name: 'No version' }).expect(400);
      expect((await testApp.http().get(`${base}/${view.body.id}`).set(finance.auth).expect(200)).body.version).toBe(1);
    });

    it('keeps at most 50 views per user (422 beyond, with the reason)', async () => {
      const user = await makeUser(testApp, [Role.CMO]);
      for (let i = 0; i < 50; i++)
        await testApp
          .http()
          .post(base)
          .set(user.auth)
          .send({ name: `View ${i}`, filters: {} })
          .expect(201);
      const over = await testApp.http().post(base).set(user.auth).send({ name: 'One more', filters: {} }).expect(422);
      expect(over.body.code).toBe('CATALOG_VIEW_LIMIT');
      expect((await testApp.http().get(base).set(user.auth).expect(200)).body.total).toBe(50);
    });
  });
});
