import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UsersService } from '@stackgate/identity';
import { Role, withTransaction } from '@stackgate/platform';
import { TestApp } from './test-app';

export const TEST_PASSWORD = 'test-password-123';

export interface TestUser {
  id: string;
  email: string;
  roles: Role[];
  token: string;
  auth: { Authorization: string };
}

let seq = 0;
export const unique = (prefix: string) => `${prefix}-${++seq}-${randomBytes(3).toString('hex')}`;

/** Creates a user with the given roles through the real service and signs them in over HTTP. */
export async function makeUser(
  testApp: TestApp,
  roles: Role[],
  opts: { email?: string; password?: string; displayName?: string } = {},
): Promise<TestUser> {
  const email = (opts.email ?? `${unique(roles.join('-').toLowerCase() || 'user')}@example.test`).toLowerCase();
  const password = opts.password ?? TEST_PASSWORD;
  const users = testApp.app.get(UsersService);
  const ds = testApp.app.get(DataSource);
  const user = await withTransaction(ds, (m) =>
    users.createWith(m, { email, password, roles, displayName: opts.displayName ?? email.split('@')[0] }),
  );
  const token = await login(testApp, email, password);
  return { id: user.id, email, roles, token, auth: { Authorization: `Bearer ${token}` } };
}

export async function login(testApp: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await testApp.http().post('/api/v1/auth/login').send({ email, password });
  if (res.status !== 200) throw new Error(`login failed for ${email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** One user per role (the usual cast of a test file). */
export async function makeCast(testApp: TestApp) {
  const [marketer, cmo, it, cio, finance, admin] = await Promise.all([
    makeUser(testApp, [Role.MARKETER]),
    makeUser(testApp, [Role.CMO]),
    makeUser(testApp, [Role.IT]),
    makeUser(testApp, [Role.CIO]),
    makeUser(testApp, [Role.FINANCE]),
    makeUser(testApp, [Role.ADMIN]),
  ]);
  return { marketer, cmo, it, cio, finance, admin };
}
