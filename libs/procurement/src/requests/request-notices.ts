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
  async deciders(m: EntityManager, r: Pick<ToolRequest, 'id' | 'requesterId'>, stage: Stage): Promise<{ id: string; email: string }[]> {
    const holders = await this.people.activeWithRoles([DECIDER_ROLE[stage] as Role], m);
    const decided = await m
      .getRepository(ReviewStage)
      .find({ where: { requestId: r.id, stage: Not(stage), decidedById: Not(IsNull()) }, select: { decidedById: true } });
    const excluded = new Set([r.requesterId, ...decided.map((d) => d.decidedById)]);
    return holders.filter((u) => !excluded.has(u.id));
  }

  private async requester(m: EntityManager, r: ToolRequest) {
    const u = (await this.people.facts([r.requesterId], m)).get(r.requesterId);
    return u ? [{ id: u.id, email: u.email }] : [];
  }

  async notifyStageOpened(m: EntityManager, r: ToolRequest, stage: Stage, row: ReviewStage): Promise<void> {
    await this.notifications.enqueue(m, {
      event: 'review-needed',
      recipients: await this.deciders(m, r, stage),
      entityType: 'ToolRequest',
      entityId: r.id,
      link: `/requests/${r.id}`,
      data: { title: r.title, stage, round: r.round, dueAt: row.dueAt?.toISOString().slice(0, 10) ?? null, requestId: r.id },
    });
  }

  /**
   * The IT stage opened on a request IT has not assessed in this round: every active IT user but the
   * requester hears (in-app and by e-mail through the outbox), at most once per request and round.
   */
  async notifyAssessmentNeeded(m: EntityManager, r: ToolRequest, row: ReviewStage): Promise<void> {
    const assessors = (await this.people.activeWithRoles([Role.IT], m)).filter((u) => u.id !== r.requesterId);
    await this.notifications.enqueue(m, {
      event: 'assessment-needed',
      recipients: assessors,
      entityType: 'ToolRequest',
      entityId: r.id,
      link: `/requests/${r.id}`,
      dedupeKey: `assessment-needed:${r.id}:${r.round}`,
      data: { title: r.title, round: r.round, dueAt: row.dueAt?.toISOString().slice(0, 10) ?? null, requestId: r.id },
    });
  }

  async notifyDecision(
    m: EntityManager,
    r: ToolRequest,
    dto: DecideStageDto,
    status: RequestStatus,
    toolId: string | null,
    linked: LinkedTool | null = null,
  ): Promise<void> {
    const data = {
      title: r.title,
      stage: dto.stage,
      decision: dto.decision,
      comment: dto.comment ?? null,
      conditions: dto.conditions ?? null,
      requestId: r.id,
      toolId,
      linkedExistingTool: linked ? { name: linked.name, itApproval: linked.itApproval } : null,
    };
    const common = { entityType: 'ToolRequest', entityId: r.id, link: `/requests/${r.id}`, data };
    const requester = await this.requester(m, r);
    if (status === RequestStatus.APPROVED || status === RequestStatus.REJECTED) {
      const leaders = await this.people.activeWithRoles([Role.CMO, Role.CIO], m);
      await this.notifications.enqueue(m, {
        ...common,
        event: status === RequestStatus.APPROVED ? 'request-approved' : 'request-rejected',
        recipients: [...requester, ...leaders],
      });
      if (status === RequestStatus.APPROVED && toolId) {
        // Finance's task: attach the contract, which retires the approved, not yet contracted amount.
        const finance = await this.people.activeWithRoles([Role.FINANCE], m);
        await this.notifications.enqueue(m, {
          event: 'contract-awaited',
          recipients: finance,
          entityType: 'ToolRequest',
          entityId: r.id,
          link: `/contracts/new?requestId=${r.id}`,
          data: { title: r.title, requestId: r.id, toolId },
        });
      }
    } else if (status === RequestStatus.CHANGES_REQUESTED) {
      await this.notifications.enqueue(m, { ...common, event: 'changes-requested', recipients: requester });
    } else {
      await this.notifications.enqueue(m, { ...common, event: 'stage-decided', recipients: requester });
    }
  }
}
