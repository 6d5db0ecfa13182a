import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { expectText, flash, heading, screenshot, signInAs, startDemoInBrowser } from '../support/browser';

/**
 * Finance opens the renewal workbench at 1366 px, finds the demo's missed cancel-by date (Marketo
 * Engage: sunsetting, auto-renewing, 6 of 25 seats) in red, and records a downsize decision.
 */
describe('In the browser: a renewal decision from the workbench', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.setViewportSize({ width: 1366, height: 900 });
  });
  afterAll(async () => close?.());

  it('shows the missed cancel-by date in red and records a decision for it', async () => {
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Renewals', exact: true }).first().click();
    await page.waitForURL(/\/renewals$/);
    await expectText(heading(page), 'Renewals');
    await page.getByRole('link', { name: /^Missed \(\d+\)$/ }).click();
    await page.waitForURL(/state=MISSED/);
    const row = page.locator('tr.renewal-row', { hasText: 'Marketo Engage' });
    await expectText(row.locator('.renewal-state'), 'Missed');
    expect(await row.getAttribute('class')).toContain('renewal-red');
    await expectText(row.locator('td').nth(3), /passed 3 days ago/);
    await expectText(row.locator('td').nth(5), /^6 \/ 25\s*24 % used$/);
    // The red is really red: the state chip's background.
    expect(await row.locator('.renewal-state').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(176, 0, 32)');

    const form = page.locator('tr.renewal-form-row', { hasText: 'Marketo Engage' });
    await form.getByText('Record a decision for Marketo Engage').click();
    // A downsize without the seat count is refused next to the field, nothing recorded.
    await form.getByLabel('Decision').selectOption({ label: 'Downsize to N seats' });
    await form.getByLabel('Rationale').fill('Sunsetting: keep only the seats the migration team uses.');
    await form.getByRole('button', { name: 'Record decision' }).click();
    const again = page.locator('tr.renewal-form-row', { hasText: 'Marketo Engage' });
    await expectText(again.locator('.field-error'), /seats to keep/i);
    await again.getByLabel('Seats to keep (downsize only)').fill('8');
    await again.getByLabel('Owner (carries it out)').selectOption({ label: 'Maya Marketer' });
    await screenshot(page, 'renewal-workbench-form');
    await again.getByRole('button', { name: 'Record decision' }).click();

    await expectText(flash(page), 'Decision recorded for Marketo Engage: Downsize to 8 seats');
    expect(page.url()).toMatch(/\/renewals\?state=MISSED$/);
    await page.getByRole('link', { name: /^Decided \(\d+\)$/ }).click();
    const decided = page.locator('tr.renewal-row', { hasText: 'Marketo Engage' });
    await expectText(decided.locator('.renewal-state'), 'Decided');
    await expectText(decided.locator('td').nth(7), /^Downsize to 8 seats\s*Owner Maya Marketer\s*by Fiona Finance, \d{4}-\d{2}-\d{2}$/);
    expect(await decided.getAttribute('class')).not.toContain('renewal-red');
    await screenshot(page, 'renewal-workbench-decided');
  });
});
