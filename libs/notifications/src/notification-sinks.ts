import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Notification } from './notification.entity';
import type { Channel } from './preferences/preference-rules';

/**
 * A further channel of notifications (e.g. Slack direct messages): it gets the rows `enqueue` wrote for
 * people whose preferences keep that channel on for the event, inside the same transaction, so what it
 * writes commits or rolls back with the change.
 */
export interface NotificationSink {
  /** The preference channel that governs this sink. */
  readonly channel: Exclude<Channel, 'inbox' | 'email'>;
  onNotifications(manager: EntityManager, rows: readonly Notification[]): Promise<void>;
}

/** The registry higher libraries register on in onModuleInit (notifications never imports them). */
@Injectable()
export class NotificationSinks {
  private readonly sinks: NotificationSink[] = [];

  register(sink: NotificationSink): void {
    this.sinks.push(sink);
  }

  /** Hands each sink the rows whose recipient wants its channel for the row's event (`wants`: the preferences enqueue read). */
  async notify(
    manager: EntityManager,
    rows: readonly Notification[],
    wants: (row: Notification, channel: Channel) => boolean,
  ): Promise<void> {
    for (const sink of this.sinks) {
      const wanted = rows.filter((row) => wants(row, sink.channel));
      if (wanted.length) await sink.onNotifications(manager, wanted);
    }
  }
}
