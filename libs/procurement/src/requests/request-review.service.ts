import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, DomainError, updateVersioned, uuidv7, withTransaction } from '@stackgate/platform';
import { AssessmentDto, DecideStageDto } from './dto/request.dto';
import { moveQueueCount, queuedAt } from './queue-counts';
import { assertVisible, loadRequest } from './request-access';
import { RequestApprovalEffects } from './request-approval-effects';
import { LinkedTool, RequestNotices } from './request-notices';
import { RequestQueriesService } from './request-queries.service';
import {
  addBusinessDays,
  applyDecision,
  checkAssessment,
  checkDecision,
  checkDecisionBeforeInput,
  Decision,
  DecisionContext,
  isFinal,
  Refusal,
  Stage,
  StageStatus,
} from './review-policy';
import { ItAssessment, ReviewStage, ToolRequest } from './tool-request.entity';
import { ProcurementError, ProcurementErrorCode } from '../procurement.errors';
import { joinConditions } from '../conditions/condition-policy';
import { RequestConditionsService } from '../conditions/request-conditions.service';

/** The review of a submitted request: IT's assessment and each stage's decision. */
@Injectable()
export class RequestReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly queries: RequestQueriesService,
    private readonly notices: RequestNotices,
    private readonly approvalEffects: RequestApprovalEffects,
    private readonly conditions: RequestConditionsService,
  ) {}

  async assess(actor: AuthUser, id: string, dto: AssessmentDto) {
    await this.auditingRefusals(id, { assessment: true }, () =>
      withTransaction(this.dataSource, async (manager) => {
        const request = await loadRequest(manager, id);
        assertVisible(actor, request);
        const refusal = checkAssessment({
          request: { status: request.status, requesterId: request.requesterId },
          actor: { id: actor.id, roles: actor.roles },
        });
        if (refusal) throw new ProcurementError(refusal.code, refusal.message);
        const now = new Date();
        const assessment = Object.assign(new ItAssessment(), {
          id: uuidv7(now.getTime()),
          requestId: id,
          assessorId: actor.id,
          round: request.round,
          createdAt: now,
          updatedAt: now,
          checklist: {
            ssoSupported: dto.ssoSupported,
            securityAttestation: dto.securityAttestation,
            dpaInPlace: dto.dpaInPlace,
            dataResidency: dto.dataResidency ?? null,
            integrationMethod: dto.integrationMethod ?? null,
            risks: dto.risks ?? null,
            recommendation: dto.recommendation ?? null,
          },
        });
        await manager.getRepository(ItAssessment).insert(assessment);
        await this.audit.record(manager, {
          action: 'request.assessed',
          entityType: 'ToolRequest',
          entityId: id,
          after: assessment.checklist,
          metadata: { round: request.round },
        });
      }),
    );
    return this.queries.get(actor, id);
  }

  /** Runs `work`; a 403 it throws (separation of duties) is written to the audit log like every other refusal. */
  private async auditingRefusals<T>(id: string, metadata: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DomainError && err.status === 403) {
        await this.audit.record(undefined, {
          action: 'authz.denied',
          entityType: 'ToolRequest',
          entityId: id,
          metadata: { reason: err.code, ...metadata },
        });
      }
      throw err;
    }
  }

  // ---- decisions ---------------------------------------------------------------------------

  async decide(actor: AuthUser, id: string, dto: DecideStageDto) {
    await this.auditingRefusals(id, { stage: dto.stage, decision: dto.decision }, () =>
      withTransaction(this.dataSource, (m) => this.decideInTransaction(m, actor, id, dto)),
    );
    return this.queries.get(actor, id);
  }

  /**
   * Whether `actor` may decide `input.stage` of request `id` with `input.decision` on `input.version`
   * now, before the comment or conditions are asked for (a Slack modal about to open): the refusal
   * decide() would throw for the same actor, request and stage — not found, role, separation of duties,
   * the request's state and version, the stage, IT's assessment — except what the decision must carry.
   * Reads only: writes nothing and audits nothing (the caller decides what a refused attempt records).
   */
  async assertMayDecide(actor: AuthUser, id: string, input: { stage: Stage; decision: Decision; version: number }): Promise<void> {
    const manager = this.dataSource.manager;
    const request = await loadRequest(manager, id);
    assertVisible(actor, request);
    const stages = await manager.getRepository(ReviewStage).find({ where: { requestId: id } });
    await this.refuseUnlessAllowed(manager, actor, request, stages, input, checkDecisionBeforeInput);
  }

  private async decideInTransaction(manager: EntityManager, actor: AuthUser, id: string, input: DecideStageDto): Promise<void> {
    const request = await loadRequest(manager, id);
    assertVisible(actor, request);
    const stages = await manager.getRepository(ReviewStage).find({ where: { requestId: id } });
    const items = input.conditionItems ?? [];
    // With condition items, the single conditions text is their joined text (what the policy and older clients read).
    const dto: DecideStageDto = items.length ? { ...input, conditions: joinConditions(items) } : input;
    await this.refuseUnlessAllowed(manager, actor, request, stages, dto);
    if (items.length)
      await this.conditions.validateItems(manager, { stage: input.stage, decision: input.decision, conditions: input.conditions, items });
    const round = stages.filter((s) => s.round === request.round).sort((a, b) => a.position - b.position);
    const { outcome, next } = await this.recordDecision(manager, actor, request, round, dto);
    let toolId = request.toolId;
    let linked: LinkedTool | null = null;
    await this.conditions.record(manager, actor, request, dto.stage, items);
    if (outcome.approvedFinally) ({ toolId, linked } = await this.approvalEffects.apply(manager, actor, request, round));
    if (outcome.approvedFinally) await this.conditions.notifyOwners(manager, request, toolId);

    await this.audit.record(manager, {
      action: 'request.decided',
      entityType: 'ToolRequest',
      entityId: id,
      before: { status: request.status, currentStage: request.currentStage },
      after: { status: outcome.requestStatus, currentStage: outcome.nextStage, toolId },
      metadata: {
        stage: dto.stage,
        round: request.round,
        decision: dto.decision,
        comment: dto.comment ?? null,
        conditions: dto.conditions ?? null,
        ...(linked ? { linkedExistingTool: true } : {}),
      },
    });
    await this.notices.notifyDecision(manager, request, dto, outcome.requestStatus, toolId, linked);
    if (next) await this.notices.notifyStageOpened(manager, request, next.stage, next);
    if (
      next?.stage === Stage.IT &&
      !(await manager.getRepository(ItAssessment).exists({ where: { requestId: id, round: request.round } }))
    ) {
      await this.notices.notifyAssessmentNeeded(manager, request, next);
    }
    // Last: every decision at a stage moves the same count rows, locked from here to the commit.
    await moveQueueCount(
      manager,
      request.type,
      queuedAt(request),
      queuedAt({ status: outcome.requestStatus, currentStage: outcome.nextStage }),
    );
  }

  /** The review policy's refusal (wrong stage or role, separation of duties, stale version …), thrown. */
  private async refuseUnlessAllowed(
    manager: EntityManager,
    actor: AuthUser,
    request: ToolRequest,
    stages: ReviewStage[],
    dto: DecisionContext['input'],
    policy: (context: DecisionContext) => Refusal | null = checkDecision,
  ): Promise<void> {
    const decidedByActor = stages.filter((s) => s.decidedById === actor.id).map((s) => s.stage);
    const assessedThisRound =
      dto.stage === Stage.IT &&
      (await manager.getRepository(ItAssessment).exists({ where: { requestId: request.id, round: request.round } }));
    const refusal = policy({
      request: { status: request.status, version: request.version, requesterId: request.requesterId, currentStage: request.currentStage },
      actor: { id: actor.id, roles: actor.roles },
      input: dto,
      stagesDecidedByActor: decidedByActor,
      assessedThisRound,
    });
    if (refusal) throw new ProcurementError(refusal.code, refusal.message);
  }

  /** Writes the decision: the request's new status, the decided stage, and the next stage opened (or the pending ones cancelled). */
  private async recordDecision(manager: EntityManager, actor: AuthUser, request: ToolRequest, round: ReviewStage[], dto: DecideStageDto) {
    const id = request.id;
    const current = round.find((s) => s.stage === dto.stage)!;
    const outcome = applyDecision(
      dto.decision,
      dto.stage,
      round.map((s) => s.stage),
    );
    const now = new Date();
    // The guarded write: only one of several concurrent deciders gets past this line.
    await updateVersioned(manager, ToolRequest, 'Request', id, dto.version, {
      status: outcome.requestStatus,
      currentStage: outcome.nextStage,
      closedAt: isFinal(outcome.requestStatus) ? now : null,
    });
    const claimed = await manager
      .createQueryBuilder()
      .update(ReviewStage)
      .set({
        status: outcome.stageStatus,
        decidedById: actor.id,
        decidedAt: now,
        decision: dto.decision,
        comment: dto.comment ?? null,
        conditions: dto.conditions ?? null,
        updatedAt: now,
      })
      .where('id = :sid AND status = :open', { sid: current.id, open: StageStatus.OPEN })
      .execute();
    if (claimed.affected !== 1)
      throw new ProcurementError(ProcurementErrorCode.STAGE_ALREADY_DECIDED, 'This stage was decided meanwhile; reload the request');
    Object.assign(current, {
      status: outcome.stageStatus,
      decidedById: actor.id,
      decidedAt: now,
      decision: dto.decision,
      comment: dto.comment ?? null,
      conditions: dto.conditions ?? null,
    });

    let next: ReviewStage | undefined;
    if (outcome.nextStage) {
      next = round.find((s) => s.stage === outcome.nextStage)!;
      next.openedAt = now;
      next.dueAt = addBusinessDays(now, this.config.reviewSlaBusinessDays);
      await manager
        .getRepository(ReviewStage)
        .update({ id: next.id }, { status: StageStatus.OPEN, openedAt: next.openedAt, dueAt: next.dueAt, updatedAt: now });
    } else if (!outcome.approvedFinally) {
      await manager
        .createQueryBuilder()
        .update(ReviewStage)
        .set({ status: StageStatus.CANCELLED, updatedAt: now })
        .where('requestId = :id AND round = :round AND status = :pending', { id, round: request.round, pending: StageStatus.PENDING })
        .execute();
    }
    return { outcome, next };
  }
}
