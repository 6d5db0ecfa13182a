import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CatalogQueries, ToolWarnings } from '@stackgate/catalog';
import { APP_CONFIG, AppConfig, AuthUser, hasRole, Page, pageParams, resolveSort, Role } from '@stackgate/platform';
import { RequestConditionsService } from '../conditions/request-conditions.service';
import { RequestQueryDto } from './dto/request.dto';
import { awaitingMePage, awaitingMeTotal } from './awaiting-me-queue';
import { assertVisible, loadRequest, READ_ALL } from './request-access';
import { integrationImpact, overlapCandidates, requestDetail, requestSummary } from './request-views';
import { ASSESSABLE_STAGES, ASSESSOR_ROLES, DECIDER_ROLE, RequestStatus, Stage, StageStatus } from './review-policy';
import { ItAssessment, RequestComment, ReviewStage, ToolRequest } from './tool-request.entity';

/** What other libs may show of a request (a chat message: its title, stage and version), read without an actor. */
export interface RequestFacts {
  id: string;
  type: string;
  title: string;
  status: RequestStatus;
  currentStage: Stage | null;
  round: number;
  version: number;
  requesterId: string;
  toolId: string | null;
  proposedToolName: string | null;
  estimatedAnnualCostMinor: bigint;
  estimatedAnnualCostCurrency: string;
}

/** Reading requests: the queues and lists, and one request with its stages, comments and assessment. */
@Injectable()
export class RequestQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: CatalogQueries,
    private readonly toolWarnings: ToolWarnings,
    private readonly conditions: RequestConditionsService,
  ) {}

  async get(actor: AuthUser, id: string, manager: EntityManager = this.dataSource.manager) {
    const request = await loadRequest(manager, id);
    assertVisible(actor, request);
    return this.detail(manager, request);
  }

  /** The facts of these requests, in `manager`'s transaction (no visibility check: for system messages only). */
  async facts(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, RequestFacts>> {
    if (!ids.length) return new Map();
    const rows = await manager.getRepository(ToolRequest).find({ where: { id: In([...new Set(ids)]) } });
    return new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          type: row.type,
          title: row.title,
          status: row.status,
          currentStage: row.currentStage,
          round: row.round,
          version: row.version,
          requesterId: row.requesterId,
          toolId: row.toolId,
          proposedToolName: row.proposedTool?.name ?? null,
          estimatedAnnualCostMinor: row.estimatedAnnualCostMinor,
          estimatedAnnualCostCurrency: row.estimatedAnnualCostCurrency,
        },
      ]),
    );
  }

  private async detail(manager: EntityManager, request: ToolRequest) {
    const [stages, comments, assessment, overlaps, impact, warnings, conditionItems] = await Promise.all([
      manager.getRepository(ReviewStage).find({ where: { requestId: request.id } }),
      manager.getRepository(RequestComment).find({ where: { requestId: request.id }, order: { createdAt: 'ASC' } }),
      manager.getRepository(ItAssessment).findOne({ where: { requestId: request.id }, order: { createdAt: 'DESC' } }),
      overlapCandidates(manager, this.catalog, request, this.config.baseCurrency),
      integrationImpact(manager, this.catalog, request),
      // The request's own tool and the tools it integrates with: sunsetting, or to be cancelled at renewal.
      this.toolWarnings.forTools(
        [...(request.toolId ? [request.toolId] : []), ...request.requiredIntegrations.map((i) => i.toolId)],
        manager,
      ),
      this.conditions.forRequest(request.id, manager),
    ]);
    return requestDetail(
      request,
      stages,
      comments,
      assessment,
      {
        overlapCandidates: overlaps.items,
        overlapSaving: overlaps.overlapSaving,
        integrationImpact: impact,
        toolWarnings: warnings,
        conditionItems,
      },
      this.config.baseCurrency,
    );
  }

  async list(actor: AuthUser, query: RequestQueryDto): Promise<Page<ReturnType<typeof requestSummary>>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const qb = this.withOpenStage();
    if (!hasRole(actor, ...READ_ALL) || query.queue === 'mine') qb.andWhere('r.requesterId = :me', { me: actor.id });
    if (query.queue === 'awaiting-me') {
      const stages = (Object.keys(DECIDER_ROLE) as Stage[]).filter((s) => actor.roles.includes(DECIDER_ROLE[s] as Role));
      if (!stages.length) return { items: [], page, pageSize, total: 0 };
      if (!query.sort) {
        // Due date first (none first), then creation, then id: read page by page from the open stages (awaiting-me-queue.ts).
        if (query.status && query.status !== RequestStatus.IN_REVIEW) return { items: [], page, pageSize, total: 0 };
        const queue = { actorId: actor.id, stages, type: query.type };
        const [ids, total] = await Promise.all([
          awaitingMePage(this.dataSource.manager, queue, skip, take),
          awaitingMeTotal(this.dataSource.manager, queue),
        ]);
        return { items: await this.summariesInOrder(ids), page, pageSize, total };
      }
      qb.andWhere('r.status = :inReview AND r.currentStage IN (:...stages) AND r.requesterId <> :me', {
        inReview: RequestStatus.IN_REVIEW,
        stages,
        me: actor.id,
      }).andWhere(
        // `d.stage IN (every stage)`: a seek on IDX_review_stages_decider per request (see decidedElsewhere in awaiting-me-queue.ts).
        'NOT EXISTS (SELECT 1 FROM review_stages d WHERE d.decidedById = :me AND d.stage IN (:...allStages) AND d.requestId = r.id ' +
          'AND d.stage <> r.currentStage)',
        { allStages: Object.values(Stage) },
      );
    }
    if (query.queue === 'awaiting-assessment') {
      // Mirrors awaitsAssessment (review-policy) in SQL, for the assessors that checkAssessment lets assess.
      if (!hasRole(actor, ...(ASSESSOR_ROLES as Role[]))) return { items: [], page, pageSize, total: 0 };
      qb.andWhere('r.status = :inReview AND r.currentStage IN (:...assessable) AND r.requesterId <> :me', {
        inReview: RequestStatus.IN_REVIEW,
        assessable: [...ASSESSABLE_STAGES],
        me: actor.id,
      }).andWhere('NOT EXISTS (SELECT 1 FROM it_assessments a WHERE a.requestId = r.id AND a.round = r.round)');
    }
    if (query.status) qb.andWhere('r.status = :status', { status: query.status });
    if (query.type) qb.andWhere('r.type = :type', { type: query.type });
    if (query.queue === 'awaiting-assessment' && !query.sort) {
      // Overdue first, then those at the IT stage before those IT assesses ahead, then by due date:
      // ranked in SQL on the ids (expressions do not mix with the joined entity paging), then loaded.
      const now = new Date();
      const ranked = qb
        .clone()
        .select('r.id', 'id')
        .addSelect('CASE WHEN s.dueAt < :now THEN 0 ELSE 1 END', 'overdueRank')
        .addSelect('CASE WHEN r.currentStage = :itStage THEN 0 ELSE 1 END', 'stageRank')
        .addSelect('s.dueAt', 'dueAt')
        .addSelect('r.createdAt', 'createdAt')
        .setParameters({ now, itStage: Stage.IT })
        .orderBy('overdueRank', 'ASC')
        .addOrderBy('stageRank', 'ASC')
        .addOrderBy('dueAt', 'ASC')
        .addOrderBy('createdAt', 'ASC')
        .addOrderBy('id', 'ASC')
        .offset(skip)
        .limit(take);
      const [ids, total] = await Promise.all([ranked.getRawMany<{ id: string }>(), qb.getCount()]);
      return {
        items: await this.summariesInOrder(
          ids.map((x) => x.id),
          now,
        ),
        page,
        pageSize,
        total,
      };
    }
    const { column, direction } = resolveSort(
      query.sort,
      { createdAt: 'r.createdAt', updatedAt: 'r.updatedAt', title: 'r.title', neededBy: 'r.neededBy', status: 'r.status' },
      '-createdAt',
    );
    qb.orderBy(column, direction).addOrderBy('r.id', direction);
    const [rows, total] = await qb.skip(skip).take(take).getManyAndCount();
    return { items: rows.map((r) => requestSummary(r, (r as ToolRequest & { openStage?: ReviewStage }).openStage)), page, pageSize, total };
  }

  /** Requests (`r`) with their open stage at their current stage and round mapped onto `openStage` (`s`). */
  private withOpenStage() {
    return this.dataSource
      .getRepository(ToolRequest)
      .createQueryBuilder('r')
      .leftJoinAndMapOne(
        'r.openStage',
        ReviewStage,
        's',
        's.requestId = r.id AND s.round = r.round AND s.stage = r.currentStage AND s.status = :open',
        { open: StageStatus.OPEN },
      );
  }

  /** These requests with their open stage, summarised in the order of `ids`. */
  private async summariesInOrder(ids: string[], now = new Date()) {
    if (!ids.length) return [];
    const rows = await this.withOpenStage().where('r.id IN (:...ids)', { ids }).getMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids
      .map((id) => byId.get(id))
      .filter((r): r is ToolRequest => !!r)
      .map((r) => requestSummary(r, (r as ToolRequest & { openStage?: ReviewStage }).openStage, now));
  }
}
