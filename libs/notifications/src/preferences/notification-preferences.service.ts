import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { AuthUser, label, validationFailed, withTransaction } from '@stackgate/platform';
import { NotificationsService } from '../notifications.service';
import { NotificationPreference } from './notification-preference.entity';
import { channelsFor, storedChannels } from './preference-store';
import {
  applyChange,
  CATEGORIES,
  categoryOf,
  Channel,
  ChannelSet,
  changeProblems,
  DIGEST_EVENT,
  DIGEST_KINDS,
  DigestKind,
  effectiveChannels,
  EventChange,
  isDigestEvent,
  mandatoryChannels,
} from './preference-rules';

export interface EventPreferences extends ChannelSet {
  event: string;
  label: string;
  category: string;
  categoryLabel: string;
  /** Channels that stay on whatever the person chooses (see MANDATORY in preference-rules.ts). */
  mandatory: Channel[];
}

export interface NotificationPreferencesView {
  events: EventPreferences[];
  digests: Record<DigestKind, boolean>;
}

export interface PreferencesChange {
  events?: EventChange[];
  digests?: Partial<Record<DigestKind, boolean>>;
}

const channelsOf = storedChannels;

/** Reads and changes per-person notification preferences; the outbox applies them in one query per enqueue. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
  ) {}

  /** The events a person can set: every template but the digests, in category order, then any others by name. */
  settableEvents(): string[] {
    const names = this.notifications.templateNames().filter((name) => !isDigestEvent(name));
    const ordered: string[] = CATEGORIES.flatMap((category) => category.events.filter((event) => names.includes(event)));
    return [...ordered, ...names.filter((name) => !ordered.includes(name)).sort()];
  }

  async get(userId: string, manager: EntityManager = this.dataSource.manager): Promise<NotificationPreferencesView> {
    const rows = await manager.getRepository(NotificationPreference).find({ where: { userId } });
    const byEvent = new Map(rows.map((row) => [row.event, row]));
    return {
      events: this.settableEvents().map((event) => {
        const category = categoryOf(event);
        return {
          event,
          label: label(event, 'NotificationEvent'),
          category: category.code,
          categoryLabel: category.label,
          ...effectiveChannels(event, channelsOf(byEvent.get(event))),
          mandatory: [...mandatoryChannels(event)],
        };
      }),
      digests: Object.fromEntries(DIGEST_KINDS.map((kind) => [kind, byEvent.get(DIGEST_EVENT[kind])?.email ?? true])) as Record<
        DigestKind,
        boolean
      >,
    };
  }

  /** Applies a partial change (all or nothing: any problem is a 400 and changes nothing), audited. */
  async update(actor: AuthUser, change: PreferencesChange): Promise<NotificationPreferencesView> {
    const events = change.events ?? [];
    const problems = changeProblems(events, new Set(this.settableEvents()));
    if (problems.length)
      throw validationFailed('Notification preferences not saved: ' + problems.map((p) => p.message).join('; '), problems);
    return withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(NotificationPreference);
      const digestEvents = DIGEST_KINDS.filter((kind) => change.digests?.[kind] !== undefined);
      const touched = [...events.map((e) => e.event), ...digestEvents.map((kind) => DIGEST_EVENT[kind])];
      if (!touched.length) return this.get(actor.id, manager);
      const existing = new Map((await repo.find({ where: { userId: actor.id, event: In(touched) } })).map((row) => [row.event, row]));
      const now = new Date();
      const rows: NotificationPreference[] = [
        ...events.map((e) => ({ userId: actor.id, event: e.event, ...applyChange(channelsOf(existing.get(e.event)), e), updatedAt: now })),
        ...digestEvents.map((kind) => {
          const on = change.digests![kind]!;
          return { userId: actor.id, event: DIGEST_EVENT[kind], inbox: on, email: on, slack: on, updatedAt: now };
        }),
      ];
      const before = Object.fromEntries(touched.map((event) => [event, channelsOf(existing.get(event)) ?? 'default']));
      const after = Object.fromEntries(rows.map((row) => [row.event, channelsOf(row)]));
      await repo.upsert(rows, ['userId', 'event']);
      await this.audit.record(manager, {
        action: 'notification_preferences.updated',
        entityType: 'User',
        entityId: actor.id,
        metadata: { before, after },
      });
      return this.get(actor.id, manager);
    });
  }

  /**
   * Each recipient's channels for `event`, in one query for all of them (the outbox calls it once
   * per enqueue; the Slack direct-message sink through `allows`).
   */
  channelsFor(manager: EntityManager, userIds: readonly string[], event: string): Promise<Map<string, ChannelSet>> {
    return channelsFor(manager, userIds, event);
  }

  /** Of `userIds`, those whose preferences let `event` reach them on `channel` (one query). */
  async allows(
    manager: EntityManager,
    userIds: readonly string[],
    event: string,
    channel: 'INBOX' | 'EMAIL' | 'SLACK',
  ): Promise<Set<string>> {
    const key = channel.toLowerCase() as Channel;
    const channels = await this.channelsFor(manager, userIds, event);
    return new Set([...channels].filter(([, set]) => set[key]).map(([id]) => id));
  }

  /** Of `userIds`, those who receive the `kind` digest (one query). */
  async digestRecipients(manager: EntityManager, userIds: readonly string[], kind: DigestKind): Promise<Set<string>> {
    return this.allows(manager, userIds, DIGEST_EVENT[kind], 'EMAIL');
  }
}
