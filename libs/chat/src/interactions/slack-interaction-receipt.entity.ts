import { Entity } from 'typeorm';
import { DateTimeColumn, IntColumn, VarcharColumn } from '@stackgate/platform';

/**
 * One accepted Slack interactivity request, kept for the replay window only: the unique keys make a
 * replayed request (same timestamp and signature) and a retried delivery (same body, signed again)
 * lose the insert on every instance. Purged once older than the window.
 */
@Entity('slack_interaction_receipts')
export class SlackInteractionReceipt {
  /** SHA-256 (hex) of the raw body: Slack's payload carries a fresh trigger_id and action_ts per click. */
  @VarcharColumn(64, { primary: true }) bodyDigest: string;
  @IntColumn() requestTimestamp: number;
  @VarcharColumn(67) signature: string;
  @DateTimeColumn() receivedAt: Date;
}
