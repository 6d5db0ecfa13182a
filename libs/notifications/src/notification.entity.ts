import { Entity } from 'typeorm';
import { BoolColumn, DateTimeColumn, IdColumn, IntColumn, JsonColumn, TextColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

export enum DeliveryStatus {
  NOT_REQUIRED = 'NOT_REQUIRED',
  PENDING = 'PENDING',
  SENDING = 'SENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

/**
 * The outbox: one row per recipient and event, rendered when it is written (in the transaction of
 * the change that caused it), listed in the recipient's inbox, and delivered by e-mail when SMTP
 * is configured. `dedupeKey` (unique) makes "at most once" events idempotent across instances.
 */
@Entity('notifications')
export class Notification {
  @IdColumn() id: string;
  @UuidColumn() recipientId: string;
  @VarcharColumn(254) recipientEmail: string;
  @VarcharColumn(60) event: string;
  @VarcharColumn(60, { nullable: true }) entityType: string | null;
  @VarcharColumn(36, { nullable: true }) entityId: string | null;
  @VarcharColumn(300) subject: string;
  @TextColumn() body: string;
  @VarcharColumn(500, { nullable: true }) link: string | null;
  @JsonColumn({ nullable: true }) data: Record<string, unknown> | null;
  @VarcharColumn(200, { nullable: true }) dedupeKey: string | null;
  @DateTimeColumn({ nullable: true }) readAt: Date | null;
  /** The recipient turned the inbox off for this event: kept (dedupe, e-mail, audit) but not listed nor counted unread. */
  @BoolColumn() hidden: boolean;
  @VarcharColumn(20) deliveryStatus: DeliveryStatus;
  @IntColumn() deliveryAttempts: number;
  @DateTimeColumn({ nullable: true }) nextAttemptAt: Date | null;
  @DateTimeColumn({ nullable: true }) deliveredAt: Date | null;
  @TextColumn({ nullable: true }) lastError: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
