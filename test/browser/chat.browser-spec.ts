import { Page } from 'playwright-core';
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
import { startSlackReceiver } from '../support/slack-receiver';

/** The administrator's Slack and Teams page, in Chromium, against a local emulation of Slack's Web API and a Teams webhook. */
describe('In the browser: Slack and Teams settings', () => {
  let base: string;
  let page: Page;
  let close: () => Promise<void>;
  let slack: Awaited<ReturnType<typeof startSlackReceiver>>;

  beforeAll(async () => {
    slack = await startSlackReceiver();
    ({ base, page, close } = await startDemoInBrowser({
      WEBHOOKS_ALLOW_PRIVATE: 'true',
      SLACK_BOT_TOKEN: 'xoxb-browser-test-token-0123',
      SLACK_API_URL: slack.apiUrl,
      TEAMS_WEBHOOK_URL: slack.teamsUrl,
    }));
  });
  afterAll(async () => {
    await close?.();
    await slack?.close();
  });

  it('lets the admin route events to channels and Teams, refuses a bad channel on the page, and send test messages', async () => {
    await signInAs(page, base, 'admin@demo.stackgate.local', DEMO_PASSWORD);
    await page.goto(`${base}/admin/users`);
    await page.getByRole('link', { name: 'Slack and Teams' }).click();
    await expectText(heading(page), 'Slack and Teams');
    await expectText(page.locator('main'), /Slack app \(bot token\): channel messages, direct messages/);

    await page.getByLabel('Request submitted', { exact: true }).fill('Martech Reviews');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(page.locator('.field-error').first(), /^Enter a channel as #name/);
    await page.getByLabel('Request submitted', { exact: true }).fill('#martech-reviews');
    await page.getByLabel('Contract renewal due', { exact: true }).fill('finance-renewals');
    await page.getByRole('checkbox', { name: 'Tool registered to Teams' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expectText(flash(page), 'Chat settings saved');
    expect(await page.getByLabel('Contract renewal due', { exact: true }).inputValue()).toBe('#finance-renewals');
    expect(await page.getByRole('checkbox', { name: 'Tool registered to Teams' }).isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Send a test message' }).click();
    await expectText(flash(page), 'Test message sent to #martech-reviews');
    expect(slack.posts().map((post) => post.args.channel)).toEqual(['#martech-reviews']);
    slack.plan('/api/chat.postMessage', { error: 'not_in_channel' });
    await page.getByLabel('Slack channel (optional)').fill('private-launches');
    await page.getByRole('button', { name: 'Send a test message' }).click();
    await expectText(page.locator('[role="alert"]').first(), /not_in_channel/);
    await page.reload();
    await expectText(page.getByRole('row', { name: /private-launches/ }), /not_in_channel/);
    await expectAccessible(page, 'Slack and Teams settings');
    await screenshot(page, 'chat-settings');
    for (const [label, size] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(size);
      await expectNoSidewaysScroll(page, `chat page at ${label}`);
    }
    await page.setViewportSize(VIEWPORTS.desktop);
  });
});
