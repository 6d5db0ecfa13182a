import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import { rateOfMonth } from '@stackgate/finance';
import {
  APP_CONFIG,
  AppConfig,
  AuthUser,
  convertMinor,
  forbidden,
  hasRole,
  parseDecimalToMinor,
  Role,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { CreateRequestDto, UpdateRequestDto } from './dto/request.dto';
import { assertOwn, assertVisible, loadRequest, requestSnapshot as snapshot } from './request-access';
import { RequestNotices } from './request-notices';
import { RequestQueriesService } from './request-queries.service';
import { validateRequest } from './request-validation';
import { addBusinessDays, canSubmit, canWithdraw, isEditable, RequestStatus, RequestType, StageStatus, stagesFor } from './review-policy';
import { requestsInReviewProposing } from './tool-name-reservations';
import { RequestComment, ReviewStage, ToolRequest } from './tool-request.entity';
import { ProcurementError, ProcurementErrorCode } from '../procurement.errors';

/** What the requester does with a request (create, edit, submit, withdraw) and everyone's comments. */
@Injectable()
export class RequestEditingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly queries: RequestQueriesService,
    private readonly notices: RequestNotices,
    private readonly catalog: CatalogQueries,
  ) {}

  async create(actor: AuthUser, dto: CreateRequestDto) {
    const id = await withTransaction(this.dataSource, async (m) => {
      const now = new Date();
      const r = Object.assign(new ToolRequest(), {
        id: uuidv7(now.getTime()),
        type: dto.type,
        title: dto.title,
        status: RequestStatus.DRAFT,
        requesterId: actor.id,
        toolId: dto.toolId ?? null,
        proposedTool: dto.proposedTool ? { ...dto.proposedTool } : null,
        businessCase: dto.businessCase,
        expectedOutcomes: dto.expectedOutcomes ?? null,
        alternativesConsidered: dto.alternativesConsidered ?? null,
        estimatedAnnualCostMinor: parseDecimalToMinor(dto.estimatedAnnualCost.amount, dto.estimatedAnnualCost.currency),
        estimatedAnnualCostCurrency: dto.estimatedAnnualCost.currency,
        estimatedAnnualCostBaseMinor: null,
        allocation: dto.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps })),
        dataCategories: dto.dataCategories ?? [],
        requiredIntegrations: (dto.requiredIntegrations ?? []).map((i) => ({
          toolId: i.toolId,
          direction: i.direction,
          dataObjects: i.dataObjects,
        })),
        neededBy: dto.neededBy ?? null,
        round: 0,
        currentStage: null,
        submittedAt: null,
        closedAt: null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await validateRequest(m, this.catalog, r);
      await m.getRepository(ToolRequest).insert(r);
      await this.audit.record(m, { action: 'request.created', entityType: 'ToolRequest', entityId: r.id, after: snapshot(r) });
      return r.id;
    });
    return this.queries.get(actor, id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateRequestDto) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await loadRequest(m, id);
      assertOwn(actor, r);
      if (!isEditable(r.status))
        throw new ProcurementError(
          ProcurementErrorCode.REQUEST_NOT_EDITABLE,
          `A request that is ${r.status.toLowerCase()} cannot be edited`,
        );
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
      if (dto.allocation !== undefined)
        changes.allocation = dto.allocation.map((a) => ({ costCenterId: a.costCenterId, shareBps: a.shareBps }));
      if (dto.dataCategories !== undefined) changes.dataCategories = dto.dataCategories;
      if (dto.requiredIntegrations !== undefined)
        changes.requiredIntegrations = dto.requiredIntegrations.map((i) => ({
          toolId: i.toolId,
          direction: i.direction,
          dataObjects: i.dataObjects,
        }));
      if (dto.neededBy !== undefined) changes.neededBy = dto.neededBy;
      const merged = Object.assign(new ToolRequest(), r, changes);
      await validateRequest(m, this.catalog, merged);
      await updateVersioned(m, ToolRequest, 'Request', id, dto.version, changes);
      await this.audit.record(m, { action: 'request.updated', entityType: 'ToolRequest', entityId: id, before, after: snapshot(merged) });
    });
    return this.queries.get(actor, id);
  }

  /** One review per proposed tool: 409 TOOL_NAME_RESERVED while another NEW_TOOL request for the same name is in review. */
  private async assertProposedNameUnclaimed(m: EntityManager, r: ToolRequest): Promise<void> {
    if (r.type !== RequestType.NEW_TOOL || !r.proposedTool) return;
    const [other] = await requestsInReviewProposing(m, [r.proposedTool.name.trim().toLowerCase()], r.id);
    if (other) {
      throw new ProcurementError(
        ProcurementErrorCode.TOOL_NAME_RESERVED,
        `The request "${other.title}" (${other.entityId}) for a tool named ${other.name} is already in review; comment on it instead of submitting a second one`,
        { field: 'proposedTool.name', requestId: other.entityId },
      );
    }
  }

  /** The estimated annual cost in base currency with finance's FX rate of `month`; 422 when the rate is missing. */
  private async baseCost(m: EntityManager, r: ToolRequest, month: string): Promise<bigint> {
    if (r.estimatedAnnualCostCurrency === this.config.baseCurrency) return r.estimatedAnnualCostMinor;
    const rate = await rateOfMonth(m, r.estimatedAnnualCostCurrency, month);
    if (rate === null) {
      throw new ProcurementError(
        ProcurementErrorCode.FX_RATE_MISSING,
        `No FX rate for ${r.estimatedAnnualCostCurrency} in ${month}; finance must add it before this request can be submitted`,
        [{ currency: r.estimatedAnnualCostCurrency, month }],
      );
    }
    return convertMinor(r.estimatedAnnualCostMinor, r.estimatedAnnualCostCurrency, this.config.baseCurrency, String(rate));
  }

  async submit(actor: AuthUser, id: string, version: number) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await loadRequest(m, id);
      assertOwn(actor, r);
      if (!canSubmit(r.status))
        throw new ProcurementError(
          ProcurementErrorCode.REQUEST_NOT_SUBMITTABLE,
          `A request that is ${r.status.toLowerCase()} cannot be submitted`,
        );
      await validateRequest(m, this.catalog, r);
      await this.assertProposedNameUnclaimed(m, r);
      const now = new Date();
      const base = await this.baseCost(m, r, now.toISOString().slice(0, 7));
      const stages = stagesFor(base, this.config.financeApprovalThresholdMinor);
      const round = r.round + 1;
      await updateVersioned(m, ToolRequest, 'Request', id, version, {
        status: RequestStatus.IN_REVIEW,
        round,
        currentStage: stages[0],
        submittedAt: now,
        estimatedAnnualCostBaseMinor: base,
        closedAt: null,
      });
      const rows = stages.map((stage, position) =>
        Object.assign(new ReviewStage(), {
          id: uuidv7(now.getTime()),
          requestId: id,
          round,
          stage,
          position,
          status: position === 0 ? StageStatus.OPEN : StageStatus.PENDING,
          openedAt: position === 0 ? now : null,
          dueAt: position === 0 ? addBusinessDays(now, this.config.reviewSlaBusinessDays) : null,
          decidedById: null,
          decidedAt: null,
          decision: null,
          comment: null,
          conditions: null,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await m.getRepository(ReviewStage).insert(rows);
      await this.audit.record(m, {
        action: 'request.submitted',
        entityType: 'ToolRequest',
        entityId: id,
        before: { status: r.status },
        after: { status: RequestStatus.IN_REVIEW, round, stages },
      });
      await this.notices.notifyStageOpened(m, { ...r, round }, stages[0], rows[0]);
    });
    return this.queries.get(actor, id);
  }

  async withdraw(actor: AuthUser, id: string, version: number) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await loadRequest(m, id);
      assertOwn(actor, r);
      if (!canWithdraw(r.status))
        throw new ProcurementError(
          ProcurementErrorCode.REQUEST_NOT_WITHDRAWABLE,
          `A request that is ${r.status.toLowerCase()} cannot be withdrawn`,
        );
      const now = new Date();
      await updateVersioned(m, ToolRequest, 'Request', id, version, { status: RequestStatus.WITHDRAWN, currentStage: null, closedAt: now });
      await m
        .createQueryBuilder()
        .update(ReviewStage)
        .set({ status: StageStatus.CANCELLED, updatedAt: now })
        .where('requestId = :id AND status IN (:...st)', { id, st: [StageStatus.OPEN, StageStatus.PENDING] })
        .execute();
      await this.audit.record(m, {
        action: 'request.withdrawn',
        entityType: 'ToolRequest',
        entityId: id,
        before: { status: r.status },
        after: { status: RequestStatus.WITHDRAWN },
      });
    });
    return this.queries.get(actor, id);
  }

  async comment(actor: AuthUser, id: string, body: string) {
    await withTransaction(this.dataSource, async (m) => {
      const r = await loadRequest(m, id);
      assertVisible(actor, r);
      const reviewer = hasRole(actor, Role.CMO, Role.IT, Role.CIO, Role.FINANCE);
      if (!reviewer && r.requesterId !== actor.id) throw forbidden('Only the requester and reviewers comment on a request');
      const now = new Date();
      const c = Object.assign(new RequestComment(), {
        id: uuidv7(now.getTime()),
        requestId: id,
        authorId: actor.id,
        body,
        createdAt: now,
        updatedAt: now,
      });
      await m.getRepository(RequestComment).insert(c);
      await this.audit.record(m, { action: 'request.commented', entityType: 'ToolRequest', entityId: id, metadata: { commentId: c.id } });
    });
    return this.queries.get(actor, id);
  }
}
