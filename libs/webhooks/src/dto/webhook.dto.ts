import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { BoolField, EnumArrayField, IntField, PageQueryDto, StringField } from '@stackgate/platform';
import { WebhookDeliveryStatus } from '../webhook-delivery.entity';
import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhook-event-types';
import { MAX_WEBHOOK_URL_LENGTH } from '../webhook-url-policy';

const URL_HELP =
  'Where deliveries are POSTed: https:// to a public address (http:// and private, loopback or link-local addresses only with ' +
  'WEBHOOKS_ALLOW_PRIVATE=true; otherwise 422 WEBHOOK_URL_REFUSED). Redirects are not followed.';
const EVENTS_HELP = `The event types to deliver: ${WEBHOOK_EVENT_TYPES.join(', ')}`;

export class CreateWebhookDto {
  @StringField({ max: MAX_WEBHOOK_URL_LENGTH, description: URL_HELP, example: 'https://hooks.example.com/stackgate' })
  url: string;

  @EnumArrayField(WebhookEventType, { minSize: 1, description: EVENTS_HELP })
  events: WebhookEventType[];

  @StringField({ optional: true, nullable: true, max: 500, description: 'What receives these events ("ERP sync")' })
  description?: string | null;
}

export class UpdateWebhookDto {
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read (409 STALE_VERSION when it changed meanwhile)' })
  version: number;

  @StringField({ optional: true, max: MAX_WEBHOOK_URL_LENGTH, description: URL_HELP })
  url?: string;

  @EnumArrayField(WebhookEventType, { optional: true, minSize: 1, description: EVENTS_HELP })
  events?: WebhookEventType[];

  @StringField({ optional: true, nullable: true, max: 500 })
  description?: string | null;

  @BoolField({ optional: true, description: 'false pauses deliveries (they wait); true resumes them and clears an automatic disable' })
  active?: boolean;

  @BoolField({
    optional: true,
    description: 'true issues a new secret (in this answer only); the old one keeps signing during the grace period',
  })
  rotateSecret?: boolean;

  @IntField({
    optional: true,
    min: 0,
    max: 168,
    description: 'Hours the previous secret still signs after a rotation (default 24; 0 = stop at once)',
  })
  graceHours?: number;
}

export class WebhookResponse {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty({ enum: WebhookEventType, isArray: true }) events: string[];
  @ApiProperty({ description: 'false: paused by an administrator or disabled after failures (see disabledReason)' }) active: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({ description: 'Failed attempts in a row' }) consecutiveFailures: number;
  @ApiProperty({ format: 'date-time' }) secretRotatedAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Until then the previous secret signs too' })
  previousSecretExpiresAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) createdById: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty() version: number;
}

export class WebhookWithSecretResponse extends WebhookResponse {
  @ApiProperty({ description: 'The signing secret: shown when created or rotated only; store it now' }) secret: string;
}

export class WebhookUpdateResponse extends WebhookResponse {
  @ApiPropertyOptional({ description: 'The new secret, when rotateSecret was true (shown this once)' }) secret?: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: WebhookResponse, isArray: true }) items: WebhookResponse[];
}

export class WebhookDeliveryResponse {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'The event id (receivers deduplicate on it; a redelivery carries the same id)' }) eventId: string;
  @ApiProperty({ enum: WebhookEventType }) eventType: string;
  @ApiProperty({ enum: WebhookDeliveryStatus }) status: WebhookDeliveryStatus;
  @ApiProperty({ description: 'Attempts made so far' }) attempt: number;
  @ApiProperty({ nullable: true, type: Number, description: "The receiver's last HTTP status (null: no answer)" }) responseStatus:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) latencyMs: number | null;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastAttemptAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'When the next retry is due' }) nextRetryAt: Date | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deliveredAt: Date | null;
  @ApiProperty({ nullable: true, type: String, description: 'The delivery this one redelivers' }) redeliveryOf: string | null;
  @ApiProperty() createdAt: Date;
}

export class WebhookDeliveryPage {
  @ApiProperty({ type: WebhookDeliveryResponse, isArray: true }) items: WebhookDeliveryResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}

export class DeliveryQueryDto extends PageQueryDto {}
