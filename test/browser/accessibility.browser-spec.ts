/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  ARTIFACTS_DIR,
  axeViolations,
  describeViolations,
  expectAccessible,
  expectNoSidewaysScroll,
  FAILING_IMPACTS,
  phoneLayoutProblems,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
  VIEWPORTS,
} from '../support/browser';

/** A page to check: a fixed path, or one found by following the first matching link of a list page. */
type PageToCheck = { name: string; path: string } | { name: string; from: string; link: string };

const NO_SUCH_TOOL = '/tools/00000000-0000-4000-8000-000000000000';
const firstTool: PageToCheck = { name: 'tool page', from: '/catalog', link: 'main table a[href^="/tools/"]' };
const reports: PageToCheck[] = [
  { name: 'reports index', path: '/reports' },
  { name: 'spend report', path: '/reports/spend' },
  { name: 'budget vs actual report', path: '/reports/budget-vs-actual' },
  { name: 'renewals report', path: '/reports/renewals?withinDays=365' },
  { name: 'governance report', path: '/reports/governance' },
];
const common: PageToCheck[] = [
  { name: 'home', path: '/' },
  { name: 'catalog', path: '/catalog' },
  firstTool,
  { name: 'stack map', path: '/stack-map' },
  { name: 'import', path: '/import' },
  { name: 'inbox', path: '/notifications' },
  { name: 'error page (404)', path: NO_SUCH_TOOL },
];
/** An approved request with tracked conditions (the demo's consent banner: one open and past due). */
const withConditions: PageToCheck = {
  name: 'request page (approved, with conditions)',
  from: '/requests?status=APPROVED',
  link: 'main table a:has-text("Consent banner for the EU sites")',
};
/** The pages of finance's workspace and the renewal workbench, as every reader of them sees them. */
const workspaceReading: PageToCheck[] = [
  { name: 'renewals workbench', path: '/renewals' },
  { name: 'renewals workbench (missed)', path: '/renewals?state=MISSED' },
  { name: 'contracts list', path: '/contracts' },
  { name: 'spend entries', path: '/finance/spend' },
  { name: 'budgets grid', path: '/finance/budgets' },
  { name: 'FX rates', path: '/finance/fx-rates' },
  { name: 'vendors', path: '/vendors' },
];
const inReview: PageToCheck = {
  name: 'request page (in review)',
  from: '/requests?status=IN_REVIEW',
  link: 'main table a[href^="/requests/"]',
};

/** Every page each persona can open, as they see it (their own panels and forms included). */
const PERSONAS: { who: string; email: string; pages: PageToCheck[] }[] = [
  {
    who: 'marketer',
    email: 'marketer@demo.stackgate.local',
    pages: [
      ...common,
      { name: 'requests list (mine)', path: '/requests?queue=mine' },
      { name: 'request page (own)', from: '/requests?queue=mine', link: 'main table a[href^="/requests/"]' },
      { name: 'request form', path: '/requests/new' },
      { name: 'error page (403)', path: '/reports/spend' },
    ],
  },
  {
    who: 'CMO',
    email: 'cmo@demo.stackgate.local',
    pages: [
      ...common,
      { name: 'requests list (awaiting me)', path: '/requests' },
      { name: 'request page (CMO)', from: '/requests?queue=awaiting-me', link: 'main table a[href^="/requests/"]' },
      { name: 'request form', path: '/requests/new' },
      { name: 'tool form (new)', path: '/catalog/new' },
      ...reports,
    ],
  },
  {
    who: 'IT',
    email: 'it@demo.stackgate.local',
    pages: [
      ...common,
      { name: 'requests list (in review)', path: '/requests?status=IN_REVIEW' },
      { name: 'requests list (awaiting assessment)', path: '/requests?queue=awaiting-assessment' },
      { name: 'request page (awaiting assessment)', from: '/requests?queue=awaiting-assessment', link: 'main table a[href^="/requests/"]' },
      inReview,
      withConditions,
      { name: 'vendors', path: '/vendors' },
      { name: 'vendor form (new)', path: '/vendors/new' },
      { name: 'tool form (edit)', from: '/catalog', link: 'main table a[href^="/tools/"]' },
    ],
  },
  {
    who: 'CIO',
    email: 'cio@demo.stackgate.local',
    pages: [
      ...common,
      { name: 'shadow IT tool page', from: '/catalog?shadowIt=true', link: 'main table a[href^="/tools/"]' },
      { name: 'requests list (awaiting me)', path: '/requests' },
      inReview,
      withConditions,
      { name: 'renewals workbench', path: '/renewals' },
      ...reports,
    ],
  },
  {
    who: 'finance',
    email: 'finance@demo.stackgate.local',
    pages: [
      ...common,
      { name: 'requests list', path: '/requests' },
      inReview,
      ...workspaceReading,
      { name: 'contract form (new)', path: '/contracts/new' },
      { name: 'attach-contract form', from: '/', link: 'main a[href^="/contracts/new?requestId="]' },
      { name: 'spend entry form (new)', path: '/finance/spend/new' },
      { name: 'spend entry form (edit)', from: '/finance/spend', link: 'main table a[href$="/edit"]' },
      { name: 'vendor form (new)', path: '/vendors/new' },
      ...reports,
    ],
  },
  {
    who: 'admin',
    email: 'admin@demo.stackgate.local',
    pages: [
      ...common,
      { name: 'admin users', path: '/admin/users' },
      { name: 'cost centers', path: '/admin/cost-centers' },
      { name: 'categories', path: '/admin/categories' },
      { name: 'tool form (new)', path: '/catalog/new' },
    ],
  },
];

/**
 * axe-core on every page each persona can open, at laptop and at phone width: no serious or
 * critical violation, and at phone width the page never scrolls sideways. All pages are checked
 * before the test fails, so one run lists everything to fix.
 */
describe('In the browser: every page is accessible at 1366 px and at 390 px', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  /** Every finding of every impact, by rule: the pages (and widths) it was seen on — kept as an artifact. */
  const findings: Record<string, { impact: string; help: string; pages: string[] }> = {};
  /** Pages already kept as a phone-width screenshot (one per kind of page). */
  const shot = new Set<string>();

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(join(ARTIFACTS_DIR, 'accessibility-findings.json'), `${JSON.stringify(findings, null, 2)}\n`);
    await close?.();
  });

  async function open(target: PageToCheck): Promise<string> {
    if ('path' in target) {
      await page.goto(`${base}${target.path}`);
      return target.path;
    }
    await page.goto(`${base}${target.from}`);
    const href = await page.locator(target.link).first().getAttribute('href');
    if (!href) throw new Error(`${target.name}: no link ${target.link} on ${target.from}`);
    const path = target.name.startsWith('tool form (edit)') ? `${href}/edit` : href;
    await page.goto(`${base}${path}`);
    return path;
  }

  /** The failures on the page as it is now, at both widths; [] when clean. */
  async function check(name: string): Promise<string[]> {
    const failures: string[] = [];
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      const all = await axeViolations(page);
      for (const violation of all) {
        (findings[violation.id] ??= { impact: violation.impact, help: violation.help, pages: [] }).pages.push(
          `${name} at ${size.width} px`,
        );
      }
      const failing = all.filter((v) => (FAILING_IMPACTS as readonly string[]).includes(v.impact));
      if (failing.length) failures.push(describeViolations(`${name} at ${size.width} px`, failing));
      if (label === 'phone' && !shot.has(name.split(' (')[0])) {
        shot.add(name.split(' (')[0]);
        await screenshot(
          page,
          `a11y-390-${name
            .split(' (')[0]
            .replace(/[^a-z0-9]+/gi, '-')
            .toLowerCase()}`,
        );
      }
      if (label === 'phone')
        failures.push(...(await phoneLayoutProblems(page)).map((problem) => `${name} at ${size.width} px: ${problem}`));
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    return failures;
  }

  it('the check itself fails on what it must catch, naming the rule and the element', async () => {
    await page.goto(`${base}/login`);
    await page.evaluate(() => {
      const main = document.querySelector('main')!;
      main.insertAdjacentHTML(
        'beforeend',
        '<p id="faint" style="color:#e5484d;background:#fff;font-size:12px">3.9 to 1</p><input id="nameless">',
      );
    });
    const failure = await expectAccessible(page, 'login with planted faults').then(
      () => 'passed',
      (e: Error) => e.message,
    );
    expect(failure).toMatch(/^login with planted faults: 2 serious\/critical accessibility violation\(s\)/);
    expect(failure).toMatch(/\[serious\] color-contrast: .*\n\s+at #faint/);
    expect(failure).toMatch(/\[critical\] label: .*\n\s+at #nameless/);
  });

  it('the phone-width check fails on a sideways page, a Save off screen, a box beside the wrong label and a grid table', async () => {
    await page.goto(`${base}/login`);
    await page.setViewportSize(VIEWPORTS.phone);
    try {
      await page.evaluate(() => {
        document.querySelector('main')!.insertAdjacentHTML(
          'beforeend',
          `<form><div style="display:flex;gap:2px"><input type="checkbox" id="admin-box" name="admin"><label for="admin-box">ADMIN</label>
            <input type="checkbox" id="active-box" name="active"><label for="active-box" style="margin-left:14px">active</label></div>
            <div><input type="checkbox" id="far-box" name="far"><label for="far-box" style="margin-left:120px">far</label></div>
            <button type="submit" style="margin-left:500px">Save planted</button></form>
          <table data-cards><thead><tr><th>A</th></tr></thead><tbody><tr><td style="display:table-cell">grid cell</td></tr></tbody></table>`,
        );
      });
      const problems = await phoneLayoutProblems(page);
      expect(problems).toEqual([
        expect.stringMatching(/^the page scrolls sideways by \d+ px$/),
        '<button> "Save planted" is off screen (sideways)',
        '<input> "active" sits nearer another field\'s label than its own',
        expect.stringMatching(/^<input> "far": its label is \d+ px away$/),
        'the table under "(page)" is a grid, not cards',
      ]);
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
  });

  it('the inbox badge is readable with a count of two digits or more', async () => {
    // axe-core leaves a one-character text (a count of 7) as "needs review", so the check is made on
    // what a busy reviewer sees: the same badge with 12 unread.
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.locator('.usermenu .count').waitFor();
    await page.evaluate(() => {
      document.querySelector('.usermenu .count')!.textContent = '12';
      document.querySelector('.usermenu a.inbox')!.setAttribute('aria-label', 'Inbox, 12 unread');
    });
    for (const size of Object.values(VIEWPORTS)) {
      await page.setViewportSize(size);
      await expectAccessible(page, `inbox badge with 12 unread at ${size.width} px`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
    // The former red (3.91:1) is caught by the same check.
    await page.evaluate(() => {
      (document.querySelector('.usermenu .count') as HTMLElement).style.background = '#e5484d';
    });
    expect(
      await expectAccessible(page, 'former badge').then(
        () => 'passed',
        (e: Error) => e.message,
      ),
    ).toMatch(/\[serious\] color-contrast: .*\n\s+at \.count/);
    await signOut(page);
  });

  it('signed out: the sign-in page and an error page', async () => {
    const failures: string[] = [];
    await page.goto(`${base}/login`);
    failures.push(...(await check('login')));
    await page.goto(`${base}/login`);
    await page.getByLabel('E-mail').fill('nobody@example.com');
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('main p.error[role=alert]').waitFor();
    failures.push(...(await check('login, refused')));
    await page.goto(`${base}/no-such-page`);
    failures.push(...(await check('error page (404, signed out)')));
    expect(failures.join('\n\n')).toBe('');
  });

  it('pages in their other states: refused forms, a file check with bad rows, empty results', async () => {
    const failures: string[] = [];
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/admin/users`);
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('main [aria-invalid="true"]').first().waitFor();
    failures.push(...(await check('admin users, add refused')));
    await page.goto(`${base}/admin/users?search=nobody-matches-this`);
    failures.push(...(await check('admin users, no match')));
    await page.goto(`${base}/catalog?search=nothing-matches-this`);
    failures.push(...(await check('catalog, no match')));
    await page.goto(`${base}/reports/spend?from=2026-12&to=2026-01`);
    failures.push(...(await check('spend report, refused range')));
    // A file with a bad row: the check shows the problems as a table.
    await page.goto(`${base}/import`);
    await page.getByLabel('What the file contains').selectOption('tools');
    const template = await page.request.get(`${base}/import/template/tools?format=csv`);
    const header = (await template.text()).trim().split(/\r?\n/)[0].split(',');
    const row = (name: string, sub: string) =>
      header.map((h) => ({ name, vendor: 'Checked Vendor', subcategory: sub, lifecycle: 'ACTIVE' })[h] ?? '').join(',');
    const csv = [header.join(','), row('Checked One', 'CRM'), row('Checked Two', 'Not A Subcategory')].join('\n');
    await page.getByLabel('CSV or XLSX file').setInputFiles({ name: 'tools.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check file' }).click();
    await page.getByRole('heading', { name: /^2\. Result of the check/ }).waitFor();
    failures.push(...(await check('import, check with bad rows')));
    await signOut(page);
    expect(failures.join('\n\n')).toBe('');
  });

  it('admin users at phone width: each user a card, "active" in its own labelled line, Save on screen', async () => {
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    await page.setViewportSize(VIEWPORTS.phone);
    try {
      await page.goto(`${base}/admin/users?search=ops@demo`);
      const card = page.locator('main table tbody tr').first();
      const seen = await card.evaluate((tr) => {
        const onScreen = (el: Element | null) => {
          const rect = el?.getBoundingClientRect();
          return !!rect && rect.width > 0 && rect.left >= 0 && rect.right <= window.innerWidth;
        };
        const cell = (label: string) => tr.querySelector(`td[data-label="${label}"]`);
        return {
          user: (cell('User') as HTMLElement | null)?.innerText.replace(/\s+/g, ' ').trim(),
          roles: [...(cell('Roles')?.querySelectorAll('input[type=checkbox]') ?? [])].map(
            (b) => `${(b as HTMLInputElement).value}${(b as HTMLInputElement).checked ? ' ✓' : ''}`,
          ),
          activeInRolesCell: !!cell('Roles')?.querySelector('input[name=active]'),
          active: (cell('Active')?.querySelector('input[name=active]') as HTMLInputElement | null)?.checked,
          activeOnScreen: onScreen(cell('Active')?.querySelector('input[name=active]') ?? null),
          saveOnScreen: onScreen(tr.querySelector('button[type=submit]')),
        };
      });
      expect(seen).toEqual({
        user: 'Omar Marketing Ops ops@demo.stackgate.local',
        roles: ['MARKETER ✓', 'CMO', 'IT', 'CIO', 'FINANCE', 'ADMIN'],
        activeInRolesCell: false,
        active: true,
        activeOnScreen: true,
        saveOnScreen: true,
      });
      await expectNoSidewaysScroll(page, 'admin users at 390 px');
      // The boxes outside the form element still travel with its Save.
      await card.getByRole('checkbox', { name: 'FINANCE' }).check();
      await card.getByRole('button', { name: 'Save Omar Marketing Ops' }).click();
      await page.locator('main > p.notice[role=status]').waitFor();
      await page.goto(`${base}/admin/users?search=ops@demo`);
      expect(await page.locator('main table tbody tr').first().getByRole('checkbox', { name: 'FINANCE' }).isChecked()).toBe(true);
      expect(
        await page.locator('main table tbody tr').first().getByRole('checkbox', { name: 'Omar Marketing Ops active' }).isChecked(),
      ).toBe(true);
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
    await signOut(page);
  });

  it('at an in-between width a table too wide for its box scrolls inside it, reachable from the keyboard', async () => {
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    await page.setViewportSize({ width: 800, height: 900 });
    try {
      await page.goto(`${base}/reports/renewals?withinDays=365`);
      const box = page.locator('section.report .table-wrap').first();
      const state = () =>
        box.evaluate((el) => ({
          overflows: el.scrollWidth > el.clientWidth,
          tabindex: el.getAttribute('tabindex'),
          role: el.getAttribute('role'),
          name: el.getAttribute('aria-label'),
        }));
      expect(await state()).toEqual({ overflows: true, tabindex: '0', role: 'region', name: 'Reports: table, scrolls sideways' });
      await expectAccessible(page, 'renewals report at 800 px');
      await expectNoSidewaysScroll(page, 'renewals report at 800 px');
      // A table that fits its box (the spend report by budget, on a desktop) is no tab stop.
      await page.setViewportSize(VIEWPORTS.desktop);
      await page.goto(`${base}/reports/spend`);
      await page
        .waitForFunction(() => !document.querySelector('section.report .table-wrap')?.hasAttribute('role'), undefined, { timeout: 5000 })
        .catch(() => undefined);
      expect(await state()).toEqual({ overflows: false, tabindex: null, role: null, name: null });
    } finally {
      await page.setViewportSize(VIEWPORTS.desktop);
    }
    await signOut(page);
  });

  for (const persona of PERSONAS) {
    it(`${persona.who}: ${persona.pages.map((p) => p.name).join(', ')}`, async () => {
      await signInAs(page, base, persona.email, DEMO_PASSWORD);
      const failures: string[] = [];
      for (const personaPage of persona.pages) {
        const path = await open(personaPage);
        failures.push(...(await check(`${personaPage.name} (${persona.who}, ${path})`)));
      }
      await page.setViewportSize(VIEWPORTS.phone);
      await page.goto(`${base}/`);
      await screenshot(page, `a11y-phone-home-${persona.who.toLowerCase()}`);
      await page.setViewportSize(VIEWPORTS.desktop);
      await signOut(page);
      expect(failures.join('\n\n')).toBe('');
    });
  }
});
