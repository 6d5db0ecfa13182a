import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@stackgate/audit';
import { IdentityModule } from '@stackgate/identity';
import { ProcurementModule } from '@stackgate/procurement';
import { SlackApi } from './slack-api';
import { SlackDecisions } from './slack-decisions.service';
import { SlackInteractionReceipt } from './slack-interaction-receipt.entity';
import { SlackInteractionsController } from './slack-interactions.controller';
import { SlackInteractionsService } from './slack-interactions.service';
import { SlackReceipts } from './slack-receipts.service';

/**
 * Acting from Slack: POST /slack/interactions (outside /api/v1; the app module imports it beside the
 * API modules). Its body is read raw by slackInteractionsBody(), which the app mounts on the path ahead
 * of the JSON and form parsers.
 */
@Module({
  imports: [AuditModule, IdentityModule, ProcurementModule, TypeOrmModule.forFeature([SlackInteractionReceipt])],
  controllers: [SlackInteractionsController],
  providers: [SlackApi, SlackDecisions, SlackInteractionsService, SlackReceipts],
  exports: [SlackInteractionsService],
})
export class SlackInteractionsModule {}
