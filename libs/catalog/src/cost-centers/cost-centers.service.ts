import { CatalogChangeHooks } from '../catalog-change-hooks';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
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
import { containsPattern, referenceNotFound, CatalogError, CatalogErrorCode } from '../catalog.errors';
import { CostCenter } from './cost-center.entity';
import { CostCenterQueryDto, CostCenterResponse, CreateCostCenterDto, UpdateCostCenterDto } from './dto/cost-center.dto';

export function toCostCenterResponse(costCenter: CostCenter): CostCenterResponse {
  return {
    id: costCenter.id,
    code: costCenter.code,
    name: costCenter.name,
    kind: costCenter.kind,
    ownerId: costCenter.ownerId,
    active: costCenter.active,
    version: costCenter.version,
    createdAt: costCenter.createdAt,
    updatedAt: costCenter.updatedAt,
  };
}

const snapshot = (c: CostCenter) => ({ code: c.code, name: c.name, kind: c.kind, ownerId: c.ownerId, active: c.active });
const codeTaken = (code: string) =>
  new CatalogError(CatalogErrorCode.COST_CENTER_CODE_TAKEN, `A cost center with code ${code} already exists`);

@Injectable()
export class CostCentersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly changeHooks: CatalogChangeHooks,
    private readonly people: PeopleDirectory,
  ) {}

  async create(actor: AuthUser, dto: CreateCostCenterDto): Promise<CostCenterResponse> {
    const code = dto.code.trim().toUpperCase();
    const cc = await withTransaction(this.dataSource, async (manager) => {
      if (await manager.getRepository(CostCenter).exists({ where: { code } })) throw codeTaken(code);
      if (dto.ownerId) await this.assertUser(manager, dto.ownerId);
      const now = new Date();
      const costCenter = Object.assign(new CostCenter(), {
        id: uuidv7(now.getTime()),
        code,
        name: dto.name,
        kind: dto.kind,
        ownerId: dto.ownerId ?? null,
        active: true,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      try {
        await manager.getRepository(CostCenter).insert(costCenter);
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken(code);
        throw err;
      }
      await this.audit.record(manager, {
        action: 'cost_center.created',
        entityType: 'CostCenter',
        entityId: costCenter.id,
        after: snapshot(costCenter),
        actor: { id: actor.id, email: actor.email },
      });
      return costCenter;
    });
    return toCostCenterResponse(cc);
  }

  async update(actor: AuthUser, id: string, dto: UpdateCostCenterDto): Promise<CostCenterResponse> {
    await withTransaction(this.dataSource, async (manager) => {
      const costCenter = await this.load(manager, id);
      const changes: Partial<CostCenter> = {};
      if (dto.code !== undefined && dto.code.trim().toUpperCase() !== costCenter.code) {
        const code = dto.code.trim().toUpperCase();
        if (await manager.getRepository(CostCenter).exists({ where: { code } })) throw codeTaken(code);
        changes.code = code;
      }
      if (dto.ownerId) await this.assertUser(manager, dto.ownerId);
      for (const field of ['name', 'kind', 'ownerId', 'active'] as const)
        if (dto[field] !== undefined) (changes as Record<string, unknown>)[field] = dto[field];
      try {
        await updateVersioned(manager, CostCenter, 'CostCenter', id, dto.version, changes);
        if (changes.kind !== undefined && changes.kind !== costCenter.kind)
          await this.changeHooks.costCenterKindChanged(manager, id, changes.kind);
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken(changes.code ?? costCenter.code);
        throw err;
      }
      const action = changes.active === false && costCenter.active ? 'cost_center.deactivated' : 'cost_center.updated';
      await this.audit.record(manager, {
        action,
        entityType: 'CostCenter',
        entityId: id,
        before: snapshot(costCenter),
        after: { ...snapshot(costCenter), ...changes },
        actor: { id: actor.id, email: actor.email },
      });
    });
    return this.get(id);
  }

  async get(id: string): Promise<CostCenterResponse> {
    return toCostCenterResponse(await this.load(this.dataSource.manager, id));
  }

  async list(query: CostCenterQueryDto): Promise<Page<CostCenterResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const sort = resolveSort(query.sort, { code: 'c.code', name: 'c.name', kind: 'c.kind', createdAt: 'c.createdAt' }, 'code');
    const qb = this.dataSource.getRepository(CostCenter).createQueryBuilder('c');
    if (query.search)
      qb.andWhere("(LOWER(c.code) LIKE :s ESCAPE '!' OR LOWER(c.name) LIKE :s ESCAPE '!')", { s: containsPattern(query.search) });
    if (query.kind) qb.andWhere('c.kind = :kind', { kind: query.kind });
    if (query.active !== undefined) qb.andWhere('c.active = :active', { active: query.active });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toCostCenterResponse), page, pageSize, total };
  }

  private async load(manager: EntityManager, id: string): Promise<CostCenter> {
    const costCenter = await manager.getRepository(CostCenter).findOneBy({ id });
    if (!costCenter) throw notFound('CostCenter', id);
    return costCenter;
  }

  private async assertUser(manager: EntityManager, id: string): Promise<void> {
    if (!(await this.people.existingIds([id], manager)).has(id)) throw referenceNotFound('ownerId', id, 'user');
  }
}
