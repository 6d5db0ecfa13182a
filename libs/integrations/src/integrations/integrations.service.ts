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

export function toIntegrationResponse(i: Integration, toolNames: Map<string, string>): IntegrationResponse {
  return {
    id: i.id,
    sourceToolId: i.sourceToolId,
    sourceTool: { id: i.sourceToolId, name: toolNames.get(i.sourceToolId) ?? '' },
    targetToolId: i.targetToolId,
    targetTool: { id: i.targetToolId, name: toolNames.get(i.targetToolId) ?? '' },
    dataObjects: i.dataObjects ?? [],
    method: i.method,
    frequency: i.frequency,
    status: i.status,
    carriesPersonalData: i.carriesPersonalData,
    ownerId: i.ownerId,
    notes: i.notes,
    version: i.version,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

function snapshot(i: Integration): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, liveKey: _l, ...rest } = i;
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
    for (const k of ['method', 'frequency', 'status', 'carriesPersonalData', 'ownerId', 'notes'] as const) {
      if (fields[k] !== undefined) (changes as Record<string, unknown>)[k] = fields[k];
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
    const i = await withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
    return this.get(i.id);
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
    const i = await this.load(this.dataSource.manager, id);
    return toIntegrationResponse(i, await this.toolNames(this.dataSource.manager, [i]));
  }

  async list(q: IntegrationQueryDto): Promise<Page<IntegrationResponse>> {
    const { page, pageSize, skip, take } = pageParams(q);
    const sort = resolveSort(q.sort, SORTS, 'createdAt');
    const qb = this.dataSource.getRepository(Integration).createQueryBuilder('i');
    if (q.toolId)
      qb.andWhere(
        new Brackets((w) =>
          w.where('i.sourceToolId = :toolId', { toolId: q.toolId }).orWhere('i.targetToolId = :toolId', { toolId: q.toolId }),
        ),
      );
    if (q.status) qb.andWhere('i.status = :status', { status: q.status });
    if (q.method) qb.andWhere('i.method = :method', { method: q.method });
    if (q.carriesPersonalData !== undefined) qb.andWhere('i.carriesPersonalData = :pd', { pd: q.carriesPersonalData });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('i.id', 'ASC').skip(skip).take(take).getManyAndCount();
    const names = await this.toolNames(this.dataSource.manager, rows);
    return { items: rows.map((i) => toIntegrationResponse(i, names)), page, pageSize, total };
  }

  async load(m: EntityManager, id: string): Promise<Integration> {
    const i = await m.getRepository(Integration).findOneBy({ id });
    if (!i) throw notFound('Integration', id);
    return i;
  }

  /** The names of the tools at either end of `rows`, from the catalog. */
  toolNames(m: EntityManager, rows: Integration[]): Promise<Map<string, string>> {
    return this.catalog.toolNames(
      rows.flatMap((i) => [i.sourceToolId, i.targetToolId]),
      m,
    );
  }

  private liveFor(m: EntityManager, toolId: string): Promise<Integration[]> {
    return m
      .getRepository(Integration)
      .createQueryBuilder('i')
      .where('i.status <> :retired', { retired: IntegrationStatus.RETIRED })
      .andWhere(new Brackets((w) => w.where('i.sourceToolId = :toolId', { toolId }).orWhere('i.targetToolId = :toolId', { toolId })))
      .orderBy('i.id', 'ASC')
      .getMany();
  }

  private async liveDependencies(m: EntityManager, toolId: string): Promise<LiveDependency[]> {
    const live = await this.liveFor(m, toolId);
    const names = await this.toolNames(m, live);
    return live.map((i) => ({
      type: 'Integration',
      id: i.id,
      description: `${names.get(i.sourceToolId) ?? i.sourceToolId} → ${names.get(i.targetToolId) ?? i.targetToolId} (${i.method}, ${i.status})`,
    }));
  }

  private async retireForTool(m: EntityManager, actor: AuthUser | null, toolId: string): Promise<void> {
    for (const i of await this.liveFor(m, toolId)) {
      await updateVersioned(m, Integration, 'Integration', i.id, i.version, { status: IntegrationStatus.RETIRED, liveKey: null });
      await this.audit.record(m, {
        action: 'integration.retired',
        entityType: 'Integration',
        entityId: i.id,
        before: { status: i.status },
        after: { status: IntegrationStatus.RETIRED },
        metadata: { reason: 'tool retired', toolId },
        ...actorOf(actor),
      });
    }
  }

  private async checkTools(m: EntityManager, sourceToolId: string, targetToolId: string, status: IntegrationStatus): Promise<void> {
    const tools = await this.catalog.toolFacts([sourceToolId, targetToolId], m);
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

  private async checkOwner(m: EntityManager, ownerId: string): Promise<void> {
    if (!(await this.people.existingIds([ownerId], m)).has(ownerId)) throw referenceNotFound('ownerId', ownerId, 'user');
  }
}
