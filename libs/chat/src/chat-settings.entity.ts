import { Entity } from 'typeorm';
import { BoolColumn, JsonColumn, UuidColumn, VersionedEntity } from '@stackgate/platform';

/** The one row of chat settings: which Slack channel hears which event type, DMs on or off, what goes to Teams. */
@Entity('chat_settings')
export class ChatSettingsRow extends VersionedEntity {
  /** Event type → Slack channel (#name or a channel id). */
  @JsonColumn() slackChannels: Record<string, string>;
  @JsonColumn() teamsEvents: string[];
  @BoolColumn() directMessages: boolean;
  @UuidColumn({ nullable: true }) updatedById: string | null;
}
