import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@stackgate/catalog';
import { IdentityModule } from '@stackgate/identity';
import { ProcurementModule } from '@stackgate/procurement';
import { ChatDeliveryJob } from './chat-delivery.job';
import { ChatMessage } from './chat-message.entity';
import { ChatOutbox } from './chat-outbox';
import { ChatSettingsRow } from './chat-settings.entity';
import { ChatAdminService } from './settings/chat-admin.service';
import { ChatController } from './settings/chat.controller';
import { ChatSettingsService } from './settings/chat-settings.service';
import { ChatSlackUser } from './slack-user.entity';

/** Slack and Microsoft Teams messages: settings, the chat outbox (from the audit trail and notifications), its delivery job. */
@Module({
  imports: [TypeOrmModule.forFeature([ChatSettingsRow, ChatMessage, ChatSlackUser]), IdentityModule, CatalogModule, ProcurementModule],
  controllers: [ChatController],
  providers: [ChatSettingsService, ChatAdminService, ChatOutbox, ChatDeliveryJob],
  exports: [ChatSettingsService, ChatAdminService, ChatDeliveryJob],
})
export class ChatModule {}
