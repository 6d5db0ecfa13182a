import { randomUUID } from 'node:crypto';
import { ALL_SCOPES, ANY_SCOPE, NO_TOKENS, ScopeRule } from '@stackgate/identity';
import { Role } from '@stackgate/platform';
import { makeUser, TestUser, unique } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { PERMISSION_MATRIX, TOKEN_SCOPE_MATRIX } from '../security/permission-matrix';
import { apiRoutes, RegisteredRoute, routeKey } from '../security/routes';

/*
 * Route × scope matrix: every route the app serves under /api/v1 has a row in the token scope table,
 * and an API token is let through exactly when its scopes cover that row. The token's owner holds
 * every role, so only the scope decides. Ids are random: the calls are refused (403) or reach the
 * handler and fail later (400/404/422), never change anything that matters here.
 */
describe('Security: route × token scope matrix', () => {
  let testApp: TestApp;
  let routes: RegisteredRoute[];
  let owner: TestUser;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    testApp = await startTestApp();
    routes = apiRoutes(testApp.app);
    owner = await makeUser(testApp, Object.values(Role));
  });
  afterAll(async () => testApp?.close());

  /** A personal token of the all-roles owner with exactly `scopes` (one per distinct set). */
  async function tokenWith(scopes: readonly string[]): Promise<string> {
    const key = [...scopes].sort().join(',');
    const known = tokens.get(key);
    if (known) return known;
    const res = await testApp
      .http()
      .post('/api/v1/api-tokens')
      .set(owner.auth)
      .send({ name: unique('matrix'), scopes });
    if (res.status !== 201) throw new Error(`token ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.set(key, res.body.token);
    return res.body.token;
  }

  const needed = (rule: ScopeRule): string[] =>
    rule === ANY_SCOPE || rule === NO_TOKENS ? [] : typeof rule === 'string' ? [rule] : [...rule];

  const call = (route: RegisteredRoute, token: string) => {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put';
    const url = route.path.replace(/:[A-Za-z]+/g, (param) => (param === ':kind' ? 'tools' : randomUUID()));
    const req = testApp.http()[method](url).set('Authorization', `Bearer ${token}`);
    return route.method === 'GET' || route.method === 'DELETE' ? req : req.send({});
  };

  it('has a scope row for every registered non-public route, and no row for a route that does not exist', () => {
    const registered = routes.filter((route) => PERMISSION_MATRIX[routeKey(route)] !== 'PUBLIC').map(routeKey);
    expect(registered.length).toBeGreaterThan(60);
    expect(registered.filter((key) => !(key in TOKEN_SCOPE_MATRIX))).toEqual([]);
    expect(Object.keys(TOKEN_SCOPE_MATRIX).filter((key) => !registered.includes(key))).toEqual([]);
  });

  it('lets a token through with exactly the scopes of the row, and refuses it (403, typed code) without one of them', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const key = routeKey(route);
      if (PERMISSION_MATRIX[key] === 'PUBLIC') continue;
      const rule = TOKEN_SCOPE_MATRIX[key];
      if (rule === NO_TOKENS) {
        const res = await call(route, await tokenWith(ALL_SCOPES));
        if (res.status !== 403 || res.body.code !== 'TOKEN_NOT_ALLOWED')
          wrong.push(`${key} with every scope: ${res.status} ${res.body.code}`);
        continue;
      }
      const scopes = needed(rule);
      const allowed = await call(route, await tokenWith(scopes.length ? scopes : [ALL_SCOPES[0]]));
      if (
        allowed.status === 401 ||
        allowed.status >= 500 ||
        ['TOKEN_SCOPE_MISSING', 'TOKEN_NOT_ALLOWED', 'FORBIDDEN'].includes(allowed.body?.code)
      ) {
        wrong.push(`${key} with ${scopes.join('+')}: ${allowed.status} ${JSON.stringify(allowed.body).slice(0, 160)}`);
      }
      for (const scope of scopes) {
        const others = ALL_SCOPES.filter((each) => String(each) !== scope);
        const refused = await call(route, await tokenWith(others));
        if (refused.status !== 403 || refused.body.code !== 'TOKEN_SCOPE_MISSING' || !refused.body.details.missingScopes.includes(scope)) {
          wrong.push(`${key} without ${scope}: ${refused.status} ${refused.body.code}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
