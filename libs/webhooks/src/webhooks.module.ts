import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@stackgate/identity';
import { EndpointDisabler } from './endpoint-disabler';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookDeliveryJob } from './webhook-delivery.job';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookEvent } from './webhook-event.entity';
import { WebhookOutbox } from './webhook-outbox';
import { WebhookRetentionJob } from './webhook-retention.job';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, WebhookEvent, WebhookDelivery]), IdentityModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookOutbox, WebhookDeliveryJob, WebhookRetentionJob, EndpointDisabler],
  exports: [WebhooksService, WebhookDeliveryJob, WebhookRetentionJob],
})
export class WebhooksModule {}
