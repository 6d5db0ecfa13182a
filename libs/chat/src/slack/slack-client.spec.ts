import { Logger } from '@nestjs/common';
import type { Logger as SlackLogger } from '@slack/web-api';
import { SLACK_INTERACTION_CALL_TIMEOUT_MS, slackWebClient } from './slack-client';

const config = { slackBotToken: 'xoxb-test', slackApiUrl: 'http://127.0.0.1:9/api/', webhooksTimeoutSeconds: 7 };

/** The client's settings as the SDK keeps them. */
function settingsOf(caller: 'outbox' | 'interactions') {
  const client = slackWebClient(config, caller) as unknown as Record<string, unknown> | null;
  if (!client) throw new Error('no client');
  const { token, slackApiUrl, retryConfig, rejectRateLimitedCalls, allowAbsoluteUrls, timeout } = client;
  return { token, slackApiUrl, retryConfig, rejectRateLimitedCalls, allowAbsoluteUrls, timeout };
}

describe('the Slack Web API client', () => {
  it('is built alike for the outbox and the interactivity endpoint, each with its own call bound', () => {
    const shared = {
      token: 'xoxb-test',
      slackApiUrl: 'http://127.0.0.1:9/api/',
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      allowAbsoluteUrls: false,
    };
    expect(settingsOf('outbox')).toEqual({ ...shared, timeout: 7000 });
    expect(settingsOf('interactions')).toEqual({ ...shared, timeout: SLACK_INTERACTION_CALL_TIMEOUT_MS });
  });

  it('is not built without a bot token', () => {
    expect(slackWebClient({ ...config, slackBotToken: undefined }, 'outbox')).toBeNull();
    expect(slackWebClient({ ...config, slackBotToken: '' }, 'interactions')).toBeNull();
  });

  it("logs the SDK's warnings and errors through the app's logger and drops its debug lines (they show request bodies)", () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const { logger } = slackWebClient(config, 'outbox') as unknown as { logger: SlackLogger };
      logger.debug('http request body: token=xoxb-test');
      logger.info('initialized');
      logger.warn('http request failed', 'connect ECONNREFUSED');
      logger.error('invalid_arguments');
      expect(warn.mock.calls.map(([message]) => message as unknown)).toEqual([
        'http request failed connect ECONNREFUSED',
        'invalid_arguments',
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});
