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
  startDemoInBrowser,
  VIEWPORTS,
} from '../support/browser';

/**
 * Finance finds the demo's missed cancel-by date (Marketo Engage) through the contracts list's
 * renewal filter, edits the contract (and meets a colleague's change in between), then terminates
 * it from the tool page with a date and a reason — at 1366 px and 390 px, axe-core clean.
 */
describe('In the browser: finance edits and terminates a contract', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.setViewportSize(VIEWPORTS.desktop);
  });
  afterAll(async () => close?.());

  const marketoRow = () => page.locator('tr', { has: page.getByRole('link', { name: 'Marketo Engage' }) });

  it('filters the list to missed cancel-by dates; the filter stays in the address', async () => {
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/contracts`);
    await page.getByLabel('Renewal').selectOption('cancel-by-passed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/\/contracts\?.*renewal=cancel-by-passed/);
    await expectText(marketoRow().locator('td.over'), /\(passed\)/);
    await expectAccessible(page, 'contracts list, filtered, finance');
    await screenshot(page, 'contracts-filtered');
  });

  it('edits the contract; a second tab saving first makes the first one answer "changed by someone else"', async () => {
    await marketoRow()
      .getByRole('link', { name: /^Edit the contract/ })
      .click();
    await expectText(heading(page), 'Edit the contract');
    await expectAccessible(page, 'contract edit form');

    // A colleague (another tab) saves the same contract first.
    const other = await page.context().newPage();
    await other.goto(page.url());
    await other.getByLabel('Reference').fill('MKTO-RENEGOTIATED');
    await other.getByRole('button', { name: 'Save the contract' }).click();
    await expectText(flash(other), 'Contract saved');
    await other.close();

    await page.getByLabel('Seats').fill('10');
    await page.getByRole('button', { name: 'Save the contract' }).click();
    await expectText(alertOf(page), /changed by someone else/);
    await screenshot(page, 'contract-edit-stale');

    // Opened again, it shows the colleague's change; this save goes through and returns to the filtered list's page.
    await page.goto(`${base}/contracts?renewal=cancel-by-passed`);
    await marketoRow()
      .getByRole('link', { name: /^Edit the contract/ })
      .click();
    expect(await page.getByLabel('Reference').inputValue()).toBe('MKTO-RENEGOTIATED');
    await page.getByLabel('Seats').fill('10');
    await page.getByLabel('Amount per billing period').fill('a lot');
    await page.getByRole('button', { name: 'Save the contract' }).click();
    await expectText(page.locator('#c-amount-err'), /amount/i);
    await page.getByLabel('Amount per billing period').fill('30,000');
    await page.getByRole('button', { name: 'Save the contract' }).click();
    await expectText(flash(page), 'Contract saved');
    await expectText(heading(page), 'Contracts');
  });

  it('terminates it from the tool page after a confirm step with a date and a reason', async () => {
    await page.goto(`${base}/contracts?renewal=cancel-by-passed`);
    await marketoRow().getByRole('link', { name: 'Marketo Engage' }).click();
    await expectText(heading(page), /Marketo Engage/);
    await page
      .getByRole('link', { name: /^Terminate the contract/ })
      .first()
      .click();
    await expectText(heading(page), 'Terminate the contract');
    await expectAccessible(page, 'contract terminate confirm');
    await page.getByRole('button', { name: 'Terminate the contract' }).click();
    await expectText(page.locator('#t-reason-err'), 'Fill this in');
    await page.getByLabel('Reason').fill('Sunsetting: consolidated onto HubSpot Marketing Hub');
    await page.setViewportSize(VIEWPORTS.phone);
    await expectNoSidewaysScroll(page, 'contract terminate confirm, 390 px');
    await expectAccessible(page, 'contract terminate confirm, 390 px');
    await screenshot(page, 'contract-terminate-390');
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.getByRole('button', { name: 'Terminate the contract' }).click();
    await expectText(flash(page), /^Contract terminated as of \d{4}-\d{2}-\d{2}/);
    await expectText(heading(page), /Marketo Engage/);
    await screenshot(page, 'contract-terminated-tool');

    // Out of the missed cancel-by list; listed under cancelled without a terminate link.
    await page.goto(`${base}/contracts?renewal=cancel-by-passed`);
    expect(await marketoRow().count()).toBe(0);
    await page.goto(`${base}/contracts?status=CANCELLED`);
    // The date and the reason read under the status.
    await expectText(
      marketoRow().locator('td').nth(6),
      /^Cancelled Terminated \d{4}-\d{2}-\d{2}: Sunsetting: consolidated onto HubSpot Marketing Hub$/,
    );
    expect(
      await marketoRow()
        .getByRole('link', { name: /^Terminate/ })
        .count(),
    ).toBe(0);
  });
});
