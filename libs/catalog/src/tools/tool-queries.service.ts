import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, findById, notFound, Page, pageParams, resolveSort } from '@stackgate/platform';
import { containsPattern } from '../catalog.errors';
import { Vendor } from '../vendors/vendor.entity';
import { ToolHistoryEventResponse, ToolQueryDto, ToolResponse } from './dto/tool.dto';
import { Tool } from './tool.entity';
import { toToolResponse, ToolRefNames } from './tool-views';

const SORTS = {
  name: 't.nameKey',
  createdAt: 't.createdAt',
  updatedAt: 't.updatedAt',
  lifecycle: 't.lifecycle',
  itApproval: 't.itApprovalStatus',
  annualCost: 't.annualCostMinor',
};

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
    const sort = resolveSort(query.sort, SORTS, 'name');
    const qb = this.dataSource.getRepository(Tool).createQueryBuilder('t');
    if (query.search) {
      qb.leftJoin(Vendor, 'v', 'v.id = t.vendorId').andWhere(
        "(t.nameKey LIKE :s ESCAPE '!' OR v.nameKey LIKE :s ESCAPE '!' OR LOWER(t.description) LIKE :s ESCAPE '!')",
        { s: containsPattern(query.search) },
      );
    }
    const eq: [keyof ToolQueryDto, string][] = [
      ['categoryId', 'categoryId'],
      ['subcategoryId', 'subcategoryId'],
      ['lifecycle', 'lifecycle'],
      ['itApproval', 'itApprovalStatus'],
      ['budgetOwnerId', 'budgetOwnerId'],
      ['businessOwnerId', 'businessOwnerId'],
      ['vendorId', 'vendorId'],
      ['dataClassification', 'dataClassification'],
    ];
    for (const [param, column] of eq) if (query[param] !== undefined) qb.andWhere(`t.${column} = :${param}`, { [param]: query[param] });
    if (query.shadowIt !== undefined) qb.andWhere('t.shadowIt = :shadowIt', { shadowIt: query.shadowIt });
    qb.orderBy(sort.column, sort.direction).addOrderBy('t.id', 'ASC').skip(skip).take(take);
    const [rows, total] = await qb.getManyAndCount();
    return { items: await this.toResponses(rows), page, pageSize, total };
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
