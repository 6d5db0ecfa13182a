import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { expectNone, expectText, flash, heading, screenshot, signInAs, startDemoInBrowser } from '../support/browser';

/**
 * Finance attaches the contract to the demo's approved request (Product analytics, €21,000 a year)
 * from the web UI at 1366 px: the home page's queue, the prefilled form, and the tool page after.
 */
describe('In the browser: finance attaches the contract to an approved request', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.setViewportSize({ width: 1366, height: 900 });
  });
  afterAll(async () => close?.());

  it('from the home queue to a contract, retiring the approved, not yet contracted amount', async () => {
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    const queue = page.locator('section.card', { has: page.getByRole('heading', { name: /^Attach the contract/ }) });
    // The demo has two approved requests awaiting their contract (Amplitude and Cookiebot).
    await expectText(queue.getByRole('heading'), 'Attach the contract (2)');
    await queue.getByRole('link', { name: 'Product analytics' }).click();
    await page.waitForURL(/\/contracts\/new\?requestId=/);
    await expectText(heading(page), 'Attach the contract');
    // Prefilled from the request: tool, amount, currency, split, start date, 12 months billed annually.
    expect(await page.getByLabel('Tool').locator('option:checked').textContent()).toBe('Amplitude');
    expect(await page.getByLabel('Amount per billing period').inputValue()).toBe('21000.00');
    expect(await page.getByLabel('Currency').inputValue()).toBe('EUR');
    expect(await page.getByLabel('Term (months)').inputValue()).toBe('12');
    expect(await page.locator('#c-pct0').inputValue()).toBe('100');
    expect(await page.getByLabel('Start date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await page.getByLabel('Reference').fill('AMP-2026-01');
    await screenshot(page, 'attach-contract-form');
    await page.getByRole('button', { name: 'Attach the contract' }).click();

    await expectText(flash(page), 'Contract attached to the approved request; its pending amount is retired');
    await expectText(heading(page), 'Amplitude');
    const facts = page.locator('dl.facts').first();
    await expect(facts.textContent()).resolves.toContain('€21,000.00');
    await expect(page.locator('body').textContent()).resolves.not.toContain('approved, not yet contracted');
    await screenshot(page, 'attach-contract-tool');
    await page.goto(`${base}/`);
    await expectText(queue.getByRole('heading'), 'Attach the contract (1)');
    await expectNone(queue.getByRole('link', { name: 'Product analytics' }));
  });
});
