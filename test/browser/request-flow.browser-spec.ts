import { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import { screenshot, signInAs, signOut, startDemoInBrowser } from '../support/browser';

/** A marketer requests a tool in the browser; the CMO, IT and the CIO take it to the catalog. */
describe('In the browser: a tool request from form to catalog', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let requestUrl: string;

  beforeAll(async () => {
    ({ base, page, close } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  it('the marketer drafts the request through the form, sees overlaps, and submits it', async () => {
    await signInAs(page, base, 'marketer@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Request a tool' }).first().click();
    await page.waitForURL(/\/requests\/new/);
    await page.getByLabel('Title').fill('Local-language webinars');
    await page.getByLabel('Tool name').fill('WebinarGeek');
    await page.getByLabel('Vendor').fill('WebinarGeek BV');
    await page.getByLabel('Subcategory').selectOption({ label: 'Events, Meetings & Webinars' });
    await page.locator('#overlaps a', { hasText: 'ON24' }).waitFor();
    await page.getByLabel('Business case: the problem and why now').fill('EMEA needs webinars in local languages; ON24 licences are fully used.');
    await page.getByLabel('Estimated annual cost').fill('18000.00');
    await page.getByLabel('Cost center 1').selectOption({ label: 'MKT-DIGITAL — Digital Marketing (MARKETING)' });
    await page.getByLabel('Data categories it will process (comma-separated; leave empty if none)').fill('contacts');
    await page.locator('#q-it0').selectOption({ label: 'HubSpot Marketing Hub' });
    await page.locator('#q-io0').fill('leads, attendance');
    await screenshot(page, 'request-form');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/requests\/[0-9a-f-]{36}/);
    requestUrl = page.url().split('?')[0];
    await page.getByText('ON24').first().waitFor();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Submitted for review').waitFor();
    expect(await page.getByRole('heading', { name: /Your decision/ }).count()).toBe(0);
    await screenshot(page, 'request-submitted');
    await signOut(page);
  });

  it('the CMO approves from the review queue', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Local-language webinars' }).first().click();
    await page.getByRole('heading', { name: 'Your decision: Marketing stage' }).waitFor();
    await screenshot(page, 'request-decision-panel');
    await page.getByRole('radio', { name: 'Approve', exact: true }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Decision recorded').waitFor();
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
    await page.getByText('IT assessment recorded').waitFor();
    await signOut(page);

    await signInAs(page, base, 'cio@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(requestUrl);
    await page.getByText('Approve, EU region only').first().waitFor();
    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByRole('alert').filter({ hasText: /conditions/i }).waitFor();
    await page.getByRole('radio', { name: 'Approve with conditions' }).check();
    await page.getByLabel(/^Conditions/).fill('EU region only; SSO before go-live.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.getByText('Decision recorded').waitFor();
    await screenshot(page, 'request-approved');
    await page.getByRole('link', { name: 'catalog tool' }).click();
    await page.getByRole('heading', { name: 'WebinarGeek' }).waitFor();
    await page.getByText('EU region only; SSO before go-live.').waitFor();
    await screenshot(page, 'new-tool-in-catalog');
    await page.goto(`${base}/catalog?search=WebinarGeek`);
    await page.getByRole('link', { name: 'WebinarGeek' }).waitFor();
    await signOut(page);
  });
});
