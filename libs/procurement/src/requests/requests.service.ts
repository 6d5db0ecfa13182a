import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { Category, CostCenter, DataClassification, ItApprovalStatus, Lifecycle, Tool, ToolsService, VendorsService } from '@stackgate/catalog';
import { User, UserRole } from '@stackgate/identity';
import { IntegrationFrequency, IntegrationMethod, IntegrationsService, IntegrationStatus } from '@stackgate/integrations';
import { NotificationsService } from '@stackgate/notifications';
import {
  APP_CONFIG, AppConfig, AuthUser, convertMinor, DomainError, forbidden, hasRole, notFound, Page, pageParams,
  parseDecimalToMinor, resolveSort, Role, unknownReference, updateVersioned, uuidv7, withTransaction,
} from '@stackgate/platform';
import { AssessmentDto, CreateRequestDto, DecideStageDto, RequestQueryDto, UpdateRequestDto } from './dto/request.dto';
import { integrationImpact, overlapCandidates, requestDetail, requestSummary } from './request-views';
import {
  addBusinessDays, applyDecision, canSubmit, canWithdraw, checkAssessment, checkDecision, Decision, DECIDER_ROLE, isEditable, isFinal, itApprovalFrom,
  RequestStatus, RequestType, Stage, StageStatus, stagesFor,
} from './review-policy';
import { requestsInReviewProposing } from './tool-name-reservations';
import { ItAssessment, RequestComment, ReviewStage, ToolRequest } from './tool-request.entity';
import { ProcurementError, ProcurementErrorCode } from '../procurement.errors';

/** The catalog tool a NEW_TOOL approval was linked to because it already held the proposed name. */
interface LinkedTool { name: string; itApproval: string }

/** Roles that read every request; a user with none of them (a marketer) reads only their own. */
const READ_ALL = [Role.CMO, Role.IT, Role.CIO, Role.FINANCE, Role.ADMIN];

const snapshot = (r: ToolRequest) => ({
  type: r.type, title: r.title, status: r.status, toolId: r.toolId, proposedTool: r.proposedTool, estimatedAnnualCost: `${r.estimatedAnnualCostMinor} ${r.estimatedAnnualCostCurrency}`,
  allocation: r.allocation, dataCategories: r.dataCategories, requiredIntegrations: r.requiredIntegrations, neededBy: r.neededBy, round: r.round, currentStage: r.currentStage,
});

@Injectable()
export class RequestsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly tools: ToolsService,
    private readonly vendors: VendorsService,
    private readonly integrations: IntegrationsService,
  ) {}

  // ---- reading -----------------------------------------------------------------------------

  private async load(m: EntityManager, id: string): Promise<ToolRequest> {
    const r = await m.getRepository(ToolRequest).findOne({ where: { id } });
    if (!r) throw notFound('Request', id);
    return r;
  }

  /** 404 for a request the actor may not see (a marketer sees only their own). */
  private assertVisible(actor: AuthUser, r: ToolRequest): void {
    if (r.requesterId !== actor.id && !hasRole(actor, ...READ_ALL)) throw notFound('Request', r.id);
  }

  private assertOwn(actor: AuthUser, r: ToolRequest): void {
    this.assertVisible(actor, r);
    if (r.requesterId !== actor.id) throw new ProcurementError(ProcurementErrorCode.NOT_REQUESTER, 'Only the requester changes, submits or withdraws a request');
  }

  async get(actor: AuthUser, id: string, m: EntityManager = this.dataSource.manager) {
    const r = await this.load(m, id);
    this.assertVisible(actor, r);
    return this.detail(m, r);
  }

  private async detail(m: EntityManager, r: ToolRequest) {
    const [stages, comments, assessment, overlaps, impact] = await Promise.all([
      m.getRepository(ReviewStage).find({ where: { requestId: r.id } }),
      m.getRepository(RequestComment).find({ where: { requestId: r.id }, order: { createdAt: 'ASC' } }),
      m.getRepository(ItAssessment).findOne({ where: { requestId: r.id }, order: { createdAt: 'DESC' } }),
      overlapCandidates(m, r, this.config.baseCurrency),
      integrationImpact(m, r),
    ]);
    return requestDetail(r, stages, comments, assessment, { overlapCandidates: overlaps, integrationImpact: impact }, this.config.baseCurrency);
  }

  async list(actor: AuthUser, q: RequestQueryDto): Promise<Page<ReturnType<typeof requestSummary>>> {
    const { page, pageSize, skip, take } = pageParams(q);
    const qb = this.dataSource.getRepository(ToolRequest).createQueryBuilder('r')
      .leftJoinAndMapOne('r.openStage', ReviewStage, 's', 's.requestId = r.id AND s.round = r.round AND s.stage = r.currentStage AND s.status = :open', { open: StageStatus.OPEN });
    if (!hasRole(actor, ...READ_ALL) || q.queue === 'mine') qb.andWhere('r.requesterId = :me', { me: actor.id });
    if (q.queue === 'awaiting-me') {
      const stages = (Object.keys(DECIDER_ROLE) as Stage[]).filter((s) => actor.roles.includes(DECIDER_ROLE[s] as Role));
      if (!stages.length) return { items: [], page, pageSize, total: 0 };
      qb.andWhere('r.status = :inReview AND r.currentStage IN (:...stages) AND r.requesterId <> :me', { inReview: RequestStatus.IN_REVIEW, stages, me: actor.id })
        .andWhere('NOT EXISTS (SELECT 1 FROM review_stages d WHERE d.requestId = r.id AND d.decidedById = :me AND d.stage <> r.currentStage)');
    }
    if (q.status) qb.andWhere('r.status = :status', { status: q.status });
    if (q.type) qb.andWhere('r.type = :type', { type: q.type });
    if (q.queue === 'awaiting-me' && !q.sort) {
      qb.orderBy('s.dueAt', 'ASC').addOrderBy('r.createdAt', 'ASC');
    } else {
      const { column, direction } = resolveSort(q.sort, { createdAt: 'r.createdAt', updatedAt: 'r.updatedAt', title: 'r.title', neededBy: 'r.neededBy', status: 'r.status' }, '-createdAt');
      qb.orderBy(column, direction).addOrderBy('r.id', direction);
    }
    const [rows, total] = await qb.skip(skip).take(take).getManyAndCount();
    return { items: rows.map((r) => requestSummary(r, (r as ToolRequest & { openStage?: ReviewStage }).openStage)), page, pageSize, total };
  }

  // ---- writing by the requester ------------------------------------------------------------

  /** Shape and references of a request; 400 for a wrong shape, 422 for unknown references. */
  private async validate(m: EntityManager, r: Pick<ToolRequest, 'type' | 'toolId' | 'proposedTool' | 'allocation' | 'requiredIntegrations'>): Promise<void> {
    if (r.type === RequestType.NEW_TOOL) {
      if (!r.proposedTool) throw new ProcurementError(ProcurementErrorCode.PROPOSED_TOOL_REQUIRED, 'A NEW_TOOL request needs proposedTool {name, vendorName, subcategoryId}');
      if (r.toolId) throw new ProcurementError(ProcurementErrorCode.TOOL_NOT_ALLOWED, 'A NEW_TOOL request names no catalog tool (toolId)');
      const sub = await m.getRepository(Category).findOne({ where: { id: r.proposedTool.subcategoryId } });
      if (!sub || !sub.parentId) throw unknownReference('proposedTool.subcategoryId is not a subcategory', { field: 'proposedTool.subcategoryId' });
      const taken = await m.getRepository(Tool).findOne({ where: { nameKey: r.proposedTool.name.trim().toLowerCase() }, select: { id: true } });
      if (taken) {
        throw new ProcurementError(ProcurementErrorCode.TOOL_NAME_TAKEN, `The catalog already has a tool named ${r.proposedTool.name}; request an EXPANSION of it instead`, { field: 'proposedTool.name', toolId: taken.id });
      }
    } else {
      if (!r.toolId) throw new ProcurementError(ProcurementErrorCode.TOOL_REQUIRED, `A ${r.type} request names the catalog tool (toolId)`);
      if (r.proposedTool) throw new ProcurementError(ProcurementErrorCode.PROPOSED_TOOL_NOT_ALLOWED, `A ${r.type} request has no proposedTool`);
      const tool = await m.getRepository(Tool).findOne({ where: { id: r.toolId } });
      if (!tool) throw unknownReference('toolId is not a catalog tool', { field: 'toolId' });
      if (tool.lifecycle === Lifecycle.RETIRED) throw new ProcurementError(ProcurementErrorCode.TOOL_RETIRED, `${tool.name} is retired`);
    }
    const ccIds = [...new Set(r.allocation.map((a) => a.costCenterId))];
    const found = await m.getRepository(CostCenter).count({ where: { id: In(ccIds), active: true } });
    if (found !== ccIds.length) throw unknownReference('allocation names a cost center that does not exist or is inactive', { field: 'allocation' });
    const toolIds = [...new Set(r.requiredIntegrations.map((i) => i.toolId))];
    if (toolIds.length) {
      const tools = await m.getRepository(Tool).find({ where: { id: In(toolIds) } });
      if (tools.length !== toolIds.length || tools.some((t) => t.lifecycle === Lifecycle.RETIRED)) {
        throw unknownReference('requiredIntegrations names a tool that is not in the catalog (or is retired)', { field: 'requiredIntegrations' });
      }
      if (r.toolId && toolIds.includes(r.toolId)) throw new ProcurementError(ProcurementErrorCode.SAME_TOOL, 'A tool cannot integrate with itself');
    }
  }

  async create(actor: AuthUser, dto: CreateRequestDto) {
    const id = await withTransaction(this.dataSource, async (m) => {
      const now = new Date();
      const r = Object.assign(new ToolRequest(), {
        id: uuidv7(now.getTime()), type: dto.type, title: dto.title, status: RequestStatus.DRAFT, requesterId: actor.id, toolId: dto.toolId ?? null,
        proposedTool: dto.proposedTool ? { ...dto.proposedTool } : null, businessCase: dto.businessCase, expectedOutcomes: dto.expectedOutcomes ?? null,
        alternativesConsidered: dto.alternativesConsidered ?? null,
        estimatedAnnualCostMinor: parseDecimalToMinor(dto.estimatedAnnualCost.amount, dto.estimatedAnnualCost.currency),
        estimatedAnnualCostCurrency: dto.estimatedAnnualCost.currency, estimatedAnnualCostBaseMinor: null,
        allocation: dto.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps })), dataCategories: dto.dataCategories ?? [],
        requiredIntegrations: (dto.requiredIntegrations ?? []).map((i) => ({ toolId: i.toolId, direction: i.direction, dataObjects: i.dataObjects })),
        neededBy: dto.neededBy ?? null, round: 0, currentStage: null, submittedAt: null, closedAt: null, createdAt: now, updatedAt: now, version: 1,
      });
      await this.validate(m, r);
      await m.getRepository(ToolRequest).insert(r);
      await this.audit.record(m, { action: 'request.created', entityType: 'ToolRequest', entityId: r.id, after: snapshot(r) });
      return r.id;
    });
    return this.get(actor, id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateRequestDto) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await this.load(m, id);
      this.assertOwn(actor, r);
      if (!isEditable(r.status)) throw new ProcurementError(ProcurementErrorCode.REQUEST_NOT_EDITABLE, `A request that is ${r.status.toLowerCase()} cannot be edited`);
      const before = snapshot(r);
      const changes: Partial<ToolRequest> = {};
      if (dto.title !== undefined) changes.title = dto.title;
      if (dto.toolId !== undefined) changes.toolId = dto.toolId;
      if (dto.proposedTool !== undefined) changes.proposedTool = { ...dto.proposedTool };
      if (dto.businessCase !== undefined) changes.businessCase = dto.businessCase;
      if (dto.expectedOutcomes !== undefined) changes.expectedOutcomes = dto.expectedOutcomes;
      if (dto.alternativesConsidered !== undefined) changes.alternativesConsidered = dto.alternativesConsidered;
      if (dto.estimatedAnnualCost !== undefined) {
        changes.estimatedAnnualCostMinor = parseDecimalToMinor(dto.estimatedAnnualCost.amount, dto.estimatedAnnualCost.currency);
        changes.estimatedAnnualCostCurrency = dto.estimatedAnnualCost.currency;
      }
      if (dto.allocation !== undefined) changes.allocation = dto.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps }));
      if (dto.dataCategories !== undefined) changes.dataCategories = dto.dataCategories;
      if (dto.requiredIntegrations !== undefined) changes.requiredIntegrations = dto.requiredIntegrations.map((i) => ({ toolId: i.toolId, direction: i.direction, dataObjects: i.dataObjects }));
      if (dto.neededBy !== undefined) changes.neededBy = dto.neededBy;
      const merged = Object.assign(new ToolRequest(), r, changes);
      await this.validate(m, merged);
      await updateVersioned(m, ToolRequest, 'Request', id, dto.version, changes);
      await this.audit.record(m, { action: 'request.updated', entityType: 'ToolRequest', entityId: id, before, after: snapshot(merged) });
    });
    return this.get(actor, id);
  }

  /** One review per proposed tool: 409 TOOL_NAME_RESERVED while another NEW_TOOL request for the same name is in review. */
  private async assertProposedNameUnclaimed(m: EntityManager, r: ToolRequest): Promise<void> {
    if (r.type !== RequestType.NEW_TOOL || !r.proposedTool) return;
    const [other] = await requestsInReviewProposing(m, [r.proposedTool.name.trim().toLowerCase()], r.id);
    if (other) {
      throw new ProcurementError(ProcurementErrorCode.TOOL_NAME_RESERVED, `The request "${other.title}" (${other.entityId}) for a tool named ${other.name} is already in review; comment on it instead of submitting a second one`,
        { field: 'proposedTool.name', requestId: other.entityId });
    }
  }

  /** The estimated annual cost in base currency with the FX rate of `month`; 422 when the rate is missing. */
  private async baseCost(m: EntityManager, r: ToolRequest, month: string): Promise<bigint> {
    if (r.estimatedAnnualCostCurrency === this.config.baseCurrency) return r.estimatedAnnualCostMinor;
    const rows = await m.query('SELECT rate FROM fx_rates WHERE currency = ? AND month = ?', [r.estimatedAnnualCostCurrency, month]) as { rate: string }[];
    if (!rows.length) {
      throw new ProcurementError(ProcurementErrorCode.FX_RATE_MISSING, `No FX rate for ${r.estimatedAnnualCostCurrency} in ${month}; finance must add it before this request can be submitted`,
        [{ currency: r.estimatedAnnualCostCurrency, month }]);
    }
    return convertMinor(r.estimatedAnnualCostMinor, r.estimatedAnnualCostCurrency, this.config.baseCurrency, String(rows[0].rate));
  }

  async submit(actor: AuthUser, id: string, version: number) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await this.load(m, id);
      this.assertOwn(actor, r);
      if (!canSubmit(r.status)) throw new ProcurementError(ProcurementErrorCode.REQUEST_NOT_SUBMITTABLE, `A request that is ${r.status.toLowerCase()} cannot be submitted`);
      await this.validate(m, r);
      await this.assertProposedNameUnclaimed(m, r);
      const now = new Date();
      const base = await this.baseCost(m, r, now.toISOString().slice(0, 7));
      const stages = stagesFor(base, this.config.financeApprovalThresholdMinor);
      const round = r.round + 1;
      await updateVersioned(m, ToolRequest, 'Request', id, version, {
        status: RequestStatus.IN_REVIEW, round, currentStage: stages[0], submittedAt: now, estimatedAnnualCostBaseMinor: base, closedAt: null,
      });
      const rows = stages.map((stage, position) => Object.assign(new ReviewStage(), {
        id: uuidv7(now.getTime()), requestId: id, round, stage, position, status: position === 0 ? StageStatus.OPEN : StageStatus.PENDING,
        openedAt: position === 0 ? now : null, dueAt: position === 0 ? addBusinessDays(now, this.config.reviewSlaBusinessDays) : null,
        decidedById: null, decidedAt: null, decision: null, comment: null, conditions: null, createdAt: now, updatedAt: now,
      }));
      await m.getRepository(ReviewStage).insert(rows);
      await this.audit.record(m, { action: 'request.submitted', entityType: 'ToolRequest', entityId: id, before: { status: r.status }, after: { status: RequestStatus.IN_REVIEW, round, stages } });
      await this.notifyStageOpened(m, { ...r, round }, stages[0], rows[0]);
    });
    return this.get(actor, id);
  }

  async withdraw(actor: AuthUser, id: string, version: number) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await this.load(m, id);
      this.assertOwn(actor, r);
      if (!canWithdraw(r.status)) throw new ProcurementError(ProcurementErrorCode.REQUEST_NOT_WITHDRAWABLE, `A request that is ${r.status.toLowerCase()} cannot be withdrawn`);
      const now = new Date();
      await updateVersioned(m, ToolRequest, 'Request', id, version, { status: RequestStatus.WITHDRAWN, currentStage: null, closedAt: now });
      await m.createQueryBuilder().update(ReviewStage).set({ status: StageStatus.CANCELLED, updatedAt: now })
        .where('requestId = :id AND status IN (:...st)', { id, st: [StageStatus.OPEN, StageStatus.PENDING] }).execute();
      await this.audit.record(m, { action: 'request.withdrawn', entityType: 'ToolRequest', entityId: id, before: { status: r.status }, after: { status: RequestStatus.WITHDRAWN } });
    });
    return this.get(actor, id);
  }

  async comment(actor: AuthUser, id: string, body: string) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await this.load(m, id);
      this.assertVisible(actor, r);
      const reviewer = hasRole(actor, Role.CMO, Role.IT, Role.CIO, Role.FINANCE);
      if (!reviewer && r.requesterId !== actor.id) throw forbidden('Only the requester and reviewers comment on a request');
      const now = new Date();
      const c = Object.assign(new RequestComment(), { id: uuidv7(now.getTime()), requestId: id, authorId: actor.id, body, createdAt: now, updatedAt: now });
      await m.getRepository(RequestComment).insert(c);
      await this.audit.record(m, { action: 'request.commented', entityType: 'ToolRequest', entityId: id, metadata: { commentId: c.id } });
    });
    return this.get(actor, id);
  }

  async assess(actor: AuthUser, id: string, dto: AssessmentDto) {
    await this.auditingRefusals(id, { assessment: true }, () => withTransaction(this.dataSource, async (m) => {
      const r = await this.load(m, id);
      this.assertVisible(actor, r);
      const refusal = checkAssessment({ request: { status: r.status, requesterId: r.requesterId }, actor: { id: actor.id, roles: actor.roles } });
      if (refusal) throw new ProcurementError(refusal.code, refusal.message);
      const now = new Date();
      const a = Object.assign(new ItAssessment(), {
        id: uuidv7(now.getTime()), requestId: id, assessorId: actor.id, round: r.round, createdAt: now, updatedAt: now,
        checklist: {
          ssoSupported: dto.ssoSupported, securityAttestation: dto.securityAttestation, dpaInPlace: dto.dpaInPlace, dataResidency: dto.dataResidency ?? null,
          integrationMethod: dto.integrationMethod ?? null, risks: dto.risks ?? null, recommendation: dto.recommendation ?? null,
        },
      });
      await m.getRepository(ItAssessment).insert(a);
      await this.audit.record(m, { action: 'request.assessed', entityType: 'ToolRequest', entityId: id, after: a.checklist, metadata: { round: r.round } });
    }));
    return this.get(actor, id);
  }

  /** Runs `work`; a 403 it throws (separation of duties) is written to the audit log like every other refusal. */
  private async auditingRefusals<T>(id: string, metadata: Record<string, unknown>, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof DomainError && err.status === 403) {
        await this.audit.record(undefined, { action: 'authz.denied', entityType: 'ToolRequest', entityId: id, metadata: { reason: err.code, ...metadata } });
      }
      throw err;
    }
  }

  // ---- decisions ---------------------------------------------------------------------------

  async decide(actor: AuthUser, id: string, dto: DecideStageDto) {
    await this.auditingRefusals(id, { stage: dto.stage, decision: dto.decision }, () => withTransaction(this.dataSource, (m) => this.decideInTransaction(m, actor, id, dto)));
    return this.get(actor, id);
  }

  private async decideInTransaction(m: EntityManager, actor: AuthUser, id: string, dto: DecideStageDto): Promise<void> {
    const r = await this.load(m, id);
    this.assertVisible(actor, r);
    const stages = await m.getRepository(ReviewStage).find({ where: { requestId: id } });
    const decidedByActor = stages.filter((s) => s.decidedById === actor.id).map((s) => s.stage);
    const assessedThisRound = dto.stage === Stage.IT && await m.getRepository(ItAssessment).exists({ where: { requestId: id, round: r.round } });
    const refusal = checkDecision({
      request: { status: r.status, version: r.version, requesterId: r.requesterId, currentStage: r.currentStage },
      actor: { id: actor.id, roles: actor.roles }, input: dto, stagesDecidedByActor: decidedByActor, assessedThisRound,
    });
    if (refusal) throw new ProcurementError(refusal.code, refusal.message);

    const round = stages.filter((s) => s.round === r.round).sort((a, b) => a.position - b.position);
    const current = round.find((s) => s.stage === dto.stage)!;
    const outcome = applyDecision(dto.decision, dto.stage, round.map((s) => s.stage));
    const now = new Date();
    // The guarded write: only one of several concurrent deciders gets past this line.
    await updateVersioned(m, ToolRequest, 'Request', id, dto.version, {
      status: outcome.requestStatus, currentStage: outcome.nextStage, closedAt: isFinal(outcome.requestStatus) ? now : null,
    });
    const claimed = await m.createQueryBuilder().update(ReviewStage)
      .set({ status: outcome.stageStatus, decidedById: actor.id, decidedAt: now, decision: dto.decision, comment: dto.comment ?? null, conditions: dto.conditions ?? null, updatedAt: now })
      .where('id = :sid AND status = :open', { sid: current.id, open: StageStatus.OPEN }).execute();
    if (claimed.affected !== 1) throw new ProcurementError(ProcurementErrorCode.STAGE_ALREADY_DECIDED, 'This stage was decided meanwhile; reload the request');
    Object.assign(current, { status: outcome.stageStatus, decidedById: actor.id, decidedAt: now, decision: dto.decision, comment: dto.comment ?? null, conditions: dto.conditions ?? null });

    let next: ReviewStage | undefined;
    if (outcome.nextStage) {
      next = round.find((s) => s.stage === outcome.nextStage)!;
      next.openedAt = now;
      next.dueAt = addBusinessDays(now, this.config.reviewSlaBusinessDays);
      await m.getRepository(ReviewStage).update({ id: next.id }, { status: StageStatus.OPEN, openedAt: next.openedAt, dueAt: next.dueAt, updatedAt: now });
    } else if (!outcome.approvedFinally) {
      await m.createQueryBuilder().update(ReviewStage).set({ status: StageStatus.CANCELLED, updatedAt: now })
        .where('requestId = :id AND round = :round AND status = :pending', { id, round: r.round, pending: StageStatus.PENDING }).execute();
    }
    let toolId = r.toolId;
    let linked: LinkedTool | null = null;
    if (outcome.approvedFinally) ({ toolId, linked } = await this.applyApproval(m, actor, r, round));

    await this.audit.record(m, {
      action: 'request.decided', entityType: 'ToolRequest', entityId: id,
      before: { status: r.status, currentStage: r.currentStage }, after: { status: outcome.requestStatus, currentStage: outcome.nextStage, toolId },
      metadata: { stage: dto.stage, round: r.round, decision: dto.decision, comment: dto.comment ?? null, conditions: dto.conditions ?? null, ...(linked ? { linkedExistingTool: true } : {}) },
    });
    await this.notifyDecision(m, r, dto, outcome.requestStatus, toolId, linked);
    if (next) await this.notifyStageOpened(m, r, next.stage, next);
  }

  /** The last approval's effects, in the decision's transaction: the catalog tool's id, and the tool it was linked to instead of created, if any. */
  private async applyApproval(m: EntityManager, actor: AuthUser, r: ToolRequest, round: ReviewStage[]): Promise<{ toolId: string | null; linked: LinkedTool | null }> {
    const itStage = round.find((s) => s.stage === Stage.IT);
    const cio = itStage?.decidedById ? await this.authUser(m, itStage.decidedById) : actor;
    const approval = {
      status: ItApprovalStatus[itApprovalFrom(itStage?.decision ?? null)],
      rationale: itStage?.comment?.trim() || `Approved through request "${r.title}"`,
      conditions: itStage?.decision === Decision.APPROVE_WITH_CONDITIONS ? itStage.conditions : null,
    };
    if (r.type !== RequestType.NEW_TOOL) {
      if (r.toolId) await this.tools.setItApprovalInTransaction(m, cio, r.toolId, approval);
      return { toolId: r.toolId, linked: null };
    }
    const p = r.proposedTool!;
    // The name was free when the request was submitted and stayed reserved while in review, but a
    // tool may still hold it (registered in a race with the submission, or before this rule). The
    // request is then linked to that tool rather than stuck: see linkExistingTool.
    const existing = await m.getRepository(Tool).findOne({ where: { nameKey: p.name.trim().toLowerCase() } });
    if (existing) return { toolId: await this.linkExistingTool(m, r, existing), linked: { name: existing.name, itApproval: existing.itApprovalStatus } };
    const vendor = await this.vendors.findOrCreateByNameInTransaction(m, actor, p.vendorName);
    const budgetOwner = [...r.allocation].sort((a, b) => b.shareBps - a.shareBps)[0].costCenterId;
    const tool = await this.tools.createInTransaction(m, actor, {
      name: p.name, vendorId: vendor.id, subcategoryId: p.subcategoryId, description: r.businessCase.slice(0, 2000), capabilities: p.capabilities ?? [],
      lifecycle: Lifecycle.APPROVED, businessOwnerId: r.requesterId, budgetOwnerId: budgetOwner,
      allocation: r.allocation.length > 1 || r.allocation[0].costCenterId !== budgetOwner ? r.allocation : null,
      dataClassification: r.dataCategories.length ? DataClassification.PERSONAL : DataClassification.INTERNAL, website: p.website ?? null,
    }, { reservationHolder: true });
    await this.tools.setItApprovalInTransaction(m, cio, tool.id, approval);
    const personal = r.dataCategories.length > 0;
    for (const i of r.requiredIntegrations) {
      const pairs: [string, string][] = i.direction === 'OUTBOUND' ? [[tool.id, i.toolId]] : i.direction === 'INBOUND' ? [[i.toolId, tool.id]] : [[tool.id, i.toolId], [i.toolId, tool.id]];
      for (const [sourceToolId, targetToolId] of pairs) {
        await this.integrations.createInTransaction(m, actor, {
          sourceToolId, targetToolId, dataObjects: i.dataObjects, method: IntegrationMethod.API, frequency: IntegrationFrequency.DAILY,
          status: IntegrationStatus.PLANNED, carriesPersonalData: personal, ownerId: r.requesterId, notes: `Required by request "${r.title}"`,
        });
      }
    }
    await m.getRepository(ToolRequest).update({ id: r.id }, { toolId: tool.id });
    return { toolId: tool.id, linked: null };
  }

  /**
   * The last approval of a NEW_TOOL request whose name a catalog tool already holds: the request is
   * approved and linked to that tool, and nothing of the review is copied onto it. Its IT approval,
   * lifecycle and owners stay as they are — IT assessed the proposal, not that entry, which someone
   * else registered — and no integrations are planned for it; the approval notice tells the
   * requester and the CMO/CIO so, and the CIO sets the tool's IT approval on the tool page.
   */
  private async linkExistingTool(m: EntityManager, r: ToolRequest, tool: Tool): Promise<string> {
    await m.getRepository(ToolRequest).update({ id: r.id }, { toolId: tool.id });
    await this.audit.record(m, {
      action: 'request.linked_existing_tool', entityType: 'ToolRequest', entityId: r.id,
      after: { toolId: tool.id }, metadata: { toolName: tool.name, toolItApproval: tool.itApprovalStatus, toolCreatedById: tool.createdById, itApprovalCopied: false },
    });
    return tool.id;
  }

  private async authUser(m: EntityManager, id: string): Promise<AuthUser> {
    const u = await m.getRepository(User).findOne({ where: { id }, relations: { roleRows: true } });
    return { id, email: u?.email ?? '', displayName: u?.displayName ?? '', roles: (u?.roleRows ?? []).map((x) => x.role) };
  }

  // ---- notifications -------------------------------------------------------------------------

  /** Active users holding `role`, minus the requester and anyone who decided another stage. */
  async deciders(m: EntityManager, r: Pick<ToolRequest, 'id' | 'requesterId'>, stage: Stage): Promise<{ id: string; email: string }[]> {
    const rows = await m.getRepository(User).createQueryBuilder('u')
      .innerJoin(UserRole, 'ur', 'ur.userId = u.id AND ur.role = :role', { role: DECIDER_ROLE[stage] })
      .where('u.active = :active AND u.id <> :req', { active: true, req: r.requesterId })
      .andWhere('NOT EXISTS (SELECT 1 FROM review_stages d WHERE d.requestId = :rid AND d.decidedById = u.id AND d.stage <> :stage)', { rid: r.id, stage })
      .select(['u.id', 'u.email']).getMany();
    return rows.map((u) => ({ id: u.id, email: u.email }));
  }

  private async usersWithRoles(m: EntityManager, roles: Role[]): Promise<{ id: string; email: string }[]> {
    const rows = await m.getRepository(User).createQueryBuilder('u')
      .innerJoin(UserRole, 'ur', 'ur.userId = u.id AND ur.role IN (:...roles)', { roles })
      .where('u.active = :active', { active: true }).select(['u.id', 'u.email']).getMany();
    return rows.map((u) => ({ id: u.id, email: u.email }));
  }

  private async requester(m: EntityManager, r: ToolRequest) {
    const u = await m.getRepository(User).findOne({ where: { id: r.requesterId } });
    return u ? [{ id: u.id, email: u.email }] : [];
  }

  private async notifyStageOpened(m: EntityManager, r: ToolRequest, stage: Stage, row: ReviewStage): Promise<void> {
    await this.notifications.enqueue(m, {
      event: 'review-needed', recipients: await this.deciders(m, r, stage), entityType: 'ToolRequest', entityId: r.id, link: `/requests/${r.id}`,
      data: { title: r.title, stage, round: r.round, dueAt: row.dueAt?.toISOString().slice(0, 10) ?? null, requestId: r.id },
    });
  }

  private async notifyDecision(m: EntityManager, r: ToolRequest, dto: DecideStageDto, status: RequestStatus, toolId: string | null, linked: LinkedTool | null = null): Promise<void> {
    const data = {
      title: r.title, stage: dto.stage, decision: dto.decision, comment: dto.comment ?? null, conditions: dto.conditions ?? null, requestId: r.id, toolId,
      linkedExistingTool: linked ? { name: linked.name, itApproval: linked.itApproval } : null,
    };
    const common = { entityType: 'ToolRequest', entityId: r.id, link: `/requests/${r.id}`, data };
    const requester = await this.requester(m, r);
    if (status === RequestStatus.APPROVED || status === RequestStatus.REJECTED) {
      const leaders = await this.usersWithRoles(m, [Role.CMO, Role.CIO]);
      await this.notifications.enqueue(m, { ...common, event: status === RequestStatus.APPROVED ? 'request-approved' : 'request-rejected', recipients: [...requester, ...leaders] });
    } else if (status === RequestStatus.CHANGES_REQUESTED) {
      await this.notifications.enqueue(m, { ...common, event: 'changes-requested', recipients: requester });
    } else {
      await this.notifications.enqueue(m, { ...common, event: 'stage-decided', recipients: requester });
    }
  }
}
