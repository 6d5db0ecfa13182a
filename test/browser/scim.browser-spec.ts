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

/** SCIM provisioning in the browser: the admin copies the base URL, creates a SCIM token (copied once), and revokes it. */
describe('In the browser: SCIM provisioning', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  });
  afterAll(async () => close?.());

  const scimStatus = (token: string) =>
    page.evaluate(
      async ({ url, bearer }) => (await fetch(url, { headers: { Authorization: `Bearer ${bearer}` }, credentials: 'omit' })).status,
      { url: `${base}/scim/v2/Users`, bearer: token },
    );

  it('shows the base URL, creates a token shown once with a copy button, and revokes it', async () => {
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'SCIM provisioning' }).click();
    await expectText(heading(page), 'SCIM provisioning');
    const url = await page.locator('#scim-base-url').inputValue();
    expect(url).toMatch(/\/scim\/v2$/);
    await page.getByRole('button', { name: 'Copy URL' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    await page.getByLabel('Name').fill('Okta provisioning');
    await page.getByRole('button', { name: 'Create SCIM token' }).click();
    await expectText(flash(page), 'SCIM token “Okta provisioning” created. Copy it now: it is shown only once.');
    const token = await page.locator('#new-token').inputValue();
    expect(token).toMatch(/^sgscim_[0-9A-Za-z]{61}$/);
    await page.getByRole('button', { name: 'Copy token' }).click();
    await expectText(page.locator('[data-copy-status="new-token"]'), 'Copied to the clipboard.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectAccessible(page, 'SCIM provisioning, token shown once');
    await screenshot(page, 'scim-token-created');
    expect(await scimStatus(token)).toBe(200);

    await page.reload();
    expect(await page.locator('#new-token').count()).toBe(0);
    const row = page.getByRole('row', { name: /Okta provisioning/ });
    await row.getByRole('button', { name: 'Revoke Okta provisioning' }).click();
    await expectText(flash(page), 'SCIM token revoked: the identity provider can no longer provision with it.');
    expect(await scimStatus(token)).toBe(401);
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await expectNoSidewaysScroll(page, `SCIM provisioning at ${label}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  });
});
