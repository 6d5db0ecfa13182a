import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, EnumArrayField, EnumField, IntField, NestedField, StringField } from '@stackgate/platform';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '@stackgate/webhooks';
import { ChatMessageStatus, ChatTarget } from '../chat-message.entity';

/** A Slack channel: `#name` (lowercase letters, digits, - and _, at most 80) or a channel id such as C0123456789. */
export const SLACK_CHANNEL_PATTERN = /^(#?[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{8,20})$/;
const CHANNEL_HELP =
  'A Slack channel: #name (lowercase letters, digits, - and _) or a channel id (C0123456789); empty or null: none. ' +
  'The bot must be a member of a private channel.';
const channel = () =>
  StringField({
    optional: true,
    nullable: true,
    max: 81,
    pattern: new RegExp(`^$|${SLACK_CHANNEL_PATTERN.source}`),
    patternMessage: '$property must be a Slack channel: #name in lowercase letters, digits, - and _, or a channel id',
    description: CHANNEL_HELP,
  });

/** Event type → Slack channel. */
export class ChatSlackChannelsDto {
  @channel() 'request.submitted'?: string | null;
  @channel() 'request.stage_decided'?: string | null;
  @channel() 'request.approved'?: string | null;
  @channel() 'request.rejected'?: string | null;
  @channel() 'request.withdrawn'?: string | null;
  @channel() 'tool.created'?: string | null;
  @channel() 'tool.it_approval_changed'?: string | null;
  @channel() 'contract.renewal_due'?: string | null;
}

export class UpdateChatSettingsDto {
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read (409 STALE_VERSION when it changed meanwhile)' })
  version: number;

  @NestedField(() => ChatSlackChannelsDto, {
    description: `The Slack channel per event type (${WEBHOOK_EVENT_TYPES.join(', ')}); an event type left out or empty posts nowhere`,
  })
  slackChannels: ChatSlackChannelsDto;

  @EnumArrayField(WebhookEventType, { description: 'The event types posted to Microsoft Teams (TEAMS_WEBHOOK_URL)' })
  teamsEvents: WebhookEventType[];

  @BoolField({ description: 'Direct messages to the reviewer whose stage opened, with the decision buttons (needs SLACK_BOT_TOKEN)' })
  directMessages: boolean;
}

export class ChatSettingsResponse {
  @ApiProperty({
    description: 'Event type → Slack channel (#name or id); only routed types appear',
    example: { 'request.submitted': '#martech-reviews' },
  })
  slackChannels: Record<string, string>;
  @ApiProperty({ enum: WebhookEventType, isArray: true }) teamsEvents: string[];
  @ApiProperty() directMessages: boolean;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) updatedAt: Date;
}

export class ChatTestDto {
  @EnumField(['SLACK', 'TEAMS'], { description: 'Where the test message goes' })
  target: 'SLACK' | 'TEAMS';

  @StringField({
    optional: true,
    max: 81,
    pattern: SLACK_CHANNEL_PATTERN,
    patternMessage: 'channel must be a Slack channel: #name in lowercase letters, digits, - and _, or a channel id',
    description: 'SLACK with a bot: the channel (default: the first routed one); ignored by an incoming webhook',
  })
  channel?: string;
}

export class ChatMessageResponse {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ChatTarget }) target: string;
  @ApiProperty() eventType: string;
  @ApiProperty({ nullable: true, type: String }) channel: string | null;
  @ApiProperty({ enum: ChatMessageStatus }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String, description: "Slack's or Teams' error, e.g. channel_not_found" }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) nextAttemptAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) slackChannelId: string | null;
  @ApiProperty({ nullable: true, type: String }) slackTs: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: Date;
}

export class ChatStatusResponse {
  @ApiProperty({
    enum: ['BOT', 'WEBHOOK', 'NONE'],
    description: 'BOT: SLACK_BOT_TOKEN; WEBHOOK: SLACK_WEBHOOK_URL (channel messages only)',
  })
  slack: string;
  @ApiProperty() teams: boolean;
  @ApiProperty({
    description:
      'Messages carry Approve / Request changes / Reject buttons: a bot token and SLACK_SIGNING_SECRET (POST /slack/interactions)',
  })
  actions: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why a configured URL is refused (https only …)' })
  problem: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastDeliveredAt: Date | null;
  @ApiProperty({ description: 'Messages per status', example: { PENDING: 0, DELIVERED: 12, FAILED: 1 } })
  counts: Record<string, number>;
  @ApiProperty({ type: [ChatMessageResponse], description: 'The latest failed or skipped messages, newest first' })
  recentFailures: ChatMessageResponse[];
}
