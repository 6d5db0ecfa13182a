import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  alertOf,
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
  statusBadge,
} from '../support/browser';

/**
 * A marketer requests a tool in the browser; the CMO, IT and the CIO take it to the catalog. Each
 * step checks what the person sees: the message after the action, the status badge, the review
 * stages, the figures on the page.
 */
describe('In the browser: a tool request from form to catalog', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let requestUrl: string;
  const stagesTable = () => page.locator('section.card', { has: page.getByRole('heading', { name: 'Review stages' }) }).locator('table');

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('the marketer drafts the request through the form, sees overlaps, and submits it', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Request a tool' }).first().click();
    await page.waitForURL(/\/requests\/new/);
    await expectText(heading(page), 'Request a tool');
    await page.getByLabel('Title').fill('Local-language webinars');
    await page.getByLabel('Tool name').fill('WebinarGeek');
    await page.getByLabel('Vendor').fill('WebinarGeek BV');
    await page.getByLabel('Subcategory').selectOption({ label: 'Events, Meetings & Webinars' });
    // Picking the subcategory shows the catalog tools that already cover it.
    await expectText(page.locator('#overlaps'), /^Already in the catalog for this subcategory \(possible overlap\): .*ON24 \(approved\)/);
    // …styled as a warning, not as a success.
    expect(await page.locator('#overlaps').getAttribute('class')).toBe('warning');
    await page
      .getByLabel('Business case: the problem and why now')
      .fill('EMEA needs webinars in local languages; ON24 licences are fully used.');
    await page.getByLabel('Estimated annual cost').fill('18000.00');
    await page.getByLabel('Cost center 1').selectOption({ label: 'MKT-DIGITAL — Digital Marketing (Marketing)' });
    await page.getByLabel('Data categories it will process (comma-separated; leave empty if none)').fill('contacts');
    await page.locator('#q-it0').selectOption({ label: 'HubSpot Marketing Hub' });
    await page.locator('#q-io0').fill('leads, attendance');
    await screenshot(page, 'request-form');
    await page.getByRole('button', { name: 'Save draft' }).click();

    await expectText(flash(page), 'Draft saved. Check it, then submit it for review.');
    requestUrl = page.url().split('?')[0];
    expect(requestUrl).toMatch(/\/requests\/[0-9a-f-]{36}$/);
    await expectText(heading(page), 'Local-language webinars draft');
    await expectText(statusBadge(page), 'draft');
    expect(await factsOf(page.locator('dl.facts').first())).toEqual({
      'Proposed tool': 'WebinarGeek (WebinarGeek BV)',
      Cost: '€18,000.00',
      'Paid by': 'MKT-DIGITAL — Digital Marketing: 100.00 %',
      Data: 'contacts',
    });
    await expectText(
      page
        .locator('section', { has: page.getByRole('heading', { name: 'Overlap with the catalog' }) })
        .locator('p')
        .first(),
      /^ON24 · Events, Meetings & Webinars approved · €[\d,]+\.00 a year$/,
    );
    await expectText(page.getByText('Outbound with'), 'Outbound with HubSpot Marketing Hub: leads, attendance personal data');
    expect(await rowsOf(stagesTable())).toEqual([['Not submitted yet.']]);

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expectText(flash(page), 'Submitted for review');
    await expectText(statusBadge(page), 'in review');
    expect(await rowsOf(stagesTable(), [0, 1, 2, 4])).toEqual([
      ['1', 'Marketing', 'open', '—'],
      ['1', 'IT', 'pending', '—'],
    ]);
    expect((await factsOf(page.locator('dl.facts').first())).Cost).toBe('€18,000.00 (€18,000.00 at submission)');
    // The requester decides nothing, and can no longer edit or submit; withdrawing is still open.
    await expectNone(page.getByRole('heading', { name: /Your decision/ }));
    await expectNone(page.getByRole('button', { name: 'Submit for review' }));
    await expectNone(page.getByRole('link', { name: 'Edit', exact: true }));
    await expectText(page.getByRole('button', { name: 'Withdraw' }), 'Withdraw');
    await screenshot(page, 'request-submitted');
    await signOut(page);
  });

  it('the CMO approves from the review queue', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    // The home page lists it under "Awaiting my review", at the Marketing stage, with its cost.
    const queue = page.locator('section', { has: page.getByRole('heading', { name: /^Awaiting my review/ }) });
    const row = queue.locator('tbody tr', { has: page.getByRole('link', { name: 'Local-language webinars' }) });
    expect(
      (await rowsOf(queue.locator('table'))).filter((r) => r[0] === 'Local-language webinars').map((r) => [r[0], r[1], r[2], r[3], r[5]]),
    ).toEqual([['Local-language webinars', 'New tool', 'in review', 'Marketing', '€18,000.00']]);
    await row.getByRole('link', { name: 'Local-language webinars' }).click();
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: Marketing stage');
    await screenshot(page, 'request-decision-panel');
    await page.getByRole('radio', { name: 'Approve', exact: true }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();

    await expectText(flash(page), 'Decision recorded');
    await expectText(statusBadge(page), 'in review'); // IT's stage is next
    expect(await rowsOf(stagesTable(), [0, 1, 2])).toEqual([
      ['1', 'Marketing', 'approved'],
      ['1', 'IT', 'open'],
    ]);
    expect((await rowsOf(stagesTable(), [4]))[0][0]).toMatch(/^Claire CMO, \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    await expectNone(page.getByRole('heading', { name: /^Your decision/ })); // the IT stage is not the CMO's
    await signOut(page);
  });

  it('IT records an assessment; the CIO approves with conditions (and must give them)', async () => {
    await signInAs(page, base, 'it@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await page.getByLabel('SSO supported').check();
    await page.getByLabel('DPA in place').check();
    await page.getByLabel('Security attestation').selectOption('SOC2');
    await page.getByLabel('Data residency').fill('EU');
    await page.getByLabel('Recommendation').fill('Approve, EU region only');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await expectText(flash(page), 'IT assessment recorded');
    await expectText(
      page.getByText(/^Last recorded by/),
      /^Last recorded by .+ on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. A new one replaces it on the decision screen\.$/,
    );
    await expect(page.getByLabel('SSO supported').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Recommendation').inputValue()).resolves.toBe('Approve, EU region only');
    await signOut(page);

    await signInAs(page, base, 'cio@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await expectText(page.getByRole('heading', { name: /^Your decision/ }), 'Your decision: IT stage');
    // The decision panel shows IT's assessment of this round, so no "no assessment yet" warning.
    await expectText(
      page.locator('section.decision p.muted'),
      /^IT assessment by .+: SSO yes, SOC 2, DPA in place — “Approve, EU region only”$/,
    );
    await expectNone(page.locator('section.decision p.notice'));
    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    // Refused: the error says what is missing, and nothing was decided.
    await expectText(alertOf(page), /conditions/i);
    await expectText(statusBadge(page), 'in review');
    expect(await rowsOf(stagesTable(), [0, 1, 2])).toEqual([
      ['1', 'Marketing', 'approved'],
      ['1', 'IT', 'open'],
    ]);

    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByLabel(/^Conditions/).fill('EU region only; SSO before go-live.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expectText(flash(page), 'Decision recorded');
    await expectText(statusBadge(page), 'approved');
    expect(await rowsOf(stagesTable(), [0, 1, 2, 5])).toEqual([
      ['1', 'Marketing', 'approved', ''],
      ['1', 'IT', 'approved with conditions', 'Conditions: EU region only; SSO before go-live.'],
    ]);
    await screenshot(page, 'request-approved');

    // The approval created the catalog tool, carrying the conditions.
    await page.getByRole('link', { name: 'catalog tool' }).click();
    await expectText(heading(page), 'WebinarGeek');
    const approval = await factsOf(
      page.locator('section', { has: page.getByRole('heading', { name: 'IT approval' }) }).locator('dl.facts'),
    );
    expect({ status: approval.Status, conditions: approval.Conditions }).toEqual({
      status: 'approved with conditions',
      conditions: 'EU region only; SSO before go-live.',
    });
    // No contract yet: the approved estimate counts as approved, not yet contracted (issue 23 §1).
    expect((await factsOf(page.locator('dl.facts').first()))['Annual cost']).toMatch(
      /^€0\.00 under contract €18,000\.00 approved, not yet contracted \(request /,
    );
    await screenshot(page, 'new-tool-in-catalog');
    await page.goto(`${base}/catalog?search=WebinarGeek`);
    expect(
      (await rowsOf(page.locator('main table'), [0, 3, 5])).map(([tool, approvalStatus, cost]) => [tool, approvalStatus, cost]),
    ).toEqual([['WebinarGeek Events, Meetings & Webinars', 'approved with conditions', '€0.00']]);
    await signOut(page);
  });
});
