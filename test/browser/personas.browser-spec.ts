/// <reference lib="dom" />
import { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  alertOf,
  expectAccessible,
  expectNoSidewaysScroll,
  expectText,
  flash,
  heading,
  rowsOf,
  screenshot,
  signInAs,
  signOut,
  startDemoInBrowser,
  statusBadge,
  VIEWPORTS,
} from '../support/browser';

/**
 * Each persona's part of a tool request, done in the browser at laptop and at phone width: the
 * marketer's request, the CMO's decision, IT's assessment and the CIO's decision. Every screen on
 * the way is checked with axe-core (no serious or critical finding), never scrolls sideways, and
 * is kept as a screenshot (test-artifacts/<engine>/persona-<width>-<step>.png).
 */
describe.each(Object.entries(VIEWPORTS))('In the browser at %s width: each persona does their part of a request', (label, size) => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let requestUrl: string;
  const title = `Local-language webinars (${label})`;
  const stagesTable = () => page.locator('section.card', { has: page.getByRole('heading', { name: 'Review stages' }) }).locator('table');

  /** The screen as it is now: accessible, no sideways scrolling, kept as a screenshot. */
  async function checkScreen(step: string): Promise<void> {
    const name = `${step} at ${size.width} px`;
    await expectAccessible(page, name);
    await expectNoSidewaysScroll(page, name);
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
    await signOut(page);
  });

  it('the CMO finds it in the review queue and approves', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    const queue = page.locator('section', { has: page.getByRole('heading', { name: /^Awaiting my review/ }) });
    expect((await rowsOf(queue.locator('table'), [0, 3])).filter(([t]) => t === title)).toEqual([[title, 'Marketing']]);
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
    await signOut(page);
  });

  it('IT records the assessment', async () => {
    await signInAs(page, base, 'it@demo.stackgate.local', DEMO_PASSWORD);
    await checkScreen('it-home');
    await page.goto(`${base}/requests?status=IN_REVIEW`);
    await checkScreen('it-requests-in-review');
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
    await signOut(page);
  });

  it('the CIO decides: refused without conditions, then approved with them; the decision is readable on the page', async () => {
    await signInAs(page, base, 'cio@demo.stackgate.local', DEMO_PASSWORD);
    await checkScreen('cio-home');
    await page.goto(requestUrl);
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: IT stage');
    await checkScreen('cio-decision-panel');
    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expectText(alertOf(page), /conditions/i);
    await checkScreen('cio-decision-refused');

    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByLabel(/^Conditions/).fill('EU region only; SSO before go-live.');
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
      text: 'Conditions: EU region only; SSO before go-live.',
      onScreen: true,
    });

    await page.getByRole('link', { name: 'catalog tool' }).click();
    await expectText(heading(page), 'WebinarGeek');
    await checkScreen('cio-new-tool-page');
    await signOut(page);
  });
});
