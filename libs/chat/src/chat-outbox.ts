import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditListeners } from '@stackgate/audit';
import type { AuditEvent } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationSinks } from '@stackgate/notifications';
import type { Notification } from '@stackgate/notifications';
import { APP_CONFIG, AppConfig, insertRows, uuidv7 } from '@stackgate/platform';
import { RequestQueriesService } from '@stackgate/procurement';
import { SOURCE_ACTIONS, WebhookEventType, webhookEventsFor } from '@stackgate/webhooks';
import type { DomainEventDraft } from '@stackgate/webhooks';
import { ChatMessage, ChatMessageStatus, ChatPayload, ChatTarget } from './chat-message.entity';
import type { ChatNotice } from './chat-notice';
import { noticeFor, REVIEW_NEEDED, reviewNeededNotice } from './chat-notices';
import { ChatSettingsService } from './settings/chat-settings.service';
import { slackMessage } from './slack/block-kit';
import { slackMode } from './slack/slack-sender';
import { teamsMessage } from './teams/adaptive-card';

/** Orders the rows this process writes within one millisecond (int column: wraps long before 2^31). */
let counter = 0;
const nextPosition = () => (counter = (counter + 1) % 1_000_000_000);

/** Stackgate's address in links (PUBLIC_URL), without a trailing slash. */
export const baseUrlOf = (config: AppConfig) => (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, '');

/** A row of the chat outbox, due now. */
export function chatRow(
  fields: Pick<ChatMessage, 'target' | 'eventType' | 'routeKey' | 'payload'> & Partial<ChatMessage>,
  now: Date,
): ChatMessage {
  return Object.assign(new ChatMessage(), {
    id: uuidv7(now.getTime()),
    channel: null,
    recipientId: null,
    recipientEmail: null,
    entityType: null,
    entityId: null,
    position: nextPosition(),
    status: ChatMessageStatus.PENDING,
    attempts: 0,
    nextAttemptAt: now,
    claimedUntil: null,
    lastAttemptAt: null,
    lastError: null,
    slackChannelId: null,
    slackTs: null,
    deliveredAt: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  });
}

/**
 * The chat outbox's writer. As an audit listener it turns the audit trail's domain events (the webhook
 * vocabulary) into Slack channel messages and Teams cards per the settings; as a notification sink it
 * turns each stage-opened notification (review-needed) into a Slack DM to its recipient with the decision
 * buttons. Both write in the change's transaction; nothing is written when chat is not configured.
 */
@Injectable()
export class ChatOutbox implements OnModuleInit {
  readonly actions = SOURCE_ACTIONS;
  /** Direct messages follow each person's "Slack DM" preference per event (NotificationSinks filters the rows). */
  readonly channel = 'slack' as const;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly listeners: AuditListeners,
    private readonly sinks: NotificationSinks,
    private readonly settings: ChatSettingsService,
    private readonly people: PeopleDirectory,
    private readonly requests: RequestQueriesService,
    private readonly catalog: CatalogQueries,
  ) {}

  onModuleInit(): void {
    this.listeners.register(this);
    this.sinks.register(this);
  }

  async onEvents(manager: EntityManager, auditEvents: readonly AuditEvent[]): Promise<void> {
    const slack = slackMode(this.config);
    const teams = !!this.config.teamsWebhookUrl;
    if (slack === 'NONE' && !teams) return;
    const drafts = auditEvents.flatMap((event) => webhookEventsFor(event));
    if (!drafts.length) return;
    const settings = await this.settings.read(manager);
    const channelOf = (draft: DomainEventDraft) => (slack !== 'NONE' ? settings.slackChannels[draft.type] : undefined);
    const toTeams = (draft: DomainEventDraft) => teams && settings.teamsEvents.includes(draft.type);
    const wanted = drafts.filter((draft) => channelOf(draft) || toTeams(draft));
    if (!wanted.length) return;
    const facts = await this.facts(manager, wanted);
    const now = new Date();
    const rows: ChatMessage[] = [];
    for (const draft of wanted) {
      const notice = noticeFor(draft, { ...facts, request: facts.requests.get(draft.resourceId) });
      if (!notice) continue;
      const common = { eventType: draft.type, entityType: notice.entityType, entityId: notice.entityId };
      const channel = channelOf(draft);
      if (channel)
        rows.push(
          chatRow(
            {
              ...common,
              target: ChatTarget.SLACK_CHANNEL,
              channel,
              routeKey: slack === 'BOT' ? `slack:${channel}` : 'slack:webhook',
              payload: this.slackPayload(notice),
            },
            now,
          ),
        );
      if (toTeams(draft))
        rows.push(chatRow({ ...common, target: ChatTarget.TEAMS, routeKey: 'teams', payload: { teams: teamsMessage(notice) } }, now));
    }
    if (rows.length) await insertRows(manager, ChatMessage, rows);
  }

  /** The stage-opened notifications as Slack DMs (bot only, when DMs are on); the Slack user is looked up at delivery. */
  async onNotifications(manager: EntityManager, notifications: readonly Notification[]): Promise<void> {
    const reviews = notifications.filter((row) => row.event === REVIEW_NEEDED && row.data?.requestId);
    if (!reviews.length || slackMode(this.config) !== 'BOT') return;
    if (!(await this.settings.read(manager)).directMessages) return;
    const requestIds = reviews.map((row) => String(row.data!.requestId));
    const requests = await this.requests.facts(requestIds, manager);
    const people = await this.names(
      manager,
      [...requests.values()].map((request) => request.requesterId),
    );
    const now = new Date();
    const rows = reviews.map((row) => {
      const notice = reviewNeededNotice(row.data!, requests.get(String(row.data!.requestId)), { baseUrl: baseUrlOf(this.config), people });
      return chatRow(
        {
          target: ChatTarget.SLACK_DM,
          eventType: REVIEW_NEEDED,
          routeKey: `dm:${row.recipientId}`,
          recipientId: row.recipientId,
          recipientEmail: row.recipientEmail,
          entityType: notice.entityType,
          entityId: notice.entityId,
          payload: slackMessage(notice, { withButtons: !!this.config.slackSigningSecret }),
        },
        now,
      );
    });
    await insertRows(manager, ChatMessage, rows);
  }

  /**
   * Block Kit; the decision buttons only with a bot (an incoming webhook's message cannot be acted on) whose
   * clicks Stackgate can verify (SLACK_SIGNING_SECRET: without it POST /slack/interactions answers 404).
   */
  private slackPayload(notice: ChatNotice): ChatPayload {
    return slackMessage(notice, { withButtons: slackMode(this.config) === 'BOT' && !!this.config.slackSigningSecret });
  }

  private async facts(manager: EntityManager, drafts: DomainEventDraft[]) {
    const requestIds = drafts.filter((draft) => draft.resourceType === 'ToolRequest').map((draft) => draft.resourceId);
    const toolIds = drafts.filter((draft) => draft.type === WebhookEventType.TOOL_IT_APPROVAL_CHANGED).map((draft) => draft.resourceId);
    const requests = await this.requests.facts(requestIds, manager);
    const actorIds = drafts.map((draft) => draft.data.actorId).filter((id): id is string => typeof id === 'string');
    const people = await this.names(manager, [...actorIds, ...[...requests.values()].map((request) => request.requesterId)]);
    const tools = toolIds.length ? await this.catalog.toolNames(toolIds, manager) : new Map<string, string>();
    return { baseUrl: baseUrlOf(this.config), requests, people, tools };
  }

  private async names(manager: EntityManager, ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    const facts = await this.people.facts([...new Set(ids)], manager);
    return new Map([...facts.values()].map((person) => [person.id, person.displayName]));
  }
}
