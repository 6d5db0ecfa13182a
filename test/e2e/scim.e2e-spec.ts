import { DataSource } from 'typeorm';
import { AuditEvent } from '@stackgate/audit';
import { ScimToken } from '@stackgate/identity';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser } from '../support/factories';
import { makeScimToken, patchOp, SCIM_ERROR, SCIM_GROUP, SCIM_TYPE, SCIM_USER, ScimClient, scimClient, scimUser } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * SCIM 2.0 (RFC 7643/7644) compliance walk over HTTP on a real database: tokens, every endpoint
 * (list/get/create/put/patch/delete), filters, paging, ETags, and errors in SCIM's schema.
 */
describe('SCIM 2.0: tokens and the compliance walk', () => {
  let testApp: TestApp;
  let cast: Awaited<ReturnType<typeof makeCast>>;
  let scim: ScimClient;
  let tokenId: string;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp({ PUBLIC_URL: 'https://stackgate.example.com' });
    cast = await makeCast(testApp);
    const created = await makeScimToken(testApp, cast.admin, { name: 'Okta' });
    tokenId = created.id;
    token = created.token;
    scim = scimClient(testApp, created.token);
  });
  afterAll(async () => testApp?.close());

  describe('SCIM tokens', () => {
    it('creates a token shown once (sgscim_), with the base URL, lists it without the secret, keeps only its hash', async () => {
      const expiry = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
      const res = await testApp.http().post('/api/v1/scim-tokens').set(cast.admin.auth).send({ name: 'Entra ID', expiresAt: expiry });
      expect(res.status).toBe(201);
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.body.token).toMatch(/^sgscim_[0-9A-Za-z]{61}$/);
      expect(res.body).toMatchObject({
        name: 'Entra ID',
        baseUrl: 'https://stackgate.example.com/scim/v2',
        createdById: cast.admin.id,
        status: 'ACTIVE',
        expiresAt: new Date(Date.parse(`${expiry}T00:00:00.000Z`) + 86_400_000).toISOString(),
      });
      const list = await testApp.http().get('/api/v1/scim-tokens').set(cast.admin.auth).expect(200);
      expect(list.body.baseUrl).toBe('https://stackgate.example.com/scim/v2');
      expect(list.body.items.map((item: { id: string }) => item.id)).toContain(res.body.id);
      expect(JSON.stringify(list.body)).not.toContain(res.body.token);
      const row = await testApp.dataSource.getRepository(ScimToken).findOneByOrFail({ id: res.body.id });
      expect(JSON.stringify(row)).not.toContain(res.body.token);
      const audit = await testApp.dataSource
        .getRepository(AuditEvent)
        .findOneByOrFail({ action: 'scim_token.created', entityId: res.body.id });
      expect(audit.actorId).toBe(cast.admin.id);
    });

    it('is ADMIN only, and refuses API tokens; bad input is 400 and changes nothing', async () => {
      await testApp.http().post('/api/v1/scim-tokens').set(cast.cio.auth).send({}).expect(403);
      await testApp.http().get('/api/v1/scim-tokens').set(cast.finance.auth).expect(403);
      const pat = await testApp
        .http()
        .post('/api/v1/api-tokens')
        .set(cast.admin.auth)
        .send({ name: 'x', scopes: ['admin'] })
        .expect(201);
      await testApp
        .http()
        .get('/api/v1/scim-tokens')
        .set({ Authorization: `Bearer ${pat.body.token}` })
        .expect(403);
      const before = await testApp.dataSource.getRepository(ScimToken).count();
      await testApp.http().post('/api/v1/scim-tokens').set(cast.admin.auth).send({ expiresAt: '2001-01-01' }).expect(400);
      await testApp
        .http()
        .post('/api/v1/scim-tokens')
        .set(cast.admin.auth)
        .send({ name: 'x'.repeat(101) })
        .expect(400);
      await testApp.http().post('/api/v1/scim-tokens').set(cast.admin.auth).send({ surprise: true }).expect(400);
      expect(await testApp.dataSource.getRepository(ScimToken).count()).toBe(before);
      await testApp.http().delete('/api/v1/scim-tokens/00000000-0000-7000-8000-000000000000').set(cast.admin.auth).expect(404);
    });

    it('a revoked token is refused at once (401 in SCIM schema); revoking twice is fine', async () => {
      const other = await makeScimToken(testApp, cast.admin);
      const client = scimClient(testApp, other.token);
      await client.get('/Users').expect(200);
      await testApp.http().delete(`/api/v1/scim-tokens/${other.id}`).set(cast.admin.auth).expect(204);
      await testApp.http().delete(`/api/v1/scim-tokens/${other.id}`).set(cast.admin.auth).expect(204);
      const res = await client.get('/Users').expect(401);
      expect(res.body).toMatchObject({ schemas: [SCIM_ERROR], status: '401' });
      const list = await testApp.http().get('/api/v1/scim-tokens').set(cast.admin.auth).expect(200);
      expect(list.body.items.find((item: { id: string }) => item.id === other.id).status).toBe('REVOKED');
    });

    it('stops working when its creating administrator loses ADMIN', async () => {
      const admin2 = await makeUser(testApp, [Role.ADMIN]);
      const own = await makeScimToken(testApp, admin2);
      await scimClient(testApp, own.token).get('/Users').expect(200);
      await testApp
        .http()
        .patch(`/api/v1/users/${admin2.id}`)
        .set(cast.admin.auth)
        .send({ roles: [Role.CIO] })
        .expect(200);
      await scimClient(testApp, own.token).get('/Users').expect(401);
    });
  });

  describe('discovery', () => {
    it('ServiceProviderConfig advertises patch, filter with maxResults, etag; no bulk, sort or password change', async () => {
      const res = await scim.get('/ServiceProviderConfig').expect(200);
      expect(res.headers['content-type']).toContain(SCIM_TYPE);
      expect(res.body).toMatchObject({
        patch: { supported: true },
        bulk: { supported: false },
        filter: { supported: true, maxResults: 200 },
        sort: { supported: false },
        etag: { supported: true },
        changePassword: { supported: false },
      });
      expect(res.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
    });

    it('ResourceTypes and Schemas list User and Group; one by id; unknown is 404', async () => {
      const types = await scim.get('/ResourceTypes').expect(200);
      expect(types.body.Resources.map((type: { id: string }) => type.id)).toEqual(['User', 'Group']);
      await scim.get('/ResourceTypes/User').expect(200);
      const schemas = await scim.get('/Schemas').expect(200);
      expect(schemas.body.Resources.map((schema: { id: string }) => schema.id)).toEqual([SCIM_USER, SCIM_GROUP]);
      const user = await scim.get(`/Schemas/${SCIM_USER}`).expect(200);
      expect(user.body.attributes.map((attribute: { name: string }) => attribute.name)).toEqual(
        expect.arrayContaining(['userName', 'displayName', 'active', 'emails', 'name']),
      );
      expect((await scim.get('/Schemas/urn:nope').expect(404)).body).toMatchObject({ schemas: [SCIM_ERROR], status: '404' });
      expect((await scim.get('/Bulk').expect(404)).body).toMatchObject({ schemas: [SCIM_ERROR], status: '404' });
      expect((await scim.get('').expect(404)).body).toMatchObject({ schemas: [SCIM_ERROR], status: '404' });
      expect((await testApp.http().get('/scim/v2/Users/x/y').expect(401)).body.schemas).toEqual([SCIM_ERROR]);
    });
  });

  describe('Users', () => {
    it('creates, reads, filters, replaces, patches and deletes a user', async () => {
      const created = await scim.post('/Users', scimUser('Ada.Lovelace@Corp.Example', { externalId: 'okta-001' })).expect(201);
      expect(created.headers['content-type']).toContain(SCIM_TYPE);
      const id: string = created.body.id;
      expect(created.headers.location).toBe(`https://stackgate.example.com/scim/v2/Users/${id}`);
      expect(created.headers.etag).toMatch(/^W\/".+"$/);
      expect(created.body).toMatchObject({
        schemas: [SCIM_USER],
        userName: 'ada.lovelace@corp.example',
        externalId: 'okta-001',
        displayName: 'Ada Lovelace',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        active: true,
        emails: [{ value: 'ada.lovelace@corp.example', primary: true }],
        meta: { resourceType: 'User', location: `https://stackgate.example.com/scim/v2/Users/${id}` },
      });
      expect(created.body.meta.version).toBe(created.headers.etag);
      // the person exists in Stackgate, without a usable password
      const person = await testApp.http().get(`/api/v1/users/${id}`).set(cast.admin.auth).expect(200);
      expect(person.body).toMatchObject({ email: 'ada.lovelace@corp.example', active: true });
      await testApp.http().post('/api/v1/auth/login').send({ email: 'ada.lovelace@corp.example', password: '' }).expect(400);

      await scim.get(`/Users/${id}`).expect(200);
      const byName = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "ADA.lovelace@corp.example"')}`).expect(200);
      expect(byName.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      expect(byName.body.Resources[0].id).toBe(id);
      const byExternal = await scim.get(`/Users?filter=${encodeURIComponent('externalId eq "okta-001"')}`).expect(200);
      expect(byExternal.body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);
      const byExternalCase = await scim.get(`/Users?filter=${encodeURIComponent('externalId eq "OKTA-001"')}`).expect(200);
      expect(byExternalCase.body.totalResults).toBe(0);
      const byEmail = await scim.get(
        `/Users?filter=${encodeURIComponent('emails[type eq "work" and value eq "ada.lovelace@corp.example"]')}`,
      );
      expect([byEmail.status, byEmail.body.totalResults]).toEqual([200, 1]);
      const byOr = await scim.get(`/Users?filter=${encodeURIComponent(`emails.value eq "nobody@x.example" or externalId eq "okta-001"`)}`);
      expect(byOr.body.totalResults).toBe(1);
      const none = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "nobody@corp.example"')}`).expect(200);
      expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });

      const put = await scim
        .put(`/Users/${id}`, scimUser('ada@corp.example', { externalId: 'okta-001', displayName: 'Countess Lovelace' }))
        .expect(200);
      expect(put.body).toMatchObject({ userName: 'ada@corp.example', displayName: 'Countess Lovelace', active: true });
      expect(put.headers.etag).not.toBe(created.headers.etag);

      const patched = await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Ada' })).expect(200);
      expect(patched.body.displayName).toBe('Ada');

      await scim.delete(`/Users/${id}`).expect(204);
      await scim.get(`/Users/${id}`).expect(404);
      const after = await testApp.http().get(`/api/v1/users/${id}`).set(cast.admin.auth).expect(200);
      expect(after.body.active).toBe(false);
      // provisioned again later: the same person, active again
      const again = await scim.post('/Users', scimUser('ada@corp.example')).expect(201);
      expect(again.body).toMatchObject({ id, active: true });
    });

    it('pages with startIndex and count (capped at 200) and answers count=0 with the total only', async () => {
      for (let index = 0; index < 5; index++) await scim.post('/Users', scimUser(`pager-${index}@corp.example`)).expect(201);
      const filter = encodeURIComponent('userName sw "pager-"');
      const first = await scim.get(`/Users?filter=${filter}&startIndex=1&count=2`).expect(200);
      expect(first.body).toMatchObject({ totalResults: 5, startIndex: 1, itemsPerPage: 2 });
      const third = await scim.get(`/Users?filter=${filter}&startIndex=5&count=2`).expect(200);
      expect(third.body).toMatchObject({ totalResults: 5, startIndex: 5, itemsPerPage: 1 });
      const seen = new Set<string>();
      for (let start = 1; start <= 5; start += 2) {
        const page = await scim.get(`/Users?filter=${filter}&startIndex=${start}&count=2`).expect(200);
        for (const user of page.body.Resources) seen.add(user.userName);
      }
      expect(seen.size).toBe(5);
      const zero = await scim.get(`/Users?filter=${filter}&count=0`).expect(200);
      expect(zero.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
      const capped = await scim.get('/Users?count=100000').expect(200);
      expect(capped.body.itemsPerPage).toBeLessThanOrEqual(200);
      const projected = await scim.get(`/Users?filter=${filter}&attributes=userName`).expect(200);
      expect(Object.keys(projected.body.Resources[0]).sort()).toEqual(['id', 'meta', 'schemas', 'userName']);
      await scim.get('/Users?startIndex=abc').expect(400);
    });

    it('refuses a duplicate userName with 409 uniqueness, bad bodies with 400, and changes nothing', async () => {
      await scim.post('/Users', scimUser('dup@corp.example')).expect(201);
      const dup = await scim.post('/Users', scimUser('DUP@corp.example')).expect(409);
      expect(dup.body).toMatchObject({ schemas: [SCIM_ERROR], status: '409', scimType: 'uniqueness' });
      const taken = await scim.post('/Users', scimUser(cast.cio.email)).expect(409);
      expect(taken.body.scimType).toBe('uniqueness');
      const noSchema = await scim.post('/Users', { userName: 'x@corp.example' }).expect(400);
      expect(noSchema.body.scimType).toBe('invalidSyntax');
      expect((await scim.post('/Users', scimUser('not-an-email')).expect(400)).body.scimType).toBe('invalidValue');
      expect((await scim.post('/Users', scimUser('a@corp.example', { active: 'maybe' })).expect(400)).body.scimType).toBe('invalidValue');
      const malformed = await testApp
        .http()
        .post('/scim/v2/Users')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', SCIM_TYPE)
        .send('{"schemas": [');
      expect(malformed.status).toBe(400);
      expect(malformed.body).toMatchObject({ schemas: [SCIM_ERROR], scimType: 'invalidSyntax' });
      const count = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "a@corp.example"')}`).expect(200);
      expect(count.body.totalResults).toBe(0);
    });

    it('answers errors in the SCIM schema: bad filter, unknown attribute path, read-only path, unknown id, stale ETag', async () => {
      const user = (await scim.post('/Users', scimUser('errors@corp.example')).expect(201)).body;
      for (const filter of ['userName eq', 'userName xx "a"', 'password eq "x"', '((', 'active eq "yes"', 'x'.repeat(1001)]) {
        const res = await scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
        expect([filter.slice(0, 20), res.status, res.body.scimType, res.body.schemas]).toEqual([
          filter.slice(0, 20),
          400,
          'invalidFilter',
          [SCIM_ERROR],
        ]);
      }
      const unknownPath = await scim
        .patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'favouriteColour', value: 'red' }))
        .expect(400);
      expect(unknownPath.body.scimType).toBe('invalidPath');
      const readOnly = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'id', value: 'x' })).expect(400);
      expect(readOnly.body.scimType).toBe('mutability');
      const badOp = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'move', path: 'displayName', value: 'x' })).expect(400);
      expect(badOp.body.scimType).toBe('invalidSyntax');
      const noOps = await scim.patch(`/Users/${user.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [] });
      expect([noOps.status, noOps.body.scimType]).toEqual([400, 'invalidSyntax']);
      const missing = await scim.get('/Users/00000000-0000-7000-8000-000000000000').expect(404);
      expect(missing.body).toMatchObject({ schemas: [SCIM_ERROR], status: '404' });
      await scim.get(`/Users/${'x'.repeat(500)}`).expect(404);
      await scim.put('/Users/00000000-0000-7000-8000-000000000000', scimUser('ghost@corp.example')).expect(404);
      await scim.delete('/Users/00000000-0000-7000-8000-000000000000').expect(404);
      // ETag: If-Match with an old version is 412 and changes nothing; the current one passes
      const stale = await scim.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'New' }), {
        'If-Match': 'W/"old"',
      });
      expect(stale.status).toBe(412);
      expect((await scim.get(`/Users/${user.id}`)).body.displayName).not.toBe('New');
      await scim
        .patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'New' }), { 'If-Match': user.meta.version })
        .expect(200);
    });
  });

  describe('Groups', () => {
    it('creates, filters, patches (add, remove by value filter, replace), replaces and deletes a group', async () => {
      const [alice, bob] = [
        (await scim.post('/Users', scimUser('alice@corp.example')).expect(201)).body,
        (await scim.post('/Users', scimUser('bob@corp.example')).expect(201)).body,
      ];
      const created = await scim
        .post('/Groups', { schemas: [SCIM_GROUP], displayName: 'Marketing', externalId: 'grp-1', members: [{ value: alice.id }] })
        .expect(201);
      const id: string = created.body.id;
      expect(created.body).toMatchObject({ displayName: 'Marketing', externalId: 'grp-1', members: [{ value: alice.id, type: 'User' }] });
      expect((await scim.get(`/Users/${alice.id}`)).body.groups).toEqual([expect.objectContaining({ value: id, display: 'Marketing' })]);
      const dup = await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'marketing' }).expect(409);
      expect(dup.body.scimType).toBe('uniqueness');
      const byName = await scim
        .get(`/Groups?filter=${encodeURIComponent('displayName eq "Marketing"')}&excludedAttributes=members`)
        .expect(200);
      expect(byName.body.totalResults).toBe(1);
      expect(byName.body.Resources[0].members).toBeUndefined();
      const byMember = await scim.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${alice.id}"]`)}`).expect(200);
      expect(byMember.body.Resources.map((group: { id: string }) => group.id)).toEqual([id]);

      await scim.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] })).expect(200);
      let group = (await scim.get(`/Groups/${id}`)).body;
      expect(group.members.map((member: { value: string }) => member.value).sort()).toEqual([alice.id, bob.id].sort());
      await scim.patch(`/Groups/${id}`, patchOp({ op: 'remove', path: `members[value eq "${alice.id}"]` })).expect(200);
      group = (await scim.get(`/Groups/${id}`)).body;
      expect(group.members.map((member: { value: string }) => member.value)).toEqual([bob.id]);
      await scim.patch(`/Groups/${id}`, patchOp({ op: 'replace', value: { id, displayName: 'Marketing EU' } })).expect(200);
      expect((await scim.get(`/Groups/${id}`)).body.displayName).toBe('Marketing EU');
      const unknownMember = await scim
        .patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'members', value: [{ value: 'nobody' }] }))
        .expect(400);
      expect(unknownMember.body).toMatchObject({ schemas: [SCIM_ERROR], scimType: 'invalidValue' });
      const badPath = await scim.patch(`/Groups/${id}`, patchOp({ op: 'add', path: 'owners', value: [] })).expect(400);
      expect(badPath.body.scimType).toBe('invalidPath');

      const put = await scim
        .put(`/Groups/${id}`, { schemas: [SCIM_GROUP], displayName: 'Marketing EU', members: [{ value: alice.id }] })
        .expect(200);
      expect(put.body.members.map((member: { value: string }) => member.value)).toEqual([alice.id]);
      await scim.delete(`/Groups/${id}`).expect(204);
      await scim.get(`/Groups/${id}`).expect(404);
      expect((await scim.get(`/Users/${alice.id}`)).body.groups).toEqual([]);
    });

    it('bounds members per request: 1,000 at most (413 tooMany over several operations, 400 for one longer list)', async () => {
      const group = (await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'Huge' }).expect(201)).body;
      const members = (from: number) => Array.from({ length: 600 }, (_, index) => ({ value: `user-${from + index}` }));
      const many = await scim.patch(
        `/Groups/${group.id}`,
        patchOp({ op: 'add', path: 'members', value: members(0) }, { op: 'add', path: 'members', value: members(600) }),
      );
      expect([many.status, many.body.schemas, many.body.scimType]).toEqual([413, [SCIM_ERROR], 'tooMany']);
      const tooLong = Array.from({ length: 1001 }, (_, index) => ({ value: `user-${index}` }));
      const res = await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName: 'Huger', members: tooLong });
      expect([res.status, res.body.schemas]).toEqual([400, [SCIM_ERROR]]);
      const operations = Array.from({ length: 101 }, () => ({ op: 'replace', path: 'displayName', value: 'x' }));
      const ops = await scim.patch(`/Groups/${group.id}`, patchOp(...operations));
      expect([ops.status, ops.body.scimType]).toEqual([413, 'tooMany']);
    });
  });

  it('audits every SCIM change as the token (its id) and its creating administrator, in the same transaction', async () => {
    const created = (await scim.post('/Users', scimUser('audited@corp.example')).expect(201)).body;
    const events = await testApp.dataSource.getRepository(AuditEvent).findBy({ entityId: created.id, action: 'user.created' });
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBe(cast.admin.id);
    expect(events[0].metadata).toMatchObject({ apiToken: { id: tokenId, kind: 'SCIM', principalId: cast.admin.id } });
  });

  it('exposes people only: service accounts are not SCIM users', async () => {
    const account = await testApp
      .http()
      .post('/api/v1/service-accounts')
      .set(cast.admin.auth)
      .send({ name: 'Sync', roles: ['FINANCE'] })
      .expect(201);
    await scim.get(`/Users/${account.body.id}`).expect(404);
  });

  it('keeps the data source usable (sanity)', async () => {
    expect(testApp.app.get(DataSource).isInitialized).toBe(true);
  });
});

describe('SCIM tokens share the API tokens’ lifetime limit and bearer-token throttling', () => {
  let testApp: TestApp;
  let admin: Awaited<ReturnType<typeof makeUser>>;
  beforeAll(async () => {
    testApp = await startTestApp({ API_TOKEN_MAX_DAYS: '90', TOKEN_MAX_FAILURES_PER_IP: '3', TOKEN_LOCKOUT_SECONDS: '600' });
    admin = await makeUser(testApp, [Role.ADMIN]);
  });
  afterAll(async () => testApp?.close());

  it('gives a token without expiry the longest allowed life and refuses a longer one', async () => {
    const created = await testApp.http().post('/api/v1/scim-tokens').set(admin.auth).send({ name: 'Okta' }).expect(201);
    const days = (Date.parse(created.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const tooLong = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
    const refused = await testApp.http().post('/api/v1/scim-tokens').set(admin.auth).send({ name: 'Entra', expiresAt: tooLong });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'TOKEN_LIFETIME_TOO_LONG', details: { maxDays: 90 } });
  });

  it('answers SCIM 429 with Retry-After after repeated invalid tokens from one address, and never refuses a valid token', async () => {
    const valid = await makeScimToken(testApp, admin, { name: 'Valid' });
    const bogus = scimClient(testApp, `sgscim_${'x'.repeat(61)}`);
    for (let attempt = 0; attempt < 3; attempt++) expect((await bogus.get('/Users')).status).toBe(401);
    const throttled = await bogus.get('/Users');
    expect(throttled.status).toBe(429);
    expect(throttled.body).toMatchObject({ schemas: [SCIM_ERROR], status: '429' });
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await scimClient(testApp, valid.token).get('/Users')).status).toBe(200);
    const audits = await testApp.dataSource.getRepository(AuditEvent).countBy({ action: 'auth.token_attempts_throttled' });
    expect(audits).toBe(1);
  });
});
