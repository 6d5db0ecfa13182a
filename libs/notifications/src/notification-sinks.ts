import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Notification } from './notification.entity';

/**
 * A further channel of notifications (e.g. Slack direct messages): it gets the rows `enqueue` wrote,
 * inside the same transaction, so what it writes commits or rolls back with the change.
 */
export interface NotificationSink {
  onNotifications(manager: EntityManager, rows: readonly Notification[]): Promise<void>;
}

/** The registry higher libraries register on in onModuleInit (notifications never imports them). */
@Injectable()
export class NotificationSinks {
  private readonly sinks: NotificationSink[] = [];

  register(sink: NotificationSink): void {
    this.sinks.push(sink);
  }

  async notify(manager: EntityManager, rows: readonly Notification[]): Promise<void> {
    if (!rows.length) return;
    for (const sink of this.sinks) await sink.onNotifications(manager, rows);
  }
}
