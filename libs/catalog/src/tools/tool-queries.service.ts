import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, findById, notFound, Page, pageParams, resolveSort } from '@stackgate/platform';
import { containsPattern } from '../catalog.errors';
import { Category } from '../categories/category.entity';
import { Vendor } from '../vendors/vendor.entity';
import { TOOL_SORT_FIELDS, ToolFilterDto, ToolHistoryEventResponse, ToolQueryDto, ToolResponse } from './dto/tool.dto';
import { Tool } from './tool.entity';
import { toToolResponse, ToolRefNames } from './tool-views';

/** Each sortable field's column; `vendor` and `category` sort by the joined record's name. */
const SORTS: Record<(typeof TOOL_SORT_FIELDS)[number], string> = {
  name: 't.nameKey',
  vendor: 'v.nameKey',
  category: 'c.nameKey',
  lifecycle: 't.lifecycle',
  itApproval: 't.itApprovalStatus',
  annualCost: 't.annualCostMinor',
  createdAt: 't.createdAt',
  updatedAt: 't.updatedAt',
};

/** 400 INVALID_SORT unless `sort` names an allowed field (optionally with -); checked before a view is saved as well. */
export function toolSort(sort: string | undefined): { column: string; direction: 'ASC' | 'DESC' } {
  return resolveSort(sort, SORTS, 'name');
}

/** Reading the catalog's tools: the list with its filters, one tool, its history, and the response shape. */
@Injectable()
export class ToolQueriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /** The tool as the API answers it; 404 when it does not exist. */
  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<ToolResponse> {
    return this.toResponse(await this.load(manager, id), manager);
  }

  /** Maps one tool to its response (loads the vendor and category names). */
  async toResponse(tool: Tool, manager: EntityManager = this.dataSource.manager): Promise<ToolResponse> {
    return (await this.toResponses([tool], manager))[0];
  }

  async toResponses(tools: Tool[], manager: EntityManager = this.dataSource.manager): Promise<ToolResponse[]> {
    const names = await this.refNames(manager, tools);
    return tools.map((t) => toToolResponse(t, names, this.config.baseCurrency));
  }

  /** Loads a tool entity; 404 when missing. */
  async load(manager: EntityManager, id: string): Promise<Tool> {
    const tool = await findById(manager, Tool, id);
    if (!tool) throw notFound('Tool', id);
    return tool;
  }

  async list(query: ToolQueryDto): Promise<Page<ToolResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    // The joins are to-one (vendor, category), so offset/limit pages rows exactly.
    const [rows, total] = await this.filtered(this.dataSource.manager, query).offset(skip).limit(take).getManyAndCount();
    return { items: await this.toResponses(rows), page, pageSize, total };
  }

  /** Every tool the filters select, in the list's order (the export: the catalog as the user sees it). */
  filteredTools(manager: EntityManager, filter: ToolFilterDto): Promise<Tool[]> {
    return this.filtered(manager, filter).getMany();
  }

  /** The list's query: filters, then the sort with the id as tie-break (stable pages in both directions). */
  private filtered(manager: EntityManager, filter: ToolFilterDto): SelectQueryBuilder<Tool> {
    const sort = toolSort(filter.sort);
    const qb = manager.getRepository(Tool).createQueryBuilder('t');
    if (filter.search || sort.column.startsWith('v.')) qb.leftJoin(Vendor, 'v', 'v.id = t.vendorId');
    if (sort.column.startsWith('c.')) qb.leftJoin(Category, 'c', 'c.id = t.categoryId');
    if (filter.search) {
      qb.andWhere("(t.nameKey LIKE :s ESCAPE '!' OR v.nameKey LIKE :s ESCAPE '!' OR LOWER(t.description) LIKE :s ESCAPE '!')", {
        s: containsPattern(filter.search),
      });
    }
    const eq: [keyof ToolFilterDto, string][] = [
      ['categoryId', 'categoryId'],
      ['subcategoryId', 'subcategoryId'],
      ['lifecycle', 'lifecycle'],
      ['itApproval', 'itApprovalStatus'],
      ['budgetOwnerId', 'budgetOwnerId'],
      ['businessOwnerId', 'businessOwnerId'],
      ['vendorId', 'vendorId'],
      ['dataClassification', 'dataClassification'],
    ];
    for (const [param, column] of eq) if (filter[param] !== undefined) qb.andWhere(`t.${column} = :${param}`, { [param]: filter[param] });
    if (filter.shadowIt !== undefined) qb.andWhere('t.shadowIt = :shadowIt', { shadowIt: filter.shadowIt });
    return qb.orderBy(sort.column, sort.direction).addOrderBy('t.id', 'ASC');
  }

  async history(id: string, paging: { page?: number; pageSize?: number }): Promise<Page<ToolHistoryEventResponse>> {
    await this.load(this.dataSource.manager, id);
    const { page, pageSize, skip, take } = pageParams(paging);
    const { items, total } = await this.audit.entityHistory('Tool', id, { skip, take });
    return { items, page, pageSize, total };
  }

  private async refNames(manager: EntityManager, tools: Tool[]): Promise<ToolRefNames> {
    const vendorIds = [...new Set(tools.map((t) => t.vendorId))];
    const categoryIds = [...new Set(tools.flatMap((t) => [t.subcategoryId, t.categoryId]))];
    // One plain statement for both kinds of name (every list and detail answer runs it).
    const names: ToolRefNames = { vendors: new Map(), categories: new Map() };
    for (let start = 0; start < Math.max(vendorIds.length, categoryIds.length); start += 500) {
      const vendorSlice = vendorIds.slice(start, start + 500);
      const categorySlice = categoryIds.slice(start, start + 500);
      const parts: string[] = [];
      if (vendorSlice.length)
        parts.push(`SELECT 'V' AS kind, id, name FROM vendors WHERE id IN (${vendorSlice.map(() => '?').join(', ')})`);
      if (categorySlice.length)
        parts.push(`SELECT 'C' AS kind, id, name FROM categories WHERE id IN (${categorySlice.map(() => '?').join(', ')})`);
      const rows = await manager.query<{ kind: string; id: string; name: string }[]>(parts.join(' UNION ALL '), [
        ...vendorSlice,
        ...categorySlice,
      ]);
      for (const row of rows) (row.kind === 'V' ? names.vendors : names.categories).set(row.id, row.name);
    }
    return names;
  }
}
