import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  alertOf,
  expectAccessible,
  expectNoSidewaysScroll,
  expectText,
  flash,
  heading,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
} from '../support/browser';

/** Issue 25: the discovery queue the demo's card and expense exports fill, as IT and as the CMO. */
describe('In the browser: the discovery queue', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  const queueRow = (name: string) =>
    page.locator('table.discovery tbody tr').filter({ has: page.getByRole('link', { name, exact: true }) });

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('IT finds the two shadow tools from the nav, registers one and dismisses a non-software merchant', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await signInAs(page, base, 'it@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Discovery' }).click();
    await expectText(heading(page), 'Discovery');
    await expect(queueRow('Livestorm').count()).resolves.toBe(1);
    await expect(queueRow('Later').count()).resolves.toBe(1);
    await expectAccessible(page, 'discovery queue, IT, 1366 px');
    await screenshot(page, 'discovery-queue-1366');

    // Livestorm is already asked for in a tool request: its name is reserved, and the page says so
    await queueRow('Livestorm').getByRole('link', { name: 'Livestorm' }).click();
    await expectText(heading(page), 'Livestorm');
    expect(await page.getByLabel('Subcategory').locator('option:checked').textContent()).toBe('Events, Meetings & Webinars');
    await page.getByLabel('Budget owner').selectOption({ label: 'MKT-BRAND — Brand & Communications' });
    await page.getByRole('button', { name: 'Register' }).click();
    await expectText(alertOf(page), /^The tool name "Livestorm" is reserved by the tool request "Webinar platform for EMEA"/);

    // Later, the social scheduler nobody asked for, is registered: shadow IT until IT reviews it
    await page.goto(`${base}/discovery`);
    await queueRow('Later').getByRole('link', { name: 'Later' }).click();
    await expectText(heading(page), 'Later');
    expect(await page.getByLabel('Subcategory').locator('option:checked').textContent()).toBe('Social Media Marketing & Monitoring');
    await page.getByLabel('Budget owner').selectOption({ label: 'MKT-DIGITAL — Digital Marketing' });
    await expectAccessible(page, 'discovery candidate, IT');
    await page.getByRole('button', { name: 'Register' }).click();
    await expectText(flash(page), 'Later is registered as a tool in use; IT reviews it next (shadow IT until then).');
    await page.getByRole('link', { name: 'Later', exact: true }).click();
    await expectText(heading(page), /^Later/);

    // a merchant that is no software: dismissed with a reason, then gone from the open queue
    await page.goto(`${base}/discovery`);
    await queueRow('Lufthansa').getByRole('link', { name: 'Lufthansa' }).click();
    await page.getByText('Dismiss: not software').click();
    await page.getByLabel('Reason').first().fill('Business travel');
    await page.getByRole('button', { name: 'Dismiss' }).click();
    await expectText(flash(page), 'Lufthansa is dismissed; later lines of this merchant are ignored.');
    await page.goto(`${base}/discovery`);
    await expect(queueRow('Lufthansa').count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Dismissed: not software' }).click();
    await expect(queueRow('Lufthansa').count()).resolves.toBe(1);
    await signOut(page);
  });

  it('the CMO reads the queue and a candidate without action forms, at phone width too', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/discovery`);
    await expectText(heading(page), 'Discovery');
    await expectNoSidewaysScroll(page, 'discovery queue, CMO, 390 px');
    // Later was registered by IT: the CMO finds Livestorm open, and reads it without the action forms
    await queueRow('Livestorm').getByRole('link', { name: 'Livestorm' }).click();
    await expectText(heading(page), 'Livestorm');
    await expect(page.getByRole('button', { name: 'Register' }).count()).resolves.toBe(0);
    await expectAccessible(page, 'discovery candidate, CMO, 390 px');
    await screenshot(page, 'discovery-candidate-390');
  });
});
