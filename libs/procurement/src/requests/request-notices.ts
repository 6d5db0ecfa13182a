import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { PeopleDirectory } from '@stackgate/identity';
import { NotificationsService } from '@stackgate/notifications';
import { Role } from '@stackgate/platform';
import { DecideStageDto } from './dto/request.dto';
import { DECIDER_ROLE, RequestStatus, Stage } from './review-policy';
import { ReviewStage, ToolRequest } from './tool-request.entity';

/** The catalog tool a NEW_TOOL approval was linked to because it already held the proposed name. */
export interface LinkedTool {
  name: string;
  itApproval: string;
}

/** Who hears about a request's review, and what they are told (a stage to decide, a decision). */
@Injectable()
export class RequestNotices {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly people: PeopleDirectory,
  ) {}

  /**
   * Active users holding the stage's role (identity's PeopleDirectory), minus the requester and
   * anyone who decided another stage of the request (separation of duties): two queries.
   */
  async deciders(
    manager: EntityManager,
    request: Pick<ToolRequest, 'id' | 'requesterId'>,
    stage: Stage,
  ): Promise<{ id: string; email: string }[]> {
    const holders = await this.people.activeWithRoles([DECIDER_ROLE[stage] as Role], manager);
    const decided = await manager
      .getRepository(ReviewStage)
      .find({ where: { requestId: request.id, stage: Not(stage), decidedById: Not(IsNull()) }, select: { decidedById: true } });
    const excluded = new Set([request.requesterId, ...decided.map((d) => d.decidedById)]);
    return holders.filter((u) => !excluded.has(u.id));
  }

  private async requester(manager: EntityManager, request: ToolRequest) {
    const person = (await this.people.facts([request.requesterId], manager)).get(request.requesterId);
    return person ? [{ id: person.id, email: person.email }] : [];
  }

  async notifyStageOpened(manager: EntityManager, request: ToolRequest, stage: Stage, row: ReviewStage): Promise<void> {
    await this.notifications.enqueue(manager, {
      event: 'review-needed',
      recipients: await this.deciders(manager, request, stage),
      entityType: 'ToolRequest',
      entityId: request.id,
      link: `/requests/${request.id}`,
      data: {
        title: request.title,
        stage,
        round: request.round,
        dueAt: row.dueAt?.toISOString().slice(0, 10) ?? null,
        requestId: request.id,
      },
    });
  }

  /**
   * The IT stage opened on a request IT has not assessed in this round: every active IT user but the
   * requester hears (in-app and by e-mail through the outbox), at most once per request and round.
   */
  async notifyAssessmentNeeded(manager: EntityManager, request: ToolRequest, row: ReviewStage): Promise<void> {
    const assessors = (await this.people.activeWithRoles([Role.IT], manager)).filter((u) => u.id !== request.requesterId);
    await this.notifications.enqueue(manager, {
      event: 'assessment-needed',
      recipients: assessors,
      entityType: 'ToolRequest',
      entityId: request.id,
      link: `/requests/${request.id}`,
      dedupeKey: `assessment-needed:${request.id}:${request.round}`,
      data: { title: request.title, round: request.round, dueAt: row.dueAt?.toISOString().slice(0, 10) ?? null, requestId: request.id },
    });
  }

  async notifyDecision(
    manager: EntityManager,
    request: ToolRequest,
    dto: DecideStageDto,
    status: RequestStatus,
    toolId: string | null,
    linked: LinkedTool | null = null,
  ): Promise<void> {
    const data = {
      title: request.title,
      stage: dto.stage,
      decision: dto.decision,
      comment: dto.comment ?? null,
      conditions: dto.conditions ?? null,
      requestId: request.id,
      toolId,
      linkedExistingTool: linked ? { name: linked.name, itApproval: linked.itApproval } : null,
    };
    const common = { entityType: 'ToolRequest', entityId: request.id, link: `/requests/${request.id}`, data };
    const requester = await this.requester(manager, request);
    if (status === RequestStatus.APPROVED || status === RequestStatus.REJECTED) {
      const leaders = await this.people.activeWithRoles([Role.CMO, Role.CIO], manager);
      await this.notifications.enqueue(manager, {
        ...common,
        event: status === RequestStatus.APPROVED ? 'request-approved' : 'request-rejected',
        recipients: [...requester, ...leaders],
      });
      if (status === RequestStatus.APPROVED && toolId) {
        // Finance's task: attach the contract, which retires the approved, not yet contracted amount.
        const finance = await this.people.activeWithRoles([Role.FINANCE], manager);
        await this.notifications.enqueue(manager, {
          event: 'contract-awaited',
          recipients: finance,
          entityType: 'ToolRequest',
          entityId: request.id,
          link: `/contracts/new?requestId=${request.id}`,
          data: { title: request.title, requestId: request.id, toolId },
        });
      }
    } else if (status === RequestStatus.CHANGES_REQUESTED) {
      await this.notifications.enqueue(manager, { ...common, event: 'changes-requested', recipients: requester });
    } else {
      await this.notifications.enqueue(manager, { ...common, event: 'stage-decided', recipients: requester });
    }
  }
}
