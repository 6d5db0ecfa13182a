import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { screenshot, signInAs, signOut, startDemoInBrowser } from '../support/browser';

/**
 * Issue 21 item 8: the whole send-back loop in the browser. A marketer submits, the CMO requests
 * changes with a comment, the marketer fixes the request in the edit form and resubmits, and the
 * request is back in review — with the change — in a new round.
 */
describe('In the browser: request changes → edit → resubmit', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let requestUrl: string;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('the marketer drafts a request and submits it', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/requests/new`);
    await page.getByLabel('Title').fill('Customer stories video hosting');
    await page.getByLabel('Tool name').fill('Vidyard');
    await page.getByLabel('Vendor').fill('Vidyard Inc.');
    await page.getByLabel('Subcategory').selectOption({ label: 'Video Marketing' });
    await page.getByLabel('Business case: the problem and why now').fill('Customer story videos are scattered over three personal accounts.');
    await page.getByLabel('Estimated annual cost').fill('24000.00');
    await page.getByLabel('Cost center 1').selectOption({ label: 'MKT-DIGITAL — Digital Marketing (MARKETING)' });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/requests\/[0-9a-f-]{36}/);
    requestUrl = page.url().split('?')[0];
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted for review').waitFor();
    await signOut(page);
  });

  it('the CMO requests changes with a comment', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await page.getByRole('heading', { name: 'Your decision: Marketing stage' }).waitFor();
    await page.getByRole('radio', { name: 'Request changes' }).check();
    await page.getByLabel(/^Comment/).fill('Too expensive for a pilot: start with the 12,000 plan and say what we stop paying for.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Decision recorded').waitFor();
    await signOut(page);
  });

  it('the marketer opens the edit form, changes the cost and the case, saves and resubmits: the request is back in review with the change', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await page.getByText('start with the 12,000 plan').first().waitFor();
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL(/\/edit$/);
    // The form is filled with the stored request; the type is shown, not posted.
    expect(await page.getByLabel('Tool name').inputValue()).toBe('Vidyard');
    expect(await page.getByLabel('Estimated annual cost').inputValue()).toBe('24000.00');
    await page.getByLabel('Estimated annual cost').fill('12000.00');
    await page.getByLabel('Alternatives considered').fill('We stop paying for two personal Vimeo accounts.');
    await screenshot(page, 'request-edit-form');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved', { exact: true }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByText('We stop paying for two personal Vimeo accounts.').waitFor();

    await page.getByRole('button', { name: 'Resubmit' }).click();
    await page.getByText('Submitted for review').waitFor();
    await page.locator('h1 .badge', { hasText: 'in review' }).waitFor();
    const rounds = await page.locator('table tbody tr td:first-child').allTextContents();
    expect(rounds.map((r) => r.trim())).toEqual(['1', '1', '2', '2']);
    await expect(page.locator('dl.facts').first().innerText()).resolves.toMatch(/12,?000\.00/);
    await screenshot(page, 'request-resubmitted');
    await signOut(page);
  });

  it('the CMO finds it in the review queue again, with the new cost', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/requests?queue=awaiting-me`);
    await page.getByRole('link', { name: 'Customer stories video hosting' }).click();
    await page.getByRole('heading', { name: 'Your decision: Marketing stage' }).waitFor();
    await expect(page.locator('dl.facts').first().innerText()).resolves.toMatch(/12,?000\.00/);
    await signOut(page);
  });
});
