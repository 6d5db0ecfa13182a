import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuthUser,
  isUniqueViolation,
  notFound,
  Page,
  pageParams,
  PageQueryDto,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { CatalogError, CatalogErrorCode } from '../catalog.errors';
import { ToolFilterDto } from '../tools/dto/tool.dto';
import { toolSort } from '../tools/tool-queries.service';
import { CatalogView } from './catalog-view.entity';
import { CatalogViewResponse, CreateCatalogViewDto, UpdateCatalogViewDto } from './dto/catalog-view.dto';

/** How many views one user may keep (a list people choose from, not a store). */
export const MAX_VIEWS_PER_USER = 50;

/** The filter keys, in the order a view's query string lists them (one canonical string per set of filters). */
export const TOOL_FILTER_KEYS = [
  'search',
  'categoryId',
  'subcategoryId',
  'vendorId',
  'budgetOwnerId',
  'businessOwnerId',
  'lifecycle',
  'itApproval',
  'dataClassification',
  'shadowIt',
  'sort',
] as const satisfies readonly (keyof ToolFilterDto)[];

/** Only the filters that are set, in canonical order. */
export function normalizeToolFilter(filter: ToolFilterDto): ToolFilterDto {
  const out: Record<string, unknown> = {};
  for (const key of TOOL_FILTER_KEYS) if (filter[key] !== undefined && filter[key] !== null && filter[key] !== '') out[key] = filter[key];
  return out;
}

/** The filters as the list's query string (`lifecycle=ACTIVE&sort=-annualCost`), keys in canonical order. */
export function toolFilterQuery(filter: ToolFilterDto): string {
  const normal = normalizeToolFilter(filter) as Record<string, unknown>;
  return new URLSearchParams(Object.entries(normal).map(([key, value]): [string, string] => [key, String(value)])).toString();
}

const nameTaken = (name: string) => new CatalogError(CatalogErrorCode.CATALOG_VIEW_NAME_TAKEN, `You already have a view named "${name}"`);

function toResponse(view: CatalogView): CatalogViewResponse {
  const filters = normalizeToolFilter(JSON.parse(view.filters) as ToolFilterDto);
  return {
    id: view.id,
    name: view.name,
    filters,
    query: toolFilterQuery(filters),
    version: view.version,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

/**
 * Saved views of the catalog list, per user. Every read and write is scoped to the caller: another
 * user's view answers 404 exactly like a view that does not exist (no probing of ids). Views are the
 * user's own preferences, so they are not audited.
 */
@Injectable()
export class CatalogViewsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The caller's views by name, paged like every list (at most MAX_VIEWS_PER_USER in all). */
  async list(actor: AuthUser, query: PageQueryDto = {}): Promise<Page<CatalogViewResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const [rows, total] = await this.dataSource
      .getRepository(CatalogView)
      .findAndCount({ where: { ownerId: actor.id }, order: { nameKey: 'ASC', id: 'ASC' }, skip, take });
    return { items: rows.map(toResponse), page, pageSize, total };
  }

  async get(actor: AuthUser, id: string): Promise<CatalogViewResponse> {
    return toResponse(await this.load(this.dataSource.manager, actor, id));
  }

  async create(actor: AuthUser, dto: CreateCatalogViewDto): Promise<CatalogViewResponse> {
    const filters = normalizeToolFilter(dto.filters);
    toolSort(filters.sort);
    const view = await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(CatalogView);
      const nameKey = dto.name.toLowerCase();
      if (await repo.exists({ where: { ownerId: actor.id, nameKey } })) throw nameTaken(dto.name);
      if ((await repo.count({ where: { ownerId: actor.id } })) >= MAX_VIEWS_PER_USER) {
        throw new CatalogError(
          CatalogErrorCode.CATALOG_VIEW_LIMIT,
          `You can keep at most ${MAX_VIEWS_PER_USER} views; delete one you no longer use first`,
          { max: MAX_VIEWS_PER_USER },
        );
      }
      const now = new Date();
      const row = Object.assign(new CatalogView(), {
        id: uuidv7(now.getTime()),
        ownerId: actor.id,
        name: dto.name,
        nameKey,
        filters: JSON.stringify(filters),
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      try {
        await repo.insert(row);
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(dto.name);
        throw err;
      }
      return row;
    });
    return toResponse(view);
  }

  /** Rename and/or replace the filters (send the version you read). */
  async update(actor: AuthUser, id: string, dto: UpdateCatalogViewDto): Promise<CatalogViewResponse> {
    const filters = dto.filters === undefined ? undefined : normalizeToolFilter(dto.filters);
    if (filters) toolSort(filters.sort);
    await withTransaction(this.dataSource, async (manager) => {
      const view = await this.load(manager, actor, id);
      const changes: Partial<CatalogView> = {};
      if (dto.name !== undefined && dto.name !== view.name) {
        const nameKey = dto.name.toLowerCase();
        if (nameKey !== view.nameKey && (await manager.getRepository(CatalogView).exists({ where: { ownerId: actor.id, nameKey } }))) {
          throw nameTaken(dto.name);
        }
        Object.assign(changes, { name: dto.name, nameKey });
      }
      if (filters) changes.filters = JSON.stringify(filters);
      try {
        await updateVersioned(manager, CatalogView, 'Catalog view', id, dto.version, changes);
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(dto.name ?? view.name);
        throw err;
      }
    });
    return this.get(actor, id);
  }

  async remove(actor: AuthUser, id: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      await this.load(manager, actor, id);
      await manager.getRepository(CatalogView).delete({ id, ownerId: actor.id });
    });
  }

  /** The caller's view; 404 when it does not exist or belongs to someone else. */
  private async load(manager: EntityManager, actor: AuthUser, id: string): Promise<CatalogView> {
    const view = await manager.getRepository(CatalogView).findOne({ where: { id, ownerId: actor.id } });
    if (!view) throw notFound('Catalog view', id);
    return view;
  }
}
