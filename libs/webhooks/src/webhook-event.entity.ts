import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, IntColumn, JsonColumn, VarcharColumn } from '@stackgate/platform';

/**
 * The outbox of domain events webhooks publish: written in the transaction of the change (from the
 * audit trail's events, AuditListeners), once per event whatever the number of endpoints. Its id is
 * the `id` receivers deduplicate on; (occurredAt, position) orders the events of one resource.
 */
@Entity('webhook_events')
export class WebhookEvent {
  @IdColumn() id: string;
  @VarcharColumn(60) type: string;
  @VarcharColumn(40) resourceType: string;
  @VarcharColumn(36) resourceId: string;
  @JsonColumn() data: Record<string, unknown>;
  @DateTimeColumn() occurredAt: Date;
  /** Order among the events written in the same millisecond by one transaction. */
  @IntColumn() position: number;
}
