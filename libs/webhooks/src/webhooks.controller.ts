import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { WEBHOOK_DATA_SCHEMAS, WebhookPayload } from './dto/webhook-payloads.dto';
import {
  CreateWebhookDto,
  DeliveryQueryDto,
  UpdateWebhookDto,
  WebhookDeliveryPage,
  WebhookDeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
  WebhookUpdateResponse,
  WebhookWithSecretResponse,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const SIGNING =
  'Each delivery is a POST of JSON `{id, type, createdAt, data}` (schema WebhookPayload; `data` per type: the `<Type>Data` schemas) ' +
  'with `Stackgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the secret>` (one v1 per valid secret ' +
  'during a rotation), `Stackgate-Event-Id` and `Stackgate-Event-Type`. Delivered at least once, in order per resource, retried ' +
  'with exponential backoff and jitter; any 2xx answer is success.';

@ApiTags('webhooks')
@ApiExtraModels(WebhookPayload, ...Object.values(WEBHOOK_DATA_SCHEMAS))
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @ApiOperation({ summary: 'Register a webhook endpoint (the signing secret is in this answer only)', description: SIGNING })
  @Post()
  @Allow(Role.ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: WebhookWithSecretResponse })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateWebhookDto): Promise<WebhookWithSecretResponse> {
    return this.webhooks.create(actor, dto);
  }

  @ApiOperation({ summary: 'Webhook endpoints (never their secrets)' })
  @Get()
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: WebhookListResponse })
  async list(): Promise<WebhookListResponse> {
    return { items: await this.webhooks.list() };
  }

  @ApiOperation({ summary: 'One webhook endpoint' })
  @Get(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: WebhookResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookResponse> {
    return this.webhooks.get(id);
  }

  @ApiOperation({
    summary: 'Change an endpoint: url, events, description, active; rotate its secret (both sign during the grace period)',
    description: 'During the grace period deliveries carry `v1=<new>,v1=<old>`, so receivers switch secrets without downtime.',
  })
  @Patch(':id')
  @Allow(Role.ADMIN)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: WebhookUpdateResponse })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookUpdateResponse> {
    return this.webhooks.update(id, dto);
  }

  @ApiOperation({ summary: 'Remove an endpoint and its delivery log' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.ADMIN)
  @ApiNoContentResponse({ description: 'Removed' })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @ApiOperation({ summary: "The endpoint's delivery log, newest first: status, attempt, latency, response code, next retry" })
  @Get(':id/deliveries')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: WebhookDeliveryPage })
  deliveries(@Param('id', ParseUUIDPipe) id: string, @Query() query: DeliveryQueryDto): Promise<WebhookDeliveryPage> {
    return this.webhooks.deliveries(id, query);
  }

  @ApiOperation({ summary: "Send a delivery's event again (same event id and body), due now" })
  @Post(':id/deliveries/:deliveryId/redeliver')
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: WebhookDeliveryResponse })
  redeliver(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<WebhookDeliveryResponse> {
    return this.webhooks.redeliver(id, deliveryId);
  }
}
