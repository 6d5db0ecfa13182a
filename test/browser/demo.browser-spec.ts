/// <reference lib="dom" />
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  expectNone,
  expectText,
  factsOf,
  flash,
  heading,
  rowsOf,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
} from '../support/browser';

/** "€1,234.56" or "-1234.56" as minor units, to compare figures shown in different formats. */
const cents = (shown: string): bigint => {
  const match = /^([-−])?\D*([\d,]+)(?:\.(\d{2}))?$/.exec(shown.trim());
  if (!match) throw new Error(`not an amount: ${shown}`);
  return (match[1] ? -1n : 1n) * BigInt(`${match[2].replace(/,/g, '')}${match[3] ?? '00'}`);
};
/** RFC 4180 lines into fields (quoted fields may hold commas and doubled quotes). */
const csvRows = (csv: string): string[][] =>
  csv
    .split('\r\n')
    .filter(Boolean)
    .map((line) =>
      [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((f) => (f[1] !== undefined ? f[1].replace(/""/g, '"') : f[2])),
    );

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
    await expectText(heading(page), 'Welcome, Fiona Finance');
    await screenshot(page, 'home-finance');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL(/\/reports$/);
    await expectText(page.getByRole('heading', { level: 1 }), 'Reports');
    await page.getByRole('link', { name: 'Spend', exact: true }).click();
    await page.waitForURL(/\/reports\/spend/);
    await expectText(page.getByRole('link', { name: 'Spend' }).and(page.locator('[aria-current=page]')), 'Spend');
    await page.getByLabel('Group by').selectOption('category');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/groupBy=category/);
    const report = page.locator('section.report');
    await expectText(
      report.locator('p.meta'),
      /^\d{4}-\d{2} to \d{4}-\d{2} · basis: Committed \(contracts\) · grouped by category · amounts in EUR$/,
    );
    // One row per category, each row's total its three parts, and the rows adding up to the total line.
    const rows = await rowsOf(report.locator('table'));
    expect(rows.map((r) => r[0])).toContain('Content & Experience');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const [label, total, marketing, it, other] of rows)
      expect({ label, total: cents(total) }).toEqual({ label, total: cents(marketing) + cents(it) + cents(other) });
    const totalLine = (await report.locator('table tfoot tr td').allInnerTexts()).map((t) => t.trim());
    expect(totalLine[0]).toBe('Total');
    expect(totalLine.slice(1).map(cents)).toEqual([1, 2, 3, 4].map((col) => rows.reduce((sum, r) => sum + cents(r[col]), 0n)));
    expect(
      cents(
        await report
          .locator('.kpi', { hasText: /^Total/ })
          .locator('b')
          .innerText(),
      ),
    ).toBe(cents(totalLine[1]));
    await screenshot(page, 'report-spend-by-category');
    // The link the user clicks, fetched with the browser's own session (headless Chromium cancels
    // file downloads in this sandbox, so the response is read directly).
    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    const res = await page.request.get(`${base}${href}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(/attachment; filename="spend-committed-category-/);
    const [header, ...lines] = csvRows(await res.text());
    expect(header).toEqual(['key', 'label', 'currency', 'total', 'marketing', 'it', 'other']);
    // The file holds the figures the page shows, row by row, and the total line.
    expect(lines.map(([, label, currency, ...amounts]) => [label, currency, ...amounts.map((a) => cents(a))])).toEqual(
      [...rows, totalLine].map(([label, ...amounts]) => [label, 'EUR', ...amounts.map(cents)]),
    );
    await page.getByRole('link', { name: 'Governance' }).click();
    await page.waitForURL(/\/reports\/governance/);
    await expectText(page.getByRole('link', { name: 'Governance' }).and(page.locator('[aria-current=page]')), 'Governance');
    await report.waitFor();
    await screenshot(page, 'report-governance');
    await signOut(page);
  });

  it('the stack map renders and its boxes link to the tool pages', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Stack map' }).click();
    await page.waitForURL(/\/stack-map/);
    await page.locator('.map-wide svg.stack-map').waitFor();
    await screenshot(page, 'stack-map');
    const boxes = page.locator('.map-wide svg.stack-map a.tool');
    expect(await boxes.count()).toBeGreaterThanOrEqual(20);
    // Each box links to its tool's page.
    expect(
      (await boxes.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href')))).filter(
        (h) => !/^\/tools\/[0-9a-f-]{36}$/.test(h ?? ''),
      ),
    ).toEqual([]);
    await page
      .locator('.map-wide svg.stack-map')
      .getByRole('link', { name: /^Segment — / })
      .click();
    await page.waitForURL(/\/tools\/[0-9a-f-]{36}$/);
    await expectText(heading(page), 'Segment');
    await screenshot(page, 'tool-page');
    await signOut(page);
  });

  it('the CIO approves a shadow-IT tool from its page', async () => {
    await signInAs(page, base, 'cio@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/catalog?shadowIt=true`);
    await page.getByRole('link', { name: 'Hotjar' }).click();
    await expectText(heading(page), 'Hotjar shadow IT');
    await page.getByLabel('New status').selectOption('APPROVED_WITH_CONDITIONS');
    await page.getByLabel('Rationale (required)').fill('Reviewed: EU hosting, DPA signed.');
    await page.getByLabel(/Conditions/).fill('Mask all form fields in recordings.');
    await page.getByRole('button', { name: 'Record IT approval' }).click();
    await expectText(flash(page), 'IT approval recorded');
    await expectText(heading(page), 'Hotjar'); // no longer flagged as shadow IT
    const approval = await factsOf(
      page.locator('section', { has: page.getByRole('heading', { name: 'IT approval' }) }).locator('dl.facts'),
    );
    expect([approval.Status, approval.Rationale, approval.Conditions]).toEqual([
      'approved with conditions',
      'Reviewed: EU hosting, DPA signed.',
      'Mask all form fields in recordings.',
    ]);
    expect(approval.Decided).toMatch(/^.+, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await page.goto(`${base}/catalog?shadowIt=true`);
    await expectText(heading(page), 'Catalog');
    await expectNone(page.getByRole('link', { name: 'Hotjar' }));
    await signOut(page);
  });

  it('a marketer gets a 403 page for reports and sees no approval panel', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    const res = await page.goto(`${base}/reports/spend`);
    expect(res?.status()).toBe(403);
    await expectText(heading(page), /^403 — Not allowed/);
    await expectNone(page.locator('section.report'));
    await screenshot(page, 'marketer-403');
    await page.goto(`${base}/catalog?search=Segment`);
    await page.getByRole('link', { name: 'Segment' }).first().click();
    await expectText(heading(page), 'Segment');
    // The approval is shown to the marketer, but there is nothing to change it with.
    expect(
      (await factsOf(page.locator('section', { has: page.getByRole('heading', { name: 'IT approval' }) }).locator('dl.facts'))).Status,
    ).toBeTruthy();
    await expectNone(page.getByRole('button', { name: 'Record IT approval' }));
    await expectNone(page.getByLabel('New status'));
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
      const unlabelled = await page.evaluate(() =>
        [...document.querySelectorAll('main input:not([type=hidden]), main select, main textarea')]
          .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
          .map((el) => el.getAttribute('name')),
      );
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
    await page.locator('main table').waitFor();
    await expectNone(page.getByText('forged@example.test'));
    await screenshot(page, 'admin-users');
  });
});
