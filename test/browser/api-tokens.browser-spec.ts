import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  expectAccessible,
  expectNoSidewaysScroll,
  expectText,
  flash,
  heading,
  screenshot,
  signInAs,
  startDemoInBrowser,
  VIEWPORTS,
} from '../support/browser';

/** API tokens in the browser: a person creates a token, copies it once, uses it, revokes it; an admin issues a service-account token. */
describe('In the browser: API tokens', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  });
  afterAll(async () => close?.());

  const apiStatus = (token: string) =>
    page.evaluate(
      async ({ url, bearer }) => (await fetch(url, { headers: { Authorization: `Bearer ${bearer}` }, credentials: 'omit' })).status,
      { url: `${base}/api/v1/tools`, bearer: token },
    );

  it('creates a personal token, copies it with the button, sees it once, and revokes it', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'API tokens' }).click();
    await expectText(heading(page), 'API tokens');
    await page.getByLabel('Name').fill('Budget sheet');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expectText(page.locator('#tk-scopes-err'), 'Choose at least one scope');
    await page.getByLabel('Name').fill('Budget sheet');
    await page.getByRole('checkbox', { name: /reports:read/ }).check();
    await page.getByRole('checkbox', { name: /catalog:read/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expectText(flash(page), 'Token “Budget sheet” created. Copy it now: it is shown only once.');
    const token = await page.locator('#new-token').inputValue();
    expect(token).toMatch(/^sgp_[0-9A-Za-z]{61}$/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expectText(page.locator('[data-copy-status="new-token"]'), 'Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectAccessible(page, 'API tokens, token shown once');
    await screenshot(page, 'api-token-created');
    expect(await apiStatus(token)).toBe(200);

    await page.reload();
    expect(await page.locator('#new-token').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    const row = page.getByRole('row', { name: /Budget sheet/ });
    await expectText(row.getByText('Active', { exact: true }), 'Active');
    await row.getByRole('button', { name: 'Revoke Budget sheet' }).click();
    await expectText(flash(page), 'Token revoked: it no longer works.');
    await expectText(page.getByRole('row', { name: /Budget sheet/ }).getByText('Revoked', { exact: true }), 'Revoked');
    expect(await apiStatus(token)).toBe(401);
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await expectNoSidewaysScroll(page, `API tokens at ${label}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.context().clearCookies();
  });

  it('lets the admin create a service account and issue it a token', async () => {
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Service accounts' }).click();
    await expectText(heading(page), 'Service accounts');
    await page.getByLabel('Name').fill('NetSuite sync');
    await page.getByRole('checkbox', { name: 'FINANCE' }).check();
    await page.getByRole('button', { name: 'Add service account' }).click();
    await expectText(flash(page), 'Service account “NetSuite sync” created');
    await expectText(heading(page), 'Service account NetSuite sync');
    await page.locator('#tk-name').fill('nightly');
    await page.getByRole('checkbox', { name: /spend:read/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = await page.locator('#new-token').inputValue();
    expect(token).toMatch(/^sgs_/);
    await expectAccessible(page, 'service account with a new token');
    await screenshot(page, 'service-account-token');
    await page.getByRole('button', { name: 'Revoke nightly' }).click();
    await expectText(flash(page), 'Token revoked: it no longer works.');
    await page.context().clearCookies();
  });
});
