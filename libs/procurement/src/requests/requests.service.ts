import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '@stackgate/platform';
import { AssessmentDto, CreateRequestDto, DecideStageDto, RequestQueryDto, UpdateRequestDto } from './dto/request.dto';
import { RequestEditingService } from './request-editing.service';
import { RequestNotices } from './request-notices';
import { RequestQueriesService } from './request-queries.service';
import { RequestReviewService } from './request-review.service';
import { ToolRequest } from './tool-request.entity';
import { Stage } from './review-policy';

/**
 * The requests API's entry point (the HTTP controller, the web pages, scripts and tests): it only
 * delegates, to the service of each concern — RequestEditingService (the requester's changes,
 * comments), RequestReviewService (assessments, decisions, and through RequestApprovalEffects
 * what a final approval does), RequestQueriesService (reads), RequestNotices (who is told).
 */
@Injectable()
export class RequestsService {
  constructor(
    private readonly editing: RequestEditingService,
    private readonly review: RequestReviewService,
    private readonly queries: RequestQueriesService,
    private readonly notices: RequestNotices,
  ) {}

  get(actor: AuthUser, id: string, manager?: EntityManager) {
    return this.queries.get(actor, id, manager);
  }

  list(actor: AuthUser, query: RequestQueryDto) {
    return this.queries.list(actor, query);
  }

  create(actor: AuthUser, dto: CreateRequestDto) {
    return this.editing.create(actor, dto);
  }

  update(actor: AuthUser, id: string, dto: UpdateRequestDto) {
    return this.editing.update(actor, id, dto);
  }

  submit(actor: AuthUser, id: string, version: number) {
    return this.editing.submit(actor, id, version);
  }

  withdraw(actor: AuthUser, id: string, version: number) {
    return this.editing.withdraw(actor, id, version);
  }

  comment(actor: AuthUser, id: string, body: string) {
    return this.editing.comment(actor, id, body);
  }

  assess(actor: AuthUser, id: string, dto: AssessmentDto) {
    return this.review.assess(actor, id, dto);
  }

  decide(actor: AuthUser, id: string, dto: DecideStageDto) {
    return this.review.decide(actor, id, dto);
  }

  /** Active users holding the stage's role, minus the requester and anyone who decided another stage. */
  deciders(
    manager: EntityManager,
    request: Pick<ToolRequest, 'id' | 'requesterId'>,
    stage: Stage,
  ): Promise<{ id: string; email: string }[]> {
    return this.notices.deciders(manager, request, stage);
  }
}
