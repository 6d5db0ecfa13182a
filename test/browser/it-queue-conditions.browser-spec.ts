import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { expectText, flash, heading, screenshot, signInAs, signOut, startDemoInBrowser } from '../support/browser';

/**
 * IT works its queue of requests awaiting an assessment and records one; a condition of an
 * approval is marked done by its owner and verified by IT (1366 px, the default viewport).
 */
describe("In the browser: IT's queue and assessment, a condition done then verified", () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  const section = (name: string | RegExp) => page.locator('section.card', { has: page.getByRole('heading', { name }) });

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.setViewportSize({ width: 1366, height: 900 });
  });
  afterAll(async () => close?.());

  it('IT finds the request at the IT stage first in its queue, assesses it, and it leaves the queue', async () => {
    await signInAs(page, base, 'it@demo.stackgate.local', DEMO_PASSWORD);
    const queue = section(/^Awaiting IT assessment/);
    await expectText(queue.getByRole('heading'), /^Awaiting IT assessment \(2\)$/);
    const rows = queue.locator('tbody tr');
    await expectText(rows.nth(0).locator('td').first(), 'Conversation intelligence for SDRs');
    await expectText(rows.nth(1).locator('td').first(), 'Webinar platform for EMEA');
    await screenshot(page, 'it-home-queue');

    await queue.getByRole('link', { name: 'Conversation intelligence for SDRs' }).click();
    await expectText(heading(page), /^Conversation intelligence for SDRs/);
    await page.getByLabel('SSO supported').check();
    await page.getByLabel('Security attestation').selectOption('SOC2');
    await page.getByLabel('Data residency').fill('EU');
    await page.getByLabel('Recommendation').fill('Approve; recordings stay in the EU region.');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await expectText(flash(page), 'IT assessment recorded');

    await page.goto(`${base}/requests?queue=awaiting-assessment`);
    await expectText(page.locator('nav.tabs [aria-current=page]'), 'Awaiting assessment');
    await expectText(page.locator('main p.muted').first(), '1 request waiting for an IT assessment of their current round, overdue first.');
    await expectText(page.locator('main tbody tr td').first(), 'Webinar platform for EMEA');
    await screenshot(page, 'it-requests-awaiting-assessment');
    await signOut(page);
  });

  it('the owner marks a past-due condition done from home, and IT verifies it on the request page', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    const todo = section(/^Conditions to do/);
    await expectText(todo.getByRole('heading'), 'Conditions to do (1)');
    const row = todo.locator('tbody tr').first();
    await expectText(row.locator('td').nth(0), /^Sign the DPA with Usercentrics before the banner goes live/);
    await expectText(row.locator('td').nth(2), /past due$/);
    await screenshot(page, 'owner-conditions-to-do');
    await row.getByRole('button', { name: 'Mark done' }).click();
    await expectText(flash(page), 'Condition marked done; IT verifies it next.');
    expect(await page.locator('#conditions-h').count()).toBe(0);
    await signOut(page);

    await signInAs(page, base, 'it@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/requests?status=APPROVED`);
    await page.getByRole('link', { name: 'Consent banner for the EU sites' }).click();
    const conditions = page.locator('#conditions');
    const done = conditions.locator('tbody tr', { hasText: 'Sign the DPA' });
    await expectText(done.locator('td').nth(3), 'done');
    await done.getByRole('button', { name: 'Verify' }).click();
    await expectText(flash(page), 'Condition verified.');
    await expectText(page.locator('#conditions tbody tr', { hasText: 'Sign the DPA' }).locator('td').nth(3), 'verified');
    await expectText(
      page.locator('#conditions tbody tr', { hasText: 'Sign the DPA' }).locator('td').nth(4),
      /Done by Maya Marketer, .*Verified by Ivan IT Architect, /s,
    );
    await screenshot(page, 'it-condition-verified');
  });
});
