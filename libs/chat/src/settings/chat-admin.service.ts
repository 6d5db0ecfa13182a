import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThan } from 'typeorm';
import { APP_CONFIG, AppConfig, insertRows } from '@stackgate/platform';
import { ChatDeliveryJob } from '../chat-delivery.job';
import { ChatMessage, ChatMessageStatus, ChatTarget } from '../chat-message.entity';
import type { ChatNotice } from '../chat-notice';
import { baseUrlOf, chatRow } from '../chat-outbox';
import { ChatError, ChatErrorCode } from '../chat.errors';
import { ChatMessageResponse, ChatStatusResponse, ChatTestDto } from '../dto/chat-settings.dto';
import { slackMessage } from '../slack/block-kit';
import { slackMode } from '../slack/slack-sender';
import { teamsMessage } from '../teams/adaptive-card';
import { ChatSettingsService, normaliseChannel } from './chat-settings.service';

export const toMessageResponse = (row: ChatMessage): ChatMessageResponse => ({
  id: row.id,
  target: row.target,
  eventType: row.eventType,
  channel: row.channel,
  status: row.status,
  attempts: row.attempts,
  lastError: row.lastError,
  lastAttemptAt: row.lastAttemptAt,
  nextAttemptAt: row.nextAttemptAt,
  deliveredAt: row.deliveredAt,
  slackChannelId: row.slackChannelId,
  slackTs: row.slackTs,
  createdAt: row.createdAt,
});

export const CHAT_TEST_EVENT = 'chat.test';

/** The admin page's status (how chat is configured, last delivery, recent failures) and its test message. */
@Injectable()
export class ChatAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: ChatSettingsService,
    private readonly job: ChatDeliveryJob,
  ) {}

  async status(): Promise<ChatStatusResponse> {
    const repo = this.dataSource.getRepository(ChatMessage);
    const grouped = await repo
      .createQueryBuilder('m')
      .select('m.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('m.status')
      .getRawMany<{ status: string; count: string | number }>();
    const counts = Object.fromEntries(Object.values(ChatMessageStatus).map((status) => [status, 0])) as Record<string, number>;
    for (const group of grouped) counts[group.status] = Number(group.count);
    const last = await repo.findOne({ where: { status: ChatMessageStatus.DELIVERED }, order: { deliveredAt: 'DESC' } });
    const failures = await repo.find({
      where: { status: In([ChatMessageStatus.FAILED, ChatMessageStatus.SKIPPED]) },
      order: { lastAttemptAt: 'DESC', id: 'DESC' },
      take: 20,
    });
    const retrying = await repo.find({
      where: { status: ChatMessageStatus.PENDING, attempts: MoreThan(0) },
      order: { lastAttemptAt: 'DESC' },
      take: 10,
    });
    return {
      slack: slackMode(this.config),
      teams: !!this.config.teamsWebhookUrl,
      actions: slackMode(this.config) === 'BOT' && !!this.config.slackSigningSecret,
      problem: this.settings.configProblem(),
      lastDeliveredAt: last?.deliveredAt ?? null,
      counts,
      recentFailures: [...retrying, ...failures].map(toMessageResponse),
    };
  }

  /** Writes a test message to the chosen target and sends it at once; answers how it went (Slack's error text included). */
  async sendTest(dto: ChatTestDto): Promise<ChatMessageResponse> {
    const notice: ChatNotice = {
      eventType: CHAT_TEST_EVENT,
      title: 'Stackgate test message',
      summary: 'Stackgate can post here. Requests, decisions, renewals and new tools appear in the channels chosen in the chat settings.',
      fields: [],
      link: { url: `${baseUrlOf(this.config)}/admin/chat`, label: 'Open the chat settings in Stackgate' },
      entityType: 'ChatSettings',
      entityId: '',
    };
    const now = new Date();
    let row: ChatMessage;
    if (dto.target === 'TEAMS') {
      if (!this.config.teamsWebhookUrl)
        throw new ChatError(ChatErrorCode.CHAT_NOT_CONFIGURED, 'Teams is not configured: set TEAMS_WEBHOOK_URL');
      row = chatRow(
        { target: ChatTarget.TEAMS, eventType: CHAT_TEST_EVENT, routeKey: 'test:teams', payload: { teams: teamsMessage(notice) } },
        now,
      );
    } else {
      const mode = slackMode(this.config);
      if (mode === 'NONE')
        throw new ChatError(ChatErrorCode.CHAT_NOT_CONFIGURED, 'Slack is not configured: set SLACK_BOT_TOKEN or SLACK_WEBHOOK_URL');
      const routed = Object.values((await this.settings.read()).slackChannels)[0];
      const channel = dto.channel ? normaliseChannel(dto.channel) : routed;
      if (mode === 'BOT' && !channel)
        throw new ChatError(ChatErrorCode.CHAT_SETTINGS_INVALID, 'Name the channel to test (no channel is routed yet)', {
          channel: 'required',
        });
      row = chatRow(
        {
          target: ChatTarget.SLACK_CHANNEL,
          eventType: CHAT_TEST_EVENT,
          channel: mode === 'BOT' ? (channel ?? null) : null,
          routeKey: `test:slack:${channel ?? 'webhook'}`,
          payload: slackMessage(notice, { withButtons: false }),
        },
        now,
      );
    }
    row.entityType = null;
    row.entityId = null;
    await insertRows(this.dataSource.manager, ChatMessage, [row]);
    const sent = await this.job.deliverNow(row.id, now);
    return toMessageResponse(sent ?? row);
  }
}
