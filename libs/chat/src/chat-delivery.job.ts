import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { WebClient } from '@slack/web-api';
import { Brackets, DataSource, In, LessThan } from 'typeorm';
import { APP_CONFIG, AppConfig, JobScheduler, withTransaction } from '@stackgate/platform';
import { retryDelayMs } from '@stackgate/webhooks';
import { ChatMessage, ChatMessageStatus, ChatTarget } from './chat-message.entity';
import { ChatOutcome, webhookAnswerOutcome } from './chat-outcome';
import { ChatSlackUser } from './slack-user.entity';
import { postJson } from './http-post';
import { ChatSettingsService } from './settings/chat-settings.service';
import { slackWebClient } from './slack/slack-client';
import { lookupSlackUser, postSlackMessage, slackMode } from './slack/slack-sender';

export const CHAT_JOB = 'chat-delivery';
/** Attempts of one message before it is given up (FAILED). */
export const CHAT_MAX_ATTEMPTS = 8;
/** The first retry's delay; each further one doubles (with jitter), at most 6 hours. */
export const CHAT_RETRY_BASE_SECONDS = 30;
/** Delivered and skipped messages are deleted after this many days; failed ones after CHAT_FAILED_RETENTION_DAYS. */
export const CHAT_RETENTION_DAYS = 30;
export const CHAT_FAILED_RETENTION_DAYS = 90;
/** How long a users.lookupByEmail answer (found or not) is trusted. */
export const SLACK_USER_TTL_HOURS = 24;
const BATCH = 50;
const UNFINISHED = [ChatMessageStatus.PENDING, ChatMessageStatus.SENDING];

/**
 * Delivers the chat outbox on every scheduler tick, on every instance: each message is claimed by one
 * conditional UPDATE (PENDING → SENDING with a claim that expires), so it is posted once however many
 * instances run; messages of one route (a Slack channel, Teams, one person's DMs) go out in the order
 * they were written. Slack's 429 moves the message to its Retry-After (and pauses Slack for the rest of
 * the pass); permanent errors fail at once; transient ones back off exponentially with jitter.
 */
@Injectable()
export class ChatDeliveryJob implements OnModuleInit {
  private readonly logger = new Logger('ChatDelivery');
  private client: WebClient | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly settings: ChatSettingsService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: CHAT_JOB, run: async (now) => void (await this.run(now)) });
  }

  private slack(): WebClient {
    this.client ??= slackWebClient(this.config, 'outbox');
    if (!this.client) throw new Error('SLACK_BOT_TOKEN is not set: Stackgate cannot call Slack');
    return this.client;
  }

  /** One pass: forgets old messages, then sends what is due at `now`; answers how many attempts were made. */
  async run(now = new Date()): Promise<number> {
    await this.forgetOld(now);
    const due = await this.dataSource
      .getRepository(ChatMessage)
      .createQueryBuilder('m')
      .where(
        new Brackets((w) =>
          w
            .where('m.status = :pending AND m.nextAttemptAt <= :now', { pending: ChatMessageStatus.PENDING, now })
            .orWhere('m.status = :sending AND m.claimedUntil < :now', { sending: ChatMessageStatus.SENDING }),
        ),
      )
      .orderBy('m.createdAt', 'ASC')
      .addOrderBy('m.position', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .take(BATCH)
      .getMany();
    let attempts = 0;
    let slackPaused = false;
    for (const message of due) {
      const viaSlackApi =
        message.target === ChatTarget.SLACK_DM || (message.target === ChatTarget.SLACK_CHANNEL && slackMode(this.config) === 'BOT');
      if (slackPaused && viaSlackApi) continue;
      if (await this.waitsForEarlier(message)) continue;
      if (!(await this.claim(message, now))) continue;
      const outcome = await this.attempt(message, now);
      attempts++;
      if (viaSlackApi && outcome.kind === 'retry' && outcome.retryAfterMs !== undefined) slackPaused = true;
    }
    return attempts;
  }

  /** Claims and sends one message now (the admin page's test message); answers the row as it ends up. */
  async deliverNow(id: string, now = new Date()): Promise<ChatMessage | null> {
    const message = await this.dataSource.getRepository(ChatMessage).findOneBy({ id });
    if (message && (await this.claim(message, now))) await this.attempt(message, now);
    return this.dataSource.getRepository(ChatMessage).findOneBy({ id });
  }

  private async forgetOld(now: Date): Promise<void> {
    const day = 24 * 3600_000;
    await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(ChatMessage);
      await repo.delete({
        status: In([ChatMessageStatus.DELIVERED, ChatMessageStatus.SKIPPED]),
        createdAt: LessThan(new Date(now.getTime() - CHAT_RETENTION_DAYS * day)),
      });
      await repo.delete({
        status: ChatMessageStatus.FAILED,
        createdAt: LessThan(new Date(now.getTime() - CHAT_FAILED_RETENTION_DAYS * day)),
      });
    });
  }

  /** True while an earlier message of the same route is not yet delivered (or given up). */
  private async waitsForEarlier(message: ChatMessage): Promise<boolean> {
    const earlier = await this.dataSource
      .getRepository(ChatMessage)
      .createQueryBuilder('m')
      .where('m.routeKey = :key AND m.status IN (:...open) AND m.id <> :id', { key: message.routeKey, open: UNFINISHED, id: message.id })
      .andWhere(
        new Brackets((w) =>
          w
            .where('m.createdAt < :at', { at: message.createdAt })
            .orWhere('m.createdAt = :at AND m.position < :position', { position: message.position })
            .orWhere('m.createdAt = :at AND m.position = :position AND m.id < :id'),
        ),
      )
      .getCount();
    return earlier > 0;
  }

  private async claim(message: ChatMessage, now: Date): Promise<boolean> {
    const claimedUntil = new Date(now.getTime() + this.config.webhooksTimeoutSeconds * 2000 + 60_000);
    const res = await withTransaction(this.dataSource, (m) =>
      m
        .createQueryBuilder()
        .update(ChatMessage)
        .set({ status: ChatMessageStatus.SENDING, claimedUntil, updatedAt: new Date() })
        .where('id = :id', { id: message.id })
        .andWhere(
          new Brackets((w) =>
            w
              .where('status = :pending', { pending: ChatMessageStatus.PENDING })
              .orWhere('status = :sending AND claimedUntil < :now', { sending: ChatMessageStatus.SENDING, now }),
          ),
        )
        .execute(),
    );
    return res.affected === 1;
  }

  private async attempt(message: ChatMessage, now: Date): Promise<ChatOutcome> {
    let outcome: ChatOutcome;
    try {
      outcome = await this.send(message, now);
    } catch (err) {
      outcome = { kind: 'retry', error: (err as Error).message.slice(0, 300) };
    }
    const attempts = message.attempts + 1;
    const givenUp = outcome.kind === 'retry' && attempts >= CHAT_MAX_ATTEMPTS;
    const status = {
      delivered: ChatMessageStatus.DELIVERED,
      failed: ChatMessageStatus.FAILED,
      skipped: ChatMessageStatus.SKIPPED,
      retry: givenUp ? ChatMessageStatus.FAILED : ChatMessageStatus.PENDING,
    }[outcome.kind];
    const error = outcome.kind === 'delivered' ? null : givenUp ? `${outcome.error} (gave up after ${attempts} attempts)` : outcome.error;
    const wait = outcome.kind === 'retry' ? (outcome.retryAfterMs ?? retryDelayMs(attempts, CHAT_RETRY_BASE_SECONDS)) : 0;
    await withTransaction(this.dataSource, (m) =>
      m.getRepository(ChatMessage).update(
        { id: message.id },
        {
          status,
          attempts,
          lastAttemptAt: new Date(),
          lastError: error,
          nextAttemptAt: status === ChatMessageStatus.PENDING ? new Date(now.getTime() + wait) : null,
          claimedUntil: null,
          deliveredAt: outcome.kind === 'delivered' ? new Date() : null,
          ...(outcome.kind === 'delivered' ? { slackChannelId: outcome.slackChannelId ?? null, slackTs: outcome.slackTs ?? null } : {}),
          updatedAt: new Date(),
        },
      ),
    );
    if (outcome.kind === 'failed' || givenUp)
      this.logger.warn({ msg: 'chat message failed', messageId: message.id, target: message.target, attempts, err: error });
    return outcome;
  }

  private async send(message: ChatMessage, now: Date): Promise<ChatOutcome> {
    const problem = this.settings.configProblem();
    if (problem) return { kind: 'failed', error: problem };
    const timeout = { timeoutMs: this.config.webhooksTimeoutSeconds * 1000, allowPrivate: this.config.webhooksAllowPrivate };
    const mode = slackMode(this.config);
    switch (message.target) {
      case ChatTarget.TEAMS: {
        if (!this.config.teamsWebhookUrl) return { kind: 'failed', error: 'Teams is not configured (TEAMS_WEBHOOK_URL)' };
        const answer = await postJson(this.config.teamsWebhookUrl, message.payload.teams, timeout);
        return webhookAnswerOutcome(answer.status, answer.body, answer.retryAfter, answer.error);
      }
      case ChatTarget.SLACK_CHANNEL: {
        const body = { text: message.payload.text, blocks: message.payload.blocks };
        if (mode === 'BOT') return postSlackMessage(this.slack(), message.channel ?? '', body);
        if (mode === 'WEBHOOK') {
          const answer = await postJson(this.config.slackWebhookUrl!, body, timeout);
          return webhookAnswerOutcome(answer.status, answer.body, answer.retryAfter, answer.error);
        }
        return { kind: 'failed', error: 'Slack is not configured (SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL)' };
      }
      case ChatTarget.SLACK_DM: {
        if (mode !== 'BOT') return { kind: 'failed', error: 'Direct messages need SLACK_BOT_TOKEN' };
        const user = await this.slackUser(message.recipientEmail ?? '', now);
        if ('outcome' in user) return user.outcome;
        if (!user.userId) return { kind: 'skipped', error: 'users_not_found: no Slack account has this e-mail address' };
        return postSlackMessage(this.slack(), user.userId, { text: message.payload.text, blocks: message.payload.blocks });
      }
      default:
        return { kind: 'failed', error: `unknown target ${String(message.target)}` };
    }
  }

  /** The Slack user of an e-mail address: from the cache while it is fresh, else users.lookupByEmail (then cached). */
  private async slackUser(email: string, now: Date) {
    const key = email.trim().toLowerCase();
    const repo = this.dataSource.getRepository(ChatSlackUser);
    const cached = await repo.findOneBy({ email: key });
    if (cached && cached.checkedAt.getTime() > now.getTime() - SLACK_USER_TTL_HOURS * 3600_000) return { userId: cached.slackUserId };
    const found = await lookupSlackUser(this.slack(), key);
    if ('outcome' in found) return found;
    await withTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(ChatSlackUser).delete({ email: key });
      await manager.getRepository(ChatSlackUser).insert({ email: key, slackUserId: found.userId, checkedAt: now });
    }).catch(() => undefined); // another instance cached it at the same moment: theirs is as good
    return found;
  }
}
