import { Page } from 'playwright-core';
import { NotificationPreference } from '@stackgate/notifications';
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

/** Notification settings in the browser: a reviewer turns e-mail off for a kind of notice and a digest off; the page remembers. */
describe('In the browser: notification settings', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let testApp: TestApp;

  beforeAll(async () => {
    ({ base, page, close, testApp } = await startDemoInBrowser());
  });
  afterAll(async () => close?.());

  const box = (name: string) => page.getByRole('checkbox', { name });

  it('toggles channels and digests, saves them, and shows them after a reload', async () => {
    await signInAs(page, base, 'cmo@demo.stackgate.local', DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Notifications' }).click();
    await expectText(heading(page), 'Notifications');
    // No Slack in this setup: no Slack column; labels, not codes.
    expect(await page.getByRole('columnheader', { name: 'Slack direct message' }).count()).toBe(0);
    expect(await page.content()).not.toContain('review-needed');
    expect(await box('Reviews waiting for me: By e-mail').isChecked()).toBe(true);
    expect(await box('Reviews waiting for me (reviewers: what waits, what is overdue)').isChecked()).toBe(true);
    await expectAccessible(page, 'Notification settings');

    await box('Reviews waiting for me: By e-mail').uncheck();
    await box('Reviews waiting for me (reviewers: what waits, what is overdue)').uncheck();
    await page.getByRole('button', { name: 'Save notification settings' }).click();
    await expectText(flash(page), 'Notification settings saved.');
    await page.reload();
    expect(await box('Reviews waiting for me: By e-mail').isChecked()).toBe(false);
    expect(await box('Reviews waiting for me: In the inbox').isChecked()).toBe(true);
    expect(await box('Decisions on my requests: By e-mail').isChecked()).toBe(true);
    expect(await box('Reviews waiting for me (reviewers: what waits, what is overdue)').isChecked()).toBe(false);
    expect(await box('My budgets (budget owners: renewals in the next 90 days, unused seats)').isChecked()).toBe(true);
    await screenshot(page, 'notification-settings');

    // Stored as the API reads it: only the changed events and the digest.
    const rows = await testApp.dataSource.getRepository(NotificationPreference).find({ order: { event: 'ASC' } });
    expect(rows.map((row) => [row.event, row.inbox, row.email, row.slack])).toEqual([
      ['assessment-needed', true, false, true],
      ['digest-budget-owner', true, true, true],
      ['digest-reviewer', false, false, false],
      ['review-needed', true, false, true],
      ['stage-overdue', true, false, true],
    ]);

    await page.setViewportSize(VIEWPORTS.phone);
    await expectNoSidewaysScroll(page, 'Notification settings on a phone');
    await page.setViewportSize(VIEWPORTS.desktop);
  });
});
