import { Page } from 'playwright-core';
import { WebhookDeliveryJob } from '@stackgate/webhooks';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-data';
import {
  expectAccessible,
  expectNoSidewaysScroll,
  expectText,
  flash,
  heading,
  screenshot,
  signInAs,
  startDemoInBrowser,
  VIEWPORTS,
} from '../support/browser';
import { TestApp } from '../support/test-app';
import { readmeVerifier, startReceiver } from '../support/webhook-receiver';

/** The administrator's webhook pages and a person's renewals-calendar link, in Chromium against a receiver on 127.0.0.1. */
describe('In the browser: webhooks and the renewals calendar', () => {
  let base: string;
  let page: Page;
  let testApp: TestApp;
  let close: () => Promise<void>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    ({ base, page, close, testApp } = await startDemoInBrowser({ WEBHOOKS_ALLOW_PRIVATE: 'true' }));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  });
  afterAll(async () => {
    await close?.();
    await receiver?.close();
  });

  /** The CIO decides a demo tool's IT approval through the API: a `tool.it_approval_changed` event. */
  async function approveSomeTool(): Promise<string> {
    const login = await testApp
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'cio@demo.stackgate.local', password: DEMO_PASSWORD })
      .expect(200);
    const auth = { Authorization: `Bearer ${login.body.accessToken}` };
    const tools = await testApp.http().get('/api/v1/tools?pageSize=1').set(auth).expect(200);
    const tool = tools.body.items[0];
    await testApp
      .http()
      .post(`/api/v1/tools/${tool.id}/it-approval`)
      .set(auth)
      .send({ status: 'APPROVED', rationale: 'Reviewed again' })
      .expect(200);
    return tool.id as string;
  }

  it('lets the admin add an endpoint, copy its secret once, follow its deliveries, send one again, rotate, pause and remove it', async () => {
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await expectText(heading(page), 'Webhooks');
    await page.getByLabel('Address (https://)').fill(receiver.url('/stackgate'));
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expectText(page.locator('#wh-events-err'), 'Choose at least one event');
    await page.getByLabel('Address (https://)').fill(receiver.url('/stackgate'));
    await page.getByLabel('Description (optional)').fill('ERP sync');
    await page.getByRole('checkbox', { name: 'IT approval changed' }).check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await expectText(flash(page), 'Webhook endpoint added. Copy its signing secret now: it is shown only once.');
    const secret = await page.locator('#new-token').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Copy secret' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectAccessible(page, 'webhook endpoint, secret shown once');
    await screenshot(page, 'webhook-created');

    const toolId = await approveSomeTool();
    await testApp.app.get(WebhookDeliveryJob).run();
    await page.reload();
    expect(await page.locator('#new-token').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    const row = page.getByRole('row', { name: /IT approval changed/ });
    await expectText(row.getByText('Delivered', { exact: true }), 'Delivered');
    await expectText(row.getByText(/HTTP 200/), 'HTTP 200');
    const [delivery] = receiver.received;
    expect(delivery.body).toMatchObject({ type: 'tool.it_approval_changed', data: { toolId, itApprovalStatus: 'APPROVED' } });
    expect(readmeVerifier()(delivery.raw, String(delivery.headers['stackgate-signature']), secret)).toBe(true);

    await row.getByRole('button', { name: /^Send again: event/ }).click();
    await expectText(flash(page), 'The event will be sent again shortly (same event id)');
    await testApp.app.get(WebhookDeliveryJob).run();
    expect(receiver.received.map((r) => r.body.id)).toEqual([delivery.body.id, delivery.body.id]);
    await page.reload();
    await expectText(page.getByText('(sent again)'), '(sent again)');
    await expectAccessible(page, 'webhook delivery log');
    await screenshot(page, 'webhook-deliveries');
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await expectNoSidewaysScroll(page, `webhook page at ${label}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await expectText(flash(page), 'New signing secret issued. Copy it now: it is shown only once.');
    const rotated = await page.locator('#new-token').inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expectText(
      page.getByText(/the previous secret also signs until/),
      /^Secret issued .*; the previous secret also signs until \d{4}-\d{2}-\d{2} /,
    );
    await page.getByRole('button', { name: 'Pause deliveries' }).click();
    await expectText(flash(page), 'Webhook endpoint paused: deliveries wait');
    await page.getByRole('button', { name: 'Enable and resume deliveries' }).click();
    await expectText(flash(page), 'Webhook endpoint enabled: waiting deliveries resume');
    await page.getByRole('button', { name: 'Remove endpoint' }).click();
    await expectText(flash(page), 'Webhook endpoint removed');
    await expectText(page.getByText('No webhook endpoints yet.'), 'No webhook endpoints yet.');
    await page.context().clearCookies();
  });

  it('lets finance create, copy and revoke a renewals-calendar link that serves an iCalendar feed', async () => {
    await signInAs(page, base, 'finance@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Calendar' }).click();
    await expectText(heading(page), 'Renewals calendar');
    await page.getByRole('button', { name: 'Create a calendar link' }).click();
    const url = await page.locator('#new-token').inputValue();
    expect(url).toMatch(/\/calendar\/renewals\.ics\?token=sgcal_/);
    await expectAccessible(page, 'renewals calendar link');
    await screenshot(page, 'calendar-link');
    const feedPath = url.slice(url.indexOf('/calendar/'));
    const feed = await testApp.http().get(feedPath).expect(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(feed.text).toContain('BEGIN:VEVENT');
    await page.reload();
    expect(await page.locator('#new-token').count()).toBe(0);
    await page.getByRole('button', { name: 'Revoke the link' }).click();
    await expectText(flash(page), 'Calendar link revoked: calendars subscribed to it stop updating.');
    await testApp.http().get(feedPath).expect(404);
    await page.context().clearCookies();
  });
});
