import { DataSource } from 'typeorm';
import { ApiToken } from '@stackgate/identity';
import { Role } from '@stackgate/platform';
import { login, makeUser, TestUser } from '../support/factories';
import { makeScimToken, patchOp, SCIM_ERROR, SCIM_GROUP, ScimClient, scimClient, scimUser } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * SCIM and the rest of identity: group membership gives roles through OIDC_ROLE_MAP (the map of
 * single sign-on), deactivation ends every session and API token at once, and the separation of
 * duties holds (no administrator escalates themselves through SCIM).
 */
const ROLE_MAP = 'mkt-team=MARKETER,mkt-leads=CMO,cio=CIO,finance=FINANCE,sg-admins=ADMIN';
const BREAK_GLASS = 'break.glass@corp.example';

describe('SCIM: roles from groups, deactivation, separation of duties', () => {
  let testApp: TestApp;
  let admin: TestUser;
  let scim: ScimClient;

  beforeAll(async () => {
    testApp = await startTestApp({
      PUBLIC_URL: 'https://stackgate.example.com',
      OIDC_ISSUER_URL: 'https://idp.example.com',
      OIDC_CLIENT_ID: 'stackgate',
      OIDC_CLIENT_SECRET: 'client-secret',
      OIDC_ROLE_MAP: ROLE_MAP,
      BREAK_GLASS_ADMIN_EMAIL: BREAK_GLASS,
    });
    admin = await makeUser(testApp, [Role.ADMIN]);
    scim = scimClient(testApp, (await makeScimToken(testApp, admin)).token);
  });
  afterAll(async () => testApp?.close());

  const rolesOf = async (id: string): Promise<string[]> =>
    (await testApp.http().get(`/api/v1/users/${id}`).set(admin.auth).expect(200)).body.roles;
  const group = async (displayName: string, members: string[] = []) =>
    (await scim.post('/Groups', { schemas: [SCIM_GROUP], displayName, members: members.map((value) => ({ value })) }).expect(201)).body;
  const addMember = (groupId: string, userId: string) =>
    scim.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: [{ value: userId }] }));
  const removeMember = (groupId: string, userId: string) =>
    scim.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${userId}"]` }));

  it('a provisioned user has no role until a mapped group names them; roles are the union of the mapped groups', async () => {
    const user = (await scim.post('/Users', scimUser('maria@corp.example')).expect(201)).body;
    expect(await rolesOf(user.id)).toEqual([]);
    const team = await group('mkt-team', [user.id]);
    expect(await rolesOf(user.id)).toEqual([Role.MARKETER]);
    const cio = await group('cio');
    await addMember(cio.id, user.id).expect(200);
    expect(await rolesOf(user.id)).toEqual([Role.CIO, Role.MARKETER]);
    // a group outside the map is stored and grants nothing
    const book = await group('book-club', [user.id]);
    expect(await rolesOf(user.id)).toEqual([Role.CIO, Role.MARKETER]);
    // renaming an unmapped group into a mapped name grants its roles; renaming away takes them back
    await scim.patch(`/Groups/${book.id}`, patchOp({ op: 'replace', value: { id: book.id, displayName: 'finance' } })).expect(200);
    expect(await rolesOf(user.id)).toEqual([Role.CIO, Role.FINANCE, Role.MARKETER]);
    await scim.put(`/Groups/${book.id}`, { schemas: [SCIM_GROUP], displayName: 'book-club', members: [{ value: user.id }] }).expect(200);
    expect(await rolesOf(user.id)).toEqual([Role.CIO, Role.MARKETER]);
    await removeMember(cio.id, user.id).expect(200);
    expect(await rolesOf(user.id)).toEqual([Role.MARKETER]);
    await scim.delete(`/Groups/${team.id}`).expect(204);
    expect(await rolesOf(user.id)).toEqual([]);
  });

  it('a role change ends the sessions of the person it touches (token version), as single sign-on does', async () => {
    const person = await makeUser(testApp, [Role.MARKETER]);
    await testApp.http().get('/api/v1/auth/me').set(person.auth).expect(200);
    const leads = await group('mkt-leads');
    await addMember(leads.id, person.id).expect(200);
    expect(await rolesOf(person.id)).toEqual([Role.CMO]);
    await testApp.http().get('/api/v1/auth/me').set(person.auth).expect(401);
    const fresh = await login(testApp, person.email);
    const me = await testApp
      .http()
      .get('/api/v1/auth/me')
      .set({ Authorization: `Bearer ${fresh}` })
      .expect(200);
    expect(me.body.roles).toEqual([Role.CMO]);
  });

  it.each([
    ['PATCH active false (Okta)', (id: string) => scim.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }))],
    [
      'PATCH Replace active "False" (Entra ID)',
      (id: string) => scim.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' })),
    ],
    ['DELETE', (id: string) => scim.delete(`/Users/${id}`)],
  ])('deactivation by %s ends a live session and revokes a personal access token at once', async (_how, deactivate) => {
    const person = await makeUser(testApp, [Role.CMO]);
    const pat = await testApp
      .http()
      .post('/api/v1/api-tokens')
      .set(person.auth)
      .send({ name: 'export', scopes: ['reports:read'] })
      .expect(201);
    const patAuth = { Authorization: `Bearer ${pat.body.token}` };
    await testApp.http().get('/api/v1/auth/me').set(person.auth).expect(200);
    await testApp.http().get('/api/v1/auth/me').set(patAuth).expect(200);
    expect([200, 204]).toContain((await deactivate(person.id)).status);
    await testApp.http().get('/api/v1/auth/me').set(person.auth).expect(401);
    await testApp.http().get('/api/v1/auth/me').set(patAuth).expect(401);
    const row = await testApp.app.get(DataSource).getRepository(ApiToken).findOneByOrFail({ id: pat.body.id });
    expect(row.revokedAt).not.toBeNull();
    await testApp.http().post('/api/v1/auth/login').send({ email: person.email, password: 'test-password-123' }).expect(401);
  });

  describe('separation of duties', () => {
    it('SCIM never changes the roles or the account of the administrator who created its token (403, nothing changes)', async () => {
      const cio = await group('cio-2');
      await scim.patch(`/Groups/${cio.id}`, patchOp({ op: 'replace', value: { displayName: 'cio-2' } })).expect(200);
      // the admin joins a mapped group that would give them CIO besides ADMIN: refused as a whole
      const cioGroup = (await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "cio"')}`).expect(200)).body.Resources[0];
      const escalate = await addMember(cioGroup.id, admin.id).expect(403);
      expect(escalate.body).toMatchObject({ schemas: [SCIM_ERROR], status: '403' });
      expect(escalate.body.detail).toMatch(/own roles/);
      expect(await rolesOf(admin.id)).toEqual([Role.ADMIN]);
      const members = (await scim.get(`/Groups/${cioGroup.id}`)).body.members.map((member: { value: string }) => member.value);
      expect(members).not.toContain(admin.id);
      // nor deactivate, delete or rename them
      await scim.patch(`/Users/${admin.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(403);
      await scim.delete(`/Users/${admin.id}`).expect(403);
      await scim.patch(`/Users/${admin.id}`, patchOp({ op: 'replace', path: 'userName', value: 'someone.else@corp.example' })).expect(403);
      await testApp.http().get('/api/v1/auth/me').set(admin.auth).expect(200);
    });

    it('SCIM never deactivates, renames or demotes the break-glass administrator', async () => {
      const breakGlass = await makeUser(testApp, [Role.ADMIN], { email: BREAK_GLASS });
      await scim.patch(`/Users/${breakGlass.id}`, patchOp({ op: 'replace', path: 'active', value: false })).expect(403);
      await scim.delete(`/Users/${breakGlass.id}`).expect(403);
      // joining a group outside the map changes no role: allowed; joining a mapped non-admin group demotes: refused
      const finance =
        (await scim.get(`/Groups?filter=${encodeURIComponent('displayName eq "finance"')}`)).body.Resources[0] ?? (await group('finance'));
      const res = await addMember(finance.id, breakGlass.id).expect(403);
      expect(res.body.detail).toMatch(/break-glass/);
      expect(await rolesOf(breakGlass.id)).toEqual([Role.ADMIN]);
      await testApp.http().get('/api/v1/auth/me').set(breakGlass.auth).expect(200);
    });

    it('another administrator may be granted or lose ADMIN through a mapped group (never the token creator)', async () => {
      const other = await makeUser(testApp, [Role.IT]);
      const admins = await group('sg-admins', [other.id]);
      expect(await rolesOf(other.id)).toEqual([Role.ADMIN]);
      await removeMember(admins.id, other.id).expect(200);
      expect(await rolesOf(other.id)).toEqual([]);
    });
  });

  describe('hostile callers', () => {
    it('/scim/v2 takes a SCIM token only: no token, a session, a personal or service token, a garbage token are 401 in SCIM schema', async () => {
      const pat = await testApp
        .http()
        .post('/api/v1/api-tokens')
        .set(admin.auth)
        .send({ name: 'p', scopes: ['admin'] })
        .expect(201);
      for (const headers of [
        {},
        admin.auth,
        { Authorization: `Bearer ${pat.body.token}` },
        { Authorization: 'Bearer sgscim_nope' },
        { Authorization: 'Basic YTpi' },
      ]) {
        const res = await testApp.http().get('/scim/v2/Users').set(headers);
        expect([res.status, res.body.schemas, res.headers['www-authenticate']]).toEqual([
          401,
          [SCIM_ERROR],
          'Bearer realm="Stackgate SCIM"',
        ]);
      }
      // nor the web UI's session cookie
      const cookie = await testApp.http().get('/scim/v2/Users').set('Cookie', `sg_session=${admin.token}`);
      expect(cookie.status).toBe(401);
    });

    it('a SCIM token opens nothing outside /scim/v2', async () => {
      const { token } = await makeScimToken(testApp, admin);
      for (const path of ['/api/v1/auth/me', '/api/v1/users', '/api/v1/scim-tokens', '/api/v1/tools']) {
        const res = await testApp
          .http()
          .get(path)
          .set({ Authorization: `Bearer ${token}` });
        expect([path, res.status]).toEqual([path, 401]);
      }
      const page = await testApp.http().get('/').set('Cookie', `sg_session=${token}`).redirects(0);
      expect(page.status).not.toBe(200);
    });

    it('refuses an oversized body with 413 in SCIM schema', async () => {
      const res = await scim.post('/Users', scimUser('big@corp.example', { displayName: 'x'.repeat(600 * 1024) }));
      expect([res.status, res.body.schemas, res.body.scimType]).toEqual([413, [SCIM_ERROR], 'tooMany']);
    });
  });
});
