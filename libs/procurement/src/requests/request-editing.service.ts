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
import { moveQueueCount, queuedAt } from './queue-counts';
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
    const id = await withTransaction(this.dataSource, async (manager) => {
      const now = new Date();
      const request = Object.assign(new ToolRequest(), {
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
      await validateRequest(manager, this.catalog, request);
      await manager.getRepository(ToolRequest).insert(request);
      await this.audit.record(manager, {
        action: 'request.created',
        entityType: 'ToolRequest',
        entityId: request.id,
        after: snapshot(request),
      });
      return request.id;
    });
    return this.queries.get(actor, id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateRequestDto) {
    await withTransaction(this.dataSource, async (manager) => {
      const request = await loadRequest(manager, id);
      assertOwn(actor, request);
      if (!isEditable(request.status))
        throw new ProcurementError(
          ProcurementErrorCode.REQUEST_NOT_EDITABLE,
          `A request that is ${request.status.toLowerCase()} cannot be edited`,
        );
      const before = snapshot(request);
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
      const merged = Object.assign(new ToolRequest(), request, changes);
      await validateRequest(manager, this.catalog, merged);
      await updateVersioned(manager, ToolRequest, 'Request', id, dto.version, changes);
      await this.audit.record(manager, {
        action: 'request.updated',
        entityType: 'ToolRequest',
        entityId: id,
        before,
        after: snapshot(merged),
      });
    });
    return this.queries.get(actor, id);
  }

  /** One review per proposed tool: 409 TOOL_NAME_RESERVED while another NEW_TOOL request for the same name is in review. */
  private async assertProposedNameUnclaimed(manager: EntityManager, request: ToolRequest): Promise<void> {
    if (request.type !== RequestType.NEW_TOOL || !request.proposedTool) return;
    const [other] = await requestsInReviewProposing(manager, [request.proposedTool.name.trim().toLowerCase()], request.id);
    if (other) {
      throw new ProcurementError(
        ProcurementErrorCode.TOOL_NAME_RESERVED,
        `The request "${other.title}" (${other.entityId}) for a tool named ${other.name} is already in review; comment on it ` +
          `instead of submitting a second one`,
        { field: 'proposedTool.name', requestId: other.entityId },
      );
    }
  }

  /** The estimated annual cost in base currency with finance's FX rate of `month`; 422 when the rate is missing. */
  private async baseCost(manager: EntityManager, request: ToolRequest, month: string): Promise<bigint> {
    if (request.estimatedAnnualCostCurrency === this.config.baseCurrency) return request.estimatedAnnualCostMinor;
    const rate = await rateOfMonth(manager, request.estimatedAnnualCostCurrency, month);
    if (rate === null) {
      throw new ProcurementError(
        ProcurementErrorCode.FX_RATE_MISSING,
        `No FX rate for ${request.estimatedAnnualCostCurrency} in ${month}; finance must add it before this request can be submitted`,
        [{ currency: request.estimatedAnnualCostCurrency, month }],
      );
    }
    return convertMinor(request.estimatedAnnualCostMinor, request.estimatedAnnualCostCurrency, this.config.baseCurrency, String(rate));
  }

  async submit(actor: AuthUser, id: string, version: number) {
    await withTransaction(this.dataSource, async (manager) => {
      const request = await loadRequest(manager, id);
      assertOwn(actor, request);
      if (!canSubmit(request.status))
        throw new ProcurementError(
          ProcurementErrorCode.REQUEST_NOT_SUBMITTABLE,
          `A request that is ${request.status.toLowerCase()} cannot be submitted`,
        );
      await validateRequest(manager, this.catalog, request);
      await this.assertProposedNameUnclaimed(manager, request);
      const now = new Date();
      const base = await this.baseCost(manager, request, now.toISOString().slice(0, 7));
      const stages = stagesFor(base, this.config.financeApprovalThresholdMinor);
      const round = request.round + 1;
      await updateVersioned(manager, ToolRequest, 'Request', id, version, {
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
          requestCreatedAt: request.createdAt,
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
      await manager.getRepository(ReviewStage).insert(rows);
      await this.audit.record(manager, {
        action: 'request.submitted',
        entityType: 'ToolRequest',
        entityId: id,
        before: { status: request.status },
        after: { status: RequestStatus.IN_REVIEW, round, stages },
      });
      await this.notices.notifyStageOpened(manager, { ...request, round }, stages[0], rows[0]);
      // Last: every submission moves the same count rows, locked from here to the commit.
      await moveQueueCount(manager, request.type, queuedAt(request), stages[0]);
    });
    return this.queries.get(actor, id);
  }

  async withdraw(actor: AuthUser, id: string, version: number) {
    await withTransaction(this.dataSource, async (manager) => {
      const request = await loadRequest(manager, id);
      assertOwn(actor, request);
      if (!canWithdraw(request.status))
        throw new ProcurementError(
          ProcurementErrorCode.REQUEST_NOT_WITHDRAWABLE,
          `A request that is ${request.status.toLowerCase()} cannot be withdrawn`,
        );
      const now = new Date();
      await updateVersioned(manager, ToolRequest, 'Request', id, version, {
        status: RequestStatus.WITHDRAWN,
        currentStage: null,
        closedAt: now,
      });
      await manager
        .createQueryBuilder()
        .update(ReviewStage)
        .set({ status: StageStatus.CANCELLED, updatedAt: now })
        .where('requestId = :id AND status IN (:...st)', { id, st: [StageStatus.OPEN, StageStatus.PENDING] })
        .execute();
      await this.audit.record(manager, {
        action: 'request.withdrawn',
        entityType: 'ToolRequest',
        entityId: id,
        before: { status: request.status },
        after: { status: RequestStatus.WITHDRAWN },
      });
      await moveQueueCount(manager, request.type, queuedAt(request), null);
    });
    return this.queries.get(actor, id);
  }

  async comment(actor: AuthUser, id: string, body: string) {
    await withTransaction(this.dataSource, async (manager) => {
      const request = await loadRequest(manager, id);
      assertVisible(actor, request);
      const reviewer = hasRole(actor, Role.CMO, Role.IT, Role.CIO, Role.FINANCE);
      if (!reviewer && request.requesterId !== actor.id) throw forbidden('Only the requester and reviewers comment on a request');
      const now = new Date();
      const comment = Object.assign(new RequestComment(), {
        id: uuidv7(now.getTime()),
        requestId: id,
        authorId: actor.id,
        body,
        createdAt: now,
        updatedAt: now,
      });
      await manager.getRepository(RequestComment).insert(comment);
      await this.audit.record(manager, {
        action: 'request.commented',
        entityType: 'ToolRequest',
        entityId: id,
        metadata: { commentId: comment.id },
      });
    });
    return this.queries.get(actor, id);
  }
}
