import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, updateVersioned, withTransaction } from '@stackgate/platform';
import { webhookUrlProblem } from '@stackgate/webhooks';
import { ChatSettingsRow } from '../chat-settings.entity';
import { ChatSettingsResponse, UpdateChatSettingsDto } from '../dto/chat-settings.dto';
import { slackMode } from '../slack/slack-sender';

/** The id of the one chat_settings row (written by the migration). */
export const CHAT_SETTINGS_ID = '00000000-0000-7000-8000-00000000c4a7';

/** Channel names as Slack's API takes them: `#name`; ids as they are. */
export function normaliseChannel(channel: string): string {
  return /^[CG][A-Z0-9]{8,20}$/.test(channel) || channel.startsWith('#') ? channel : `#${channel}`;
}

export function toSettingsResponse(row: ChatSettingsRow): ChatSettingsResponse {
  return {
    slackChannels: row.slackChannels,
    teamsEvents: row.teamsEvents,
    directMessages: row.directMessages,
    version: row.version,
    updatedAt: row.updatedAt,
  };
}

/** The chat settings (ADMIN): which channel hears which event type, DMs, Teams; every change audited. */
@Injectable()
export class ChatSettingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** The settings row, read in `manager`'s transaction (the outbox reads it in the change's own). */
  async read(manager: EntityManager = this.dataSource.manager): Promise<ChatSettingsRow> {
    const row = await manager.getRepository(ChatSettingsRow).findOneBy({ id: CHAT_SETTINGS_ID });
    if (row) return row;
    // Only when the migration's row was deleted by hand: nothing routed, DMs on.
    return Object.assign(new ChatSettingsRow(), {
      id: CHAT_SETTINGS_ID,
      slackChannels: {},
      teamsEvents: [],
      directMessages: true,
      updatedById: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
      version: 1,
    });
  }

  async get(): Promise<ChatSettingsResponse> {
    return toSettingsResponse(await this.read());
  }

  async update(actor: AuthUser, dto: UpdateChatSettingsDto): Promise<ChatSettingsResponse> {
    const slackChannels: Record<string, string> = {};
    for (const [type, channel] of Object.entries(dto.slackChannels ?? {}))
      if (typeof channel === 'string' && channel.trim()) slackChannels[type] = normaliseChannel(channel.trim());
    const teamsEvents = [...new Set(dto.teamsEvents)].sort();
    await withTransaction(this.dataSource, async (manager) => {
      const before = await this.read(manager);
      await updateVersioned(manager, ChatSettingsRow, 'Chat settings', CHAT_SETTINGS_ID, dto.version, {
        slackChannels,
        teamsEvents,
        directMessages: dto.directMessages,
        updatedById: actor.id,
      });
      await this.audit.record(manager, {
        action: 'chat.settings_changed',
        entityType: 'ChatSettings',
        entityId: CHAT_SETTINGS_ID,
        before: { slackChannels: before.slackChannels, teamsEvents: before.teamsEvents, directMessages: before.directMessages },
        after: { slackChannels, teamsEvents, directMessages: dto.directMessages },
      });
    });
    return this.get();
  }

  /** Why the configured incoming-webhook URLs may not be used (the webhook URL policy), or null. */
  configProblem(): string | null {
    const problems: string[] = [];
    for (const [name, url] of [
      ['SLACK_WEBHOOK_URL', slackMode(this.config) === 'WEBHOOK' ? this.config.slackWebhookUrl : undefined],
      ['TEAMS_WEBHOOK_URL', this.config.teamsWebhookUrl],
      ['SLACK_API_URL', slackMode(this.config) === 'BOT' ? this.config.slackApiUrl : undefined],
    ] as const) {
      const problem = url ? webhookUrlProblem(url, this.config.webhooksAllowPrivate) : null;
      if (problem) problems.push(`${name} ${problem}`);
    }
    return problems.length ? problems.join('; ') : null;
  }
}
