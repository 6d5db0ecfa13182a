import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditListeners } from '@stackgate/audit';
import type { AuditEvent } from '@stackgate/audit';
import { insertRows, uuidv7 } from '@stackgate/platform';
import { SOURCE_ACTIONS, webhookEventsFor } from './webhook-event-types';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';

/** Orders the events this process writes within one millisecond (int column: wraps long before 2^31). */
let counter = 0;
const nextPosition = () => (counter = (counter + 1) % 1_000_000_000);

/**
 * Turns the audit trail's domain events into webhook events and their deliveries, inside the transaction
 * that records the change: the change, its audit event, the webhook event and one PENDING delivery per
 * subscribed endpoint commit together or not at all. Nothing is written when no endpoint listens.
 */
@Injectable()
export class WebhookOutbox implements OnModuleInit {
  readonly actions = SOURCE_ACTIONS;

  constructor(private readonly listeners: AuditListeners) {}

  onModuleInit(): void {
    this.listeners.register(this);
  }

  async onEvents(manager: EntityManager, auditEvents: readonly AuditEvent[]): Promise<void> {
    const drafts = auditEvents.flatMap((event) => webhookEventsFor(event).map((draft) => ({ draft, at: event.occurredAt })));
    if (!drafts.length) return;
    // Paused and disabled endpoints get their deliveries too: they wait, and go out in order once it is enabled again.
    const endpoints = await manager.getRepository(WebhookEndpoint).find({ select: { id: true, events: true } });
    const wanted = drafts.filter(({ draft }) => endpoints.some((endpoint) => endpoint.events.includes(draft.type)));
    if (!wanted.length) return;
    const now = new Date();
    const events = wanted.map(({ draft, at }) =>
      Object.assign(new WebhookEvent(), {
        id: uuidv7(at.getTime()),
        type: draft.type,
        resourceType: draft.resourceType,
        resourceId: draft.resourceId,
        data: draft.data,
        occurredAt: at,
        position: nextPosition(),
      }),
    );
    const deliveries = events.flatMap((event) =>
      endpoints
        .filter((endpoint) => endpoint.events.includes(event.type))
        .map((endpoint) => pendingDelivery(endpoint.id, event, now, null)),
    );
    await insertRows(manager, WebhookEvent, events);
    await insertRows(manager, WebhookDelivery, deliveries);
  }
}

/** A delivery of `event` to an endpoint, due now. */
export function pendingDelivery(endpointId: string, event: WebhookEvent, now: Date, redeliveryOf: string | null): WebhookDelivery {
  return Object.assign(new WebhookDelivery(), {
    id: uuidv7(now.getTime()),
    endpointId,
    eventId: event.id,
    eventType: event.type,
    resourceKey: `${event.resourceType}:${event.resourceId}`,
    occurredAt: event.occurredAt,
    position: event.position,
    status: WebhookDeliveryStatus.PENDING,
    attempts: 0,
    nextAttemptAt: now,
    claimedUntil: null,
    lastAttemptAt: null,
    responseStatus: null,
    latencyMs: null,
    lastError: null,
    deliveredAt: null,
    redeliveryOf,
    createdAt: now,
    updatedAt: now,
  });
}
