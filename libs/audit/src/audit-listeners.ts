import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';

/**
 * A reader of the audit trail as a stream of domain events: it hears the events of the actions it
 * names, inside the transaction that records them (so what it writes commits or rolls back with the
 * change). Webhooks subscribe here; chat notifications can subscribe the same way.
 */
export interface AuditListener {
  /** The audit actions this listener hears, e.g. 'tool.created'. */
  readonly actions: readonly string[];
  /** The recorded events of those actions, in the order they were written. */
  onEvents(manager: EntityManager, events: readonly AuditEvent[]): Promise<void>;
}

/** The registry higher libraries register on in onModuleInit (the audit trail never imports them). */
@Injectable()
export class AuditListeners {
  private readonly listeners: AuditListener[] = [];

  register(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  async notify(manager: EntityManager, events: readonly AuditEvent[]): Promise<void> {
    for (const listener of this.listeners) {
      const heard = events.filter((event) => listener.actions.includes(event.action));
      if (heard.length) await listener.onEvents(manager, heard);
    }
  }
}
