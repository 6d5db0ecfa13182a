import { FinanceModule } from '@stackgate/finance';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@stackgate/catalog';
import { IdentityModule } from '@stackgate/identity';
import { IntegrationsModule } from '@stackgate/integrations';
import { ConditionRemindersJob } from './conditions/condition-reminders.job';
import { ConditionsController } from './conditions/conditions.controller';
import { RequestCondition } from './conditions/request-condition.entity';
import { RequestConditionsService } from './conditions/request-conditions.service';
import { RequestsController } from './requests/requests.controller';
import { RequestApprovalEffects } from './requests/request-approval-effects';
import { RequestEditingService } from './requests/request-editing.service';
import { RequestNotices } from './requests/request-notices';
import { ReviewQueueQueries } from './requests/review-queue-queries';
import { RequestQueriesService } from './requests/request-queries.service';
import { RequestReviewService } from './requests/request-review.service';
import { RequestsService } from './requests/requests.service';
import { ReviewTurnaroundService } from './requests/review-turnaround.service';
import { QueueRecountJob } from './requests/queue-recount.job';
import { SlaRemindersJob } from './requests/sla-reminders.job';
import { ToolNameReservations } from './requests/tool-name-reservations';
import { ItAssessment, RequestComment, ReviewStage, ToolRequest } from './requests/tool-request.entity';
import { ShadowItNotices } from './requests/shadow-it-notices';

/** Tool requests, review stages, decisions, IT assessments, conditions of approvals, SLAs and their scheduled jobs. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ToolRequest, ReviewStage, RequestComment, ItAssessment, RequestCondition]),
    CatalogModule,
    IntegrationsModule,
    IdentityModule,
    FinanceModule,
  ],
  controllers: [RequestsController, ConditionsController],
  providers: [
    RequestsService,
    RequestEditingService,
    RequestReviewService,
    RequestQueriesService,
    ReviewQueueQueries,
    RequestNotices,
    RequestApprovalEffects,
    ReviewTurnaroundService,
    SlaRemindersJob,
    QueueRecountJob,
    ToolNameReservations,
    RequestConditionsService,
    ConditionRemindersJob,
    ShadowItNotices,
  ],
  exports: [
    RequestsService,
    RequestEditingService,
    RequestReviewService,
    RequestQueriesService,
    ReviewQueueQueries,
    ReviewTurnaroundService,
    RequestConditionsService,
  ],
})
export class ProcurementModule {}
