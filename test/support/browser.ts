/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { startTestApp, TEST_ENGINE, TestApp } from './test-app';

export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts', TEST_ENGINE);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with a fresh profile and no background traffic (the network is closed). */
export async function launchBrowser(): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'stackgate-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
  });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/*
 * Assertions on what the user sees. Each waits (Playwright's own auto-waiting, never a fixed sleep)
 * until the page shows the expected state, then asserts it with Jest, so a failure prints what the
 * page showed instead. Texts are read with whitespace squashed: single elements by their text
 * content, table cells and definition lists as rendered (innerText: a line break is a space).
 */
const SEEN_WITHIN_MS = 10_000;
const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const wholeText = (s: string) =>
  new RegExp(
    `^\\s*${s
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s+')}\\s*$`,
  );

/**
 * The one element `locator` points at shows exactly `expected` (a string: the whole text; a RegExp:
 * a match). Waits until it does; fails with what it shows (or that it is not on the page).
 */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  await locator
    .filter({ hasText: typeof expected === 'string' ? wholeText(expected) : expected })
    .waitFor({ state: 'visible', timeout: SEEN_WITHIN_MS })
    .catch(() => undefined);
  const shown = (await locator.count()) ? squash(await locator.textContent()) : '(not on the page)';
  if (typeof expected === 'string') expect(shown).toBe(squash(expected));
  else expect(shown).toMatch(expected);
}

/** Nothing `locator` points at is shown (waits for it to go, then asserts it is gone). */
export async function expectNone(locator: Locator): Promise<void> {
  await locator
    .first()
    .waitFor({ state: 'hidden', timeout: SEEN_WITHIN_MS })
    .catch(() => undefined);
  expect(
    await locator.evaluateAll((els) => els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.textContent?.trim())),
  ).toEqual([]);
}

/** The message the page shows after an action (the green notice under the header). */
export const flash = (page: Page): Locator => page.locator('main > p.notice[role=status]');
/** The red error message of a refused form. */
export const alertOf = (page: Page): Locator => page.locator('main p.error[role=alert]');
/** A page's title: the h1, with the status badge it carries, if any. */
export const heading = (page: Page): Locator => page.getByRole('heading', { level: 1 });
/** The status badge in the page's title. */
export const statusBadge = (page: Page): Locator => page.locator('h1 .badge');

/**
 * The body rows of `table` as the user reads them, the chosen columns of each (all when omitted),
 * once the table is visible. Call it after the page is known to be the one expected (its flash
 * message or heading seen): server-rendered tables do not change after load.
 */
export async function rowsOf(table: Locator, columns?: number[]): Promise<string[][]> {
  await table.waitFor({ state: 'visible', timeout: SEEN_WITHIN_MS });
  const rows = await table
    .locator(':scope > tbody > tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll(':scope > td')].map((td) => (td as HTMLElement).innerText)));
  return rows.map((cells) => (columns ? columns.map((c) => cells[c]) : cells).map((t) => squash(t)));
}

/** A definition list (`dl.facts`) as { term: description } pairs, as the user reads them. */
export async function factsOf(dl: Locator): Promise<Record<string, string>> {
  await dl.waitFor({ state: 'visible', timeout: SEEN_WITHIN_MS });
  const pairs = await dl.evaluate((el) =>
    [...el.querySelectorAll(':scope > dt')].map((dt) => [
      (dt as HTMLElement).innerText,
      (dt.nextElementSibling as HTMLElement | null)?.innerText ?? '',
    ]),
  );
  return Object.fromEntries(pairs.map(([k, v]) => [squash(k), squash(v)]));
}

export async function signInAs(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/login'));
}

/** The app with the demo stack, listening on a free loopback port, and a Chromium page for it. */
export async function startDemoInBrowser(
  env: Record<string, string> = {},
): Promise<{ base: string; page: Page; close: () => Promise<void>; testApp: TestApp }> {
  const testApp = await startTestApp(env, {
    afterMigrate: async (app) => {
      await seedDemo(app, app.get<AppConfig>(APP_CONFIG));
    },
  });
  await testApp.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(testApp.app.getHttpServer().address() as { port: number }).port}`;
  const browser = await launchBrowser();
  const page = await browser.ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  return {
    base,
    page,
    testApp,
    close: async () => {
      await browser.close();
      await testApp.close();
    },
  };
}

/*
 * Accessibility: axe-core (https://github.com/dequelabs/axe-core) run in the page as the user sees it.
 * The app's CSP refuses inline scripts, so the source is evaluated through the DevTools protocol
 * (page.evaluate), which the CSP does not govern, once per document.
 */
let axeSource: string | undefined;
const axeSourceText = (): string => (axeSource ??= readFileSync(join(dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8'));

/** The impacts that fail a page; minor and moderate findings are reported by axe but do not fail. */
export const FAILING_IMPACTS = ['serious', 'critical'] as const;

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** axe-core's violations on the current page (every impact), as plain data. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  // Two frames first, so layout and the page's own resize handlers have caught up with a viewport change.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSourceText());
  return page.evaluate(async () => {
    type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
    type AxeResults = { violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: AxeNode[] }[] };
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<AxeResults> } }).axe;
    const results = await axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' '),
        html: n.html.slice(0, 160),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
      })),
    }));
  });
}

/** One line per failing element, for a failure message a person can act on. */
export function describeViolations(name: string, found: AxeFinding[]): string {
  if (!found.length) return `${name}: no serious or critical accessibility violations`;
  return [
    `${name}: ${found.length} serious/critical accessibility violation(s)`,
    ...found.flatMap((v) => [
      `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 8).map((n) => `    at ${n.target}\n      ${n.html}\n      ${n.summary}`),
      ...(v.nodes.length > 8 ? [`    … and ${v.nodes.length - 8} more`] : []),
    ]),
  ].join('\n');
}

/**
 * The page as it is now has no serious or critical axe-core violation (WCAG 2.x A/AA and axe's best
 * practices). On failure the message lists each rule, the elements that break it and how to fix
 * them. `name` says which page and state (e.g. 'request page, CIO, 390 px'). Call it after the page
 * has reached the state to check (its heading or message seen). Each check takes about a second.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const failing = (await axeViolations(page)).filter((v) => (FAILING_IMPACTS as readonly string[]).includes(v.impact));
  if (failing.length) throw new Error(describeViolations(name, failing));
}

/** The page does not scroll sideways: wide content (tables become cards, the map scrolls in its box) fits the viewport. */
export async function expectNoSidewaysScroll(page: Page, name: string): Promise<void> {
  // Measured after two animation frames, so a viewport just resized has been laid out at its new width; an
  // overflow still there after a second is the page's (a CI run once measured 120 px right after a resize).
  const measure = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(document.documentElement.scrollWidth - window.innerWidth))),
        ),
    );
  let overflow = await measure();
  for (let tries = 0; overflow !== 0 && tries < 10; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    overflow = await measure();
  }
  expect({ page: name, overflow }).toEqual({ page: name, overflow: 0 });
}

/** The two widths every page is checked at: a laptop and a phone. */
export const VIEWPORTS = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;

/**
 * What a phone-width page gets wrong in its layout, one line per problem ([] when none): the page
 * scrolls sideways; a submit button (Save, Record…) lies off screen; a checkbox or radio button sits
 * nearer another field's label than its own (or far from its own); a data table shows a grid instead
 * of one card per row, or a cell off screen. Only what is shown counts (closed <details> are skipped).
 */
export async function phoneLayoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const shown = (el: Element) => {
      const rect = el.getBoundingClientRect();
      return rect.width > 0 && rect.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const describe = (el: Element) => {
      const text = ((el as HTMLElement).innerText || el.getAttribute('aria-label') || (el as HTMLInputElement).name || '').replace(
        /\s+/g,
        ' ',
      );
      return `<${el.tagName.toLowerCase()}> "${text.trim().slice(0, 60)}"`;
    };
    const offScreen = (el: Element) => {
      const rect = el.getBoundingClientRect();
      return rect.left < -1 || rect.right > width + 1;
    };
    const apart = (a: DOMRect, b: DOMRect) =>
      Math.hypot(Math.max(0, a.left - b.right, b.left - a.right), Math.max(0, a.top - b.bottom, b.top - a.bottom));

    const overflow = document.documentElement.scrollWidth - width;
    if (overflow > 0) problems.push(`the page scrolls sideways by ${overflow} px`);

    for (const button of document.querySelectorAll('main button[type=submit], main button:not([type]), main input[type=submit]')) {
      if (shown(button) && offScreen(button)) problems.push(`${describe(button)} is off screen (sideways)`);
    }

    const boxes = [...document.querySelectorAll<HTMLInputElement>('main input[type=checkbox], main input[type=radio]')].filter(
      (box) => shown(box) && box.labels?.length,
    );
    for (const box of boxes) {
      const rect = box.getBoundingClientRect();
      const own = [...box.labels!].filter(shown);
      const ownDistance = Math.min(...own.map((label) => apart(rect, label.getBoundingClientRect())));
      const others = boxes
        .filter((other) => other !== box)
        .flatMap((other) => [...other.labels!])
        .filter((label) => shown(label) && !own.includes(label));
      const nearestOther = Math.min(...others.map((label) => apart(rect, label.getBoundingClientRect())));
      if (!(ownDistance <= 24)) problems.push(`${describe(box)}: its label is ${Math.round(ownDistance)} px away`);
      else if (nearestOther < ownDistance) problems.push(`${describe(box)} sits nearer another field's label than its own`);
    }

    for (const table of document.querySelectorAll('main table')) {
      if (!shown(table)) continue;
      const cells = [...table.querySelectorAll(':scope > tbody > tr > td')].filter(shown);
      if (table.hasAttribute('data-cards') && cells.some((td) => getComputedStyle(td).display.startsWith('table'))) {
        problems.push(
          `the table under "${table.closest('section')?.querySelector('h2, h3')?.textContent?.trim() ?? '(page)'}" is a grid, not cards`,
        );
      }
      const outside = cells.filter(offScreen);
      if (outside.length) problems.push(`${outside.length} table cell(s) off screen, first ${describe(outside[0])}`);
    }
    return problems;
  });
}
