import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { expectText, flash, heading, screenshot, signInAs, startDemoInBrowser } from '../support/browser';

const AXE = join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy rightly refuses an injected script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** Issue 23 §1: the tool form's "Missing vendor?" round trip, and a data flow mapped from a tool page. */
describe('In the browser: a vendor registered from the tool form, a data flow mapped from a tool page', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  for (const width of [1366, 390]) {
    it(`at ${width} px: the marketer registers a missing vendor and comes back to the tool form with it chosen`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/`);
      if (page.url().includes('/login')) await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
      await page.goto(`${base}/catalog/new`);
      await page.getByRole('link', { name: 'Register it' }).click();
      await expectText(heading(page), 'Register a vendor');
      expect(await page.getByLabel('DPA', { exact: false }).isDisabled()).toBe(true);
      const name = `Webinar Works ${width}`;
      await page.getByLabel('Name').fill(name);
      await page.getByLabel('Website').fill('not a website');
      await page.getByRole('button', { name: 'Register vendor' }).click();
      await expectText(page.locator('#v-web-err'), 'Enter a web address such as https://example.com');
      expect(await axeProblems(page)).toEqual([]);
      await screenshot(page, `vendor-form-refused-${width}`);
      await page.getByLabel('Website').fill('https://webinar.example');
      await page.getByRole('button', { name: 'Register vendor' }).click();
      await expectText(flash(page), `Vendor ${name} registered`);
      await expectText(heading(page), 'Register a tool');
      expect(await page.locator('#t-vendor option:checked').textContent()).toBe(name);
    });
  }

  for (const width of [1366, 390]) {
    it(`at ${width} px: IT maps a data flow from a tool page, then retires it`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/`);
      if (!(await page.getByText('Ivan IT Architect').count())) {
        await page.context().clearCookies();
        await signInAs(page, base, 'it@demo.stackgate.local', DEMO_PASSWORD);
      }
      await page.goto(`${base}/catalog?search=Salesforce+Sales+Cloud`);
      await page.getByRole('link', { name: 'Salesforce Sales Cloud' }).first().click();
      await page.getByRole('link', { name: 'Map a data flow' }).click();
      await expectText(heading(page), 'Map a data flow');
      await page.getByLabel('Direction').selectOption('INBOUND');
      await page.getByLabel('Other tool').selectOption({ label: 'Hotjar' });
      await page.getByLabel('Data objects (comma-separated)').fill('session insights');
      await page.getByLabel('Method').selectOption('FILE');
      await page.getByLabel('Frequency').selectOption('WEEKLY');
      expect(await axeProblems(page)).toEqual([]);
      await screenshot(page, `integration-form-${width}`);
      await page.getByRole('button', { name: 'Map flow' }).click();
      await expectText(flash(page), 'Data flow mapped');
      await expectText(heading(page), /^Salesforce Sales Cloud/);
      // The flow of an earlier width is listed too, retired: this one is the active one.
      const line = page.locator('p', { hasText: /Hotjar → here · File, Weekly active/ });
      await expectText(line, /^Hotjar → here · File, Weekly active Edit this flow ?session insights$/);
      await line.getByRole('link', { name: /Edit/ }).click();
      await page.getByRole('button', { name: 'Retire flow' }).click();
      await expectText(flash(page), 'The flow Hotjar → Salesforce Sales Cloud is retired');
    });
  }
});
