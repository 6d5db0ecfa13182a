import { Entity, PrimaryColumn } from 'typeorm';
import { BoolColumn, DateTimeColumn } from '@stackgate/platform';

/**
 * One person's channels for one notification event (the template name) — only for events they
 * changed; no row means every channel on. The digests are events too (`digest-reviewer`,
 * `digest-budget-owner`): their row is all on or all off.
 */
@Entity('notification_preferences')
export class NotificationPreference {
  @PrimaryColumn({ type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 60 }) event: string;
  @BoolColumn() inbox: boolean;
  @BoolColumn() email: boolean;
  @BoolColumn() slack: boolean;
  @DateTimeColumn() updatedAt: Date;
}
