import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '@stackgate/audit';
import * as identity from '@stackgate/identity';
import { Allow, ANY_ROLE, Role } from '@stackgate/platform';
import { sessionTokenFromCookie, SESSION_COOKIE } from '@stackgate/web';
import { login, makeUser, TestUser } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { signIn } from '../support/web';
import { ROOT, sourceFiles } from './source-files';

/**
 * Issue 22 §1/§2 for the web lib: pages read other libs' data only through the services and query
 * functions those libs export (no DataSource, no foreign entity, no SQL in libs/web), and the auth
 * guard's token sources are configured explicitly where the app is assembled, not pushed into a
 * mutable list exported by identity.
 */

const WEB_SRC = join(ROOT, 'libs', 'web', 'src');

/** Entity classes the other libs own (the web lib owns none). */
const FOREIGN_ENTITIES = [
  'Tool',
  'ToolCapability',
  'Vendor',
  'Category',
  'CostCenter',
  'User',
  'UserRole',
  'Integration',
  'LedgerEntry',
  'Contract',
  'SpendEntry',
  'Budget',
  'FxRate',
  'Notification',
  'AuditEvent',
];

describe('Web pages read other libs only through their exported services (issue 22 §1)', () => {
  it("no file of libs/web holds a DataSource, a repository, raw SQL or another lib's entity", () => {
    const problems: string[] = [];
    for (const file of sourceFiles(WEB_SRC)) {
      const text = readFileSync(file, 'utf8');
      const where = relative(ROOT, file);
      for (const [what, re] of [
        ['imports typeorm', /from '(typeorm|@nestjs\/typeorm)'/],
        ['uses a DataSource', /\bDataSource\b|\bInjectDataSource\b|\bEntityManager\b/],
        ['uses a repository', /\bgetRepository\s*\(|\bcreateQueryBuilder\s*\(/],
        ['runs SQL', /\.query\s*[(<]/],
      ] as const)
        if (re.test(text)) problems.push(`${where} ${what}`);
      for (const match of text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@stackgate\/(\w+)'/g)) {
        const names = match[1].split(',').map(
          (s) =>
            s
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)[0],
        );
        for (const name of names)
          if (FOREIGN_ENTITIES.includes(name)) problems.push(`${where} imports the entity ${name} from @stackgate/${match[2]}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

class Probe {
  @Allow(ANY_ROLE)
  handle(): void {}
}

/** The guard's view of one GET request to `path` with the given headers. */
function contextFor(path: string, headers: Record<string, string>): ExecutionContext {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const req = { method: 'GET', url: path, originalUrl: path, headers: lower, header: (n: string) => lower[n.toLowerCase()] };
  const res = { setHeader: () => undefined };
  return {
    getHandler: () => Probe.prototype.handle,
    getClass: () => Probe,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

describe('The auth guard reads tokens from explicitly configured sources (issue 22 §2)', () => {
  let testApp: TestApp;
  let user: TestUser;
  let token: string;
  const guardWith = (sources?: readonly unknown[]) => {
    const Guard = identity.AuthGuard as unknown as new (...args: unknown[]) => identity.AuthGuard;
    return new Guard(
      testApp.app.get(Reflector),
      testApp.app.get(identity.AuthService),
      testApp.app.get(AuditService),
      ...(sources ? [sources] : []),
    );
  };

  beforeAll(async () => {
    testApp = await startTestApp(); // the full app, web UI included
    user = await makeUser(testApp, [Role.MARKETER]);
    token = await login(testApp, user.email);
  });
  afterAll(() => testApp?.close());

  it('identity exports no mutable list of token readers', () => {
    const lists = Object.entries(identity)
      .filter(([, v]) => Array.isArray(v) && !Object.isFrozen(v))
      .map(([k]) => k);
    expect(lists).toEqual([]);
  });

  it('the app wires the session-cookie reader as a frozen TOKEN_SOURCES provider', () => {
    const key = (identity as Record<string, unknown>).TOKEN_SOURCES;
    expect(key).toBeDefined();
    const sources = testApp.app.get<unknown, unknown[]>(key as symbol, { strict: false });
    expect(sources).toEqual([sessionTokenFromCookie]);
    expect(Object.isFrozen(sources)).toBe(true);
  });

  it('a guard given no extra sources ignores the session cookie, even in a process where the web module started', async () => {
    const cookie = { Cookie: `${SESSION_COOKIE}=${token}` };
    await expect(guardWith().canActivate(contextFor('/', cookie))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(guardWith().canActivate(contextFor('/', { Authorization: `Bearer ${token}` }))).resolves.toBe(true);
  });

  it('a guard given the cookie reader accepts it on pages only, and the header still comes first', async () => {
    const guard = guardWith([sessionTokenFromCookie]);
    await expect(guard.canActivate(contextFor('/', { Cookie: `${SESSION_COOKIE}=${token}` }))).resolves.toBe(true);
    await expect(guard.canActivate(contextFor('/api/v1/tools', { Cookie: `${SESSION_COOKIE}=${token}` }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(
      guard.canActivate(contextFor('/', { Authorization: 'Bearer not-a-token', Cookie: `${SESSION_COOKIE}=${token}` })),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('over HTTP: the session cookie opens pages, not the API; the bearer token opens the API', async () => {
    const agent = await signIn(testApp, user);
    await agent.get('/catalog').expect(200);
    await agent.get('/api/v1/tools').expect(401);
    await testApp.http().get('/api/v1/tools').set('Authorization', `Bearer ${token}`).expect(200);
  });
});
