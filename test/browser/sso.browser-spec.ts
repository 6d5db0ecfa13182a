import { createServer } from 'node:net';
import { Page } from 'playwright-core';
import { Role } from '@stackgate/platform';
import { makeUser } from '../support/factories';
import { startTestIdp, TestIdp } from '../support/oidc';
import { startTestApp, TestApp } from '../support/test-app';
import { alertOf, expectAccessible, heading, launchBrowser, screenshot } from '../support/browser';

// Single sign-on in Chromium against a real OpenID provider (oidc-provider on 127.0.0.1): the button,
// the provider's sign-in form, the way back, a refusal page, and signing out of both.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Single sign-on in the browser', () => {
  let idp: TestIdp;
  let app: TestApp;
  let base: string;
  let page: Page;
  let closeBrowser: () => Promise<void>;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    idp = await startTestIdp(base, {
      'ada-sub': { email: 'ada@corp.example', email_verified: true, name: 'Ada Lovelace', groups: ['cio'] },
      'cy-sub': { email: 'cy@corp.example', email_verified: true, name: 'Cy', groups: ['everyone'] },
    });
    app = await startTestApp({
      PUBLIC_URL: base,
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_PROVIDER_NAME: 'Corp IdP',
      OIDC_ROLE_MAP: 'cio=CIO,mkt-team=MARKETER',
      OIDC_JIT: 'true',
    });
    await app.app.listen(port, '127.0.0.1');
    const browser = await launchBrowser();
    closeBrowser = browser.close;
    page = await browser.ctx.newPage();
  });
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
    await idp?.stop();
  });

  async function signInAtProvider(account: string): Promise<void> {
    await page.getByRole('link', { name: 'Sign in with Corp IdP' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name=login]').fill(account);
    await page.locator('input[name=password]').fill('any');
    await page.locator('button[type=submit]').click();
  }

  it('signs a new CIO in through the provider and back to the page they asked for, then signs out of both', async () => {
    await page.goto(`${base}/requests`);
    await page.waitForURL((url) => url.pathname === '/login');
    await expectAccessible(page, 'sso-login');
    await screenshot(page, 'sso-login');
    await signInAtProvider('ada-sub');
    await page.waitForURL((url) => url.origin === base && url.pathname === '/requests');
    await expect(page.locator('header').textContent()).resolves.toContain('Ada Lovelace');
    const me = await app
      .http()
      .get('/api/v1/users?search=ada')
      .set('Authorization', `Bearer ${await adminToken()}`);
    expect(me.body.items[0].roles).toEqual([Role.CIO]);
    await screenshot(page, 'sso-signed-in');

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks to confirm its own sign-out, then sends the browser back to Stackgate's sign-in page.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.waitForURL((url) => url.origin === base && url.pathname === '/login');
    await page.goto(`${base}/requests`);
    await page.waitForURL((url) => url.pathname === '/login');
  });

  it('shows a user in no mapped group a page that says why', async () => {
    await page.goto(`${base}/login`);
    await signInAtProvider('cy-sub');
    await page.waitForURL((url) => url.origin === base && url.pathname.startsWith('/auth/oidc/callback'));
    await expect(alertOf(page).textContent()).resolves.toContain('not in any group that gives access to Stackgate at Corp IdP');
    await expect(heading(page).textContent()).resolves.toContain('Sign in');
    await expectAccessible(page, 'sso-refused');
    await screenshot(page, 'sso-refused');
  });

  // An administrator's token to read the user list (the bootstrap path, not SSO).
  async function adminToken(): Promise<string> {
    return (await makeUser(app, [Role.ADMIN])).token;
  }
});
