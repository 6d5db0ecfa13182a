import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { expectAccessible, expectText, heading, screenshot, signInAs, startDemoInBrowser, VIEWPORTS } from '../support/browser';

/** Issue 23 §5: a template with example rows, a check, the invalid rows downloaded and fixed, the commit without choosing the file again. */
describe('In the browser: importing tools from the template, fixing the invalid rows, committing without choosing the file again', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
  });
  afterAll(async () => close?.());

  const download = async (click: () => Promise<void>) => {
    const [file] = await Promise.all([page.waitForEvent('download'), click()]);
    return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
  };
  const check = async (name: string, text: string) => {
    await page.setInputFiles('#i-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByRole('button', { name: 'Check file' }).click();
  };

  for (const [label, viewport] of Object.entries(VIEWPORTS)) {
    it(`${label}: template → check → invalid rows downloaded and fixed → commit`, async () => {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/import`);
      await expectText(heading(page), 'Import from a spreadsheet');
      const template = await download(() => page.getByRole('link', { name: 'Tools (CSV)' }).click());
      expect(template.name).toBe('tools-template.csv');
      const lines = template.text.trim().split('\r\n');
      expect(lines.length).toBe(3);
      expect(lines[1]).toMatch(/^Example Webinar Platform,Example Vendor Ltd,/);
      expect(lines[1]).toMatch(/:60%; \S+:40%/);
      const [header, ...examples]: string[][] = parse(template.text);

      // The first example kept as the template has it (renamed per run), the second broken: a subcategory that does not exist.
      const suffix = ` ${label}`;
      const rows = examples.map((row) => [...row]);
      rows[0][0] = `Imported Webinars${suffix}`;
      rows[1][0] = `Imported Surveys${suffix}`;
      const subcategory = header.indexOf('subcategory');
      rows[1][subcategory] = 'No Such Subcategory';
      await check('my tools.csv', stringify([header, ...rows]));
      await expectText(page.getByRole('heading', { level: 2, name: /Result of the check/ }), '2. Result of the check: my tools.csv');
      await expectText(page.locator('strong', { hasText: 'invalid' }), '1 invalid');
      expect(await page.getByRole('button', { name: /Import all/ }).count()).toBe(0);
      await expectAccessible(page, `import-check-invalid-${label}`);
      await screenshot(page, `import-check-invalid-${label}`);

      const errors = await download(() => page.getByRole('button', { name: 'Download the invalid rows (CSV)' }).click());
      expect(errors.name).toBe('my-tools-errors.csv');
      const [errorHeader, ...errorRows]: string[][] = parse(errors.text);
      expect(errorHeader).toEqual([...header, 'errors']);
      expect(errorRows).toHaveLength(1);
      expect(errorRows[0].at(-1)).toBe('subcategory: unknown subcategory "No Such Subcategory"');

      // Fixed in the downloaded file and checked together with the valid row (the "errors" column is ignored).
      errorRows[0][subcategory] = examples[1][subcategory];
      await check('my tools fixed.csv', stringify([errorHeader, [...rows[0], ''], errorRows[0]]));
      await expectText(page.locator('strong', { hasText: 'invalid' }), '0 invalid');
      await expectAccessible(page, `import-check-valid-${label}`);
      await screenshot(page, `import-check-valid-${label}`);

      // The commit names the kept file: the file input is not touched again.
      await page.getByRole('button', { name: 'Import all 2 rows' }).click();
      await expectText(page.locator('main p.notice[role=status]'), 'Imported 2 rows: 2 created, 0 updated, 0 unchanged.');
      await screenshot(page, `import-committed-${label}`);
      await page.goto(`${base}/catalog?search=${encodeURIComponent(`Imported Surveys${suffix}`)}`);
      expect(await page.getByRole('link', { name: `Imported Surveys${suffix}` }).count()).toBeGreaterThan(0);
    });
  }
});
