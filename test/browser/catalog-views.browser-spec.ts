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

/** "€1,234.50" → 123450 (minor units) for comparing the order of a column. */
const minorOf = (text: string) => Number(text.replace(/[^\d]/g, '') || '0');

/** Issue 23 §5: the catalog sorts by its headers, keeps a saved view, and report rows open their record. */
describe('In the browser: catalog sort, saved view, report drill-down', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  const header = (name: string) => page.locator('main table thead th', { has: page.getByRole('link', { name, exact: true }) });
  const costs = async () => (await page.locator('main table tbody td[data-label="Annual cost"]').allInnerTexts()).map(minorOf);

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('the CMO sorts the catalog by annual cost (both directions), saves the view and finds it again', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog' }).click();
    await expectText(heading(page), 'Catalog');
    expect(await header('Tool').getAttribute('aria-sort')).toBe('ascending');

    await page.getByRole('link', { name: 'Annual cost', exact: true }).click();
    await page.waitForURL(/sort=annualCost/);
    expect(await header('Annual cost').getAttribute('aria-sort')).toBe('ascending');
    expect(await header('Tool').getAttribute('aria-sort')).toBeNull();
    const ascending = await costs();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));

    await page.getByRole('link', { name: 'Annual cost', exact: true }).click();
    await page.waitForURL(/sort=-annualCost/);
    expect(await header('Annual cost').getAttribute('aria-sort')).toBe('descending');
    const descending = await costs();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    expect(descending[0]).toBeGreaterThan(0);
    await expectAccessible(page, 'catalog sorted by annual cost');

    await page.getByLabel('Save these filters and sort as').fill('Costliest first');
    await page.getByRole('button', { name: 'Save view' }).click();
    await expectText(flash(page), 'View "Costliest first" saved');
    const saved = page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'Costliest first' });
    expect(await saved.getAttribute('aria-current')).toBe('true');
    await screenshot(page, 'catalog-saved-view-1366');

    // Elsewhere, then back through the saved view: the same sort.
    await page.goto(`${base}/catalog?lifecycle=ACTIVE`);
    expect(
      await page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'Costliest first' }).getAttribute('aria-current'),
    ).toBeNull();
    await page.getByRole('region', { name: 'Saved views' }).getByRole('link', { name: 'Costliest first' }).click();
    await page.waitForURL(/\/catalog\?sort=-annualCost$/);
    expect(await header('Annual cost').getAttribute('aria-sort')).toBe('descending');

    await page.setViewportSize(VIEWPORTS.phone);
    await expectNoSidewaysScroll(page, 'catalog with saved views at 390 px');
    await expectAccessible(page, 'catalog at 390 px');
    await screenshot(page, 'catalog-saved-view-390');
  });

  it('a tool row of the spend report and a cost center of budget vs actual open their records', async () => {
    await page.setViewportSize(VIEWPORTS.desktop);
    await page.goto(`${base}/reports/spend?basis=committed&groupBy=tool`);
    const toolLink = page.locator('section.report table tbody a[href^="/tools/"]').first();
    const name = (await toolLink.innerText()).trim();
    await toolLink.click();
    await page.waitForURL(/\/tools\/[0-9a-f-]{36}$/);
    await expectText(heading(page), new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

    await page.goto(`${base}/reports/budget-vs-actual`);
    const centerLink = page.locator('section.report table tbody a[href^="/finance/spend?costCenterId="]').first();
    await centerLink.click();
    await page.waitForURL(/\/finance\/spend\?costCenterId=[0-9a-f-]{36}&from=\d{4}-\d{2}&to=\d{4}-\d{2}$/);
    await expectText(heading(page), 'Spend');
    await screenshot(page, 'report-drilldown-cost-center-1366');
  });
});
