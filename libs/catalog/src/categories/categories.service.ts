import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  AuthUser,
  isForeignKeyViolation,
  isUniqueViolation,
  notFound,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { referenceNotFound, CatalogError, CatalogErrorCode } from '../catalog.errors';
import { Tool } from '../tools/tool.entity';
import { Category } from './category.entity';
import { CategoryResponse, CategoryTreeResponse, CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

export function toCategoryResponse(category: Category): CategoryResponse {
  return {
    id: category.id,
    name: category.name,
    parentId: category.parentId,
    active: category.active,
    sortOrder: category.sortOrder,
    version: category.version,
    createdAt: category.createdAt,
    updatedAt: category.updatedAt,
  };
}

const snapshot = (c: Category) => ({ name: c.name, parentId: c.parentId, active: c.active, sortOrder: c.sortOrder });
const nameTaken = (name: string) => new CatalogError(CatalogErrorCode.CATEGORY_NAME_TAKEN, `A category named "${name}" already exists`);

@Injectable()
export class CategoriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The whole two-level tree, in display order. */
  async tree(): Promise<CategoryTreeResponse[]> {
    const all = await this.dataSource.getRepository(Category).find({ order: { sortOrder: 'ASC', name: 'ASC' } });
    return all
      .filter((c) => !c.parentId)
      .map((top) => ({
        ...toCategoryResponse(top),
        subcategories: all.filter((s) => s.parentId === top.id).map(toCategoryResponse),
      }));
  }

  async get(id: string): Promise<CategoryResponse> {
    return toCategoryResponse(await this.load(this.dataSource.manager, id));
  }

  async create(actor: AuthUser, dto: CreateCategoryDto): Promise<CategoryResponse> {
    const name = dto.name.trim();
    const category = await withTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(Category);
      if (dto.parentId) {
        const parent = await repo.findOneBy({ id: dto.parentId });
        if (!parent) throw referenceNotFound('parentId', dto.parentId, 'category');
        if (parent.parentId)
          throw new CatalogError(CatalogErrorCode.TWO_LEVELS_ONLY, 'parentId must be a top-level category: the taxonomy has two levels', {
            field: 'parentId',
          });
      }
      if (await repo.exists({ where: { nameKey: name.toLowerCase() } })) throw nameTaken(name);
      const last = await repo.findOne({ where: { parentId: dto.parentId ? dto.parentId : IsNull() }, order: { sortOrder: 'DESC' } });
      const now = new Date();
      const cat = Object.assign(new Category(), {
        id: uuidv7(now.getTime()),
        name,
        nameKey: name.toLowerCase(),
        parentId: dto.parentId ?? null,
        active: true,
        sortOrder: (last?.sortOrder ?? -1) + 1,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      try {
        await repo.insert(cat);
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(name);
        throw err;
      }
      await this.audit.record(manager, {
        action: 'category.created',
        entityType: 'Category',
        entityId: cat.id,
        after: snapshot(cat),
        actor: { id: actor.id, email: actor.email },
      });
      return cat;
    });
    return toCategoryResponse(category);
  }

  async update(actor: AuthUser, id: string, dto: UpdateCategoryDto): Promise<CategoryResponse> {
    await withTransaction(this.dataSource, async (manager) => {
      const category = await this.load(manager, id);
      const changes: Partial<Category> = {};
      if (dto.name !== undefined && dto.name.trim() !== category.name) {
        const name = dto.name.trim();
        if (
          name.toLowerCase() !== category.nameKey &&
          (await manager.getRepository(Category).exists({ where: { nameKey: name.toLowerCase() } }))
        )
          throw nameTaken(name);
        changes.name = name;
        changes.nameKey = name.toLowerCase();
      }
      if (dto.active !== undefined) changes.active = dto.active;
      if (dto.sortOrder !== undefined) changes.sortOrder = dto.sortOrder;
      try {
        await updateVersioned(manager, Category, 'Category', id, dto.version, changes);
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(changes.name ?? category.name);
        throw err;
      }
      const action =
        changes.active === false && category.active ? 'category.deactivated' : changes.name ? 'category.renamed' : 'category.updated';
      await this.audit.record(manager, {
        action,
        entityType: 'Category',
        entityId: id,
        before: snapshot(category),
        after: { ...snapshot(category), ...changes },
        actor: { id: actor.id, email: actor.email },
      });
    });
    return this.get(id);
  }

  /** Deletes an unused category; one that tools use or that has subcategories is 409 (deactivate it instead). */
  async remove(actor: AuthUser, id: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const category = await this.load(manager, id);
      const tools = await manager
        .getRepository(Tool)
        .createQueryBuilder('t')
        .where('t.subcategoryId = :id OR t.categoryId = :id', { id })
        .getCount();
      if (tools)
        throw new CatalogError(CatalogErrorCode.CATEGORY_IN_USE, `${category.name} is used by ${tools} tool(s); deactivate it instead`, {
          tools,
        });
      const children = await manager.getRepository(Category).countBy({ parentId: id });
      if (children)
        throw new CatalogError(
          CatalogErrorCode.CATEGORY_IN_USE,
          `${category.name} has ${children} subcategories; delete or move them first`,
          {
            subcategories: children,
          },
        );
      try {
        await manager.getRepository(Category).delete({ id });
      } catch (err) {
        // Other libraries (requests) may reference subcategories too.
        if (isForeignKeyViolation(err))
          throw new CatalogError(CatalogErrorCode.CATEGORY_IN_USE, `${category.name} is still referenced; deactivate it instead`);
        throw err;
      }
      await this.audit.record(manager, {
        action: 'category.deleted',
        entityType: 'Category',
        entityId: id,
        before: snapshot(category),
        actor: { id: actor.id, email: actor.email },
      });
    });
  }

  private async load(manager: EntityManager, id: string): Promise<Category> {
    const category = await manager.getRepository(Category).findOneBy({ id });
    if (!category) throw notFound('Category', id);
    return category;
  }
}
