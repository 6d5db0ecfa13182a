/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { screenshot, signInAs, signOut, startDemoInBrowser } from '../support/browser';

/**
 * A CIO, a finance controller, a marketer and an admin use the real pages in Chromium, on the demo
 * stack. A screenshot of each key page lands in test-artifacts/.
 */
describe('In the browser, on the demo stack', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('finance opens the spend report, switches grouping and downloads the CSV', async () => {
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    await screenshot(page, 'home-finance');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/reports\/spend/);
    await page.getByLabel('Group by').selectOption('category');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/groupBy=category/);
    await expectVisible(page, 'td:has-text("Content & Experience")');
    await screenshot(page, 'report-spend-by-category');
    // The link the user clicks, fetched with the browser's own session (headless Chromium cancels
    // file downloads in this sandbox, so the response is read directly).
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const res = await page.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/attachment; filename="spend-committed-category-/);
    const csv = await res.text();
    expect(csv.split('\r\n')[0]).toBe('key,label,currency,total,marketing,it,other');
    expect(csv).toContain('Content & Experience');
    await page.goto(`${base}/reports/governance`);
    await screenshot(page, 'report-governance');
    await signOut(page);
  });

  it('the stack map renders and its boxes link to the tool pages', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Stack map' }).click();
    await page.waitForURL(/\/stack-map/);
    await screenshot(page, 'stack-map');
    const boxes = page.locator('svg.stack-map a.tool');
    expect(await boxes.count()).toBeGreaterThanOrEqual(20);
    await page.locator('svg.stack-map a.tool', { hasText: 'Segment' }).click();
    await page.waitForURL(/\/tools\/[0-9a-f-]{36}$/);
    await expectVisible(page, 'h1:has-text("Segment")');
    await screenshot(page, 'tool-page');
    await signOut(page);
  });

  it('the CIO approves a shadow-IT tool from its page', async () => {
    await signInAs(page, base, 'cio@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/catalog?shadowIt=true`);
    await page.getByRole('link', { name: 'Hotjar' }).click();
    await page.getByLabel('New status').selectOption('APPROVED_WITH_CONDITIONS');
    await page.getByLabel('Rationale (required)').fill('Reviewed: EU hosting, DPA signed.');
    await page.getByLabel(/Conditions/).fill('Mask all form fields in recordings.');
    await page.getByRole('button', { name: 'Record IT approval' }).click();
    await expectVisible(page, 'text=IT approval recorded');
    await expectVisible(page, 'text=Mask all form fields in recordings.');
    await page.goto(`${base}/catalog?shadowIt=true`);
    expect(await page.getByRole('link', { name: 'Hotjar' }).count()).toBe(0);
    await signOut(page);
  });

  it('a marketer gets a 403 page for reports and sees no approval panel', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    const res = await page.goto(`${base}/reports/spend`);
    expect(res?.status()).toBe(403);
    await expectVisible(page, 'text=Not allowed');
    await screenshot(page, 'marketer-403');
    await page.goto(`${base}/catalog?search=Segment`);
    await page.getByRole('link', { name: 'Segment' }).first().click();
    expect(await page.getByRole('button', { name: 'Record IT approval' }).count()).toBe(0);
    await signOut(page);
  });

  it('is usable at phone width and from the keyboard', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
      for (const path of ['/', '/catalog', '/requests', '/reports/spend', '/requests/new']) {
        await page.goto(`${base}${path}`);
        // The page itself never scrolls sideways; wide tables and the map scroll inside their own box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect({ path, overflow }).toEqual({ path, overflow: 0 });
      }
      await screenshot(page, 'phone-request-form');
      // The first Tab lands on the skip link, and every form control on the request form has a label.
      await page.goto(`${base}/requests/new`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toMatch(/skip/i);
      const unlabelled = await page.evaluate(() => [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label')).map((el) => el.getAttribute('name')));
      expect(unlabelled).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await signOut(page);
  });

  it('a form posted without its CSRF token is refused', async () => {
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    const res = await page.request.post(`${base}/admin/users`, {
      form: { email: 'forged@example.test', displayName: 'Forged', password: 'long-enough-password', roles: 'ADMIN' },
      headers: { Accept: 'text/html' },
    });
    expect(res.status()).toBe(403);
    await page.goto(`${base}/admin/users?search=forged`);
    expect(await page.locator('text=forged@example.test').count()).toBe(0);
    await screenshot(page, 'admin-users');
  });
});

async function expectVisible(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().waitFor({ state: 'visible', timeout: 10000 });
}
