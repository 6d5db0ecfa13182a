import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '@stackgate/platform';
import { makeUser, TestUser } from '../support/factories';
import { makeScimToken, SCIM_TYPE } from '../support/scim';
import { startTestApp, TestApp } from '../support/test-app';

/*
 * The request bodies of Okta's and Entra ID's provisioning documentation (test/fixtures/scim, byte for
 * byte), replayed in the order each identity provider sends them. The documentation's example ids
 * are replaced, as text, by the ids Stackgate answered.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'scim');
const ROLE_MAP = 'Test SCIMv2=MARKETER,displayName=CMO';

describe('SCIM: Okta and Entra ID requests as their documentation shows them', () => {
  let testApp: TestApp;
  let admin: TestUser;
  let token: string;

  beforeAll(async () => {
    testApp = await startTestApp({
      PUBLIC_URL: 'https://stackgate.example.com',
      OIDC_ISSUER_URL: 'https://idp.example.com',
      OIDC_CLIENT_ID: 'stackgate',
      OIDC_CLIENT_SECRET: 'client-secret',
      OIDC_ROLE_MAP: ROLE_MAP,
    });
    admin = await makeUser(testApp, [Role.ADMIN]);
    token = (await makeScimToken(testApp, admin)).token;
  });
  afterAll(async () => testApp?.close());

  /** Sends fixture `file` of `idp` as that identity provider does (raw bytes, application/scim+json), with ids swapped. */
  function send(method: 'post' | 'put' | 'patch', path: string, idp: 'okta' | 'entra', file: string, ids: Record<string, string> = {}) {
    let body = readFileSync(join(FIXTURES, idp, file), 'utf8');
    for (const [documented, actual] of Object.entries(ids)) body = body.split(documented).join(actual);
    return testApp
      .http()
      [method](`/scim/v2${path}`)
      .set({
        Authorization: `Bearer ${token}`,
        'Content-Type': SCIM_TYPE,
        'User-Agent': idp === 'okta' ? 'Okta SCIM Client 1.0.0' : 'Microsoft.Identity.Provisioning',
      })
      .send(body);
  }
  const get = (path: string) =>
    testApp
      .http()
      .get(`/scim/v2${path}`)
      .set({ Authorization: `Bearer ${token}` });
  const rolesOf = async (id: string) => (await testApp.http().get(`/api/v1/users/${id}`).set(admin.auth).expect(200)).body.roles;
  const person = async (id: string) => (await testApp.http().get(`/api/v1/users/${id}`).set(admin.auth).expect(200)).body;

  it('Okta: look up, create, replace, deactivate, reactivate a user; push a group, rename it, add, remove and replace members', async () => {
    const lookup = await get('/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100').expect(200);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const created = await send('post', '/Users', 'okta', '01-create-user.json').expect(201);
    expect(created.headers['content-type']).toContain(SCIM_TYPE);
    const userId: string = created.body.id;
    expect(created.body).toMatchObject({
      userName: 'test.user@okta.local',
      displayName: 'Test User',
      active: true,
      externalId: '00ujl29u0le5T6Aj10h7',
    });
    const found = await get('/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100').expect(200);
    expect(found.body.Resources.map((user: { id: string }) => user.id)).toEqual([userId]);
    await get(`/Users/${userId}`).expect(200);

    const replaced = await send('put', `/Users/${userId}`, 'okta', '02-replace-user.json', {
      '23a35c27-23d3-4c03-b4c5-6443c09e7173': userId,
    }).expect(200);
    expect(replaced.body).toMatchObject({
      id: userId,
      name: { givenName: 'Another', familyName: 'User' },
      externalId: '00u1dhhb1fkIGP7RL1d8',
      active: true,
    });

    await send('patch', `/Users/${userId}`, 'okta', '03-deactivate-user.json').expect(200);
    expect((await person(userId)).active).toBe(false);
    const reactivated = await send('patch', `/Users/${userId}`, 'okta', '04-reactivate-user.json').expect(200);
    expect(reactivated.body.active).toBe(true);

    const group = await send('post', '/Groups', 'okta', '05-create-group.json').expect(201);
    const groupId: string = group.body.id;
    expect(group.body).toMatchObject({ displayName: 'Test SCIMv2', members: [] });
    await send('patch', `/Groups/${groupId}`, 'okta', '06-rename-group.json', { 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b': groupId }).expect(
      200,
    );
    const ids = { '23a35c27-23d3-4c03-b4c5-6443c09e7173': userId };
    const added = await send('patch', `/Groups/${groupId}`, 'okta', '07-add-group-members.json', ids).expect(200);
    expect(added.body.members.map((member: { value: string }) => member.value)).toEqual([userId]);
    expect(await rolesOf(userId)).toEqual([Role.MARKETER]);
    const removed = await send('patch', `/Groups/${groupId}`, 'okta', '08-remove-group-member.json', ids).expect(200);
    expect(removed.body.members).toEqual([]);
    expect(await rolesOf(userId)).toEqual([]);
    const replacedMembers = await send('patch', `/Groups/${groupId}`, 'okta', '09-replace-group-members.json', ids).expect(200);
    expect(replacedMembers.body.members.map((member: { value: string }) => member.value)).toEqual([userId]);
    expect(await rolesOf(userId)).toEqual([Role.MARKETER]);

    await testApp
      .http()
      .delete(`/scim/v2/Groups/${groupId}`)
      .set({ Authorization: `Bearer ${token}` })
      .expect(204);
    expect(await rolesOf(userId)).toEqual([]);
  });

  it('Entra ID: create, look up, update multi- and single-valued attributes, groups with members, string booleans, disable, delete', async () => {
    const created = await send('post', '/Users', 'entra', '01-create-user.json').expect(201);
    const userId: string = created.body.id;
    expect(created.body).toMatchObject({
      userName: 'test_user_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      active: true,
      name: { givenName: 'givenName', familyName: 'familyName' },
      displayName: 'givenName familyName',
      emails: [{ value: 'test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com', primary: true }],
    });
    // Stackgate signs the person in with the work address; the provider keeps its own userName
    expect((await person(userId)).email).toBe('test_user_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com');
    const byUserName = await get(
      `/Users?filter=${encodeURIComponent('userName eq "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1"')}`,
    ).expect(200);
    expect(byUserName.body.Resources.map((user: { id: string }) => user.id)).toEqual([userId]);
    const zero = await get(`/Users?filter=${encodeURIComponent('userName eq "non-existent user"')}`).expect(200);
    expect(zero.body).toMatchObject({ totalResults: 0, Resources: [] });
    const again = await send('post', '/Users', 'entra', '01-create-user.json').expect(409);
    expect(again.body.scimType).toBe('uniqueness');

    const multi = await send('patch', `/Users/${userId}`, 'entra', '02-update-user-multi-valued.json').expect(200);
    expect(multi.body).toMatchObject({ name: { familyName: 'updatedFamilyName' }, emails: [{ value: 'updatedemail@microsoft.com' }] });
    expect((await person(userId)).email).toBe('updatedemail@microsoft.com');
    const single = await send('patch', `/Users/${userId}`, 'entra', '03-update-user-single-valued.json').expect(200);
    expect(single.body.userName).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    expect((await person(userId)).email).toBe('5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');

    const group = await send('post', '/Groups', 'entra', '04-create-group.json').expect(201);
    const groupId: string = group.body.id;
    expect(group.body).toMatchObject({ displayName: 'displayName', externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159' });
    const byId = await get(`/Groups/${groupId}?excludedAttributes=members`).expect(200);
    expect(byId.body.members).toBeUndefined();
    const byName = await get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "displayName"')}`).expect(200);
    expect(byName.body.Resources.map((item: { id: string }) => item.id)).toEqual([groupId]);
    const ids = { f648f8d5ea4e4cd38e9c: userId };
    await send('patch', `/Groups/${groupId}`, 'entra', '06-update-group-add-members.json', ids).expect(200);
    expect(await rolesOf(userId)).toEqual([Role.CMO]);
    await send('patch', `/Groups/${groupId}`, 'entra', '07-update-group-remove-members.json', ids).expect(200);
    expect((await get(`/Groups/${groupId}`)).body.members).toEqual([]);
    expect(await rolesOf(userId)).toEqual([]);
    await send('patch', `/Groups/${groupId}`, 'entra', '05-update-group-non-member.json').expect(200);
    expect((await get(`/Groups/${groupId}`)).body.displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');

    expect((await send('patch', `/Users/${userId}`, 'entra', '08-disable-user-string-false.json').expect(200)).body.active).toBe(false);
    expect((await send('patch', `/Users/${userId}`, 'entra', '09-enable-user-string-true.json').expect(200)).body.active).toBe(true);
    expect((await send('patch', `/Users/${userId}`, 'entra', '10-disable-user.json').expect(200)).body.active).toBe(false);
    const disabled = await get(`/Users?filter=${encodeURIComponent('userName eq "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"')}`);
    expect(disabled.body.Resources[0].active).toBe(false);

    await testApp
      .http()
      .delete(`/scim/v2/Groups/${groupId}`)
      .set({ Authorization: `Bearer ${token}` })
      .expect(204);
    await testApp
      .http()
      .delete(`/scim/v2/Users/${userId}`)
      .set({ Authorization: `Bearer ${token}` })
      .expect(204);
    await get(`/Users/${userId}`).expect(404);
    // Entra ID appends its compatibility flag to the tenant URL: accepted and ignored
    await get('/Users?aadOptscim062020').expect(200);
  });
});
