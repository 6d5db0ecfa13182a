import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { demoSpendFile } from '../../apps/api/src/demo/demo-spend';
import { expectAccessible, expectText, flash, heading, screenshot, signInAs, startDemoInBrowser } from '../support/browser';

/**
 * Issue 25 on the web: finance imports an Expensify export through the import page with its preset (chosen in the card
 * and expense section), sees what matched and what goes to the discovery queue, commits, and finds both; then saves a
 * custom mapping for an export no preset knows and finds it offered in the selector.
 */
describe('In the browser: importing card and expense exports with a preset', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.setViewportSize({ width: 1366, height: 900 });
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
  });
  afterAll(async () => close?.());

  /** The demo's Expensify export (which the demo already imported) as a new month's export: new transaction ids, a new shadow tool. */
  function newExpensifyExport(): { text: string; rows: number } {
    const [header, ...rows]: string[][] = parse(readFileSync(demoSpendFile('expensify.csv'), 'utf8'));
    const id = header.indexOf('Transaction ID');
    const merchant = header.indexOf('Merchant');
    const kept = rows.slice(0, 24).map((row) => row.map((cell, at) => (at === id ? `WEB-${cell}` : cell)));
    const riverside = [...kept[2]];
    riverside[merchant] = 'PAYPAL *RIVERSIDEFM';
    riverside[id] = 'WEB-RIVERSIDE-1';
    return { text: stringify([header, ...kept, riverside]), rows: kept.length + 1 };
  }

  it('chooses "Expensify export", checks the file, sees matches and new candidates, imports, and finds them', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await expectText(heading(page), 'Import from a spreadsheet');
    const section = page.locator('#import-spend-transactions');
    await expectText(section.getByRole('heading', { level: 2 }), 'Card, expense and accounts-payable exports');
    // the line of the preset names the headers an Expensify export has
    await expectText(
      section.locator('li', { hasText: 'Expensify export' }),
      /Timestamp\*, Merchant\*, Amount\*, Currency\*, Email, Tag, Comment/,
    );
    await section.getByLabel('Layout of the file').selectOption({ label: 'Expensify export' });
    const file = newExpensifyExport();
    await section
      .getByLabel('File to check (CSV or XLSX)')
      .setInputFiles({ name: 'expensify-december.csv', mimeType: 'text/csv', buffer: Buffer.from(file.text) });
    await section.getByRole('button', { name: /Check this file/ }).click();

    await expectText(
      page.getByRole('heading', { level: 2, name: /Result of the check/ }),
      '2. Result of the check: expensify-december.csv',
    );
    await expectText(page.getByText('Read as:'), 'Read as: Expensify export (the import uses the same layout).');
    await expectText(page.locator('strong', { hasText: 'invalid' }), '0 invalid');
    await expectText(page.getByText('PAYPAL *HOTJAR:').first(), /PAYPAL \*HOTJAR: Hotjar/);
    await expectText(page.getByText('PAYPAL *RIVERSIDEFM:'), /new discovery candidate/);
    await expectAccessible(page, 'import spend with a preset, checked');
    await screenshot(page, 'import-spend-expensify-checked');

    await page.getByRole('button', { name: `Import all ${file.rows} rows` }).click();
    await expectText(
      page.locator('main p.notice[role=status]'),
      `Imported ${file.rows} rows: ${file.rows} created, 0 updated, 0 unchanged. Layout: Expensify export.`,
    );

    // the unmatched merchant waits in the discovery queue; the matched lines are spend on their tools
    await page.goto(`${base}/discovery?q=riverside`);
    await expect(page.locator('table.discovery tbody tr', { hasText: /riverside/i }).count()).resolves.toBe(1);
    await page.goto(`${base}/finance/spend?source=import`);
    await expect(page.locator('table tbody tr', { hasText: 'PAYPAL *HOTJAR' }).count()).resolves.toBeGreaterThan(0);
  });

  it('saves a custom mapping on its page and finds it offered as custom:<name> in the selector', async () => {
    await page.goto(`${base}/import`);
    await page.getByRole('link', { name: /Saved mappings \(0\)/ }).click();
    await expectText(heading(page), 'Saved mappings of card and expense exports');
    await page.getByLabel('Name').fill('Amex corporate');
    await page.getByLabel('Date (required)').fill('Posting Date');
    await page.getByLabel('Merchant or payee (required)').fill('Description');
    await page.getByLabel('Amount (required)').fill('Amount');
    await page.getByLabel('Currency (required)').fill('Currency');
    await page.getByLabel('How the export writes dates').selectOption({ label: 'Day first, 30/04/2026 or 30.04.2026' });
    await expectAccessible(page, 'saved spend mappings');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await expectText(flash(page), /^Mapping "Amex corporate" saved/);
    await screenshot(page, 'spend-mappings');
    await page.getByRole('link', { name: 'Back to the import' }).click();
    const options = await page.locator('#p-spend-transactions option').allTextContents();
    expect(options).toContain('custom:Amex corporate (saved mapping)');
  });
});
