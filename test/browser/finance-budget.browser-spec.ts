import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { alertOf, expectText, flash, heading, screenshot, signInAs, startDemoInBrowser } from '../support/browser';

const AXE = join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

/** Serious and critical accessibility problems axe-core finds on the page, as "rule: target" lines. */
async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's Content-Security-Policy (script-src 'self') rightly refuses an injected script tag.
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

/** Issue 23 §1: finance sets a budget in the budgets grid, at desktop and at phone width. */
describe('In the browser: finance sets a budget', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  const nextYear = new Date().getUTCFullYear() + 1;
  const cell = () =>
    page.locator('tr', { has: page.getByRole('rowheader', { name: /OPS-SALES/ }) }).locator(`td[data-label="FY${nextYear}"]`);
  const amountInput = () => page.getByLabel(`Budget of OPS-SALES for FY${nextYear} (EUR)`);

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('at 1366 px: from the Finance entry to the grid, a refused amount worded at its cell, then the budget set', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Finance' }).click();
    await expectText(heading(page), 'Spend');
    await page.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Budgets' }).click();
    await expectText(heading(page), 'Budgets');

    await amountInput().fill('a lot');
    await cell().getByRole('button', { name: /Set/ }).click();
    await expectText(alertOf(page), `The FY${nextYear} budget was not saved (marked below).`);
    await expectText(cell().locator('.field-error'), 'Enter an amount such as 60000 or 60,000.00');
    expect(await amountInput().getAttribute('aria-invalid')).toBe('true');
    expect(await amountInput().inputValue()).toBe('a lot');

    await amountInput().fill('120,000');
    await cell().getByRole('button', { name: /Set/ }).click();
    await expectText(flash(page), `Budget FY${nextYear} saved`);
    expect(await amountInput().inputValue()).toBe('120,000.00');
    await expectText(cell().locator('.figures'), /^Actual €[\d,]+\.\d\d Committed €[\d,]+\.\d\d$/);
    expect(await axeProblems(page)).toEqual([]);
    await screenshot(page, 'finance-budgets-1366');
  });

  it("at 390 px: the grid reads as cards, the cell's Save button is on screen, and the budget is edited", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/finance/budgets`);
    await expectText(heading(page), 'Budgets');
    await amountInput().scrollIntoViewIfNeeded();
    const button = cell().getByRole('button', { name: /Save/ });
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await amountInput().fill('95000');
    await button.click();
    await expectText(flash(page), `Budget FY${nextYear} saved`);
    expect(await amountInput().inputValue()).toBe('95,000.00');
    expect(await axeProblems(page)).toEqual([]);
    await screenshot(page, 'finance-budgets-390');
  });

  for (const width of [1366, 390]) {
    it(`at ${width} px: spend, the spend form and FX rates read without accessibility problems`, async () => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${base}/`);
      if (page.url().includes('/login')) await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
      for (const [path, title, shot] of [
        ['/finance/spend', 'Spend', 'finance-spend'],
        ['/finance/spend/new', 'Record spend', 'finance-spend-form'],
        ['/finance/fx-rates', 'FX rates', 'finance-fx'],
      ]) {
        await page.goto(`${base}${path}`);
        await expectText(heading(page), title);
        await screenshot(page, `${shot}-${width}`);
        // Nothing wider than the screen: the page never scrolls sideways (a wide table scrolls inside its own region).
        const overflow = await page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.parentElement?.closest('.table-wrap'))
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`)
            .slice(0, 5),
        );
        expect({ path, overflow }).toEqual({ path, overflow: [] });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        expect(await axeProblems(page)).toEqual([]);
      }
    });
  }
});
