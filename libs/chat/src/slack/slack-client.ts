import { Logger } from '@nestjs/common';
import { LogLevel, WebClient } from '@slack/web-api';
import type { Logger as SlackLogger } from '@slack/web-api';
import type { AppConfig } from '@stackgate/platform';

/** Who calls Slack: the chat outbox (ChatDeliveryJob) or the interactivity endpoint (SlackApi). */
export type SlackCaller = 'outbox' | 'interactions';

/** How long one interactivity call may take: Slack wants the answer to an interaction within 3 seconds. */
export const SLACK_INTERACTION_CALL_TIMEOUT_MS = 2500;

type SlackClientConfig = Pick<AppConfig, 'slackBotToken' | 'slackApiUrl' | 'webhooksTimeoutSeconds'>;

/**
 * The Slack Web API client, built here only: the bot token (SLACK_BOT_TOKEN) against SLACK_API_URL (tests
 * point it at a receiver on 127.0.0.1); no retries by the SDK (a retry belongs to Stackgate: the outbox
 * backs off itself, an interaction reports the failure); rate-limited calls fail at once; method names
 * only, never an absolute URL that would carry the token elsewhere; every call bounded (the outbox's as an
 * outgoing webhook's, WEBHOOKS_TIMEOUT_SECONDS; an interaction's within Slack's 3 seconds); the SDK's
 * warnings in the app's log, never its debug lines. Null without a bot token.
 */
export function slackWebClient(config: SlackClientConfig, caller: SlackCaller): WebClient | null {
  if (!config.slackBotToken) return null;
  return new WebClient(config.slackBotToken, {
    slackApiUrl: config.slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: caller === 'interactions' ? SLACK_INTERACTION_CALL_TIMEOUT_MS : config.webhooksTimeoutSeconds * 1000,
    allowAbsoluteUrls: false,
    logger: appLogger(),
  });
}

/** The SDK's own logging, routed to the app's logger at warn level (its debug chatter, which shows request bodies, is dropped). */
function appLogger(): SlackLogger {
  const logger = new Logger('SlackWebApi');
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...message: unknown[]) => logger.warn(message.map(String).join(' ')),
    error: (...message: unknown[]) => logger.warn(message.map(String).join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
