import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, IntColumn, TextColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  SENDING = 'SENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/**
 * One event to one endpoint: claimed by one instance at a time (PENDING → SENDING with a claim that
 * expires, so a crashed sender's delivery is sent again: at least once), retried with backoff, the
 * last attempt's outcome kept for the delivery log. A redelivery is a new row for the same event.
 */
@Entity('webhook_deliveries')
export class WebhookDelivery {
  @IdColumn() id: string;
  @UuidColumn() endpointId: string;
  @UuidColumn() eventId: string;
  @VarcharColumn(60) eventType: string;
  /** `<resourceType>:<resourceId>`: deliveries of one resource to one endpoint go in event order. */
  @VarcharColumn(80) resourceKey: string;
  @DateTimeColumn() occurredAt: Date;
  @IntColumn() position: number;
  @VarcharColumn(20) status: WebhookDeliveryStatus;
  @IntColumn() attempts: number;
  @DateTimeColumn({ nullable: true }) nextAttemptAt: Date | null;
  @DateTimeColumn({ nullable: true }) claimedUntil: Date | null;
  @DateTimeColumn({ nullable: true }) lastAttemptAt: Date | null;
  @IntColumn({ nullable: true }) responseStatus: number | null;
  @IntColumn({ nullable: true }) latencyMs: number | null;
  @TextColumn({ nullable: true }) lastError: string | null;
  @DateTimeColumn({ nullable: true }) deliveredAt: Date | null;
  @UuidColumn({ nullable: true }) redeliveryOf: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
