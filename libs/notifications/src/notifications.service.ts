import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig, insertable, labelHelper, notFound, Page, pageParams, uuidv7, withTransaction } from '@stackgate/platform';
import { DeliveryStatus, Notification } from './notification.entity';
import { NotificationSinks } from './notification-sinks';
import { channelsFor } from './preferences/preference-store';

export interface NotificationRecipient {
  id: string;
  email: string;
}

export interface EnqueueInput {
  /** Template name: templates/<event>.hbs — first line "Subject: …", the rest is the body. */
  event: string;
  recipients: NotificationRecipient[];
  data: Record<string, unknown>;
  entityType?: string;
  entityId?: string;
  /** Path inside the web UI, e.g. /requests/<id>. */
  link?: string;
  /**
   * Makes the notification at-most-once per recipient: the key is suffixed with the recipient id
   * and unique in the table, so a second enqueue with the same key is skipped.
   */
  dedupeKey?: string;
}

type Compiled = { subject: Handlebars.TemplateDelegate; body: Handlebars.TemplateDelegate };

/** Renders Handlebars templates into outbox rows, inside the caller's transaction. */
@Injectable()
export class NotificationsService implements OnModuleInit {
  private readonly templates = new Map<string, Compiled>();
  /** Templates word codes through the label catalogue: {{label stage "Stage"}}. */
  private readonly hb = Handlebars.create();
  /** Other libraries may add template folders (their own `templates/`). */
  static readonly templateDirs: string[] = [join(__dirname, 'templates')];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sinks: NotificationSinks,
  ) {}

  onModuleInit(): void {
    this.hb.registerHelper('label', labelHelper);
    for (const dir of NotificationsService.templateDirs) {
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
        const text = readFileSync(join(dir, file), 'utf8');
        const [first, ...rest] = text.split('\n');
        const subject = first.replace(/^Subject:\s*/, '');
        this.templates.set(file.replace(/\.hbs$/, ''), {
          subject: this.hb.compile(subject, { noEscape: true, strict: false }),
          body: this.hb.compile(rest.join('\n').trim() + '\n', { noEscape: true, strict: false }),
        });
      }
    }
  }

  /** The notification events Stackgate can send (one per template). */
  templateNames(): string[] {
    return [...this.templates.keys()].sort();
  }

  hasTemplate(event: string): boolean {
    return this.templates.has(event);
  }

  render(event: string, data: Record<string, unknown>): { subject: string; body: string } {
    const template = this.templates.get(event);
    if (!template) throw new Error(`No notification template "${event}"`);
    const ctx = { ...data, appUrl: this.config.publicUrl ?? `http://localhost:${this.config.port}` };
    return { subject: template.subject(ctx).trim().slice(0, 300), body: template.body(ctx) };
  }

  /**
   * Writes one outbox row per distinct recipient, in `manager`'s transaction. Returns rows written.
   * Each recipient's preferences for the event (one query for all of them) decide the row's channels:
   * e-mail off → the row is not delivered by e-mail (NOT_REQUIRED); inbox off → the row is written
   * (dedupe, e-mail, audit) but hidden from the inbox and the unread count.
   */
  async enqueue(manager: EntityManager, input: EnqueueInput): Promise<Notification[]> {
    const seen = new Set<string>();
    const recipients = input.recipients.filter((r) => r && !seen.has(r.id) && seen.add(r.id));
    if (!recipients.length) return [];
    const { subject, body } = this.render(input.event, input.data);
    const now = new Date();
    const repo = manager.getRepository(Notification);
    let recipientsToWrite = recipients;
    if (input.dedupeKey) {
      const keys = recipients.map((r) => `${input.dedupeKey}:${r.id}`.slice(0, 200));
      const existing = await repo.find({ where: { dedupeKey: In(keys) }, select: { dedupeKey: true } });
      const have = new Set(existing.map((e) => e.dedupeKey));
      recipientsToWrite = recipients.filter((_, i) => !have.has(keys[i]));
    }
    const channels = await channelsFor(
      manager,
      recipientsToWrite.map((r) => r.id),
      input.event,
    );
    const rows = recipientsToWrite.map((recipient) => {
      const email = !!this.config.smtpUrl && channels.get(recipient.id)!.email;
      return Object.assign(new Notification(), {
        id: uuidv7(now.getTime()),
        recipientId: recipient.id,
        recipientEmail: recipient.email,
        event: input.event,
        entityType: input.entityType ?? null,
        entityId: input.entityId ?? null,
        subject,
        body,
        link: input.link ?? null,
        data: input.data,
        dedupeKey: input.dedupeKey ? `${input.dedupeKey}:${recipient.id}`.slice(0, 200) : null,
        readAt: null,
        hidden: !channels.get(recipient.id)!.inbox,
        deliveryStatus: email ? DeliveryStatus.PENDING : DeliveryStatus.NOT_REQUIRED,
        deliveryAttempts: 0,
        nextAttemptAt: email ? now : null,
        deliveredAt: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
      });
    });
    if (rows.length) await repo.insert(insertable(rows));
    // Further channels (Slack direct messages …) hear the rows written, for the people who keep them on, in the same transaction.
    await this.sinks.notify(manager, rows, (row, channel) => channels.get(row.recipientId)![channel]);
    return rows;
  }

  async inbox(
    userId: string,
    query: { page?: number; pageSize?: number; unread?: boolean },
  ): Promise<Page<Notification> & { unread: number }> {
    const { page, pageSize, skip, take } = pageParams(query);
    const repo = this.dataSource.getRepository(Notification);
    const where = query.unread ? { recipientId: userId, hidden: false, readAt: IsNull() } : { recipientId: userId, hidden: false };
    const [items, total] = await repo.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, skip, take });
    const unread = await this.unreadCount(userId);
    return { items, page, pageSize, total, unread };
  }

  /** How many of the user's notifications are unread (every page's header shows it). */
  unreadCount(userId: string): Promise<number> {
    return this.dataSource.getRepository(Notification).count({ where: { recipientId: userId, hidden: false, readAt: IsNull() } });
  }

  async markRead(userId: string, id: string): Promise<Notification> {
    const repo = this.dataSource.getRepository(Notification);
    const notification = await repo.findOne({ where: { id, recipientId: userId } });
    if (!notification) throw notFound('Notification', id);
    if (!notification.readAt) {
      notification.readAt = new Date();
      await withTransaction(this.dataSource, (m) =>
        m.getRepository(Notification).update({ id, recipientId: userId }, { readAt: notification.readAt, updatedAt: notification.readAt! }),
      );
    }
    return notification;
  }

  async markAllRead(userId: string): Promise<number> {
    const now = new Date();
    const res = await withTransaction(this.dataSource, (m) =>
      m.getRepository(Notification).update({ recipientId: userId, readAt: IsNull() }, { readAt: now, updatedAt: now }),
    );
    return res.affected ?? 0;
  }
}
