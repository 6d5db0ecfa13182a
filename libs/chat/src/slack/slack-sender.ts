import { ErrorCode } from '@slack/web-api';
import type { WebClient } from '@slack/web-api';
import type { AppConfig } from '@stackgate/platform';
import { ChatOutcome, slackErrorOutcome } from '../chat-outcome';

/** How Stackgate reaches Slack: a bot (Web API), an incoming webhook (channel messages only), or not at all. */
export type SlackMode = 'BOT' | 'WEBHOOK' | 'NONE';

export function slackMode(config: Pick<AppConfig, 'slackBotToken' | 'slackWebhookUrl'>): SlackMode {
  return config.slackBotToken ? 'BOT' : config.slackWebhookUrl ? 'WEBHOOK' : 'NONE';
}

interface SlackFailure {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/** What an error the Web API client threw means for the outbox. */
export function slackThrownOutcome(err: unknown): ChatOutcome {
  const failure = err as SlackFailure;
  switch (failure?.code) {
    case ErrorCode.PlatformError:
      return slackErrorOutcome(failure.data?.error ?? 'unknown_error');
    case ErrorCode.RateLimitedError:
      return { kind: 'retry', error: 'ratelimited (HTTP 429)', retryAfterMs: (failure.retryAfter ?? 60) * 1000 };
    case ErrorCode.HTTPError: {
      const status = failure.statusCode ?? 0;
      return status >= 500 || status === 408 ? { kind: 'retry', error: `HTTP ${status}` } : { kind: 'failed', error: `HTTP ${status}` };
    }
    default:
      // RequestError: no answer (refused, reset, timed out)
      return { kind: 'retry', error: (failure?.message ?? String(err)).slice(0, 300) };
  }
}

/** Posts a message with the bot; answers the posted message's channel id and ts. */
export async function postSlackMessage(
  client: WebClient,
  channel: string,
  message: { text?: string; blocks?: unknown[] },
): Promise<ChatOutcome> {
  try {
    const answer = await client.chat.postMessage({
      channel,
      text: message.text ?? '',
      blocks: message.blocks as never,
      unfurl_links: false,
      unfurl_media: false,
    });
    return { kind: 'delivered', slackChannelId: answer.channel ?? null, slackTs: answer.ts ?? null };
  } catch (err) {
    return slackThrownOutcome(err);
  }
}

/** The Slack user with this e-mail: their id, null when Slack has none (users_not_found), or the outcome of a failed lookup. */
export async function lookupSlackUser(client: WebClient, email: string): Promise<{ userId: string | null } | { outcome: ChatOutcome }> {
  try {
    const answer = await client.users.lookupByEmail({ email });
    return { userId: answer.user?.id ?? null };
  } catch (err) {
    const outcome = slackThrownOutcome(err);
    if (outcome.kind === 'skipped') return { userId: null };
    return { outcome };
  }
}
