import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  alertOf,
  expectNone,
  expectText,
  factsOf,
  flash,
  rowsOf,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
  statusBadge,
} from '../support/browser';

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
  const SEND_BACK = 'Too expensive for a pilot: start with the 12,000 plan and say what we stop paying for.';
  const stagesTable = () => page.locator('section.card', { has: page.getByRole('heading', { name: 'Review stages' }) }).locator('table');
  const cost = async () => (await factsOf(page.locator('dl.facts').first())).Cost;

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
    await page
      .getByLabel('Business case: the problem and why now')
      .fill('Customer story videos are scattered over three personal accounts.');
    await page.getByLabel('Estimated annual cost').fill('24000.00');
    await page.getByLabel('Cost center 1').selectOption({ label: 'MKT-DIGITAL — Digital Marketing (Marketing)' });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expectText(flash(page), 'Draft saved. Check it, then submit it for review.');
    requestUrl = page.url().split('?')[0];
    expect(requestUrl).toMatch(/\/requests\/[0-9a-f-]{36}$/);
    await expectText(statusBadge(page), 'draft');
    expect(await cost()).toBe('€24,000.00');

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expectText(flash(page), 'Submitted for review');
    await expectText(statusBadge(page), 'in review');
    expect(await rowsOf(stagesTable(), [0, 1, 2])).toEqual([
      ['1', 'Marketing', 'open'],
      ['1', 'IT', 'pending'],
    ]);
    await signOut(page);
  });

  it('the CMO requests changes with a comment', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: Marketing stage');
    await page.getByRole('radio', { name: 'Request changes' }).check();
    await page.getByLabel(/^Comment/).fill(SEND_BACK);
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expectText(flash(page), 'Decision recorded');
    await expectText(statusBadge(page), 'changes requested');
    // The Marketing stage closed with the comment; IT's stage of that round is cancelled.
    expect(await rowsOf(stagesTable(), [0, 1, 2, 5])).toEqual([
      ['1', 'Marketing', 'changes requested', SEND_BACK],
      ['1', 'IT', 'cancelled', ''],
    ]);
    await expectNone(page.getByRole('heading', { name: /^Your decision/ }));
    await signOut(page);
  });

  it('the marketer opens the edit form, changes the cost and the case, saves and resubmits: the request is back in review with the change', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await expectText(statusBadge(page), 'changes requested');
    await expectText(stagesTable().locator('tbody tr').first().locator('td').nth(5), SEND_BACK);
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL(/\/edit$/);
    // The form is filled with the stored request; the type is shown, not posted.
    await expect(page.getByLabel('Tool name').inputValue()).resolves.toBe('Vidyard');
    await expect(page.getByLabel('Estimated annual cost').inputValue()).resolves.toBe('24000.00');
    await page.getByLabel('Estimated annual cost').fill('12000.00');
    await page.getByLabel('Alternatives considered').fill('We stop paying for two personal Vimeo accounts.');
    await screenshot(page, 'request-edit-form');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await expectText(flash(page), 'Saved');
    await expectNone(alertOf(page));
    await expectText(statusBadge(page), 'changes requested'); // saved, not yet resubmitted
    await expectText(
      page.locator('section', { has: page.getByRole('heading', { name: 'Alternatives considered' }) }).getByText('We stop paying'),
      'We stop paying for two personal Vimeo accounts.',
    );
    expect(await cost()).toBe('€12,000.00 (€24,000.00 at submission)'); // the base figure is the last submission's

    await page.getByRole('button', { name: 'Resubmit' }).click();
    await expectText(flash(page), 'Submitted for review');
    await expectText(statusBadge(page), 'in review');
    // A new round: round 1 as it was decided, round 2 open at Marketing again.
    expect(await rowsOf(stagesTable(), [0, 1, 2])).toEqual([
      ['1', 'Marketing', 'changes requested'],
      ['1', 'IT', 'cancelled'],
      ['2', 'Marketing', 'open'],
      ['2', 'IT', 'pending'],
    ]);
    expect(await cost()).toBe('€12,000.00 (€12,000.00 at submission)');
    await screenshot(page, 'request-resubmitted');
    await signOut(page);
  });

  it('the CMO finds it in the review queue again, with the new cost', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/requests?queue=awaiting-me`);
    expect(
      (await rowsOf(page.locator('main table')))
        .filter((r) => r[0] === 'Customer stories video hosting')
        .map((r) => [r[0], r[2], r[3], r[5]]),
    ).toEqual([['Customer stories video hosting', 'in review', 'Marketing', '€12,000.00']]);
    await page.getByRole('link', { name: 'Customer stories video hosting' }).click();
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: Marketing stage');
    expect(await cost()).toBe('€12,000.00 (€12,000.00 at submission)');
    await signOut(page);
  });
});
