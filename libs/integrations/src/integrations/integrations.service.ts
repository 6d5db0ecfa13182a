import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, Not } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries, LiveDependency, Lifecycle, referenceNotFound, ToolRetirementHooks } from '@stackgate/catalog';
import { PeopleDirectory } from '@stackgate/identity';
import {
  AuthUser,
  isUniqueViolation,
  notFound,
  Page,
  pageParams,
  resolveSort,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import {
  CreateIntegrationDto,
  IntegrationQueryDto,
  IntegrationResponse,
  RetireIntegrationDto,
  UpdateIntegrationDto,
} from './dto/integration.dto';
import { Integration, IntegrationStatus } from './integration.entity';
import { liveKeyOf, normalizeDataObjects } from './integration-rules';
import { IntegrationsError, IntegrationsErrorCode } from '../integrations.errors';

export function toIntegrationResponse(integration: Integration, toolNames: Map<string, string>): IntegrationResponse {
  return {
    id: integration.id,
    sourceToolId: integration.sourceToolId,
    sourceTool: { id: integration.sourceToolId, name: toolNames.get(integration.sourceToolId) ?? '' },
    targetToolId: integration.targetToolId,
    targetTool: { id: integration.targetToolId, name: toolNames.get(integration.targetToolId) ?? '' },
    dataObjects: integration.dataObjects ?? [],
    method: integration.method,
    frequency: integration.frequency,
    status: integration.status,
    carriesPersonalData: integration.carriesPersonalData,
    ownerId: integration.ownerId,
    notes: integration.notes,
    version: integration.version,
    createdAt: integration.createdAt,
    updatedAt: integration.updatedAt,
  };
}

function snapshot(integration: Integration): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, liveKey: _l, ...rest } = integration;
  return { ...rest };
}

const duplicate = (method: string) =>
  new IntegrationsError(IntegrationsErrorCode.DUPLICATE_INTEGRATION, `A live ${method} flow between these two tools already exists`);
const actorOf = (actor: AuthUser | null) => (actor ? { actor: { id: actor.id, email: actor.email } } : {});
const SORTS = { createdAt: 'i.createdAt', updatedAt: 'i.updatedAt', status: 'i.status', method: 'i.method' };

@Injectable()
export class IntegrationsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly retirement: ToolRetirementHooks,
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
  ) {}

  /** Retiring a tool asks us for its live flows, and retires them when the caller says so. */
  onModuleInit(): void {
    this.retirement.register({
      liveDependencies: (m, toolId) => this.liveDependencies(m, toolId),
      retireDependencies: (m, actor, toolId) => this.retireForTool(m, actor, toolId),
    });
  }

  /** Creates a flow in the caller's transaction: 422 for unknown/identical/retired tools, 409 DUPLICATE_INTEGRATION. */
  async createInTransaction(manager: EntityManager, actor: AuthUser | null, dto: CreateIntegrationDto): Promise<Integration> {
    if (dto.sourceToolId === dto.targetToolId) {
      throw new IntegrationsError(
        IntegrationsErrorCode.SAME_TOOL,
        'An integration connects two different tools: sourceToolId equals targetToolId',
        { field: 'targetToolId' },
      );
    }
    const status = dto.status ?? IntegrationStatus.ACTIVE;
    await this.checkTools(manager, dto.sourceToolId, dto.targetToolId, status);
    if (dto.ownerId) await this.checkOwner(manager, dto.ownerId);
    const liveKey = liveKeyOf(dto.sourceToolId, dto.targetToolId, dto.method, status);
    if (liveKey && (await manager.getRepository(Integration).exists({ where: { liveKey } }))) throw duplicate(dto.method);
    const now = new Date();
    const integration = Object.assign(new Integration(), {
      id: uuidv7(now.getTime()),
      sourceToolId: dto.sourceToolId,
      targetToolId: dto.targetToolId,
      dataObjects: normalizeDataObjects(dto.dataObjects),
      method: dto.method,
      frequency: dto.frequency,
      status,
      carriesPersonalData: dto.carriesPersonalData ?? false,
      ownerId: dto.ownerId ?? null,
      notes: dto.notes ?? null,
      liveKey,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    try {
      await manager.getRepository(Integration).insert(integration);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(dto.method);
      throw err;
    }
    await this.audit.record(manager, {
      action: 'integration.created',
      entityType: 'Integration',
      entityId: integration.id,
      after: snapshot(integration),
      ...actorOf(actor),
    });
    return integration;
  }

  async updateInTransaction(manager: EntityManager, actor: AuthUser | null, id: string, dto: UpdateIntegrationDto): Promise<Integration> {
    const current = await this.load(manager, id);
    const { version, ...fields } = dto;
    const changes: Partial<Integration> = {};
    if (fields.dataObjects !== undefined) changes.dataObjects = normalizeDataObjects(fields.dataObjects);
    for (const field of ['method', 'frequency', 'status', 'carriesPersonalData', 'ownerId', 'notes'] as const) {
      if (fields[field] !== undefined) (changes as Record<string, unknown>)[field] = fields[field];
    }
    if (fields.ownerId) await this.checkOwner(manager, fields.ownerId);
    const status = changes.status ?? current.status;
    if (current.status === IntegrationStatus.RETIRED && status !== IntegrationStatus.RETIRED) {
      // Bringing a flow back must not connect a retired tool.
      await this.checkTools(manager, current.sourceToolId, current.targetToolId, status);
    }
    const method = changes.method ?? current.method;
    changes.liveKey = liveKeyOf(current.sourceToolId, current.targetToolId, method, status);
    if (
      changes.liveKey &&
      changes.liveKey !== current.liveKey &&
      (await manager.getRepository(Integration).exists({ where: { liveKey: changes.liveKey, id: Not(id) } }))
    )
      throw duplicate(method);
    try {
      await updateVersioned(manager, Integration, 'Integration', id, version, changes);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicate(method);
      throw err;
    }
    const after = await this.load(manager, id);
    const retired = status === IntegrationStatus.RETIRED && current.status !== IntegrationStatus.RETIRED;
    await this.audit.record(manager, {
      action: retired ? 'integration.retired' : 'integration.updated',
      entityType: 'Integration',
      entityId: id,
      before: snapshot(current),
      after: snapshot(after),
      ...actorOf(actor),
    });
    return after;
  }

  async create(actor: AuthUser, dto: CreateIntegrationDto): Promise<IntegrationResponse> {
    const integration = await withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
    return this.get(integration.id);
  }

  async update(actor: AuthUser, id: string, dto: UpdateIntegrationDto): Promise<IntegrationResponse> {
    await withTransaction(this.dataSource, (m) => this.updateInTransaction(m, actor, id, dto));
    return this.get(id);
  }

  async retire(actor: AuthUser, id: string, dto: RetireIntegrationDto): Promise<IntegrationResponse> {
    await withTransaction(this.dataSource, (m) =>
      this.updateInTransaction(m, actor, id, { status: IntegrationStatus.RETIRED, version: dto.version }),
    );
    return this.get(id);
  }

  async get(id: string): Promise<IntegrationResponse> {
    const integration = await this.load(this.dataSource.manager, id);
    return toIntegrationResponse(integration, await this.toolNames(this.dataSource.manager, [integration]));
  }

  async list(query: IntegrationQueryDto): Promise<Page<IntegrationResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const sort = resolveSort(query.sort, SORTS, 'createdAt');
    const qb = this.dataSource.getRepository(Integration).createQueryBuilder('i');
    if (query.toolId)
      qb.andWhere(
        new Brackets((w) =>
          w.where('i.sourceToolId = :toolId', { toolId: query.toolId }).orWhere('i.targetToolId = :toolId', { toolId: query.toolId }),
        ),
      );
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.method) qb.andWhere('i.method = :method', { method: query.method });
    if (query.carriesPersonalData !== undefined) qb.andWhere('i.carriesPersonalData = :pd', { pd: query.carriesPersonalData });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('i.id', 'ASC').skip(skip).take(take).getManyAndCount();
    const names = await this.toolNames(this.dataSource.manager, rows);
    return { items: rows.map((i) => toIntegrationResponse(i, names)), page, pageSize, total };
  }

  async load(manager: EntityManager, id: string): Promise<Integration> {
    const integration = await manager.getRepository(Integration).findOneBy({ id });
    if (!integration) throw notFound('Integration', id);
    return integration;
  }

  /** The names of the tools at either end of `rows`, from the catalog. */
  toolNames(manager: EntityManager, rows: Integration[]): Promise<Map<string, string>> {
    return this.catalog.toolNames(
      rows.flatMap((i) => [i.sourceToolId, i.targetToolId]),
      manager,
    );
  }

  private liveFor(manager: EntityManager, toolId: string): Promise<Integration[]> {
    return manager
      .getRepository(Integration)
      .createQueryBuilder('i')
      .where('i.status <> :retired', { retired: IntegrationStatus.RETIRED })
      .andWhere(new Brackets((w) => w.where('i.sourceToolId = :toolId', { toolId }).orWhere('i.targetToolId = :toolId', { toolId })))
      .orderBy('i.id', 'ASC')
      .getMany();
  }

  private async liveDependencies(manager: EntityManager, toolId: string): Promise<LiveDependency[]> {
    const live = await this.liveFor(manager, toolId);
    const names = await this.toolNames(manager, live);
    return live.map((i) => ({
      type: 'Integration',
      id: i.id,
      description: `${names.get(i.sourceToolId) ?? i.sourceToolId} → ${names.get(i.targetToolId) ?? i.targetToolId} (${i.method}, ${i.status})`,
    }));
  }

  private async retireForTool(manager: EntityManager, actor: AuthUser | null, toolId: string): Promise<void> {
    for (const integration of await this.liveFor(manager, toolId)) {
      await updateVersioned(manager, Integration, 'Integration', integration.id, integration.version, {
        status: IntegrationStatus.RETIRED,
        liveKey: null,
      });
      await this.audit.record(manager, {
        action: 'integration.retired',
        entityType: 'Integration',
        entityId: integration.id,
        before: { status: integration.status },
        after: { status: IntegrationStatus.RETIRED },
        metadata: { reason: 'tool retired', toolId },
        ...actorOf(actor),
      });
    }
  }

  private async checkTools(manager: EntityManager, sourceToolId: string, targetToolId: string, status: IntegrationStatus): Promise<void> {
    const tools = await this.catalog.toolFacts([sourceToolId, targetToolId], manager);
    for (const [field, id] of [
      ['sourceToolId', sourceToolId],
      ['targetToolId', targetToolId],
    ] as const) {
      const tool = tools.get(id);
      if (!tool) throw referenceNotFound(field, id, 'tool');
      if (tool.lifecycle === Lifecycle.RETIRED && status !== IntegrationStatus.RETIRED) {
        throw new IntegrationsError(IntegrationsErrorCode.TOOL_RETIRED, `${field}: ${tool.name} is retired; a live flow cannot use it`, {
          field,
          id,
        });
      }
    }
  }

  private async checkOwner(manager: EntityManager, ownerId: string): Promise<void> {
    if (!(await this.people.existingIds([ownerId], manager)).has(ownerId)) throw referenceNotFound('ownerId', ownerId, 'user');
  }
}
