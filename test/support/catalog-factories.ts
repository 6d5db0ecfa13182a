import { CostCenterKind } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeUser, TestUser, unique } from './factories';
import { TestApp } from './test-app';

/*
 * Catalog data built through the real HTTP API (so every factory call also exercises the
 * permission checks and audit). Each returns the response body.
 */

async function expectStatus(res: { status: number; body: unknown }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A cost center (needs an ADMIN). */
export async function makeCostCenter(
  testApp: TestApp,
  admin: TestUser,
  opts: { kind?: CostCenterKind | string; code?: string; name?: string } = {},
) {
  const code = opts.code ?? unique('CC').toUpperCase();
  const res = await testApp
    .http()
    .post('/api/v1/cost-centers')
    .set(admin.auth)
    .send({ code, name: opts.name ?? `Cost center ${code}`, kind: opts.kind ?? CostCenterKind.MARKETING });
  await expectStatus(res, 201, 'makeCostCenter');
  return res.body;
}

/** A vendor (MARKETER, CMO, IT, CIO or ADMIN). */
export async function makeVendor(testApp: TestApp, user: TestUser, overrides: Record<string, unknown> = {}) {
  const res = await testApp
    .http()
    .post('/api/v1/vendors')
    .set(user.auth)
    .send({ name: unique('Vendor'), ...overrides });
  await expectStatus(res, 201, 'makeVendor');
  return res.body;
}

/** The id of a seeded subcategory, looked up by name (e.g. 'CRM', 'Email Marketing'). */
export async function subcategoryId(testApp: TestApp, name: string, user?: TestUser): Promise<string> {
  const req = testApp.http().get('/api/v1/categories');
  const res = user ? await req.set(user.auth) : await withAnyToken(testApp, req);
  await expectStatus(res, 200, 'subcategoryId');
  for (const top of res.body as { subcategories: { id: string; name: string }[] }[]) {
    const sub = top.subcategories.find((s) => s.name === name);
    if (sub) return sub.id;
  }
  throw new Error(`no subcategory named ${name}`);
}

/** A tool registered by `user`; vendor and subcategory are made/looked up when not given. */
export async function makeTool(
  testApp: TestApp,
  user: TestUser,
  opts: { budgetOwnerId: string; vendorId?: string; subcategoryId?: string } & Record<string, unknown>,
) {
  const vendorId = opts.vendorId ?? (await makeVendor(testApp, user)).id;
  const subId = opts.subcategoryId ?? (await subcategoryId(testApp, 'Email Marketing', user));
  const res = await testApp
    .http()
    .post('/api/v1/tools')
    .set(user.auth)
    .send({ name: unique('Tool'), ...opts, vendorId, subcategoryId: subId });
  await expectStatus(res, 201, 'makeTool');
  return res.body;
}

// Reads need a signed-in user (deny by default); without one a throwaway reader is signed in.
async function withAnyToken(testApp: TestApp, req: ReturnType<ReturnType<TestApp['http']>['get']>) {
  const reader = await makeUser(testApp, [Role.FINANCE]);
  return req.set(reader.auth);
}
