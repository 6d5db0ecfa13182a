import { TestUser } from './factories';
import { TestApp } from './test-app';

export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_TYPE = 'application/scim+json';

/** Creates a SCIM token as `admin` over HTTP; returns the secret and its id. */
export async function makeScimToken(testApp: TestApp, admin: TestUser, body: Record<string, unknown> = {}) {
  const res = await testApp.http().post('/api/v1/scim-tokens').set(admin.auth).send(body);
  if (res.status !== 201) throw new Error(`scim token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; token: string; baseUrl: string };
}

/** A SCIM client with `token`, sending application/scim+json as identity providers do. */
export function scimClient(testApp: TestApp, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  const withBody = (method: 'post' | 'put' | 'patch', path: string, body: unknown, headers: Record<string, string> = {}) =>
    testApp.http()[method](`/scim/v2${path}`).set(auth).set(headers).set('Content-Type', SCIM_TYPE).send(JSON.stringify(body));
  return {
    get: (path: string) => testApp.http().get(`/scim/v2${path}`).set(auth),
    delete: (path: string, headers: Record<string, string> = {}) => testApp.http().delete(`/scim/v2${path}`).set(auth).set(headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => withBody('post', path, body, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => withBody('put', path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => withBody('patch', path, body, headers),
  };
}
export type ScimClient = ReturnType<typeof scimClient>;

export const scimUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [SCIM_USER],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ primary: true, value: userName, type: 'work' }],
  active: true,
  ...extra,
});

export const patchOp = (...operations: Record<string, unknown>[]) => ({ schemas: [SCIM_PATCH], Operations: operations });
