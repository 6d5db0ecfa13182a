import { randomUUID } from 'node:crypto';
import { CostCenterKind } from '@stackgate/catalog';
import { Role } from '@stackgate/platform';
import { makeCast, makeUser, TestUser } from '../support/factories';
import { makeCostCenter, makeIntegration, makeTool, makeVendor, money, subcategory } from '../support/finance-factories';
import { makeRequest } from '../support/procurement-factories';
import { startTestApp, TestApp } from '../support/test-app';
import { ALL, allowedRoles, PERMISSION_MATRIX } from '../security/permission-matrix';
import { apiRoutes, RegisteredRoute, routeKey } from '../security/routes';

/*
 * Route × role matrix: the routes the app registers under /api/v1 against SPEC §1, every cell
 * called with a valid token. Refused → 403 with the error JSON; allowed → never 401/403.
 */
describe('Security: route × role matrix', () => {
  let testApp: TestApp;
  let routes: RegisteredRoute[];
  let cast: Awaited<ReturnType<typeof makeCast>>;
  const ids: Record<string, string> = {};
  const requestOf: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    testApp = await startTestApp({ BASE_CURRENCY: 'EUR' });
    routes = apiRoutes(testApp.app);
    cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, { kind: CostCenterKind.MARKETING });
    const vendor = await makeVendor(testApp);
    const sub = await subcategory(testApp, 'Email Marketing');
    const tool = await makeTool(testApp, { vendor, subcategory: 'Email Marketing', budgetOwner: cc });
    const tool2 = await makeTool(testApp, { vendor, subcategory: 'CRM', budgetOwner: cc });
    const integration = await makeIntegration(testApp, tool, tool2);
    const post = async (path: string, body: object) => {
      const res = await testApp.http().post(`/api/v1/${path}`).set(cast.finance.auth).send(body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    Object.assign(ids, {
      'cost-centers': cc.id,
      vendors: vendor.id,
      categories: sub.id,
      tools: tool.id,
      integrations: integration.id,
      users: cast.marketer.id,
      contracts: await post('contracts', {
        toolId: tool.id,
        startDate: '2026-01-01',
        termMonths: 12,
        billing: 'MONTHLY',
        amount: money('10.00'),
      }),
      'spend-entries': await post('spend-entries', { toolId: tool.id, date: '2026-01-05', costType: 'LICENSE', amount: money('10.00') }),
      budgets: await post('budgets', { costCenterId: cc.id, fiscalYear: 2030, amount: money('10.00') }),
      'fx-rates': await post('fx-rates', { currency: 'CHF', month: '2030-01', rate: '1.05' }),
    });
    requestOf[Role.MARKETER] = (await makeRequest(testApp, cast.marketer, { costCenterId: cc.id, subcategoryId: sub.id })).id;
    requestOf[Role.CMO] = (await makeRequest(testApp, cast.cmo, { costCenterId: cc.id, subcategoryId: sub.id })).id;
  });
  afterAll(async () => testApp?.close());

  it('registers only routes that the matrix knows, and the matrix names no route that does not exist', () => {
    const registered = new Set(routes.map(routeKey));
    expect(routes.length).toBeGreaterThan(50);
    expect(registered.size).toBe(routes.length);
    expect([...registered].filter((k) => !(k in PERMISSION_MATRIX))).toEqual([]);
    expect(Object.keys(PERMISSION_MATRIX).filter((k) => !registered.has(k))).toEqual([]);
  });

  it('decorates every route with exactly the roles of the matrix (no undecorated, closed-by-accident or over-open route)', () => {
    const mismatches = routes.flatMap((route) => {
      const expected = PERMISSION_MATRIX[routeKey(route)];
      const actual = route.public
        ? 'PUBLIC'
        : route.roles === undefined
          ? 'CLOSED'
          : route.roles.includes('ANY')
            ? 'ANY'
            : [...route.roles].sort().join(',');
      const want = expected === 'PUBLIC' || expected === 'ANY' ? expected : [...expected].sort().join(',');
      return actual === want ? [] : [`${routeKey(route)}: decorated ${actual}, matrix ${want}`];
    });
    expect(mismatches).toEqual([]);
  });

  /** A concrete URL: real records where they exist (so allowed reads answer 200), random ids for destructive actions. */
  function urlFor(route: RegisteredRoute, role: Role): string {
    const resource = route.path.split('/')[3];
    const destructive = route.method === 'DELETE' || /\/(retire|reset-password|read|submit|withdraw)$/.test(route.path);
    let id = destructive ? randomUUID() : (ids[resource] ?? randomUUID());
    if (resource === 'requests' && !destructive) id = requestOf[role] ?? requestOf[Role.MARKETER]!;
    const url = route.path.replace(':id', id).replace(':kind', 'tools');
    const query: Record<string, string> = {
      '/api/v1/reports/spend': 'from=2026-01&to=2026-12&basis=committed&groupBy=category',
      '/api/v1/reports/budget-vs-actual': 'fiscalYear=2026',
    };
    return query[route.path] ? `${url}?${query[route.path]}` : url;
  }

  const call = (route: RegisteredRoute, url: string, user?: TestUser) => {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete' | 'put';
    const req = testApp.http()[method](url);
    if (user) req.set(user.auth);
    return route.method === 'GET' || route.method === 'DELETE' ? req : req.send({});
  };

  it('answers every route × role cell: refused roles 403 with the error JSON, allowed roles never 401/403', async () => {
    const users: Record<Role, TestUser> = {
      [Role.MARKETER]: cast.marketer,
      [Role.CMO]: cast.cmo,
      [Role.IT]: cast.it,
      [Role.CIO]: cast.cio,
      [Role.FINANCE]: cast.finance,
      [Role.ADMIN]: cast.admin,
    };
    const wrong: string[] = [];
    let cells = 0;
    for (const route of routes) {
      if (routeKey(route) === 'POST /api/v1/auth/logout') continue; // revokes the token: its own test below
      const allowed = allowedRoles(PERMISSION_MATRIX[routeKey(route)]);
      for (const role of ALL) {
        const url = urlFor(route, role);
        const res = await call(route, url, users[role]);
        cells++;
        const ok = allowed.includes(role)
          ? res.status !== 401 &&
            res.status !== 403 &&
            res.status < 500 &&
            (route.method !== 'GET' ||
              !url.includes('/api/v1/') ||
              res.status !== 404 ||
              !Object.values(ids)
                .concat(Object.values<string>(requestOf))
                .some((i) => url.includes(i)))
          : res.status === 403 && res.body?.statusCode === 403 && res.body?.error === 'Forbidden' && typeof res.body?.message === 'string';
        if (!ok) wrong.push(`${route.method} ${url} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThan(300);
  });

  it('answers 401 without a token on every non-public route, and with a forged token', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      if (PERMISSION_MATRIX[routeKey(route)] === 'PUBLIC') continue;
      const url = urlFor(route, Role.ADMIN);
      const res = await call(route, url);
      if (res.status !== 401 || res.body?.statusCode !== 401) wrong.push(`${route.method} ${url}: ${res.status}`);
      const forged = await call(route, url).set('Authorization', `Bearer ${cast.admin.token.slice(0, -4)}AAAA`);
      if (forged.status !== 401) wrong.push(`${route.method} ${url} (forged): ${forged.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets every role log out, and the token is dead afterwards', async () => {
    for (const role of ALL) {
      const user = await makeUser(testApp, [role]);
      await testApp
        .http()
        .post('/api/v1/auth/logout')
        .set(user.auth)
        .expect((res) => expect([200, 204]).toContain(res.status));
      await testApp.http().get('/api/v1/auth/me').set(user.auth).expect(401);
    }
  });
});
