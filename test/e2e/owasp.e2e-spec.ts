import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as jwt from 'jsonwebtoken';
import request from 'supertest';
import { AuditEvent } from '@stackgate/audit';
import { ToolsService } from '@stackgate/catalog';
import { CandidateEvidenceService, CandidateSource } from '@stackgate/discovery';
import { Role, uuidv7 } from '@stackgate/platform';
import { makeCostCenter, makeTool, makeVendor, subcategoryId } from '../support/catalog-factories';
import { makeCast, makeUser, TEST_PASSWORD, TestUser, unique } from '../support/factories';
import { assess, decide, makeRequest, submit } from '../support/procurement-factories';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';
import { csrfOf, signIn } from '../support/web';
import { allowedRoles, PERMISSION_MATRIX } from '../security/permission-matrix';
import { apiRoutes, RegisteredRoute, routeKey } from '../security/routes';
import { deeplyNestedJson, describeRes, errorProblems, leaksIn, secretsIn } from '../security/owasp-helpers';

/*
 * OWASP API Security Top 10 (2023), black-box against the real app on SQLite and MariaDB.
 *
 *   describe block                                  OWASP 2023 item
 *   API1  object-level access                       API1:2023 Broken Object Level Authorization
 *   API2  authentication                            API2:2023 Broken Authentication (what foundation.e2e-spec.ts does not cover)
 *   API3  property-level access                     API3:2023 Broken Object Property Level Authorization (mass assignment, response allow-lists)
 *   API4  resource consumption                      API4:2023 Unrestricted Resource Consumption
 *   API5  function-level access                     API5:2023 Broken Function Level Authorization (method override and path tricks only;
 *                                                    the route × role matrix is test/e2e/security-matrix.e2e-spec.ts)
 *   API6/API7  business flows and URLs              API6:2023 Unrestricted Access to Sensitive Business Flows (import kinds),
 *                                                    API7:2023 Server Side Request Forgery (websites are stored, never fetched)
 *   API8  misconfiguration                          API8:2023 Security Misconfiguration (headers, CORS, error bodies)
 *   CSRF  web forms and the session cookie          API8:2023 (CSRF tokens of web-session.e2e-spec.ts are not repeated)
 *
 * Token basics (expired, tampered, alg none, wrong key/issuer/audience), the per-account sign-in
 * lockout and a 413 on login are in foundation.e2e-spec.ts and are not repeated here.
 */

type Cast = Awaited<ReturnType<typeof makeCast>>;
type Body = Record<string, unknown>;
const money = (amount: string, currency = 'EUR') => ({ amount, currency });

describe('OWASP API Security Top 10 (2023)', () => {
  let testApp: TestApp;
  let cast: Cast;
  let other: TestUser; // a second marketer: the attacker of API1
  let routes: RegisteredRoute[];
  const fixture: Record<string, string> = {};

  const api = (user: TestUser | undefined, method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: unknown) => {
    const req = testApp.http()[method](path.startsWith('/') ? path : `/api/v1/${path}`);
    if (user) req.set(user.auth);
    if (typeof body === 'string') return req.set('Content-Type', 'application/json').send(body);
    return body === undefined ? req : req.send(body as object);
  };
  const get = async (user: TestUser, path: string) => {
    const res = await api(user, 'get', path);
    if (res.status !== 200) throw new Error(describeRes(`GET ${path}`, res));
    return res.body;
  };
  const auditCount = () => testApp.dataSource.getRepository(AuditEvent).count();
  const total = async (u: TestUser, path: string) => (await get(u, `${path}${path.includes('?') ? '&' : '?'}pageSize=1`)).total as number;
  const version = async (u: TestUser, path: string) => (await get(u, path)).version as number;
  const userOf = (role: Role): TestUser =>
    ({
      [Role.MARKETER]: cast.marketer,
      [Role.CMO]: cast.cmo,
      [Role.IT]: cast.it,
      [Role.CIO]: cast.cio,
      [Role.FINANCE]: cast.finance,
      [Role.ADMIN]: cast.admin,
    })[role];
  /** A user the route × role matrix lets call the route (ADMIN when everyone may). */
  const callerOf = (route: RegisteredRoute) => {
    const allowed = allowedRoles(PERMISSION_MATRIX[routeKey(route)]);
    return userOf(allowed.includes(Role.ADMIN) ? Role.ADMIN : allowed[0]);
  };
  const requestBody = (over: Body = {}): Body => ({
    type: 'NEW_TOOL',
    title: 'Buy a webinar platform',
    proposedTool: { name: unique('Webinar Tool'), vendorName: 'Webinar Vendor Ltd', subcategoryId: fixture.sub },
    businessCase: 'Webinars drive pipeline.',
    estimatedAnnualCost: money('12000.00'),
    allocation: [{ costCenterId: fixture.cc, shareBps: 10000 }],
    ...over,
  });

  beforeAll(async () => {
    testApp = await startTestApp({ UPLOAD_LIMIT: '256kb' });
    routes = apiRoutes(testApp.app);
    cast = await makeCast(testApp);
    other = await makeUser(testApp, [Role.MARKETER]);
    fixture.cc = (await makeCostCenter(testApp, cast.admin, { kind: 'MARKETING' })).id;
    fixture.itCc = (await makeCostCenter(testApp, cast.admin, { kind: 'IT' })).id;
    fixture.sub = await subcategoryId(testApp, 'Email Marketing', cast.admin);
    fixture.crm = await subcategoryId(testApp, 'CRM', cast.admin);
    fixture.topCategory = (await get(cast.admin, 'categories'))[0].id;
    fixture.view = (await api(cast.marketer, 'post', 'catalog-views', { name: 'Owasp view', filters: { lifecycle: 'ACTIVE' } })).body.id;
    fixture.vendor = (await makeVendor(testApp, cast.marketer)).id;
    fixture.tool = (await makeTool(testApp, cast.marketer, { budgetOwnerId: fixture.cc, vendorId: fixture.vendor })).id;
    fixture.tool2 = (
      await makeTool(testApp, cast.marketer, { budgetOwnerId: fixture.cc, vendorId: fixture.vendor, subcategoryId: fixture.crm })
    ).id;
    fixture.retireTool = (await makeTool(testApp, cast.marketer, { budgetOwnerId: fixture.cc, vendorId: fixture.vendor })).id;
    fixture.serviceAccount = (
      await api(cast.admin, 'post', 'service-accounts', { name: unique('Sync'), roles: ['IT'] }).expect(201)
    ).body.id;
    fixture.webhook = (
      await api(cast.admin, 'post', 'webhooks', { url: 'https://hooks.example.com/owasp', events: ['tool.created'] }).expect(201)
    ).body.id;
    const post = async (user: TestUser, path: string, body: Body) => {
      const res = await api(user, 'post', path, body);
      if (res.status !== 201) throw new Error(describeRes(`POST ${path}`, res));
      return res.body.id as string;
    };
    fixture.integration = await post(cast.marketer, 'integrations', {
      sourceToolId: fixture.tool,
      targetToolId: fixture.tool2,
      dataObjects: ['contacts'],
      method: 'FILE',
      frequency: 'DAILY',
    });
    fixture.category = await post(cast.admin, 'categories', { name: unique('Sub'), parentId: fixture.topCategory });
    fixture.contract = await post(cast.finance, 'contracts', {
      toolId: fixture.tool,
      startDate: '2026-01-01',
      termMonths: 12,
      billing: 'MONTHLY',
      amount: money('100.00'),
    });
    fixture.contractToTerminate = await post(cast.finance, 'contracts', {
      toolId: fixture.tool,
      startDate: '2026-01-01',
      termMonths: 12,
      billing: 'MONTHLY',
      amount: money('100.00'),
    });
    fixture.spend = await post(cast.finance, 'spend-entries', {
      toolId: fixture.tool,
      date: '2026-01-05',
      costType: 'LICENSE',
      amount: money('100.00'),
    });
    fixture.budget = await post(cast.finance, 'budgets', { costCenterId: fixture.cc, fiscalYear: 2030, amount: money('1000.00') });
    fixture.fx = await post(cast.finance, 'fx-rates', { currency: 'CHF', month: '2030-01', rate: '1.05' });
    const setup = { costCenterId: fixture.cc, subcategoryId: fixture.sub };
    fixture.draft = (await makeRequest(testApp, cast.marketer, setup)).id;
    fixture.inReview = (await makeRequest(testApp, cast.marketer, setup)).id;
    await submit(testApp, cast.marketer, fixture.inReview);
    fixture.otherOwn = (await makeRequest(testApp, other, setup)).id;
    fixture.edit = (await makeRequest(testApp, cast.marketer, setup)).id;
    fixture.withdraw = (await makeRequest(testApp, cast.marketer, setup)).id;
    fixture.victim = (await makeUser(testApp, [Role.MARKETER])).id;
    // An approved request with one condition owned by the marketer (the conditions' write routes).
    const conditioned = (await makeRequest(testApp, cast.marketer, setup)).id;
    await submit(testApp, cast.marketer, conditioned);
    await decide(testApp, cast.cmo, conditioned, { stage: 'MARKETING', decision: 'APPROVE' });
    await assess(testApp, cast.it, conditioned);
    let cur = await decide(testApp, cast.cio, conditioned, {
      stage: 'IT',
      decision: 'APPROVE_WITH_CONDITIONS',
      conditionItems: [{ text: 'Sign the DPA', ownerId: cast.marketer.id, dueDate: '2099-01-01' }],
    });
    if (cur.currentStage === 'FINANCE') cur = await decide(testApp, cast.finance, conditioned, { stage: 'FINANCE', decision: 'APPROVE' });
    fixture.conditionRequest = conditioned;
    fixture.condition = cur.conditionItems[0].id;
    // Discovery candidates (issue 25), as evidence would leave them: one per queue action.
    const evidence = ['owaspregister', 'owasplink', 'owaspdismiss'].map((key) => ({ source: CandidateSource.SPEND, key }));
    const upserted = await testApp.dataSource.transaction((m) =>
      testApp.app.get(CandidateEvidenceService).upsertFromEvidence(m, null, evidence),
    );
    fixture.candidateRegister = upserted.get('SPEND:owaspregister')!.candidate.id;
    fixture.candidateLink = upserted.get('SPEND:owasplink')!.candidate.id;
    fixture.candidateDismiss = upserted.get('SPEND:owaspdismiss')!.candidate.id;
  });
  afterAll(async () => testApp?.close());

  // ---------------------------------------------------------------------------------------------
  describe('API1 object-level access', () => {
    const ownerView = async (id: string) => {
      const request = await get(cast.marketer, `requests/${id}`);
      return JSON.stringify({
        status: request.status,
        version: request.version,
        title: request.title,
        updatedAt: request.updatedAt,
        comments: request.comments,
        stages: request.stages,
      });
    };

    it("refuses a marketer every read and write of another marketer's request with 404, and nothing changes", async () => {
      const before = { draft: await ownerView(fixture.draft), inReview: await ownerView(fixture.inReview), audit: await auditCount() };
      const vDraft = await version(cast.marketer, `requests/${fixture.draft}`);
      const vReview = await version(cast.marketer, `requests/${fixture.inReview}`);
      const attempts: [string, 'get' | 'post' | 'patch', string, Body?][] = [
        ['read draft', 'get', `requests/${fixture.draft}`],
        ['read in review', 'get', `requests/${fixture.inReview}`],
        ['patch', 'patch', `requests/${fixture.draft}`, { title: 'Hijacked', version: vDraft }],
        ['submit', 'post', `requests/${fixture.draft}/submit`, { version: vDraft }],
        ['withdraw draft', 'post', `requests/${fixture.draft}/withdraw`, { version: vDraft }],
        ['withdraw in review', 'post', `requests/${fixture.inReview}/withdraw`, { version: vReview }],
        ['comment', 'post', `requests/${fixture.inReview}/comments`, { body: 'I was not invited' }],
      ];
      const wrong: string[] = [];
      for (const [what, method, path, body] of attempts) {
        const res = await api(other, method, path, body);
        const problems = errorProblems(res, 404);
        if (problems.length) wrong.push(`${what}: ${problems.join('; ')}`);
      }
      expect(wrong).toEqual([]);
      expect({ draft: await ownerView(fixture.draft), inReview: await ownerView(fixture.inReview), audit: await auditCount() }).toEqual(
        before,
      );
    });

    it("lists only the marketer's own requests, whatever the filters", async () => {
      for (const query of ['', '?queue=mine', '?status=IN_REVIEW', '?status=DRAFT&type=NEW_TOOL', '?queue=awaiting-me', '?sort=-title']) {
        const list = await get(other, `requests${query}${query ? '&' : '?'}pageSize=200`);
        const ids = list.items.map((r: { id: string }) => r.id);
        expect(ids).not.toContain(fixture.draft);
        expect(ids).not.toContain(fixture.inReview);
        if (!query.includes('IN_REVIEW') && !query.includes('awaiting')) expect(ids).toContain(fixture.otherOwn);
      }
    });

    it("lets a reviewer read but not edit, submit or withdraw someone else's request", async () => {
      const before = await ownerView(fixture.draft);
      const currentVersion = await version(cast.marketer, `requests/${fixture.draft}`);
      for (const [method, path, body] of [
        ['patch', `requests/${fixture.draft}`, { title: 'CMO edit', version: currentVersion }],
        ['post', `requests/${fixture.draft}/submit`, { version: currentVersion }],
        ['post', `requests/${fixture.draft}/withdraw`, { version: currentVersion }],
      ] as const) {
        const res = await api(cast.cmo, method, path, body);
        expect([403, 404]).toContain(res.status);
      }
      expect(await ownerView(fixture.draft)).toBe(before);
    });

    it('answers 404 for guessed ids on every read-by-id route and on request actions', async () => {
      const wrong: string[] = [];
      const byId = routes.filter((r) => r.method === 'GET' && r.path.endsWith('/:id'));
      expect(byId.length).toBeGreaterThanOrEqual(11);
      for (const id of [randomUUID(), uuidv7()]) {
        for (const route of byId) {
          const res = await api(callerOf(route), 'get', route.path.replace(':id', id));
          const problems = errorProblems(res, 404);
          if (problems.length) wrong.push(`GET ${route.path}: ${problems.join('; ')}`);
        }
        const actions: [TestUser, 'post' | 'patch', string, Body][] = [
          [cast.marketer, 'patch', `requests/${id}`, { title: 'x', version: 1 }],
          [cast.marketer, 'post', `requests/${id}/submit`, { version: 1 }],
          [cast.marketer, 'post', `requests/${id}/withdraw`, { version: 1 }],
          [cast.marketer, 'post', `requests/${id}/comments`, { body: 'x' }],
          [cast.it, 'post', `requests/${id}/assessment`, { ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true }],
          [cast.cmo, 'post', `requests/${id}/decisions`, { stage: 'MARKETING', decision: 'APPROVE', version: 1 }],
          [cast.marketer, 'post', `notifications/${id}/read`, {}],
          [cast.marketer, 'patch', `tools/${id}`, { description: 'x', version: 1 }],
          [cast.finance, 'patch', `contracts/${id}`, { reference: 'x', version: 1 }],
          [cast.admin, 'patch', `users/${id}`, { displayName: 'x', version: 1 }],
        ];
        for (const [user, method, path, body] of actions) {
          const res = await api(user, method, path, body);
          const problems = errorProblems(res, 404);
          if (problems.length) wrong.push(`${method.toUpperCase()} ${path}: ${problems.join('; ')}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it("does not let anyone read or mark another user's notification; it stays unread for its owner", async () => {
      const inbox = await get(cast.cmo, 'notifications?unread=true&pageSize=200');
      const note = inbox.items.find(
        (n: { entityId: string; event: string }) => n.entityId === fixture.inReview && n.event === 'review-needed',
      );
      expect(note).toBeDefined();
      for (const user of [other, cast.marketer, cast.cio, cast.admin]) {
        expect(errorProblems(await api(user, 'post', `notifications/${note.id}/read`, {}), 404)).toEqual([]);
        const theirs = await get(user, 'notifications?pageSize=200');
        expect(theirs.items.map((n: { id: string }) => n.id)).not.toContain(note.id);
        await api(user, 'post', 'notifications/read-all', {}).expect(200);
      }
      const after = await get(cast.cmo, 'notifications?unread=true&pageSize=200');
      expect(after.items.find((n: { id: string }) => n.id === note.id)).toMatchObject({ id: note.id, readAt: null });
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('API2 authentication', () => {
    const sign = (payload: object, opts: jwt.SignOptions = {}) =>
      jwt.sign(payload, TEST_JWT_SECRET, { algorithm: 'HS256', issuer: 'stackgate', audience: 'stackgate-api', expiresIn: 600, ...opts });
    const me = (token: string) => testApp.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);

    it('refuses correctly signed tokens with no expiry, an unknown subject or a malformed version claim', async () => {
      const noExp = jwt.sign({ tv: 1 }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        issuer: 'stackgate',
        audience: 'stackgate-api',
        subject: cast.finance.id,
      });
      expect(errorProblems(await me(noExp), 401)).toEqual([]);
      expect(errorProblems(await me(sign({ tv: 1 }, { subject: randomUUID() })), 401)).toEqual([]);
      expect(errorProblems(await me(sign({ tv: '1' }, { subject: cast.finance.id })), 401)).toEqual([]);
      expect(errorProblems(await me(sign({}, { subject: cast.finance.id })), 401)).toEqual([]);
      expect(errorProblems(await me(sign({ tv: 1 })), 401)).toEqual([]);
      // sanity: the same signing code makes a token the API accepts
      await me(sign({ tv: 1 }, { subject: cast.finance.id })).expect(200);
    });

    it('takes roles from the database, never from the token', async () => {
      const inflated = sign({ tv: 1, roles: ['ADMIN'], role: 'ADMIN', admin: true }, { subject: cast.marketer.id });
      await me(inflated).expect(200);
      expect(errorProblems(await testApp.http().get('/api/v1/users').set('Authorization', `Bearer ${inflated}`), 403)).toEqual([]);
      const fin = await makeUser(testApp, [Role.FINANCE, Role.CMO]);
      await api(fin, 'get', 'budgets').expect(200);
      const currentVersion = await version(cast.admin, `users/${fin.id}`);
      await api(cast.admin, 'patch', `users/${fin.id}`, { roles: ['CMO'], version: currentVersion }).expect(200);
      // the same, still valid token loses FINANCE at once
      expect(
        errorProblems(await api(fin, 'post', 'budgets', { costCenterId: fixture.cc, fiscalYear: 2041, amount: money('1.00') }), 403),
      ).toEqual([]);
      await api(fin, 'get', 'reports/renewals').expect(200);
    });

    it('reads the token only from the Authorization header (not a query string or cookie)', async () => {
      const token = cast.admin.token;
      for (const req of [
        testApp.http().get(`/api/v1/auth/me?access_token=${token}`),
        testApp.http().get(`/api/v1/auth/me?token=${token}`),
        testApp.http().get('/api/v1/auth/me').set('Cookie', `access_token=${token}; sg_session=${token}`),
        testApp.http().get('/api/v1/auth/me').set('Authorization', `bearer  ${token}`),
        testApp.http().get('/api/v1/auth/me').set('Authorization', `Token ${token}`),
      ])
        expect(errorProblems(await req, 401)).toEqual([]);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('API3 property-level access', () => {
    type Extra = [label: string, apply: (b: Body) => Body];
    const field = (name: string, value: unknown): Extra => [name, (b) => ({ ...b, [name]: value })];
    const nested = (label: string, apply: (b: Body) => Body): Extra => [label, apply];
    const COMMON = [field('id', randomUUID()), field('createdAt', '2000-01-01T00:00:00.000Z')];

    interface WriteCase {
      route: string;
      as: () => TestUser;
      url: () => string;
      body: () => Promise<Body> | Body;
      extras: Extra[];
      /** What must stay the same when a write is refused (besides the audit log). */
      state: () => Promise<unknown>;
      /** The status the base body alone gets: proves the 400s come from the extra field. */
      ok: number;
    }

    const cases = (): WriteCase[] => [
      {
        route: 'POST /api-tokens',
        as: () => cast.cmo,
        url: () => 'api-tokens',
        ok: 201,
        body: () => ({ name: unique('token'), scopes: ['catalog:read'] }),
        extras: [
          ...COMMON,
          field('tokenHash', '0'.repeat(64)),
          field('principalId', randomUUID()),
          field('kind', 'SERVICE'),
          field('revokedAt', null),
        ],
        state: () => get(cast.cmo, 'api-tokens'),
      },
      {
        route: 'POST /scim-tokens',
        as: () => cast.admin,
        url: () => 'scim-tokens',
        ok: 201,
        body: () => ({ name: unique('Okta') }),
        extras: [...COMMON, field('tokenHash', '0'.repeat(64)), field('createdById', randomUUID()), field('revokedAt', null)],
        state: () => get(cast.admin, 'scim-tokens'),
      },
      {
        route: 'POST /service-accounts',
        as: () => cast.admin,
        url: () => 'service-accounts',
        ok: 201,
        body: () => ({ name: unique('Account'), roles: ['IT'] }),
        extras: [
          ...COMMON,
          field('ownerId', randomUUID()),
          field('active', false),
          field('email', 'sa@example.test'),
          field('passwordHash', 'x'),
        ],
        state: () => get(cast.admin, 'service-accounts'),
      },
      {
        route: 'PATCH /service-accounts/:id',
        as: () => cast.admin,
        url: () => `service-accounts/${fixture.serviceAccount}`,
        ok: 200,
        body: () => ({ description: unique('Nightly sync') }),
        extras: [...COMMON, field('ownerId', randomUUID()), field('email', 'sa@example.test'), field('passwordHash', 'x')],
        state: () => get(cast.admin, `service-accounts/${fixture.serviceAccount}`),
      },
      {
        route: 'POST /webhooks',
        as: () => cast.admin,
        url: () => 'webhooks',
        ok: 201,
        body: () => ({ url: 'https://hooks.example.com/new', events: ['request.submitted'] }),
        extras: [
          ...COMMON,
          field('secret', 'whsec_mine'),
          field('active', false),
          field('consecutiveFailures', 0),
          field('secretSealed', 'x'),
        ],
        state: () => get(cast.admin, 'webhooks'),
      },
      {
        route: 'PATCH /webhooks/:id',
        as: () => cast.admin,
        url: () => `webhooks/${fixture.webhook}`,
        ok: 200,
        body: async () => ({ version: (await get(cast.admin, `webhooks/${fixture.webhook}`)).version, description: unique('ERP') }),
        extras: [
          ...COMMON,
          field('secret', 'whsec_mine'),
          field('disabledReason', 'x'),
          field('previousSecretExpiresAt', '2099-01-01T00:00:00Z'),
        ],
        state: () => get(cast.admin, `webhooks/${fixture.webhook}`),
      },
      {
        // Without Slack or Teams configured the base body is refused as CHAT_NOT_CONFIGURED (422): the extras are refused first.
        route: 'POST /chat/test',
        as: () => cast.admin,
        url: () => 'chat/test',
        ok: 422,
        body: () => ({ target: 'SLACK', channel: '#owasp' }),
        extras: [...COMMON, field('status', 'DELIVERED'), field('payload', { text: 'x' }), field('routeKey', 'x')],
        state: () => get(cast.admin, 'chat/status'),
      },
      {
        route: 'POST /service-accounts/:id/tokens',
        as: () => cast.admin,
        url: () => `service-accounts/${fixture.serviceAccount}/tokens`,
        ok: 201,
        body: () => ({ name: unique('token'), scopes: ['catalog:read'] }),
        extras: [...COMMON, field('tokenHash', '0'.repeat(64)), field('principalId', randomUUID()), field('lastUsedAt', null)],
        state: () => get(cast.admin, `service-accounts/${fixture.serviceAccount}/tokens`),
      },
      {
        route: 'POST /users',
        as: () => cast.admin,
        url: () => 'users',
        ok: 201,
        body: () => ({
          email: `${unique('ma')}@example.test`,
          displayName: 'Mass Assign',
          password: 'long-enough-password',
          roles: ['MARKETER'],
        }),
        extras: [
          ...COMMON,
          field('passwordHash', '$argon2id$v=19$m=19456,t=2,p=1$x$y'),
          field('tokenVersion', 0),
          field('version', 7),
          field('lastLoginAt', '2026-01-01T00:00:00Z'),
          field('isAdmin', true),
        ],
        state: () => total(cast.admin, 'users'),
      },
      {
        route: 'PATCH /users/:id',
        as: () => cast.admin,
        url: () => `users/${fixture.victim}`,
        ok: 200,
        body: async () => ({ displayName: 'Renamed victim', version: await version(cast.admin, `users/${fixture.victim}`) }),
        extras: [
          ...COMMON,
          field('passwordHash', 'x'),
          field('password', 'long-enough-password'),
          field('tokenVersion', 99),
          field('email', 'new@example.test'),
          field('lastLoginAt', null),
        ],
        state: () => get(cast.admin, `users/${fixture.victim}`),
      },
      {
        route: 'POST /users/:id/reset-password',
        as: () => cast.admin,
        url: () => `users/${fixture.victim}/reset-password`,
        ok: 204,
        body: () => ({ password: 'another-long-password' }),
        extras: [field('tokenVersion', 1), field('passwordHash', 'x'), field('active', true), field('roles', ['ADMIN'])],
        state: () => get(cast.admin, `users/${fixture.victim}`),
      },
      {
        route: 'POST /auth/login',
        as: () => cast.marketer,
        url: () => 'auth/login',
        ok: 200,
        body: () => ({ email: cast.marketer.email, password: TEST_PASSWORD }),
        extras: [field('roles', ['ADMIN']), field('tokenVersion', 1), field('expiresIn', 99999999), field('mfa', false)],
        state: async () => null,
      },
      {
        route: 'POST /cost-centers',
        as: () => cast.admin,
        url: () => 'cost-centers',
        ok: 201,
        body: () => ({ code: unique('MA').toUpperCase(), name: 'Mass', kind: 'IT' }),
        extras: [...COMMON, field('version', 3), field('active', false), field('roles', ['ADMIN']), field('budget', money('1.00'))],
        state: () => total(cast.admin, 'cost-centers'),
      },
      {
        route: 'PATCH /cost-centers/:id',
        as: () => cast.admin,
        url: () => `cost-centers/${fixture.itCc}`,
        ok: 200,
        body: async () => ({ name: 'Renamed IT', version: await version(cast.admin, `cost-centers/${fixture.itCc}`) }),
        extras: [...COMMON, field('roles', ['ADMIN'])],
        state: () => get(cast.admin, `cost-centers/${fixture.itCc}`),
      },
      {
        route: 'POST /categories',
        as: () => cast.admin,
        url: () => 'categories',
        ok: 201,
        body: () => ({ name: unique('Sub'), parentId: fixture.topCategory }),
        extras: [
          ...COMMON,
          field('version', 2),
          field('active', false),
          field('sortOrder', 1),
          field('subcategories', [{ name: 'nested' }]),
        ],
        state: async () => JSON.stringify(await get(cast.admin, 'categories')),
      },
      {
        route: 'PATCH /categories/:id',
        as: () => cast.admin,
        url: () => `categories/${fixture.category}`,
        ok: 200,
        body: async () => ({ name: unique('Renamed'), version: await version(cast.admin, `categories/${fixture.category}`) }),
        extras: [...COMMON, field('parentId', null)],
        state: () => get(cast.admin, `categories/${fixture.category}`),
      },
      {
        route: 'POST /catalog-views',
        as: () => cast.marketer,
        url: () => 'catalog-views',
        ok: 201,
        body: () => ({ name: unique('View'), filters: { lifecycle: 'ACTIVE', sort: '-annualCost' } }),
        extras: [...COMMON, field('version', 2), field('ownerId', randomUUID()), field('nameKey', 'x'), field('query', 'sort=name')],
        state: () => total(cast.marketer, 'catalog-views'),
      },
      {
        route: 'PATCH /catalog-views/:id',
        as: () => cast.marketer,
        url: () => `catalog-views/${fixture.view}`,
        ok: 200,
        body: async () => ({ name: unique('Renamed view'), version: await version(cast.marketer, `catalog-views/${fixture.view}`) }),
        extras: [...COMMON, field('ownerId', randomUUID()), field('nameKey', 'x')],
        state: () => get(cast.marketer, `catalog-views/${fixture.view}`),
      },
      {
        route: 'POST /vendors',
        as: () => cast.marketer,
        url: () => 'vendors',
        ok: 201,
        body: () => ({ name: unique('Vendor') }),
        extras: [
          ...COMMON,
          field('version', 2),
          field('nameKey', 'x'),
          field('roles', ['ADMIN']),
          ['__proto__', (b) => JSON.parse(`{${JSON.stringify(b).slice(1, -1)},"__proto__":{"isAdmin":true}}`)],
          field('constructor', { prototype: { isAdmin: true } }),
        ],
        state: () => total(cast.admin, 'vendors'),
      },
      {
        route: 'PATCH /vendors/:id',
        as: () => cast.marketer,
        url: () => `vendors/${fixture.vendor}`,
        ok: 200,
        body: async () => ({ notes: 'updated', version: await version(cast.marketer, `vendors/${fixture.vendor}`) }),
        extras: [...COMMON, field('nameKey', 'x')],
        state: () => get(cast.admin, `vendors/${fixture.vendor}`),
      },
      {
        route: 'POST /tools',
        as: () => cast.marketer,
        url: () => 'tools',
        ok: 201,
        body: () => ({ name: unique('Tool'), vendorId: fixture.vendor, subcategoryId: fixture.sub, budgetOwnerId: fixture.cc }),
        extras: [
          ...COMMON,
          field('version', 5),
          field('status', 'APPROVED'),
          field('itApproval', { status: 'APPROVED' }),
          field('itApprovalStatus', 'APPROVED'),
          field('shadowIt', false),
          field('annualCost', money('0.00')),
          field('createdById', cast.admin.id),
          field('categoryId', fixture.topCategory),
          field('roles', ['ADMIN']),
          nested('allocation[].kind', (b) => ({ ...b, allocation: [{ costCenterId: fixture.cc, shareBps: 10000, kind: 'IT' }] })),
        ],
        state: () => total(cast.admin, 'tools'),
      },
      {
        route: 'PATCH /tools/:id',
        as: () => cast.marketer,
        url: () => `tools/${fixture.tool}`,
        ok: 200,
        body: async () => ({ description: 'Updated', version: await version(cast.marketer, `tools/${fixture.tool}`) }),
        extras: [
          ...COMMON,
          field('status', 'ACTIVE'),
          field('itApproval', { status: 'APPROVED' }),
          field('itApprovalStatus', 'APPROVED'),
          field('shadowIt', false),
          field('annualCost', money('0.00')),
          field('createdById', cast.admin.id),
          field('categoryId', fixture.topCategory),
        ],
        state: () => get(cast.admin, `tools/${fixture.tool}`),
      },
      {
        route: 'POST /tools/:id/it-approval',
        as: () => cast.cio,
        url: () => `tools/${fixture.tool2}/it-approval`,
        ok: 200,
        body: () => ({ status: 'APPROVED', rationale: 'Reviewed' }),
        extras: [
          field('lifecycle', 'ACTIVE'),
          field('shadowIt', false),
          field('decidedById', cast.cmo.id),
          field('decidedAt', '2020-01-01T00:00:00Z'),
          field('itApproval', 'APPROVED'),
          field('annualCost', money('0.00')),
        ],
        state: () => get(cast.admin, `tools/${fixture.tool2}`),
      },
      {
        route: 'POST /tools/:id/retire',
        as: () => cast.marketer,
        url: () => `tools/${fixture.retireTool}/retire`,
        ok: 200,
        body: async () => ({ version: await version(cast.marketer, `tools/${fixture.retireTool}`) }),
        extras: [field('lifecycle', 'ACTIVE'), field('status', 'RETIRED'), field('itApproval', 'APPROVED')],
        state: () => get(cast.admin, `tools/${fixture.retireTool}`),
      },
      {
        route: 'POST /integrations',
        as: () => cast.marketer,
        url: () => 'integrations',
        ok: 201,
        body: () => ({
          sourceToolId: fixture.tool,
          targetToolId: fixture.tool2,
          dataObjects: ['leads'],
          method: 'API',
          frequency: 'DAILY',
        }),
        extras: [...COMMON, field('version', 2), field('liveKey', 'x'), field('roles', ['ADMIN'])],
        state: () => total(cast.admin, 'integrations'),
      },
      {
        route: 'PATCH /integrations/:id',
        as: () => cast.marketer,
        url: () => `integrations/${fixture.integration}`,
        ok: 200,
        body: async () => ({ notes: 'n', version: await version(cast.marketer, `integrations/${fixture.integration}`) }),
        extras: [...COMMON, field('sourceToolId', fixture.tool2), field('targetToolId', fixture.tool), field('liveKey', 'x')],
        state: () => get(cast.admin, `integrations/${fixture.integration}`),
      },
      {
        route: 'POST /integrations/:id/retire',
        as: () => cast.marketer,
        url: () => `integrations/${fixture.integration}/retire`,
        ok: 200,
        body: async () => ({ version: await version(cast.marketer, `integrations/${fixture.integration}`) }),
        extras: [field('status', 'ACTIVE'), field('liveKey', null), field('retiredAt', '2020-01-01')],
        state: () => get(cast.admin, `integrations/${fixture.integration}`),
      },
      {
        route: 'POST /contracts',
        as: () => cast.finance,
        url: () => 'contracts',
        ok: 201,
        body: () => ({ toolId: fixture.tool, startDate: '2026-02-01', termMonths: 12, billing: 'MONTHLY', amount: money('10.00') }),
        extras: [
          ...COMMON,
          field('version', 2),
          field('status', 'CANCELLED'),
          field('endDate', '2030-01-01'),
          field('cancelByDate', '2030-01-01'),
          field('annualValue', money('1.00')),
          field('amountMinor', 1),
          nested('amount.minor', (b) => ({ ...b, amount: { amount: '10.00', currency: 'EUR', minor: 1 } })),
        ],
        state: () => total(cast.finance, 'contracts'),
      },
      {
        route: 'PATCH /contracts/:id',
        as: () => cast.finance,
        url: () => `contracts/${fixture.contract}`,
        ok: 200,
        body: async () => ({ reference: 'PO-1', version: await version(cast.finance, `contracts/${fixture.contract}`) }),
        extras: [...COMMON, field('endDate', '2030-01-01'), field('annualValue', money('1.00')), field('ownAllocation', true)],
        state: () => get(cast.finance, `contracts/${fixture.contract}`),
      },
      {
        route: 'POST /contracts/:id/terminate',
        as: () => cast.finance,
        url: () => `contracts/${fixture.contractToTerminate}/terminate`,
        ok: 200,
        body: async () => ({
          effectiveDate: '2026-06-30',
          reason: 'No longer used',
          version: await version(cast.finance, `contracts/${fixture.contractToTerminate}`),
        }),
        extras: [...COMMON, field('status', 'ACTIVE'), field('endDate', '2030-01-01'), field('toolId', fixture.tool)],
        state: () => get(cast.finance, `contracts/${fixture.contractToTerminate}`),
      },
      {
        route: 'POST /spend-entries',
        as: () => cast.finance,
        url: () => 'spend-entries',
        ok: 201,
        body: () => ({ toolId: fixture.tool, date: '2026-02-05', costType: 'LICENSE', amount: money('10.00') }),
        extras: [...COMMON, field('version', 2), field('source', 'IMPORT'), field('amountMinor', 1)],
        state: () => total(cast.finance, 'spend-entries'),
      },
      {
        route: 'PATCH /spend-entries/:id',
        as: () => cast.finance,
        url: () => `spend-entries/${fixture.spend}`,
        ok: 200,
        body: async () => ({ description: 'd', version: await version(cast.finance, `spend-entries/${fixture.spend}`) }),
        extras: [...COMMON, field('source', 'IMPORT')],
        state: () => get(cast.finance, `spend-entries/${fixture.spend}`),
      },
      {
        route: 'POST /budgets',
        as: () => cast.finance,
        url: () => 'budgets',
        ok: 201,
        body: () => ({ costCenterId: fixture.cc, fiscalYear: 2031, amount: money('10.00') }),
        extras: [...COMMON, field('version', 2), field('amountMinor', 1), field('currency', 'USD')],
        state: () => total(cast.finance, 'budgets'),
      },
      {
        route: 'PATCH /budgets/:id',
        as: () => cast.finance,
        url: () => `budgets/${fixture.budget}`,
        ok: 200,
        body: async () => ({ amount: money('20.00'), version: await version(cast.finance, `budgets/${fixture.budget}`) }),
        extras: [...COMMON, field('costCenterId', fixture.itCc), field('fiscalYear', 2032)],
        state: () => get(cast.finance, `budgets/${fixture.budget}`),
      },
      {
        route: 'POST /fx-rates',
        as: () => cast.finance,
        url: () => 'fx-rates',
        ok: 201,
        body: () => ({ currency: 'CHF', month: '2031-01', rate: '1.05' }),
        extras: [...COMMON, field('version', 2)],
        state: () => total(cast.finance, 'fx-rates'),
      },
      {
        route: 'PATCH /fx-rates/:id',
        as: () => cast.finance,
        url: () => `fx-rates/${fixture.fx}`,
        ok: 200,
        body: async () => ({ rate: '1.06', version: await version(cast.finance, `fx-rates/${fixture.fx}`) }),
        extras: [...COMMON, field('currency', 'USD'), field('month', '2031-02')],
        state: () => get(cast.finance, `fx-rates/${fixture.fx}`),
      },
      {
        route: 'POST /requests',
        as: () => cast.marketer,
        url: () => 'requests',
        ok: 201,
        body: () => requestBody(),
        extras: [
          ...COMMON,
          field('version', 3),
          field('status', 'APPROVED'),
          field('requesterId', other.id),
          field('currentStage', 'FINANCE'),
          field('round', 2),
          field('toolId', fixture.tool),
          field('stages', []),
          field('roles', ['CMO']),
          nested('proposedTool.toolId', (b) => ({ ...b, proposedTool: { ...(b.proposedTool as Body), toolId: fixture.tool } })),
          nested('proposedTool.itApproval', (b) => ({ ...b, proposedTool: { ...(b.proposedTool as Body), itApproval: 'APPROVED' } })),
          nested('requiredIntegrations[].status', (b) => ({
            ...b,
            requiredIntegrations: [{ toolId: fixture.tool2, direction: 'OUTBOUND', dataObjects: ['leads'], status: 'ACTIVE' }],
          })),
        ],
        state: () => total(cast.admin, 'requests'),
      },
      {
        route: 'PATCH /requests/:id',
        as: () => cast.marketer,
        url: () => `requests/${fixture.edit}`,
        ok: 200,
        body: async () => ({ title: 'Edited', version: await version(cast.marketer, `requests/${fixture.edit}`) }),
        extras: [
          ...COMMON,
          field('status', 'APPROVED'),
          field('requesterId', other.id),
          field('currentStage', 'FINANCE'),
          field('toolId', fixture.tool),
          field('type', 'EXPANSION'),
        ],
        state: () => get(cast.marketer, `requests/${fixture.edit}`),
      },
      {
        route: 'POST /requests/:id/submit',
        as: () => cast.marketer,
        url: () => `requests/${fixture.edit}/submit`,
        ok: 200,
        body: async () => ({ version: await version(cast.marketer, `requests/${fixture.edit}`) }),
        extras: [field('status', 'APPROVED'), field('round', 5), field('currentStage', 'FINANCE'), field('skipStages', ['MARKETING'])],
        state: () => get(cast.marketer, `requests/${fixture.edit}`),
      },
      {
        route: 'POST /requests/:id/withdraw',
        as: () => cast.marketer,
        url: () => `requests/${fixture.withdraw}/withdraw`,
        ok: 200,
        body: async () => ({ version: await version(cast.marketer, `requests/${fixture.withdraw}`) }),
        extras: [field('status', 'APPROVED'), field('reason', 'x')],
        state: () => get(cast.marketer, `requests/${fixture.withdraw}`),
      },
      {
        route: 'POST /requests/:id/comments',
        as: () => cast.marketer,
        url: () => `requests/${fixture.inReview}/comments`,
        ok: 201,
        body: () => ({ body: 'A comment' }),
        extras: [...COMMON, field('authorId', cast.cio.id), field('requestId', fixture.draft), field('roles', ['CIO'])],
        state: () => get(cast.marketer, `requests/${fixture.inReview}`),
      },
      {
        route: 'POST /requests/:id/assessment',
        as: () => cast.it,
        url: () => `requests/${fixture.inReview}/assessment`,
        ok: 201,
        body: () => ({ ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true }),
        extras: [
          ...COMMON,
          field('authorId', cast.cio.id),
          field('assessedById', cast.cio.id),
          field('requestId', fixture.draft),
          field('decision', 'APPROVE'),
        ],
        state: () => get(cast.cio, `requests/${fixture.inReview}`),
      },
      {
        route: 'POST /requests/:id/decisions',
        as: () => cast.cmo,
        url: () => `requests/${fixture.inReview}/decisions`,
        ok: 200,
        body: async () => ({ stage: 'MARKETING', decision: 'APPROVE', version: await version(cast.cmo, `requests/${fixture.inReview}`) }),
        extras: [
          field('decidedById', cast.cio.id),
          field('round', 9),
          field('status', 'APPROVED'),
          field('nextStage', 'FINANCE'),
          field('requestStatus', 'APPROVED'),
          field('decidedAt', '2020-01-01T00:00:00Z'),
        ],
        state: () => get(cast.cmo, `requests/${fixture.inReview}`),
      },
      // The discovery queue: dismiss, then reopen, the same candidate (each base body one move of the state machine).
      {
        route: 'POST /discovery/candidates/:id/register',
        as: () => cast.it,
        url: () => `discovery/candidates/${fixture.candidateRegister}/register`,
        ok: 200,
        body: () => ({ name: unique('Owasp discovered'), subcategoryId: fixture.sub, budgetOwnerId: fixture.cc }),
        extras: [
          ...COMMON,
          field('status', 'LINKED'),
          field('toolId', fixture.tool),
          field('lifecycle', 'PROPOSED'),
          field('itApprovalStatus', 'APPROVED'),
        ],
        state: () => get(cast.it, `discovery/candidates/${fixture.candidateRegister}`),
      },
      {
        route: 'POST /discovery/candidates/:id/link',
        as: () => cast.it,
        url: () => `discovery/candidates/${fixture.candidateLink}/link`,
        ok: 200,
        body: () => ({ toolId: fixture.tool }),
        extras: [...COMMON, field('status', 'REGISTERED'), field('merchant', 'other'), field('decidedById', cast.cio.id)],
        state: () => get(cast.it, `discovery/candidates/${fixture.candidateLink}`),
      },
      {
        route: 'POST /discovery/candidates/:id/dismiss',
        as: () => cast.it,
        url: () => `discovery/candidates/${fixture.candidateDismiss}/dismiss`,
        ok: 200,
        body: () => ({ reason: 'Not software' }),
        extras: [...COMMON, field('status', 'OPEN'), field('toolId', fixture.tool), field('decidedAt', '2020-01-01T00:00:00Z')],
        state: () => get(cast.it, `discovery/candidates/${fixture.candidateDismiss}`),
      },
      {
        route: 'POST /discovery/candidates/:id/reopen',
        as: () => cast.it,
        url: () => `discovery/candidates/${fixture.candidateDismiss}/reopen`,
        ok: 200,
        body: () => ({ reason: 'It is software after all' }),
        extras: [...COMMON, field('status', 'REGISTERED'), field('toolId', fixture.tool)],
        state: () => get(cast.it, `discovery/candidates/${fixture.candidateDismiss}`),
      },
      // In order: each base body moves the condition one step (done, verify, reopen).
      ...(['done', 'verify', 'reopen'] as const).map((action) => ({
        route: `POST /conditions/:id/${action}`,
        as: () => (action === 'done' ? cast.marketer : cast.it),
        url: () => `conditions/${fixture.condition}/${action}`,
        ok: 200,
        body: () => (action === 'reopen' ? { reason: 'The DPA is unsigned' } : { note: 'Checked' }),
        extras: [...COMMON, field('state', 'VERIFIED'), field('ownerId', cast.cio.id), field('verifiedById', cast.cio.id)],
        state: async () => (await get(cast.cio, `requests/${fixture.conditionRequest}`)).conditionItems,
      })),
    ];

    it('refuses every extra field on every write route with 400, and writes nothing', async () => {
      const wrong: string[] = [];
      let refused = 0;
      const all = cases();
      // Every create/patch route the app registers is covered (auth/logout and deletes carry no body).
      const covered = new Set(all.map((c) => c.route));
      const writes = routes
        // The multipart import routes (their extra fields: imports.e2e-spec and import-usability.e2e-spec).
        .filter(
          (r) =>
            ['POST', 'PATCH'].includes(r.method) &&
            !/\/(logout|read|read-all|calendar-token|redeliver)$/.test(r.path) &&
            !['/api/v1/imports', '/api/v1/imports/error-rows'].includes(r.path),
        )
        .map((r) => `${r.method} ${r.path.replace('/api/v1', '')}`);
      expect(writes.filter((w) => !covered.has(w))).toEqual([]);

      for (const candidate of all) {
        const before = JSON.stringify({ state: await candidate.state(), audit: await auditCount() });
        const base = await candidate.body(); // refused writes change nothing, so one base body (and version) serves every extra
        for (const [label, apply] of candidate.extras) {
          const res = await api(
            candidate.as(),
            candidate.route.split(' ')[0].toLowerCase() as 'post' | 'patch',
            candidate.url(),
            apply(base),
          );
          const leaf = label.replace(/\[\]/g, '').split('.').pop()!;
          if (res.status !== 400 || res.body?.statusCode !== 400 || !String(res.body?.message).includes(leaf))
            wrong.push(describeRes(`${candidate.route} + ${label}`, res));
          else refused++;
        }
        const after = JSON.stringify({ state: await candidate.state(), audit: await auditCount() });
        if (after !== before) wrong.push(`${candidate.route}: something changed after refused writes`);
        // The base body alone is accepted: the refusals above were for the extra field.
        const ok = await api(
          candidate.as(),
          candidate.route.split(' ')[0].toLowerCase() as 'post' | 'patch',
          candidate.url(),
          await candidate.body(),
        );
        if (ok.status !== candidate.ok) wrong.push(describeRes(`${candidate.route} (base body, expected ${candidate.ok})`, ok));
      }
      expect(wrong).toEqual([]);
      expect(refused).toBeGreaterThan(130);
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    });

    it('never answers a password, its hash or the token version: users, auth, audit and every other read', async () => {
      // Give the audit trail of a user every kind of change first.
      const user = await makeUser(testApp, [Role.IT]);
      let currentVersion = await version(cast.admin, `users/${user.id}`);
      await api(cast.admin, 'patch', `users/${user.id}`, { displayName: 'Changed', roles: ['IT', 'CIO'], version: currentVersion }).expect(
        200,
      );
      await api(cast.admin, 'post', `users/${user.id}/reset-password`, { password: 'a-third-long-password' }).expect(204);
      currentVersion = await version(cast.admin, `users/${user.id}`);
      await api(cast.admin, 'patch', `users/${user.id}`, { active: false, version: currentVersion }).expect(200);
      currentVersion = await version(cast.admin, `users/${user.id}`);
      await api(cast.admin, 'patch', `users/${user.id}`, { active: true, version: currentVersion }).expect(200);

      const bodies: [string, unknown][] = [];
      const login = await testApp.http().post('/api/v1/auth/login').send({ email: cast.cmo.email, password: TEST_PASSWORD }).expect(200);
      bodies.push(['login', login.body]);
      const created = await api(cast.admin, 'post', 'users', {
        email: `${unique('leak')}@example.test`,
        displayName: 'Leak',
        password: 'long-enough-password',
        roles: ['CMO'],
      }).expect(201);
      bodies.push(['POST /users', created.body]);
      bodies.push(['GET /users/:id', await get(cast.admin, `users/${user.id}`)]);
      bodies.push(['audit of the user', await get(cast.admin, `audit-events?entityType=User&entityId=${user.id}&pageSize=200`)]);
      for (let page = 1; ; page++) {
        const auditPage = await get(cast.admin, `audit-events?pageSize=200&page=${page}`);
        bodies.push([`audit page ${page}`, auditPage]);
        if (page * 200 >= auditPage.total) break;
      }
      // Every parameterless GET of the API, as a user allowed to call it, plus the reads by id.
      const query: Record<string, string> = {
        '/api/v1/reports/spend': '?from=2026-01&to=2026-12&groupBy=tool',
        '/api/v1/reports/budget-vs-actual': '?fiscalYear=2026',
        '/api/v1/users': '?pageSize=200',
      };
      const ids: Record<string, string> = {
        users: user.id,
        'cost-centers': fixture.cc,
        categories: fixture.category,
        vendors: fixture.vendor,
        tools: fixture.tool,
        integrations: fixture.integration,
        contracts: fixture.contract,
        'spend-entries': fixture.spend,
        budgets: fixture.budget,
        'fx-rates': fixture.fx,
        requests: fixture.inReview,
      };
      for (const route of routes.filter((x) => x.method === 'GET')) {
        const resource = route.path.split('/')[3];
        if (route.path.includes(':') && !(route.path.match(/:id/) && ids[resource] && !route.path.includes(':kind'))) continue;
        for (const caller of [callerOf(route), cast.marketer]) {
          const res = await api(caller, 'get', `${route.path.replace(':id', ids[resource])}${query[route.path] ?? ''}`);
          if (res.status === 200)
            bodies.push([`${route.path} as ${caller.roles.join(',')}`, res.body && Object.keys(res.body).length ? res.body : res.text]);
        }
      }
      expect(bodies.length).toBeGreaterThan(40);
      const found = bodies.flatMap(([what, body]) => secretsIn(body).map((p) => `${what}: ${p}`));
      expect(found).toEqual([]);
      // and the stored audit trail has none either (so no later read can leak one)
      const raw = await testApp.dataSource
        .getRepository(AuditEvent)
        .createQueryBuilder('e')
        .where(
          'e.changes LIKE :a OR e.changes LIKE :b OR e.changes LIKE :c OR e.metadata LIKE :a OR e.metadata LIKE :b OR e.metadata LIKE :c',
          { a: '%argon2%', b: '%"tokenVersion"%', c: '%"password%' },
        )
        .getCount();
      expect(raw).toBe(0);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('API4 resource consumption', () => {
    it('refuses out-of-range and malformed paging on every list endpoint with 400', async () => {
      const lists: string[] = [];
      const wrong: string[] = [];
      const candidates = routes.filter((r) => r.method === 'GET' && (!r.path.includes(':') || r.path === '/api/v1/tools/:id/history'));
      for (const route of candidates) {
        const path = route.path.replace(':id', fixture.tool);
        const probe = await api(callerOf(route), 'get', path);
        if (probe.status !== 200 || !probe.body || !('pageSize' in probe.body) || !Array.isArray(probe.body.items)) continue;
        lists.push(route.path);
        for (const query of [
          'pageSize=0',
          'pageSize=201',
          'pageSize=-1',
          'pageSize=abc',
          'pageSize=1e3',
          'page=0',
          'page=abc',
          'page=1&page=2',
          'pageSize=99999999999999999999',
        ]) {
          const res = await api(callerOf(route), 'get', `${path}?${query}`);
          const problems = errorProblems(res, 400);
          if (problems.length) wrong.push(`${path}?${query}: ${problems.join('; ')}`);
        }
        const max = await api(callerOf(route), 'get', `${path}?pageSize=200`);
        if (max.status !== 200 || max.body.pageSize !== 200) wrong.push(describeRes(`${path}?pageSize=200`, max));
      }
      expect(wrong).toEqual([]);
      expect(lists).toEqual(
        expect.arrayContaining(
          [
            'users',
            'cost-centers',
            'vendors',
            'tools',
            'integrations',
            'contracts',
            'spend-entries',
            'budgets',
            'fx-rates',
            'requests',
            'notifications',
            'audit-events',
          ].map((n) => `/api/v1/${n}`),
        ),
      );
      expect(lists).toContain('/api/v1/tools/:id/history');
    });

    it('answers 413 for a JSON body over BODY_LIMIT and a form over it, storing nothing', async () => {
      const before = await total(cast.admin, 'vendors');
      const res = await api(cast.marketer, 'post', 'vendors', {
        name: unique('Big'),
        notes: 'x'.repeat(testApp.config.bodyLimitBytes + 1),
      });
      expect(errorProblems(res, 413)).toEqual([]);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      const form = await testApp
        .http()
        .post('/login')
        .type('form')
        .send(`email=a%40b.c&password=${'x'.repeat(testApp.config.bodyLimitBytes + 1)}`);
      expect(form.status).toBe(413);
      expect(await total(cast.admin, 'vendors')).toBe(before);
    });

    it('refuses arrays of 10,000 items with 400 and a small error body, storing nothing', async () => {
      const many = <T>(v: T) => Array.from({ length: 10_000 }, () => v);
      const before = {
        tools: await total(cast.admin, 'tools'),
        integrations: await total(cast.admin, 'integrations'),
        requests: await total(cast.admin, 'requests'),
        users: await total(cast.admin, 'users'),
      };
      const tool = { name: unique('Tool'), vendorId: fixture.vendor, subcategoryId: fixture.sub, budgetOwnerId: fixture.cc };
      const attempts: [string, TestUser, string, Body][] = [
        ['capabilities', cast.marketer, 'tools', { ...tool, capabilities: many('email') }],
        ['allocation', cast.marketer, 'tools', { ...tool, allocation: many({ costCenterId: fixture.cc, shareBps: 1 }) }],
        [
          'dataObjects',
          cast.marketer,
          'integrations',
          { sourceToolId: fixture.tool, targetToolId: fixture.tool2, dataObjects: many('contacts'), method: 'NATIVE', frequency: 'DAILY' },
        ],
        [
          'requiredIntegrations',
          cast.marketer,
          'requests',
          requestBody({ requiredIntegrations: many({ toolId: fixture.tool2, direction: 'INBOUND', dataObjects: ['a'] }) }),
        ],
        ['requiredIntegrations', cast.marketer, 'requests', requestBody({ requiredIntegrations: many({}) })],
        ['dataCategories', cast.marketer, 'requests', requestBody({ dataCategories: many('contacts') })],
        ['allocation', cast.marketer, 'requests', requestBody({ allocation: many({ costCenterId: fixture.cc, shareBps: 1 }) })],
        [
          'roles',
          cast.admin,
          'users',
          { email: `${unique('many')}@example.test`, displayName: 'Many', password: 'long-enough-password', roles: many('MARKETER') },
        ],
      ];
      const wrong: string[] = [];
      for (const [fieldName, user, path, body] of attempts) {
        const res = await api(user, 'post', path, body);
        const problems = errorProblems(res, 400);
        if (problems.length || !res.body.message.includes(fieldName))
          wrong.push(`${path} ${fieldName}: ${problems.join('; ')} ${String(res.body?.message).slice(0, 200)}`);
        if (JSON.stringify(res.body).length > 20_000)
          wrong.push(`${path} ${fieldName}: error body of ${JSON.stringify(res.body).length} characters`);
      }
      expect(wrong).toEqual([]);
      expect({
        tools: await total(cast.admin, 'tools'),
        integrations: await total(cast.admin, 'integrations'),
        requests: await total(cast.admin, 'requests'),
        users: await total(cast.admin, 'users'),
      }).toEqual(before);
    });

    it('refuses 1 MB strings and deeply nested values (400 or 413, never 500), storing nothing', async () => {
      const before = {
        tools: await total(cast.admin, 'tools'),
        vendors: await total(cast.admin, 'vendors'),
        tool: await get(cast.admin, `tools/${fixture.tool}`),
      };
      const mb = 'x'.repeat(1024 * 1024);
      const justUnder = 'y'.repeat(testApp.config.bodyLimitBytes - 4096);
      const tool = { name: unique('Tool'), vendorId: fixture.vendor, subcategoryId: fixture.sub, budgetOwnerId: fixture.cc };
      const version = before.tool.version;
      const deep = (prefix: string) => `${prefix}${deeplyNestedJson(20_000)}}`;
      const json = (b: Body) => JSON.stringify(b).slice(0, -1);
      const attempts: [string, 'post' | 'patch', string, Body | string][] = [
        ['description 1 MB', 'post', 'tools', { ...tool, description: mb }],
        ['description under the limit', 'post', 'tools', { ...tool, description: justUnder }],
        ['name under the limit', 'post', 'tools', { ...tool, name: justUnder }],
        ['patch website', 'patch', `tools/${fixture.tool}`, { website: `https://${justUnder}.example`, version: version }],
        ['multibyte vendor name', 'post', 'vendors', { name: 'é'.repeat(400_000) }],
        ['nested vendor notes', 'post', 'vendors', deep(`${json({ name: unique('Deep') })},"notes":`)],
        ['nested capability', 'post', 'tools', `${json({ ...tool })},"capabilities":[${deeplyNestedJson(20_000)}]}`],
        [
          'nested allocation',
          'post',
          'tools',
          `${json({ ...tool })},"allocation":[{"costCenterId":"${fixture.cc}","shareBps":${deeplyNestedJson(20_000)}}]}`,
        ],
        ['nested unknown field', 'post', 'vendors', deep(`${json({ name: unique('Deep') })},"extra":`)],
      ];
      const wrong: string[] = [];
      for (const [what, method, path, body] of attempts) {
        const res = await api(cast.marketer, method, path, body);
        if (![400, 413].includes(res.status) || errorProblems(res, res.status).length)
          wrong.push(`${what}: ${res.status} ${errorProblems(res, res.status).join('; ')}`);
      }
      const search = await api(cast.marketer, 'get', `tools?search=${'z'.repeat(5000)}`);
      if (errorProblems(search, 400).length) wrong.push(describeRes('search of 5000 characters', search));
      expect(wrong).toEqual([]);
      expect({
        tools: await total(cast.admin, 'tools'),
        vendors: await total(cast.admin, 'vendors'),
        tool: await get(cast.admin, `tools/${fixture.tool}`),
      }).toEqual(before);
    });

    it('refuses report ranges over 10 years and unbounded horizons with 400', async () => {
      const wrong: string[] = [];
      for (const query of [
        'spend?from=2010-01&to=2026-12',
        'spend?from=0001-01&to=9999-12',
        'spend?from=2026-12&to=2016-01',
        'spend?from=2026-01&to=2026-13',
        'renewals?withinDays=100000',
        'renewals?withinDays=0',
        'renewals?withinDays=-5',
        'renewals?withinDays=99999999999999999999',
        'renewals?withinDays=abc',
        'budget-vs-actual?fiscalYear=99999',
        'budget-vs-actual?fiscalYear=1',
      ]) {
        const res = await api(cast.finance, 'get', `reports/${query}`);
        const problems = errorProblems(res, 400);
        if (problems.length) wrong.push(`${query}: ${problems.join('; ')}`);
      }
      expect(wrong).toEqual([]);
      const ten = await api(cast.finance, 'get', 'reports/spend?from=2017-01&to=2026-12').expect(200);
      expect(ten.body.from).toBe('2017-01');
    });

    it('answers 413 for an upload over UPLOAD_LIMIT to /api/v1/imports, importing nothing', async () => {
      const before = await total(cast.admin, 'tools');
      const header = 'name,vendor,subcategory,budgetOwnerCode\n';
      const big = Buffer.from(
        header + `Big Tool,Big Vendor,CRM,X,${'p'.repeat(200)}\n`.repeat(Math.ceil((testApp.config.uploadLimitBytes + 1024) / 220)),
      );
      expect(big.length).toBeGreaterThan(testApp.config.uploadLimitBytes);
      for (const dryRun of ['true', 'false']) {
        const res = await testApp
          .http()
          .post('/api/v1/imports')
          .set(cast.marketer.auth)
          .field('kind', 'tools')
          .field('dryRun', dryRun)
          .attach('file', big, 'tools.csv');
        expect(errorProblems(res, 413)).toEqual([]);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      }
      expect(await total(cast.admin, 'tools')).toBe(before);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('API5 function-level access (tricks only; the route × role matrix is security-matrix.e2e-spec.ts)', () => {
    it('keeps a marketer out of admin and finance writes despite method overrides and path tricks', async () => {
      const usersBefore = await total(cast.admin, 'users');
      const budgetsBefore = await total(cast.finance, 'budgets');
      const me = JSON.stringify(await get(cast.admin, `users/${cast.marketer.id}`));
      const newUser = () => ({
        email: `${unique('trick')}@example.test`,
        displayName: 'Trick',
        password: 'long-enough-password',
        roles: ['ADMIN'],
      });
      const budget = { costCenterId: fixture.cc, fiscalYear: 2042, amount: money('1.00') };
      const wrong: string[] = [];
      const check = async (what: string, req: request.Test) => {
        const res = await req.set(cast.marketer.auth);
        // HEAD answers carry no body: only the status counts there.
        const bodyProblems = what.startsWith('HEAD') ? [] : errorProblems(res, res.status);
        if (![403, 404].includes(res.status) || bodyProblems.length) wrong.push(describeRes(what, res));
      };
      for (const header of ['X-HTTP-Method-Override', 'X-HTTP-Method', 'X-Method-Override']) {
        for (const method of ['GET', 'HEAD', 'OPTIONS']) {
          await check(`POST /users with ${header}: ${method}`, testApp.http().post('/api/v1/users').set(header, method).send(newUser()));
          await check(`POST /budgets with ${header}: ${method}`, testApp.http().post('/api/v1/budgets').set(header, method).send(budget));
        }
        await check(`GET /users with ${header}: POST`, testApp.http().get('/api/v1/users').set(header, 'POST'));
        await check(
          `PATCH own roles with ${header}: GET`,
          testApp
            .http()
            .patch(`/api/v1/users/${cast.marketer.id}`)
            .set(header, 'GET')
            .send({ roles: ['ADMIN'] }),
        );
      }
      await check('POST /users?_method=GET', testApp.http().post('/api/v1/users?_method=GET').send(newUser()));
      await check(
        'POST /users with _method in the body',
        testApp
          .http()
          .post('/api/v1/users')
          .send({ ...newUser(), _method: 'GET' }),
      );
      for (const path of [
        '/api/v1/users/',
        '/API/V1/users',
        '/api/v1/USERS',
        '/Api/v1/Users/',
        '/api/v1/./users',
        '/api/v1/users/.',
        '/api/v1//users',
        '//api/v1/users',
        '/api/v1/users;x=1',
        '/api/v1/users%2F',
        '/api/v1/%75sers',
        '/api/v1/users/..%2Fusers',
        '/api/v1/tools/../users',
        '/api/v1/users?',
      ]) {
        await check(`GET ${path}`, testApp.http().get(path));
        await check(`HEAD ${path}`, testApp.http().head(path));
        await check(`POST ${path}`, testApp.http().post(path).send(newUser()));
      }
      for (const path of ['/API/V1/budgets', '/api/v1/budgets/', '/api/v1//budgets', '/api/v1/./budgets'])
        await check(`POST ${path}`, testApp.http().post(path).send(budget));
      for (const path of [
        `/API/V1/users/${cast.marketer.id}`,
        `/api/v1/users/${cast.marketer.id}/`,
        `/api/v1/users/${cast.marketer.id.toUpperCase()}`,
      ]) {
        await check(
          `PATCH ${path}`,
          testApp
            .http()
            .patch(path)
            .send({ roles: ['ADMIN'] }),
        );
      }
      expect(wrong).toEqual([]);
      expect(await total(cast.admin, 'users')).toBe(usersBefore);
      expect(await total(cast.finance, 'budgets')).toBe(budgetsBefore);
      expect(JSON.stringify(await get(cast.admin, `users/${cast.marketer.id}`))).toBe(me);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('API6/API7 business flows and URLs', () => {
    const upload = (u: TestUser, kind: string, csv: string, dryRun: string) =>
      testApp
        .http()
        .post('/api/v1/imports')
        .set(u.auth)
        .field('kind', kind)
        .field('dryRun', dryRun)
        .attach('file', Buffer.from(csv), `${kind}.csv`);

    it('enforces the roles of each import kind in the service (403, audited, nothing imported)', async () => {
      const contractsBefore = await total(cast.finance, 'contracts');
      const spendBefore = await total(cast.finance, 'spend-entries');
      const contractsCsv = (await testApp.http().get('/api/v1/imports/templates/contracts').set(cast.marketer.auth).expect(200)).text;
      const spendCsv = (await testApp.http().get('/api/v1/imports/templates/spend-entries').set(cast.marketer.auth).expect(200)).text;
      const wrong: string[] = [];
      for (const user of [cast.marketer, cast.cmo, cast.it, cast.cio, cast.admin]) {
        for (const [kind, csv] of [
          ['contracts', contractsCsv],
          ['spend-entries', spendCsv],
        ]) {
          for (const dryRun of ['true', 'false']) {
            const res = await upload(user, kind, csv, dryRun);
            if (errorProblems(res, 403).length) wrong.push(describeRes(`${user.roles.join(',')} ${kind} dryRun=${dryRun}`, res));
          }
        }
      }
      expect(wrong).toEqual([]);
      const denied = await testApp.dataSource
        .getRepository(AuditEvent)
        .find({ where: { action: 'authz.denied', actorId: cast.marketer.id } });
      expect(
        denied.filter((e) => ['contracts', 'spend-entries'].includes(String((e.metadata as { kind?: string } | null)?.kind))).length,
      ).toBe(4);
      expect(await total(cast.finance, 'contracts')).toBe(contractsBefore);
      expect(await total(cast.finance, 'spend-entries')).toBe(spendBefore);
    });

    it('stores only http(s) websites: javascript:, data:, file: and other schemes are 400 everywhere a website is written', async () => {
      const bad = [
        'javascript:alert(1)',
        'JavaScript:alert(document.cookie)',
        'data:text/html,<script>alert(1)</script>',
        'file:///etc/passwd',
        'ftp://files.example',
        'gopher://127.0.0.1:6379/_INFO',
        '//evil.example',
        'http:/one-slash',
        ' javascript:alert(1)',
        'https://',
        'vbscript:msgbox(1)',
      ];
      const currentVersion = await version(cast.marketer, `vendors/${fixture.vendor}`);
      const tv = await version(cast.marketer, `tools/${fixture.tool}`);
      const rv = await version(cast.marketer, `requests/${fixture.draft}`);
      const before = JSON.stringify([
        await get(cast.admin, `vendors/${fixture.vendor}`),
        await get(cast.admin, `tools/${fixture.tool}`),
        await get(cast.marketer, `requests/${fixture.draft}`),
        await total(cast.admin, 'vendors'),
        await total(cast.admin, 'tools'),
      ]);
      const wrong: string[] = [];
      const ccCode = (await get(cast.admin, `cost-centers/${fixture.cc}`)).code;
      for (const website of bad) {
        const attempts: [string, 'post' | 'patch', string, Body][] = [
          ['POST /vendors', 'post', 'vendors', { name: unique('V'), website }],
          ['PATCH /vendors', 'patch', `vendors/${fixture.vendor}`, { website, version: currentVersion }],
          [
            'POST /tools',
            'post',
            'tools',
            { name: unique('T'), vendorId: fixture.vendor, subcategoryId: fixture.sub, budgetOwnerId: fixture.cc, website },
          ],
          ['PATCH /tools', 'patch', `tools/${fixture.tool}`, { website, version: tv }],
          [
            'POST /requests',
            'post',
            'requests',
            requestBody({ proposedTool: { name: unique('P'), vendorName: 'V', subcategoryId: fixture.sub, website } }),
          ],
          [
            'PATCH /requests',
            'patch',
            `requests/${fixture.draft}`,
            { proposedTool: { name: unique('P'), vendorName: 'V', subcategoryId: fixture.sub, website }, version: rv },
          ],
        ];
        for (const [what, method, path, body] of attempts) {
          const res = await api(cast.marketer, method, path, body);
          if (errorProblems(res, 400).length || !String(res.body.message).includes('website'))
            wrong.push(describeRes(`${what} ${JSON.stringify(website)}`, res));
        }
        const csv = `name,vendor,subcategory,budgetOwnerCode,website\n${unique('Csv')},V,CRM,${ccCode},"${website.replace(/"/g, '""')}"\n`;
        const dry = await upload(cast.marketer, 'tools', csv, 'true');
        const errs = (dry.body.errors ?? []) as { column: string | null }[];
        if (dry.status !== 200 || !errs.some((e) => e.column === 'website'))
          wrong.push(describeRes(`import tools ${JSON.stringify(website)}`, dry));
      }
      expect(wrong).toEqual([]);
      expect(
        JSON.stringify([
          await get(cast.admin, `vendors/${fixture.vendor}`),
          await get(cast.admin, `tools/${fixture.tool}`),
          await get(cast.marketer, `requests/${fixture.draft}`),
          await total(cast.admin, 'vendors'),
          await total(cast.admin, 'tools'),
        ]),
      ).toBe(before);
    });

    it('never fetches a stored website: a listener on 127.0.0.1 gets no request through writes, reads, pages, imports and approval', async () => {
      const hits: string[] = [];
      const server: Server = createServer((req, res) => {
        hits.push(`${req.method} ${req.url}`);
        res.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      try {
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const vendor = await api(cast.marketer, 'post', 'vendors', { name: unique('Probe'), website: `${url}/vendor` }).expect(201);
        const tool = await api(cast.marketer, 'post', 'tools', {
          name: unique('Probe'),
          vendorId: vendor.body.id,
          subcategoryId: fixture.sub,
          budgetOwnerId: fixture.cc,
          website: `${url}/tool`,
        }).expect(201);
        const req = await api(
          cast.marketer,
          'post',
          'requests',
          requestBody({
            proposedTool: {
              name: unique('Probe'),
              vendorName: unique('Probe Vendor'),
              subcategoryId: fixture.sub,
              website: `${url}/request`,
            },
          }),
        ).expect(201);
        await submit(testApp, cast.marketer, req.body.id);
        const code = (await get(cast.admin, `cost-centers/${fixture.cc}`)).code;
        await upload(
          cast.marketer,
          'tools',
          `name,vendor,subcategory,budgetOwnerCode,website\n${unique('Probe')},V,CRM,${code},${url}/import\n`,
          'false',
        ).expect(200);
        await get(cast.cmo, `requests/${req.body.id}`);
        await get(cast.admin, `tools/${tool.body.id}`);
        await get(cast.admin, 'stack-map');
        const agent = await signIn(testApp, cast.cmo);
        await agent.get(`/tools/${tool.body.id}`).expect(200);
        await agent.get(`/requests/${req.body.id}`).expect(200);
        await new Promise((r) => setTimeout(r, 200)); // let any background fetch arrive before counting
        expect(hits).toEqual([]);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('API8 misconfiguration', () => {
    const expectHelmet = (res: request.Response, what: string) => {
      const headers = res.headers;
      expect({ what, nosniff: headers['x-content-type-options'], poweredBy: headers['x-powered-by'] }).toEqual({
        what,
        nosniff: 'nosniff',
        poweredBy: undefined,
      });
      const frames =
        headers['x-frame-options'] === 'SAMEORIGIN' ||
        headers['x-frame-options'] === 'DENY' ||
        /frame-ancestors '(self|none)'/.test(String(headers['content-security-policy']));
      expect({ what, frames }).toEqual({ what, frames: true });
      expect({ what, referrer: headers['referrer-policy'] }).toEqual({
        what,
        referrer: expect.stringMatching(/no-referrer|same-origin|strict-origin/),
      });
    };

    it('sends the security headers on API answers, errors, pages and assets, and a CSP on pages', async () => {
      expectHelmet(await api(cast.admin, 'get', 'tools').expect(200), 'API list');
      expectHelmet(await api(undefined, 'get', 'tools').expect(401), 'API 401');
      expectHelmet(await api(cast.admin, 'get', 'nope').expect(404), 'API 404');
      expectHelmet(await testApp.http().get('/api/docs-json').expect(200), 'OpenAPI');
      expectHelmet(await testApp.http().get('/assets/app.css').expect(200), 'asset');
      const agent = await signIn(testApp, cast.cmo);
      for (const path of ['/login', '/', '/catalog']) {
        const res = path === '/login' ? await testApp.http().get(path).expect(200) : await agent.get(path).expect(200);
        expectHelmet(res, path);
        const csp = String(res.headers['content-security-policy']);
        expect(csp).toContain("default-src 'self'");
        expect(csp).toMatch(/object-src 'none'/);
        expect(csp).toMatch(/frame-ancestors '(self|none)'/);
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
      }
    });

    it('keeps CORS closed by default: no Access-Control-Allow-Origin for a foreign origin, preflight or not', async () => {
      const pre = await testApp
        .http()
        .options('/api/v1/tools')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
      const simple = await api(cast.admin, 'get', 'tools').set('Origin', 'https://evil.example').expect(200);
      expect(simple.headers['access-control-allow-origin']).toBeUndefined();
      const login = await testApp
        .http()
        .post('/api/v1/auth/login')
        .set('Origin', 'null')
        .send({ email: cast.cmo.email, password: TEST_PASSWORD });
      expect(login.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('answers 400, 401, 403, 404, 409, 413, 415 and 422 with the error JSON and no stack, SQL or path', async () => {
      const vendorName = unique('Dup Vendor');
      await api(cast.marketer, 'post', 'vendors', { name: vendorName }).expect(201);
      await api(cast.marketer, 'patch', `tools/${fixture.tool}`, {
        description: 'Bumps the version',
        version: await version(cast.marketer, `tools/${fixture.tool}`),
      }).expect(200);
      const stale = (await version(cast.marketer, `tools/${fixture.tool}`)) - 1;
      const cases: [number, Promise<request.Response> | request.Test][] = [
        [400, api(cast.marketer, 'post', 'vendors', {})],
        [400, api(cast.marketer, 'get', 'tools/not-a-uuid')],
        [400, testApp.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email": "a@b.c", "password": ')],
        [400, api(cast.marketer, 'get', 'tools?sort=name;DROP%20TABLE%20tools')],
        [400, api(cast.marketer, 'get', 'tools?search[$ne]=x')],
        [401, api(undefined, 'get', 'tools')],
        [403, api(cast.marketer, 'get', 'users')],
        [404, api(cast.marketer, 'get', `tools/${randomUUID()}`)],
        [404, api(cast.marketer, 'get', 'no-such-route')],
        [404, api(cast.marketer, 'delete', `tools/${fixture.tool}`)],
        [409, api(cast.marketer, 'post', 'vendors', { name: vendorName.toUpperCase() })],
        [409, api(cast.marketer, 'patch', `tools/${fixture.tool}`, { description: 'stale', version: stale })],
        [413, api(cast.marketer, 'post', 'vendors', { name: 'x'.repeat(testApp.config.bodyLimitBytes + 10) })],
        [
          415,
          testApp
            .http()
            .post('/api/v1/imports')
            .set(cast.marketer.auth)
            .field('kind', 'tools')
            .attach('file', Buffer.from('MZ\x90\x00'), 'tools.exe'),
        ],
        [
          422,
          api(cast.marketer, 'post', 'tools', {
            name: unique('T'),
            vendorId: randomUUID(),
            subcategoryId: fixture.sub,
            budgetOwnerId: fixture.cc,
          }),
        ],
      ];
      const wrong: string[] = [];
      for (const [index, [status, pending]] of cases.entries()) {
        const res = await pending;
        const problems = errorProblems(res, status);
        if (problems.length) wrong.push(`case ${index} (${status}): ${problems.join('; ')} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      expect(wrong).toEqual([]);
    });

    it('turns an unexpected failure into a bare 500, on the API and on pages', async () => {
      const tools = testApp.app.get(ToolsService);
      const boom = new Error(
        'SQLITE_ERROR: near "FROM": syntax error in SELECT * FROM tools WHERE name = \'x\' at /work/main/node_modules/typeorm/driver.ts:42',
      );
      const spy = jest.spyOn(tools, 'list').mockRejectedValue(boom);
      try {
        const res = await api(cast.marketer, 'get', 'tools');
        expect(errorProblems(res, 500)).toEqual([]);
        expect(res.body).toMatchObject({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
        const agent = await signIn(testApp, cast.cmo);
        const page = await agent.get('/catalog').set('Accept', 'text/html');
        expect(page.status).toBe(500);
        expect(leaksIn(page.text)).toEqual([]);
        expect(page.text).not.toContain('syntax error');
        expect(spy).toHaveBeenCalled();
      } finally {
        spy.mockRestore();
      }
      await api(cast.marketer, 'get', 'tools').expect(200);
    });
  });

  // ---------------------------------------------------------------------------------------------
  describe('CSRF web forms and the session cookie', () => {
    it("refuses a form posted with another browser's CSRF token, and changes nothing", async () => {
      const firstSession = await signIn(testApp, cast.admin);
      const secondSession = await signIn(testApp, cast.admin);
      const tokenA = csrfOf((await firstSession.get('/admin/users').expect(200)).text);
      const tokenB = csrfOf((await secondSession.get('/admin/users').expect(200)).text);
      expect(tokenA).not.toBe(tokenB);
      const before = await total(cast.admin, 'users');
      const form = (token: string) => ({
        _csrf: token,
        email: `${unique('csrf')}@example.test`,
        displayName: 'X',
        password: 'long-enough-password',
        roles: 'CMO',
      });
      const res = await secondSession.post('/admin/users').type('form').set('Accept', 'text/html').send(form(tokenA)).expect(403);
      expect(res.text).toContain('did not come from Stackgate');
      const anonymous = csrfOf((await request(testApp.app.getHttpServer()).get('/login').expect(200)).text);
      await secondSession.post('/admin/users').type('form').send(form(anonymous)).expect(403);
      const { _csrf: _none, ...noToken } = form('');
      await secondSession.post('/admin/users').type('form').set('X-CSRF-Token', tokenA).send(noToken).expect(403);
      await secondSession
        .post('/admin/users')
        .type('form')
        .send(form(`${tokenB}x`))
        .expect(403);
      expect(await total(cast.admin, 'users')).toBe(before);
      // the browser's own token works (so the refusals above were about the token)
      await secondSession.post('/admin/users').type('form').send(form(tokenB)).expect(303);
      expect(await total(cast.admin, 'users')).toBe(before + 1);
    });

    it('never lets the session cookie authenticate the API, whatever the spelling of the path', async () => {
      const agent = await signIn(testApp, cast.admin);
      const before = await total(cast.admin, 'users');
      const wrong: string[] = [];
      for (const path of [
        '/api/v1/users',
        '/API/V1/users',
        '/Api/v1/users',
        '/api/V1/users',
        '/API/v1/auth/me',
        '/api/v1/users/',
        '/api//v1/users',
        '//api/v1/users',
        '/api/v1/./users',
      ]) {
        const read = await agent.get(path);
        if (![401, 404].includes(read.status)) wrong.push(describeRes(`GET ${path}`, read));
        const write = await agent
          .post(path)
          .type('form')
          .send({ email: `${unique('cookie')}@example.test`, displayName: 'X', password: 'long-enough-password', roles: 'ADMIN' });
        if (![401, 404].includes(write.status)) wrong.push(describeRes(`POST ${path}`, write));
      }
      expect(wrong).toEqual([]);
      expect(await total(cast.admin, 'users')).toBe(before);
    });
  });
});

// -----------------------------------------------------------------------------------------------
describe('OWASP API2/API8 with configuration: per-address sign-in throttling and CORS_ORIGINS', () => {
  let testApp: TestApp;
  const ALLOWED = 'https://marketing.example.test';
  beforeAll(async () => {
    testApp = await startTestApp({ LOGIN_MAX_FAILURES_PER_IP: '4', LOGIN_MAX_FAILURES: '50', CORS_ORIGINS: ALLOWED });
  });
  afterAll(async () => testApp?.close());

  it('opens CORS only to CORS_ORIGINS, without credentials', async () => {
    const pre = await testApp
      .http()
      .options('/api/v1/tools')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'authorization');
    expect(pre.status).toBeLessThan(300);
    expect(pre.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined();
    for (const origin of ['https://evil.example', 'https://marketing.example.test.evil.example', 'http://marketing.example.test', 'null']) {
      const res = await testApp.http().options('/api/v1/tools').set('Origin', origin).set('Access-Control-Request-Method', 'GET');
      expect({ origin, acao: res.headers['access-control-allow-origin'] }).toEqual({ origin, acao: undefined });
    }
    const health = await testApp.http().get('/api/health').set('Origin', ALLOWED).expect(200);
    expect(health.headers['access-control-allow-origin']).toBe(ALLOWED);
  });

  it('slows sign-in from one address after LOGIN_MAX_FAILURES_PER_IP failures across accounts; X-Forwarded-For does not dodge it', async () => {
    const users = [await makeUser(testApp, [Role.MARKETER]), await makeUser(testApp, [Role.CMO]), await makeUser(testApp, [Role.IT])];
    const fresh = await makeUser(testApp, [Role.FINANCE]);
    const attempts = [users[0].email, users[1].email, users[2].email, 'nobody@example.test'];
    for (const [index, email] of attempts.entries()) {
      await testApp
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `198.51.100.${index + 1}`)
        .send({ email, password: 'wrong-password-123' })
        .expect(401);
    }
    // a wrong password from that address is now a 429, whatever X-Forwarded-For says
    const slowed = await testApp
      .http()
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', '198.51.100.99')
      .send({ email: fresh.email, password: 'wrong-password-123' });
    expect(errorProblems(slowed, 429)).toEqual([]);
    expect(slowed.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    expect(slowed.body.accessToken).toBeUndefined();
    // the sign-in form shares the slowdown
    const agent = request.agent(testApp.app.getHttpServer());
    const page = await agent.get('/login').expect(200);
    const form = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: fresh.email, password: 'wrong-password-123' });
    expect(form.status).toBe(429);
    expect(form.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^sg_session=/)]));
    // but the address is shared (an office, a proxy): a correct password for an active account still signs in
    const ok = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfOf(page.text), email: fresh.email, password: TEST_PASSWORD });
    expect(ok.status).toBe(303);
    await testApp.http().post('/api/v1/auth/login').send({ email: users[0].email, password: TEST_PASSWORD }).expect(200);
    await testApp.http().get('/api/v1/auth/me').set(fresh.auth).expect(200);
  });
});
