import { Entity } from 'typeorm';
import { BoolColumn, DateTimeColumn, IdColumn, IntColumn, JsonColumn, TextColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

/**
 * A receiver an administrator registered: where to POST which event types, and the secret that signs
 * them (sealed, see WebhookSecretBox). During a rotation's grace period the previous secret signs too.
 */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @IdColumn() id: string;
  @VarcharColumn(2000) url: string;
  @VarcharColumn(500, { nullable: true }) description: string | null;
  @JsonColumn() events: string[];
  @BoolColumn() active: boolean;
  @TextColumn() secretSealed: string;
  @TextColumn({ nullable: true }) previousSecretSealed: string | null;
  @DateTimeColumn({ nullable: true }) previousSecretExpiresAt: Date | null;
  @DateTimeColumn() secretRotatedAt: Date;
  /** Failed attempts in a row (any delivery); reset by a success. */
  @IntColumn() consecutiveFailures: number;
  @DateTimeColumn({ nullable: true }) disabledAt: Date | null;
  @VarcharColumn(300, { nullable: true }) disabledReason: string | null;
  @UuidColumn({ nullable: true }) createdById: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
  @IntColumn() version: number;
}
