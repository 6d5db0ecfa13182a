import { Inject, Injectable } from '@nestjs/common';
import type { WebClient } from '@slack/web-api';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { slackWebClient } from '../slack/slack-client';

/** The parts of a Slack account that decide whether it maps to a Stackgate user. */
export interface SlackAccount {
  email: string | null;
  /** false when Slack says the address is not confirmed; null when Slack does not say. */
  emailConfirmed: boolean | null;
  deleted: boolean;
  bot: boolean;
}

/**
 * The Slack Web API calls of the interactivity endpoint, through the shared client (slackWebClient: bot
 * token, SLACK_API_URL, no SDK retries, each call bounded to answer within Slack's 3 seconds); a failure
 * is thrown to the caller, which logs it.
 */
@Injectable()
export class SlackApi {
  private readonly client: WebClient | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = slackWebClient(config, 'interactions');
  }

  /** Whether a bot token is configured (without one nobody can be identified or told anything). */
  get configured(): boolean {
    return this.client !== null;
  }

  private web(): WebClient {
    if (!this.client) throw new Error('SLACK_BOT_TOKEN is not set: Stackgate cannot call Slack');
    return this.client;
  }

  /** users.info: the account's profile e-mail (needs the users:read and users:read.email scopes); null when Slack knows no such user. */
  async account(slackUserId: string): Promise<SlackAccount | null> {
    let answer;
    try {
      answer = await this.web().users.info({ user: slackUserId });
    } catch (err) {
      // Slack's answer for an id it does not know (another workspace, a removed account): no account, not a failure.
      if ((err as { data?: { error?: string } }).data?.error === 'user_not_found') return null;
      throw err;
    }
    const user = answer.user ?? {};
    return {
      email: user.profile?.email?.trim() || null,
      emailConfirmed: typeof user.is_email_confirmed === 'boolean' ? user.is_email_confirmed : null,
      deleted: user.deleted === true,
      bot: user.is_bot === true,
    };
  }

  async openView(triggerId: string, view: Record<string, unknown>): Promise<void> {
    await this.web().views.open({ trigger_id: triggerId, view: view as never });
  }

  async updateMessage(channel: string, ts: string, text: string, blocks: Record<string, unknown>[]): Promise<void> {
    await this.web().chat.update({ channel, ts, text, blocks: blocks as never });
  }

  /** A message only `slackUserId` sees, in the channel (or DM) where they clicked. */
  async tellPrivately(channel: string, slackUserId: string, text: string): Promise<void> {
    await this.web().chat.postEphemeral({ channel, user: slackUserId, text });
  }
}
