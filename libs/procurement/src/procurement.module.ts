import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@stackgate/catalog';
import { IntegrationsModule } from '@stackgate/integrations';
import { RequestsController } from './requests/requests.controller';
import { RequestsService } from './requests/requests.service';
import { ReviewTurnaroundService } from './requests/review-turnaround.service';
import { SlaRemindersJob } from './requests/sla-reminders.job';
import { ToolNameReservations } from './requests/tool-name-reservations';
import { ItAssessment, RequestComment, ReviewStage, ToolRequest } from './requests/tool-request.entity';

/** Tool requests, review stages, decisions, IT assessments, SLAs and their scheduled jobs. */
@Module({
  imports: [TypeOrmModule.forFeature([ToolRequest, ReviewStage, RequestComment, ItAssessment]), CatalogModule, IntegrationsModule],
  controllers: [RequestsController],
  providers: [RequestsService, ReviewTurnaroundService, SlaRemindersJob, ToolNameReservations],
  exports: [RequestsService, ReviewTurnaroundService],
})
export class ProcurementModule {}
