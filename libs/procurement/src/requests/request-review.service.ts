import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, DomainError, updateVersioned, uuidv7, withTransaction } from '@stackgate/platform';
import { AssessmentDto, DecideStageDto } from './dto/request.dto';
import { assertVisible, loadRequest } from './request-access';
import { RequestApprovalEffects } from './request-approval-effects';
import { LinkedTool, RequestNotices } from './request-notices';
import { RequestQueriesService } from './request-queries.service';
import { addBusinessDays, applyDecision, checkAssessment, checkDecision, isFinal, Stage, StageStatus } from './review-policy';
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
      withTransaction(this.dataSource, async (m) => {
        const r = await loadRequest(m, id);
        assertVisible(actor, r);
        const refusal = checkAssessment({
          request: { status: r.status, requesterId: r.requesterId },
          actor: { id: actor.id, roles: actor.roles },
        });
        if (refusal) throw new ProcurementError(refusal.code, refusal.message);
        const now = new Date();
        const a = Object.assign(new ItAssessment(), {
          id: uuidv7(now.getTime()),
          requestId: id,
          assessorId: actor.id,
          round: r.round,
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
        await m.getRepository(ItAssessment).insert(a);
        await this.audit.record(m, {
          action: 'request.assessed',
          entityType: 'ToolRequest',
          entityId: id,
          after: a.checklist,
          metadata: { round: r.round },
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

  private async decideInTransaction(m: EntityManager, actor: AuthUser, id: string, input: DecideStageDto): Promise<void> {
    const r = await loadRequest(m, id);
    assertVisible(actor, r);
    const stages = await m.getRepository(ReviewStage).find({ where: { requestId: id } });
    const items = input.conditionItems ?? [];
    // With condition items, the single conditions text is their joined text (what the policy and older clients read).
    const dto: DecideStageDto = items.length ? { ...input, conditions: joinConditions(items) } : input;
    await this.refuseUnlessAllowed(m, actor, r, stages, dto);
    if (items.length)
      await this.conditions.validateItems(m, { stage: input.stage, decision: input.decision, conditions: input.conditions, items });
    const round = stages.filter((s) => s.round === r.round).sort((a, b) => a.position - b.position);
    const { outcome, next } = await this.recordDecision(m, actor, r, round, dto);
    let toolId = r.toolId;
    let linked: LinkedTool | null = null;
    await this.conditions.record(m, actor, r, dto.stage, items);
    if (outcome.approvedFinally) ({ toolId, linked } = await this.approvalEffects.apply(m, actor, r, round));
    if (outcome.approvedFinally) await this.conditions.notifyOwners(m, r, toolId);

    await this.audit.record(m, {
      action: 'request.decided',
      entityType: 'ToolRequest',
      entityId: id,
      before: { status: r.status, currentStage: r.currentStage },
      after: { status: outcome.requestStatus, currentStage: outcome.nextStage, toolId },
      metadata: {
        stage: dto.stage,
        round: r.round,
        decision: dto.decision,
        comment: dto.comment ?? null,
        conditions: dto.conditions ?? null,
        ...(linked ? { linkedExistingTool: true } : {}),
      },
    });
    await this.notices.notifyDecision(m, r, dto, outcome.requestStatus, toolId, linked);
    if (next) await this.notices.notifyStageOpened(m, r, next.stage, next);
    if (next?.stage === Stage.IT && !(await m.getRepository(ItAssessment).exists({ where: { requestId: id, round: r.round } }))) {
      await this.notices.notifyAssessmentNeeded(m, r, next);
    }
  }

  /** The review policy's refusal (wrong stage or role, separation of duties, stale version …), thrown. */
  private async refuseUnlessAllowed(
    m: EntityManager,
    actor: AuthUser,
    r: ToolRequest,
    stages: ReviewStage[],
    dto: DecideStageDto,
  ): Promise<void> {
    const decidedByActor = stages.filter((s) => s.decidedById === actor.id).map((s) => s.stage);
    const assessedThisRound =
      dto.stage === Stage.IT && (await m.getRepository(ItAssessment).exists({ where: { requestId: r.id, round: r.round } }));
    const refusal = checkDecision({
      request: { status: r.status, version: r.version, requesterId: r.requesterId, currentStage: r.currentStage },
      actor: { id: actor.id, roles: actor.roles },
      input: dto,
      stagesDecidedByActor: decidedByActor,
      assessedThisRound,
    });
    if (refusal) throw new ProcurementError(refusal.code, refusal.message);
  }

  /** Writes the decision: the request's new status, the decided stage, and the next stage opened (or the pending ones cancelled). */
  private async recordDecision(m: EntityManager, actor: AuthUser, r: ToolRequest, round: ReviewStage[], dto: DecideStageDto) {
    const id = r.id;
    const current = round.find((s) => s.stage === dto.stage)!;
    const outcome = applyDecision(
      dto.decision,
      dto.stage,
      round.map((s) => s.stage),
    );
    const now = new Date();
    // The guarded write: only one of several concurrent deciders gets past this line.
    await updateVersioned(m, ToolRequest, 'Request', id, dto.version, {
      status: outcome.requestStatus,
      currentStage: outcome.nextStage,
      closedAt: isFinal(outcome.requestStatus) ? now : null,
    });
    const claimed = await m
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
      await m
        .getRepository(ReviewStage)
        .update({ id: next.id }, { status: StageStatus.OPEN, openedAt: next.openedAt, dueAt: next.dueAt, updatedAt: now });
    } else if (!outcome.approvedFinally) {
      await m
        .createQueryBuilder()
        .update(ReviewStage)
        .set({ status: StageStatus.CANCELLED, updatedAt: now })
        .where('requestId = :id AND round = :round AND status = :pending', { id, round: r.round, pending: StageStatus.PENDING })
        .execute();
    }
    return { outcome, next };
  }
}
