import { ConfigError, loadConfig } from './app-config';

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, ...env });

describe('Slack and Teams settings', () => {
  it('are off by default, with Slack’s own API address', () => {
    const config = load({});
    expect([config.slackBotToken, config.slackWebhookUrl, config.teamsWebhookUrl]).toEqual([undefined, undefined, undefined]);
    expect(config.slackApiUrl).toBe('https://slack.com/api/');
  });

  it('take a bot token, an incoming webhook, an API address (ending in /) and a Teams URL', () => {
    const config = load({
      SLACK_BOT_TOKEN: 'xoxb-123-456-abcdef',
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/webhookb2/x',
    });
    expect(config).toMatchObject({
      slackBotToken: 'xoxb-123-456-abcdef',
      slackWebhookUrl: 'https://hooks.slack.com/services/T/B/X',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      teamsWebhookUrl: 'https://example.webhook.office.com/webhookb2/x',
    });
  });

  it('refuse a token that is not a bot token and URLs that are not http(s), without echoing the secret', () => {
    for (const token of ['xoxp-123-456-abcdef', 'secret', 'xoxb-']) expect(() => load({ SLACK_BOT_TOKEN: token })).toThrow(ConfigError);
    try {
      load({ SLACK_BOT_TOKEN: 'xoxp-user-token-value' });
    } catch (err) {
      expect((err as Error).message).not.toContain('xoxp-user-token-value');
    }
    for (const name of ['SLACK_WEBHOOK_URL', 'SLACK_API_URL', 'TEAMS_WEBHOOK_URL'])
      expect(() => load({ [name]: 'ftp://example.com/x' })).toThrow(ConfigError);
  });
});
