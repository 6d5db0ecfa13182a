import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { seedDemo } from '../../apps/api/src/demo/demo-seed';
import { startTestApp, TEST_ENGINE } from './test-app';

export const ARTIFACTS_DIR = resolve(__dirname, '..', '..', 'test-artifacts', TEST_ENGINE);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with a fresh profile and no background traffic (the network is closed). */
export async function launchBrowser(): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'stackgate-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  return { ctx, close: async () => { await ctx.close(); rmSync(profile, { recursive: true, force: true }); } };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
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
export async function startDemoInBrowser(): Promise<{ base: string; page: Page; close: () => Promise<void> }> {
  const t = await startTestApp({}, { afterMigrate: async (app) => { await seedDemo(app, app.get<AppConfig>(APP_CONFIG)); } });
  await t.app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  const browser = await launchBrowser();
  const page = await browser.ctx.newPage();
  page.on('dialog', (d) => void d.accept());
  return { base, page, close: async () => { await browser.close(); await t.close(); } };
}
