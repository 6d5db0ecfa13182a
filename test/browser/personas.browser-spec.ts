/// <reference lib="dom" />
import { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  alertOf,
  expectAccessible,
  expectNone,
  expectNoSidewaysScroll,
  expectText,
  flash,
  heading,
  phoneLayoutProblems,
  rowsOf,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
  statusBadge,
  VIEWPORTS,
} from '../support/browser';

/**
 * Each persona's whole job, done in the browser at laptop and at phone width, one request carried
 * from hand to hand: the marketer's request, the CMO's decision, IT's queue and assessment, the CIO's
 * decision with a condition, finance attaching the contract to the approved request and setting a
 * budget, a renewal decision, and the condition marked done by its owner and verified by IT. Each
 * part ends with its outcome as the next persona sees it (signed in as them, so the next part starts
 * there). Every screen on the way is checked with axe-core (no serious or critical finding), never
 * scrolls sideways, and is kept as a screenshot (test-artifacts/<engine>/persona-<width>-<step>.png).
 */
describe.each(Object.entries(VIEWPORTS))('In the browser at %s width: each persona does their part of a request', (label, size) => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let requestUrl: string;
  const title = `Local-language webinars (${label})`;
  const conditionText = `Turn on SSO before go-live (${label})`;
  const nextYear = new Date().getUTCFullYear() + 1;
  const section = (name: RegExp) => page.locator('section', { has: page.getByRole('heading', { name }) });
  /** Hands the work over: the current persona signs out, the next one signs in (and lands on home). */
  async function handOver(email: string): Promise<void> {
    await signOut(page);
    await signInAs(page, base, email, DEMO_PASSWORD);
  }
  const stagesTable = () => page.locator('section.card', { has: page.getByRole('heading', { name: 'Review stages' }) }).locator('table');

  /** The screen as it is now: accessible, no sideways scrolling, kept as a screenshot. */
  async function checkScreen(step: string): Promise<void> {
    const name = `${step} at ${size.width} px`;
    await expectAccessible(page, name);
    await expectNoSidewaysScroll(page, name);
    // At phone width: Save buttons on screen, each box beside its own label, tables as cards.
    if (size.width <= 720) expect({ screen: name, problems: await phoneLayoutProblems(page) }).toEqual({ screen: name, problems: [] });
    await screenshot(page, `persona-${size.width}-${step}`);
  }

  /** What the cells of one column show, and whether each is on screen (inside the viewport's width). */
  const column = (table: Locator, header: string) =>
    table.locator(`td[data-label="${header}"]`).evaluateAll((tds) =>
      tds.map((td) => {
        const rect = td.getBoundingClientRect();
        return {
          text: (td as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
          onScreen: rect.width > 0 && rect.left >= 0 && rect.right <= window.innerWidth,
        };
      }),
    );

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
    await page.setViewportSize(size);
  });
  afterAll(async () => close?.());

  it('the marketer fills the request form, fixes what it refuses, saves and submits', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    await checkScreen('marketer-home');
    await page.getByRole('link', { name: 'Request a tool' }).first().click();
    await page.waitForURL(/\/requests\/new/);
    await expectText(heading(page), 'Request a tool');
    await checkScreen('marketer-request-form');
    // Sent without a title or a cost: refused, the fields marked, the form still accessible.
    await page.getByLabel('Tool name').fill('WebinarGeek');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.locator('[aria-invalid="true"]').first().waitFor();
    await checkScreen('marketer-request-form-refused');

    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Tool name').fill('WebinarGeek');
    await page.getByLabel('Vendor').fill('WebinarGeek BV');
    await page.getByLabel('Subcategory').selectOption({ label: 'Events, Meetings & Webinars' });
    await expectText(page.locator('#overlaps'), /^Already in the catalog for this subcategory \(possible overlap\): .*ON24 \(approved\)/);
    await page
      .getByLabel('Business case: the problem and why now')
      .fill('EMEA needs webinars in local languages; ON24 licences are fully used.');
    await page.getByLabel('Estimated annual cost').fill('18,000');
    await page.getByLabel('Cost center 1').selectOption({ label: 'MKT-DIGITAL — Digital Marketing (Marketing)' });
    await checkScreen('marketer-request-form-filled');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expectText(flash(page), 'Draft saved. Check it, then submit it for review.');
    requestUrl = page.url().split('?')[0];
    await checkScreen('marketer-draft');
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await expectText(heading(page), /^Edit/);
    await checkScreen('marketer-edit-form');
    await page.goto(requestUrl);

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expectText(flash(page), 'Submitted for review');
    await expectText(statusBadge(page), 'in review');
    await checkScreen('marketer-submitted');
    await page.goto(`${base}/requests?queue=mine`);
    expect((await rowsOf(page.locator('main table'), [0, 2])).filter(([t]) => t === title)).toEqual([[title, 'in review']]);
    await checkScreen('marketer-my-requests');
    // The CMO sees it in their review queue at the Marketing stage.
    await handOver('cmo@demo.stackgate.local');
    const queue = section(/^Awaiting my review/);
    expect((await rowsOf(queue.locator('table'), [0, 3])).filter(([t]) => t === title)).toEqual([[title, 'Marketing']]);
  });

  it('the CMO opens it from the review queue and approves', async () => {
    const queue = section(/^Awaiting my review/);
    await checkScreen('cmo-home-queue');
    await queue.getByRole('link', { name: title }).click();
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: Marketing stage');
    await checkScreen('cmo-decision-panel');
    await page.getByRole('radio', { name: 'Approve', exact: true }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expectText(flash(page), 'Decision recorded');
    expect(await rowsOf(stagesTable(), [1, 2])).toEqual([
      ['Marketing', 'approved'],
      ['IT', 'open'],
    ]);
    await checkScreen('cmo-decided');
    await page.goto(`${base}/notifications`);
    await expectText(heading(page), 'Inbox');
    await checkScreen('cmo-inbox');
    // IT sees it in its queue of requests awaiting an assessment.
    await handOver('it@demo.stackgate.local');
    const itQueue = section(/^Awaiting IT assessment/);
    await expectText(itQueue.getByRole('heading'), /^Awaiting IT assessment \(3\)$/);
    // Overdue first (the demo's request past its IT due date), then by due date; IT may assess during the Marketing stage.
    expect(await rowsOf(itQueue.locator('table'), [0, 3])).toEqual([
      ['Conversation intelligence for SDRs', 'IT'],
      [title, 'IT'],
      ['Webinar platform for EMEA', 'Marketing'],
    ]);
  });

  it('IT works its queue: opens the request from it, records the assessment, and the request leaves the queue', async () => {
    await checkScreen('it-home-queue');
    await page.goto(`${base}/requests?queue=awaiting-assessment`);
    await expectText(page.locator('nav.tabs [aria-current=page]'), 'Awaiting assessment');
    await checkScreen('it-requests-awaiting-assessment');
    await page.locator('main table').getByRole('link', { name: title }).click();
    await expectText(page.getByRole('heading', { name: 'IT assessment' }), 'IT assessment');
    await checkScreen('it-assessment-form');
    await page.getByLabel('SSO supported').check();
    await page.getByLabel('DPA in place').check();
    await page.getByLabel('Security attestation').selectOption('SOC2');
    await page.getByLabel('Data residency').fill('EU');
    await page.getByLabel('Recommendation').fill('Approve, EU region only');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await expectText(flash(page), 'IT assessment recorded');
    await checkScreen('it-assessment-recorded');
    await page.goto(`${base}/requests?queue=awaiting-assessment`);
    await expectText(
      page.locator('main p.muted').first(),
      /^2 requests waiting for an IT assessment of their current round, overdue first\.$/,
    );
    await expectNone(page.locator('main table').getByRole('link', { name: title }));
    // The CIO sees it in their review queue at the IT stage, assessed.
    await handOver('cio@demo.stackgate.local');
    const queue = section(/^Awaiting my review/);
    expect((await rowsOf(queue.locator('table'), [0, 3])).filter(([t]) => t === title)).toEqual([[title, 'IT']]);
  });

  it('the CIO decides: refused without conditions, then approved with a tracked condition; the decision is readable on the page', async () => {
    await checkScreen('cio-home');
    await section(/^Awaiting my review/)
      .getByRole('link', { name: title })
      .click();
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: IT stage');
    await checkScreen('cio-decision-panel');
    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expectText(alertOf(page), /conditions/i);
    await checkScreen('cio-decision-refused');

    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    // The condition as an item (instead of one text): an owner, the requester, and a due date; IT verifies it once done.
    await page.getByLabel('Condition 1', { exact: true }).fill(conditionText);
    await page.locator('#ci0-owner').selectOption({ label: 'Maya Marketer' });
    await page.locator('#ci0-due').fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expectText(flash(page), 'Decision recorded');
    await expectText(statusBadge(page), 'approved');
    await checkScreen('cio-approved');
    // Who decided and the conditions are on screen at this width too (cards at phone width, columns at laptop width).
    const decided = await column(stagesTable(), 'Decided');
    expect(decided.map((c) => ({ ...c, text: c.text.replace(/, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/, '') }))).toEqual([
      { text: 'Claire CMO', onScreen: true },
      { text: 'Chen CIO', onScreen: true },
    ]);
    expect((await column(stagesTable(), 'Comment / conditions'))[1]).toEqual({
      text: expect.stringContaining(conditionText),
      onScreen: true,
    });
    // The condition is tracked on the request, open, with its owner.
    const tracked = page.locator('#conditions tbody tr', { hasText: conditionText });
    await expectText(tracked.locator('td').nth(1), 'Maya Marketer');
    await expectText(tracked.locator('td').nth(3), 'open');

    await page.getByRole('link', { name: 'catalog tool' }).click();
    await expectText(heading(page), 'WebinarGeek');
    await checkScreen('cio-new-tool-page');
    // Finance sees the approved request waiting for its contract, at the approved estimate.
    await handOver('finance@demo.stackgate.local');
    await expectText(
      section(/^Attach the contract/)
        .locator('li')
        .filter({ hasText: title }),
      new RegExp(`^${title.replace(/[()]/g, '\\$&')} · WebinarGeek · €18,000\\.00 approved .*, not yet contracted$`),
    );
  });

  it('finance attaches the contract to the approved request and sets a budget', async () => {
    await checkScreen('finance-home');
    await section(/^Attach the contract/)
      .getByRole('link', { name: title })
      .click();
    await expectText(heading(page), 'Attach the contract');
    expect(await page.getByLabel('Tool').locator('option:checked').textContent()).toBe('WebinarGeek');
    expect(await page.getByLabel('Amount per billing period').inputValue()).toBe('18000.00');
    await page.getByLabel('Reference').fill(`WG-${label}`);
    await checkScreen('finance-attach-contract-form');
    await page.getByRole('button', { name: 'Attach the contract' }).click();
    await expectText(flash(page), 'Contract attached to the approved request; its pending amount is retired');
    await expectText(heading(page), 'WebinarGeek');
    await checkScreen('finance-contract-attached');
    await page.goto(`${base}/`);
    await expectNone(section(/^Attach the contract/).getByRole('link', { name: title }));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Finance' }).click();
    await page.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Budgets' }).click();
    await expectText(heading(page), 'Budgets');
    const amount = page.getByLabel(`Budget of MKT-DIGITAL for FY${nextYear} (EUR)`);
    await amount.fill('150,000');
    await page
      .locator('tr', { has: page.getByRole('rowheader', { name: /MKT-DIGITAL/ }) })
      .locator(`td[data-label="FY${nextYear}"]`)
      .getByRole('button')
      .click();
    await expectText(flash(page), `Budget FY${nextYear} saved`);
    expect(await amount.inputValue()).toBe('150,000.00');
    await checkScreen('finance-budget-set');
    // The CMO, who owns the marketing budget, reads it in the grid.
    await handOver('cmo@demo.stackgate.local');
    await page.goto(`${base}/finance/budgets`);
    await expectText(
      page.locator('tr', { has: page.getByRole('rowheader', { name: /MKT-DIGITAL/ }) }).locator(`td[data-label="FY${nextYear}"] strong`),
      '€150,000.00',
    );
    await checkScreen('cmo-budgets');
    await handOver('finance@demo.stackgate.local');
  });

  it('finance records a renewal decision for the missed cancel-by date; the CMO sees it decided', async () => {
    await page.getByRole('link', { name: 'Renewals', exact: true }).first().click();
    await expectText(heading(page), 'Renewals');
    await page.getByRole('link', { name: /^Missed \(\d+\)$/ }).click();
    await page.waitForURL(/state=MISSED/);
    // The demo's missed cancel-by date (Marketo Engage: sunsetting, auto-renewing, 6 of 25 seats) in red.
    const row = page.locator('tr.renewal-row', { hasText: 'Marketo Engage' });
    await expectText(row.locator('.renewal-state'), 'Missed');
    expect(await row.getAttribute('class')).toContain('renewal-red');
    expect(await row.locator('.renewal-state').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(176, 0, 32)');
    await expectText(row.locator('td').nth(3), /passed 3 days ago/);
    await expectText(row.locator('td').nth(5), /^6 \/ 25\s*24 % used$/);
    await checkScreen('finance-renewals-missed');
    // A downsize without the seat count is refused next to the field, nothing recorded.
    const form = page.locator('tr.renewal-form-row', { hasText: 'Marketo Engage' });
    await form.getByText('Record a decision for Marketo Engage').click();
    await form.getByLabel('Decision').selectOption({ label: 'Downsize to N seats' });
    await form.getByLabel('Rationale').fill('Sunsetting: keep only the seats the migration team uses.');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await expectText(form.locator('.field-error'), /seats to keep/i);
    await checkScreen('finance-renewal-decision-refused');
    await form.getByLabel('Seats to keep (downsize only)').fill('8');
    await form.getByLabel('Owner (carries it out)').selectOption({ label: 'Claire CMO' });
    await checkScreen('finance-renewal-decision-form');
    await form.getByRole('button', { name: 'Record decision' }).click();
    await expectText(flash(page), 'Decision recorded for Marketo Engage: Downsize to 8 seats');
    await checkScreen('finance-renewal-decided');
    // The CMO, the decision's owner, finds it among the decided renewals with their name on it.
    await handOver('cmo@demo.stackgate.local');
    await page.goto(`${base}/renewals`);
    await page.getByRole('link', { name: /^Decided \(\d+\)$/ }).click();
    const decided = page.locator('tr.renewal-row', { hasText: 'Marketo Engage' });
    await expectText(decided.locator('.renewal-state'), 'Decided');
    await expectText(decided.locator('td').nth(7), /^Downsize to 8 seats\s*Owner Claire CMO\s*by Fiona Finance, \d{4}-\d{2}-\d{2}$/);
    expect(await decided.getAttribute('class')).not.toContain('renewal-red');
    await checkScreen('cmo-renewal-decided');
    await handOver('marketer@demo.stackgate.local');
  });

  it("the condition's owner marks it done from home, IT verifies it, and the requester sees it verified", async () => {
    const todo = section(/^Conditions to do/);
    await expectText(todo.getByRole('heading'), 'Conditions to do (2)');
    // The demo's condition past its due date is marked so; this request's is open.
    await expectText(todo.locator('tbody tr', { hasText: 'Sign the DPA with Usercentrics' }).locator('td').nth(2), /past due$/);
    const row = todo.locator('tbody tr', { hasText: conditionText });
    await expectText(row.locator('td').nth(3), 'open');
    await checkScreen('marketer-conditions-to-do');
    await row.getByRole('button', { name: 'Mark done' }).click();
    await expectText(flash(page), 'Condition marked done; IT verifies it next.');
    await expectNone(section(/^Conditions to do/).locator('tbody tr', { hasText: conditionText }));
    // IT finds it done on the request page and verifies it.
    await handOver('it@demo.stackgate.local');
    await page.goto(`${requestUrl}#conditions`);
    const done = page.locator('#conditions tbody tr', { hasText: conditionText });
    await expectText(done.locator('td').nth(3), 'done');
    await checkScreen('it-condition-done');
    await done.getByRole('button', { name: 'Verify' }).click();
    await expectText(flash(page), 'Condition verified.');
    await checkScreen('it-condition-verified');
    // The requester sees it verified, with who did what.
    await handOver('marketer@demo.stackgate.local');
    await page.goto(requestUrl);
    const verified = page.locator('#conditions tbody tr', { hasText: conditionText });
    await expectText(verified.locator('td').nth(3), 'verified');
    await expectText(verified.locator('td').nth(4), /Done by Maya Marketer, .*Verified by Ivan IT Architect, /s);
    await checkScreen('marketer-condition-verified');
    await signOut(page);
  });
});
