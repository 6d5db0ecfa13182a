import { Entity } from 'typeorm';
import { DateTimeColumn, IdColumn, IntColumn, JsonColumn, TextColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

/** Where a chat message goes. */
export enum ChatTarget {
  SLACK_CHANNEL = 'SLACK_CHANNEL',
  SLACK_DM = 'SLACK_DM',
  TEAMS = 'TEAMS',
}

export enum ChatMessageStatus {
  PENDING = 'PENDING',
  SENDING = 'SENDING',
  DELIVERED = 'DELIVERED',
  /** Given up: a permanent error (channel_not_found, invalid_auth …) or too many transient ones. */
  FAILED = 'FAILED',
  /** Not sent on purpose: the person has no Slack account with their e-mail, or chat is not configured. */
  SKIPPED = 'SKIPPED',
}

/** A Slack message or a Teams card as rendered for one target. */
export interface ChatPayload {
  /** Slack: the fallback text and the Block Kit blocks; Teams: the message with its Adaptive Card attachment. */
  text?: string;
  blocks?: unknown[];
  teams?: Record<string, unknown>;
}

/**
 * The chat outbox: one row per message and target, written (rendered) in the transaction of the change
 * that caused it and delivered by the leased ChatDeliveryJob. A posted Slack message keeps its channel
 * id and `ts`, so the message can later be updated with a decision's outcome.
 */
@Entity('chat_messages')
export class ChatMessage {
  @IdColumn() id: string;
  @VarcharColumn(20) target: ChatTarget;
  /** The event type of the webhook vocabulary (request.submitted …) or `review.needed` for a stage-opened DM. */
  @VarcharColumn(60) eventType: string;
  /** Messages of one route (a Slack channel, Teams, one person's DMs) go out in the order they were written. */
  @VarcharColumn(120) routeKey: string;
  /** The Slack channel as configured (#name or id); null for DMs and Teams. */
  @VarcharColumn(100, { nullable: true }) channel: string | null;
  @UuidColumn({ nullable: true }) recipientId: string | null;
  @VarcharColumn(254, { nullable: true }) recipientEmail: string | null;
  @VarcharColumn(40, { nullable: true }) entityType: string | null;
  @UuidColumn({ nullable: true }) entityId: string | null;
  @JsonColumn() payload: ChatPayload;
  /** Orders the rows one process writes within a millisecond. */
  @IntColumn() position: number;
  @VarcharColumn(20) status: ChatMessageStatus;
  @IntColumn() attempts: number;
  @DateTimeColumn({ nullable: true }) nextAttemptAt: Date | null;
  @DateTimeColumn({ nullable: true }) claimedUntil: Date | null;
  @DateTimeColumn({ nullable: true }) lastAttemptAt: Date | null;
  @TextColumn({ nullable: true }) lastError: string | null;
  @VarcharColumn(40, { nullable: true }) slackChannelId: string | null;
  @VarcharColumn(40, { nullable: true }) slackTs: string | null;
  @DateTimeColumn({ nullable: true }) deliveredAt: Date | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
