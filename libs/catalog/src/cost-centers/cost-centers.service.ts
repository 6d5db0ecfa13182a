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

export function toCostCenterResponse(c: CostCenter): CostCenterResponse {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    kind: c.kind,
    ownerId: c.ownerId,
    active: c.active,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
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
    const cc = await withTransaction(this.dataSource, async (m) => {
      if (await m.getRepository(CostCenter).exists({ where: { code } })) throw codeTaken(code);
      if (dto.ownerId) await this.assertUser(m, dto.ownerId);
      const now = new Date();
      const c = Object.assign(new CostCenter(), {
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
        await m.getRepository(CostCenter).insert(c);
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken(code);
        throw err;
      }
      await this.audit.record(m, {
        action: 'cost_center.created',
        entityType: 'CostCenter',
        entityId: c.id,
        after: snapshot(c),
        actor: { id: actor.id, email: actor.email },
      });
      return c;
    });
    return toCostCenterResponse(cc);
  }

  async update(actor: AuthUser, id: string, dto: UpdateCostCenterDto): Promise<CostCenterResponse> {
    await withTransaction(this.dataSource, async (m) => {
      const c = await this.load(m, id);
      const changes: Partial<CostCenter> = {};
      if (dto.code !== undefined && dto.code.trim().toUpperCase() !== c.code) {
        const code = dto.code.trim().toUpperCase();
        if (await m.getRepository(CostCenter).exists({ where: { code } })) throw codeTaken(code);
        changes.code = code;
      }
      if (dto.ownerId) await this.assertUser(m, dto.ownerId);
      for (const k of ['name', 'kind', 'ownerId', 'active'] as const)
        if (dto[k] !== undefined) (changes as Record<string, unknown>)[k] = dto[k];
      try {
        await updateVersioned(m, CostCenter, 'CostCenter', id, dto.version, changes);
        if (changes.kind !== undefined && changes.kind !== c.kind) await this.changeHooks.costCenterKindChanged(m, id, changes.kind);
      } catch (err) {
        if (isUniqueViolation(err)) throw codeTaken(changes.code ?? c.code);
        throw err;
      }
      const action = changes.active === false && c.active ? 'cost_center.deactivated' : 'cost_center.updated';
      await this.audit.record(m, {
        action,
        entityType: 'CostCenter',
        entityId: id,
        before: snapshot(c),
        after: { ...snapshot(c), ...changes },
        actor: { id: actor.id, email: actor.email },
      });
    });
    return this.get(id);
  }

  async get(id: string): Promise<CostCenterResponse> {
    return toCostCenterResponse(await this.load(this.dataSource.manager, id));
  }

  async list(q: CostCenterQueryDto): Promise<Page<CostCenterResponse>> {
    const { page, pageSize, skip, take } = pageParams(q);
    const sort = resolveSort(q.sort, { code: 'c.code', name: 'c.name', kind: 'c.kind', createdAt: 'c.createdAt' }, 'code');
    const qb = this.dataSource.getRepository(CostCenter).createQueryBuilder('c');
    if (q.search) qb.andWhere("(LOWER(c.code) LIKE :s ESCAPE '!' OR LOWER(c.name) LIKE :s ESCAPE '!')", { s: containsPattern(q.search) });
    if (q.kind) qb.andWhere('c.kind = :kind', { kind: q.kind });
    if (q.active !== undefined) qb.andWhere('c.active = :active', { active: q.active });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toCostCenterResponse), page, pageSize, total };
  }

  private async load(m: EntityManager, id: string): Promise<CostCenter> {
    const c = await m.getRepository(CostCenter).findOneBy({ id });
    if (!c) throw notFound('CostCenter', id);
    return c;
  }

  private async assertUser(m: EntityManager, id: string): Promise<void> {
    if (!(await this.people.existingIds([id], m)).has(id)) throw referenceNotFound('ownerId', id, 'user');
  }
}
