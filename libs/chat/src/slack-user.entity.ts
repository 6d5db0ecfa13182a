import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, VarcharColumn } from '@stackgate/platform';

/** A Slack user matched by e-mail (users.lookupByEmail), or none (slackUserId null), as of checkedAt: a cache with a TTL. */
@Entity('chat_slack_users')
export class ChatSlackUser {
  @PrimaryColumn({ type: 'varchar', length: 254 }) email: string;
  @VarcharColumn(40, { nullable: true }) slackUserId: string | null;
  @DateTimeColumn() checkedAt: Date;
}
