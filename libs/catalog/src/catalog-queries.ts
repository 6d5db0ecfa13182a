import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsSelect, In, IsNull, Not, SelectQueryBuilder } from 'typeorm';
import { AllocationShare, sqlBool } from '@stackgate/platform';
import { CostCenterKind, ItApprovalStatus, Lifecycle } from './catalog.enums';
import { Category } from './categories/category.entity';
import { CostCenter } from './cost-centers/cost-center.entity';
import { Tool, ToolCapability } from './tools/tool.entity';
import { Vendor } from './vendors/vendor.entity';
import { isMultiVendorSubcategory, OVERLAP_MIN_SHARED_CAPABILITIES } from './tools/overlap-rule';

export interface NamedChoice {
  id: string;
  name: string;
}
export interface CostCenterChoice {
  id: string;
  code: string;
  name: string;
  kind: CostCenterKind;
}
export interface ToolCounts {
  active: number;
  shadow: number;
  total: number;
}
export interface OverlappingTool {
  id: string;
  name: string;
  lifecycle: Lifecycle;
  itApproval: ItApprovalStatus;
}
export interface ToolRef {
  id: string;
  name: string;
  nameKey: string;
  lifecycle: Lifecycle;
}
export interface VendorRef {
  id: string;
  name: string;
  nameKey: string;
}
export interface SubcategoryRef {
  id: string;
  name: string;
  nameKey: string;
  active: boolean;
}
/** A tool as merchant matching sees it (CatalogQueries.matchableTools). */
export interface MatchableToolRef {
  id: string;
  name: string;
  vendorName: string;
  retired: boolean;
}
export interface CostCenterRef {
  id: string;
  code: string;
}

/**
 * Read-only catalog look-ups for other libs (the web pages' filters, forms and summaries):
 * typed results, so no other lib queries the catalog's tables itself.
 */

/** namesOf binds up to this many ids; above, it reads every record's id and name and keeps those asked for. */
const NAMES_BY_ID = 500;
@Injectable()
export class CatalogQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every vendor, by name. */
  async vendorChoices(): Promise<NamedChoice[]> {
    const rows = await this.dataSource.getRepository(Vendor).find({ order: { name: 'ASC' }, select: { id: true, name: true } });
    return rows.map((v) => ({ id: v.id, name: v.name }));
  }

  /** The active cost centers, by code. */
  async activeCostCenters(): Promise<CostCenterChoice[]> {
    const rows = await this.dataSource.getRepository(CostCenter).find({ where: { active: true }, order: { code: 'ASC' } });
    return rows.map((c) => ({ id: c.id, code: c.code, name: c.name, kind: c.kind }));
  }

  /** "CODE — Name" of each cost center among `ids` that exists. */
  async costCenterLabels(ids: readonly string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (!ids.length) return map;
    const rows = await this.dataSource
      .getRepository(CostCenter)
      .createQueryBuilder('c')
      .select(['c.id', 'c.code', 'c.name'])
      .where('c.id IN (:...ids)', { ids: [...ids] })
      .getMany();
    for (const costCenter of rows) map.set(costCenter.id, `${costCenter.code} — ${costCenter.name}`);
    return map;
  }

  /** The name of each tool among `ids` that exists (one query per 500 ids). */
  async toolNames(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const chunk of idChunks(ids)) {
      for (const tool of await manager.getRepository(Tool).find({ where: { id: In(chunk) }, select: { id: true, name: true } }))
        out.set(tool.id, tool.name);
    }
    return out;
  }

  /** Licensed seats and active users (last 30 days) of each tool among `ids` that exists. */
  async toolUsage(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, ToolUsage>> {
    const out = new Map<string, ToolUsage>();
    for (const chunk of idChunks(ids)) {
      const rows = await manager
        .getRepository(Tool)
        .find({ where: { id: In(chunk) }, select: { id: true, licensedSeats: true, activeUsers: true } });
      for (const tool of rows) out.set(tool.id, { licensedSeats: tool.licensedSeats, activeUsers: tool.activeUsers });
    }
    return out;
  }

  /** The name of each vendor among `ids` that exists. */
  async vendorNames(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const chunk of idChunks(ids)) {
      for (const vendor of await manager.getRepository(Vendor).find({ where: { id: In(chunk) }, select: { id: true, name: true } }))
        out.set(vendor.id, vendor.name);
    }
    return out;
  }

  /** How many tools are active, shadow IT, and in the catalog at all. */
  async toolCounts(): Promise<ToolCounts> {
    const tools = this.dataSource.getRepository(Tool);
    const [active, shadow, total] = await Promise.all([
      tools.count({ where: { lifecycle: Lifecycle.ACTIVE } }),
      tools.count({ where: { shadowIt: true } }),
      tools.count(),
    ]);
    return { active, shadow, total };
  }

  /** The tools not retired, by name (a request's "tool" choice). */
  async liveToolChoices(): Promise<NamedChoice[]> {
    const rows = await this.dataSource
      .getRepository(Tool)
      .find({ where: { lifecycle: Not(Lifecycle.RETIRED) }, order: { name: 'ASC' }, select: { id: true, name: true } });
    return rows.map((t) => ({ id: t.id, name: t.name }));
  }

  /**
   * Up to `limit` tools not retired in a subcategory, by name: what a new request there would overlap
   * (the overlap rule: none in a paid-media subcategory, where several vendors are normal).
   */
  async overlappingTools(subcategoryId: string, limit = 20): Promise<OverlappingTool[]> {
    const subcategory = await this.dataSource
      .getRepository(Category)
      .findOne({ where: { id: subcategoryId }, select: { id: true, name: true } });
    if (!subcategory || isMultiVendorSubcategory(subcategory.name)) return [];
    const rows = await this.dataSource.getRepository(Tool).find({
      where: { subcategoryId, lifecycle: Not(Lifecycle.RETIRED) },
      order: { name: 'ASC' },
      take: limit,
      select: { id: true, name: true, lifecycle: true, itApprovalStatus: true },
    });
    return rows.map((t) => ({ id: t.id, name: t.name, lifecycle: t.lifecycle, itApproval: t.itApprovalStatus }));
  }

  // Reads for other libs' writes, jobs and views. Each takes the caller's EntityManager, so inside
  // a transaction it reads what that transaction sees; lists of ids go one query per 500.

  /** What other libs need of each tool among `ids` that exists (see ToolFacts). */
  async toolFacts(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, ToolFacts>> {
    const out = new Map<string, ToolFacts>();
    for (const chunk of idChunks(ids)) {
      for (const tool of await manager.getRepository(Tool).find({ where: { id: In(chunk) }, select: TOOL_FACTS }))
        out.set(tool.id, toolFactsOf(tool));
    }
    return out;
  }

  /** The tool holding `name` (compared trimmed and lower-cased, as tool names are unique), or null. */
  async toolByName(name: string, manager: EntityManager = this.dataSource.manager): Promise<ToolFacts | null> {
    const tool = await manager.getRepository(Tool).findOne({ where: { nameKey: name.trim().toLowerCase() }, select: TOOL_FACTS });
    return tool ? toolFactsOf(tool) : null;
  }

  /** The ids among `ids` that belong to a vendor. */
  async existingVendorIds(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    const out = new Set<string>();
    for (const chunk of idChunks(ids)) {
      for (const vendor of await manager.getRepository(Vendor).find({ where: { id: In(chunk) }, select: { id: true } })) out.add(vendor.id);
    }
    return out;
  }

  /** Code, kind, owner and active flag of each cost center among `ids` that exists (active or not). */
  async costCenterFacts(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, CostCenterFacts>> {
    const out = new Map<string, CostCenterFacts>();
    for (const chunk of idChunks(ids)) {
      const rows = await manager
        .getRepository(CostCenter)
        .find({ where: { id: In(chunk) }, select: { id: true, code: true, kind: true, ownerId: true, active: true } });
      for (const costCenter of rows)
        out.set(costCenter.id, {
          id: costCenter.id,
          code: costCenter.code,
          kind: costCenter.kind,
          ownerId: costCenter.ownerId,
          active: costCenter.active,
        });
    }
    return out;
  }

  /** Name, parent (null for a top-level category) and active flag of each category among `ids` that exists. */
  async categoryFacts(ids: readonly string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, CategoryFacts>> {
    const out = new Map<string, CategoryFacts>();
    for (const chunk of idChunks(ids)) {
      const rows = await manager
        .getRepository(Category)
        .find({ where: { id: In(chunk) }, select: { id: true, name: true, parentId: true, active: true } });
      for (const category of rows)
        out.set(category.id, { id: category.id, name: category.name, parentId: category.parentId, active: category.active });
    }
    return out;
  }

  /**
   * Every tool (not retired unless `includeRetired`) with its category and subcategory names, in
   * taxonomy order (category, subcategory, then tool name): the stack map's nodes, in one statement.
   */
  async stackMapTools(includeRetired = false): Promise<StackMapTool[]> {
    const builder = this.dataSource
      .getRepository(Tool)
      .createQueryBuilder('t')
      .innerJoin(Category, 'sub', 'sub.id = t.subcategoryId')
      .innerJoin(Category, 'cat', 'cat.id = t.categoryId')
      .select([
        't.id AS id',
        't.name AS name',
        't.categoryId AS categoryId',
        'cat.name AS categoryName',
        'cat.sortOrder AS categoryOrder',
        't.subcategoryId AS subcategoryId',
        'sub.name AS subcategoryName',
        't.lifecycle AS lifecycle',
        't.itApprovalStatus AS itApproval',
        't.shadowIt AS shadowIt',
        't.isSystemOfRecord AS isSystemOfRecord',
      ])
      .orderBy('cat.sortOrder', 'ASC')
      .addOrderBy('sub.sortOrder', 'ASC')
      .addOrderBy('t.nameKey', 'ASC');
    if (!includeRetired) builder.where('t.lifecycle <> :retired', { retired: Lifecycle.RETIRED });
    const rows = await builder.getRawMany<
      Omit<Record<keyof StackMapTool, string>, 'shadowIt' | 'isSystemOfRecord'> & { shadowIt: unknown; isSystemOfRecord: unknown }
    >();
    return rows.map((n) => ({
      id: n.id,
      name: n.name,
      categoryId: n.categoryId,
      categoryName: n.categoryName,
      subcategoryId: n.subcategoryId,
      subcategoryName: n.subcategoryName,
      lifecycle: n.lifecycle as Lifecycle,
      itApproval: n.itApproval as ItApprovalStatus,
      shadowIt: sqlBool(n.shadowIt),
      isSystemOfRecord: sqlBool(n.isSystemOfRecord),
    }));
  }

  /**
   * Tools not retired that a proposal would overlap by the overlap rule (overlap-rule.ts): in its
   * subcategory unless that is a paid-media one, or sharing at least OVERLAP_MIN_SHARED_CAPABILITIES
   * of its (lower-cased) capabilities, other than `excludeToolId`; the first `limit` by name, with the
   * subcategory's name and the capabilities shared. The first `limit` by name of each kind of match,
   * then the first `limit` of both: one statement with an OR of the two scans every live tool,
   * while the capability match as a join (not IN (subquery), which MariaDB drives from the lifecycle
   * index) starts from the capability index, so no request detail reads and sorts every live tool.
   */
  async overlapCandidates(
    query: OverlapQuery,
    limit: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<OverlapCandidate[]> {
    const { subcategoryId, capabilities, excludeToolId } = query;
    const firstIds = (qb: SelectQueryBuilder<Tool>) => {
      qb.select('t.id', 'id').addSelect('t.name', 'name').andWhere('t.lifecycle <> :retired', { retired: Lifecycle.RETIRED });
      if (excludeToolId) qb.andWhere('t.id <> :own', { own: excludeToolId });
      return qb.orderBy('t.name', 'ASC').addOrderBy('t.id', 'ASC').limit(limit).getRawMany<{ id: string }>();
    };
    const tools$ = () => manager.getRepository(Tool).createQueryBuilder('t');
    // The overlap rule (overlap-rule.ts): no overlap by a paid-media subcategory, where several vendors are normal
    // (not even by shared tags inside it), and a capability match needs OVERLAP_MIN_SHARED_CAPABILITIES shared tags.
    const subcategory = subcategoryId
      ? await manager.getRepository(Category).findOne({ where: { id: subcategoryId }, select: { id: true, name: true } })
      : null;
    const multiVendor = isMultiVendorSubcategory(subcategory?.name);
    const byCapsQuery = () => {
      const qb = tools$()
        .innerJoin(ToolCapability, 'c', 'c.toolId = t.id')
        .where('c.capability IN (:...caps)', { caps: [...capabilities] })
        .groupBy('t.id')
        .addGroupBy('t.name')
        .having('COUNT(DISTINCT c.capability) >= :minShared', { minShared: OVERLAP_MIN_SHARED_CAPABILITIES });
      if (multiVendor) qb.andWhere('t.subcategoryId <> :sub', { sub: subcategoryId });
      return qb;
    };
    const [bySub, byCaps] = await Promise.all([
      subcategoryId && !multiVendor ? firstIds(tools$().where('t.subcategoryId = :sub', { sub: subcategoryId })) : [],
      capabilities.length >= OVERLAP_MIN_SHARED_CAPABILITIES ? firstIds(byCapsQuery()) : [],
    ]);
    const ids = [...new Set([...bySub, ...byCaps].map((r) => r.id))];
    if (!ids.length) return [];
    const tools = await tools$()
      .where('t.id IN (:...ids)', { ids })
      .orderBy('t.name', 'ASC')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getMany();
    const [caps, subs] = await Promise.all([
      capabilities.length
        ? manager.getRepository(ToolCapability).find({ where: { toolId: In(tools.map((t) => t.id)), capability: In([...capabilities]) } })
        : [],
      manager.getRepository(Category).find({ where: { id: In([...new Set(tools.map((t) => t.subcategoryId))]) } }),
    ]);
    return tools.map((t) => ({
      id: t.id,
      name: t.name,
      subcategoryId: t.subcategoryId,
      subcategoryName: subs.find((s) => s.id === t.subcategoryId)?.name ?? null,
      lifecycle: t.lifecycle,
      itApprovalStatus: t.itApprovalStatus,
      annualCostMinor: t.annualCostMinor,
      annualCostCurrency: t.annualCostCurrency,
      sharedCapabilities: caps.filter((c) => c.toolId === t.id).map((c) => c.capability),
    }));
  }

  // ---- Batched look-ups by id for the reports (each one statement; reporting joins them in memory) ----

  /**
   * The name of each record of `kind` among `ids` that exists: one plain statement. Above
   * NAMES_BY_ID ids (a report by tool names every tool) it reads every record's id and name instead
   * of binding thousands of parameters, which cost more than the rows (docs/PERFORMANCE.md).
   */
  async namesOf(kind: CatalogRecordKind, ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(ids);
    if (!wanted.size) return new Map();
    const entity = { tool: Tool, vendor: Vendor, category: Category, costCenter: CostCenter }[kind];
    const quote = (name: string) => this.dataSource.driver.escape(name);
    const select = `SELECT ${quote('id')}, ${quote('name')} FROM ${quote(this.dataSource.getMetadata(entity).tableName)}`;
    const byId = wanted.size <= NAMES_BY_ID;
    const rows = await this.dataSource.query<{ id: string; name: string }[]>(
      byId ? `${select} WHERE ${quote('id')} IN (${[...wanted].map(() => '?').join(', ')})` : select,
      byId ? [...wanted] : [],
    );
    const names = new Map<string, string>();
    for (const row of rows) if (wanted.has(row.id)) names.set(row.id, row.name);
    return names;
  }

  /** Code, name and kind of each cost center among `ids` that exists. */
  async costCentersByIds(ids: readonly string[]): Promise<CostCenterChoice[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    const rows = await this.dataSource
      .getRepository(CostCenter)
      .find({ where: { id: In(wanted) }, select: { id: true, code: true, name: true, kind: true } });
    return rows.map((c) => ({ id: c.id, code: c.code, name: c.name, kind: c.kind }));
  }

  /** What the reports read of each tool among `ids` that exists, or of every tool (any lifecycle) without `ids`: one statement. */
  async reportTools(ids?: readonly string[]): Promise<ReportTool[]> {
    const wanted = ids ? [...new Set(ids)] : undefined;
    if (wanted && !wanted.length) return [];
    const rows = await this.dataSource.getRepository(Tool).find({
      ...(wanted ? { where: { id: In(wanted) } } : {}),
      select: {
        id: true,
        name: true,
        lifecycle: true,
        itApprovalStatus: true,
        shadowIt: true,
        isSystemOfRecord: true,
        subcategoryId: true,
        vendorId: true,
        licensedSeats: true,
        activeUsers: true,
        businessOwnerId: true,
        budgetOwnerId: true,
      },
    });
    return rows.map((t) => ({
      id: t.id,
      name: t.name,
      lifecycle: t.lifecycle,
      itApprovalStatus: t.itApprovalStatus,
      shadowIt: t.shadowIt,
      isSystemOfRecord: t.isSystemOfRecord,
      subcategoryId: t.subcategoryId,
      vendorId: t.vendorId,
      licensedSeats: t.licensedSeats,
      activeUsers: t.activeUsers,
      businessOwnerId: t.businessOwnerId,
      budgetOwnerId: t.budgetOwnerId,
    }));
  }

  /**
   * Every tool that is not retired, with its seats and its vendor's name, read in `manager`'s transaction: what
   * identity-provider apps are matched against (two queries, whatever the catalog's size).
   */
  async liveToolsForMatching(manager: EntityManager = this.dataSource.manager): Promise<MatchableTool[]> {
    const tools = await manager.getRepository(Tool).find({
      where: { lifecycle: Not(Lifecycle.RETIRED) },
      select: { id: true, name: true, vendorId: true, licensedSeats: true, activeUsers: true, version: true },
    });
    const vendorNames = await this.vendorNames(
      tools.map((t) => t.vendorId),
      manager,
    );
    return tools.map((t) => ({
      id: t.id,
      name: t.name,
      vendorName: vendorNames.get(t.vendorId) ?? null,
      licensedSeats: t.licensedSeats,
      activeUsers: t.activeUsers,
      version: t.version,
    }));
  }

  /** Name and DPA flag of each vendor among `ids` that exists. */
  async vendorFacts(ids: readonly string[]): Promise<VendorFacts[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    const rows = await this.dataSource
      .getRepository(Vendor)
      .find({ where: { id: In(wanted) }, select: { id: true, name: true, dpaSigned: true } });
    return rows.map((v) => ({ id: v.id, name: v.name, dpaSigned: v.dpaSigned }));
  }

  /** The subcategories among `ids` that hold two or more tools not retired (an overlap). */
  async overlappingSubcategories(ids: readonly string[]): Promise<Set<string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Set();
    const raw = await this.dataSource
      .getRepository(Tool)
      .createQueryBuilder('t')
      .select('t.subcategoryId', 'sub')
      .addSelect('COUNT(*)', 'n')
      .where('t.lifecycle <> :retired AND t.subcategoryId IN (:...ids)', { retired: Lifecycle.RETIRED, ids: wanted })
      .groupBy('t.subcategoryId')
      .getRawMany<{ sub: string; n: unknown }>();
    return new Set(raw.filter((r) => Number(r.n) >= 2).map((r) => r.sub));
  }

  // Batched look-ups by key for the import pipeline's references: one query each, in the caller's
  // transaction (`manager`); the caller passes at most a few hundred keys at a time.

  /** The tools whose nameKey (lower-cased name) is among `nameKeys`. */
  async toolsByNameKeys(manager: EntityManager, nameKeys: readonly string[]): Promise<ToolRef[]> {
    if (!nameKeys.length) return [];
    const rows = await manager
      .getRepository(Tool)
      .find({ where: { nameKey: In([...nameKeys]) }, select: { id: true, name: true, nameKey: true, lifecycle: true } });
    return rows.map((t) => ({ id: t.id, name: t.name, nameKey: t.nameKey, lifecycle: t.lifecycle }));
  }

  /** The vendors whose nameKey (lower-cased name) is among `nameKeys`. */
  async vendorsByNameKeys(manager: EntityManager, nameKeys: readonly string[]): Promise<VendorRef[]> {
    if (!nameKeys.length) return [];
    const rows = await manager
      .getRepository(Vendor)
      .find({ where: { nameKey: In([...nameKeys]) }, select: { id: true, name: true, nameKey: true } });
    return rows.map((v) => ({ id: v.id, name: v.name, nameKey: v.nameKey }));
  }

  /** The subcategories (not top-level categories) whose nameKey is among `nameKeys`, active or not. */
  async subcategoriesByNameKeys(manager: EntityManager, nameKeys: readonly string[]): Promise<SubcategoryRef[]> {
    if (!nameKeys.length) return [];
    const rows = await manager.getRepository(Category).find({
      where: { nameKey: In([...nameKeys]), parentId: Not(IsNull()) },
      select: { id: true, name: true, nameKey: true, active: true },
    });
    return rows.map((c) => ({ id: c.id, name: c.name, nameKey: c.nameKey, active: c.active }));
  }

  /**
   * Every tool with its vendor's name and whether it is retired, in one statement: what spend discovery
   * indexes once per import to match merchants (10,000 tools are about 1 MB).
   */
  async matchableTools(manager: EntityManager = this.dataSource.manager): Promise<MatchableToolRef[]> {
    const rows = await manager
      .getRepository(Tool)
      .createQueryBuilder('t')
      .innerJoin(Vendor, 'v', 'v.id = t.vendorId')
      .select(['t.id AS id', 't.name AS name', 't.lifecycle AS lifecycle', 'v.name AS vendorName'])
      .getRawMany<{ id: string; name: string; lifecycle: Lifecycle; vendorName: string }>();
    return rows.map((r) => ({ id: r.id, name: r.name, vendorName: r.vendorName, retired: r.lifecycle === Lifecycle.RETIRED }));
  }

  /** The cost centers whose code (stored upper-cased) is among `codes`, active or not. */
  async costCentersByCodes(manager: EntityManager, codes: readonly string[]): Promise<CostCenterRef[]> {
    if (!codes.length) return [];
    const rows = await manager.getRepository(CostCenter).find({ where: { code: In([...codes]) }, select: { id: true, code: true } });
    return rows.map((c) => ({ id: c.id, code: c.code }));
  }
}

/**
 * What other libs read of a tool — finance's ledger and contracts, the review workflow, jobs — under
 * the entity's own field names (a Tool satisfies it): no descriptions, no IT approval texts.
 */
export interface ToolFacts {
  id: string;
  name: string;
  vendorId: string;
  categoryId: string;
  subcategoryId: string;
  lifecycle: Lifecycle;
  itApprovalStatus: ItApprovalStatus;
  shadowIt: boolean;
  isSystemOfRecord: boolean;
  businessOwnerId: string | null;
  budgetOwnerId: string;
  /** Null means 100 % to the budget owner. */
  allocation: AllocationShare[] | null;
  capabilities: string[];
  createdById: string | null;
}

export interface ToolUsage {
  licensedSeats: number | null;
  activeUsers: number | null;
}
export interface CostCenterFacts {
  id: string;
  code: string;
  kind: CostCenterKind;
  ownerId: string | null;
  active: boolean;
}
export interface CategoryFacts {
  id: string;
  name: string;
  parentId: string | null;
  active: boolean;
}

/** One tool on the stack map (integrations draws the edges). */
export interface StackMapTool {
  id: string;
  name: string;
  categoryId: string;
  categoryName: string;
  subcategoryId: string;
  subcategoryName: string;
  lifecycle: Lifecycle;
  itApproval: ItApprovalStatus;
  shadowIt: boolean;
  isSystemOfRecord: boolean;
}

/** What a proposed (or existing) tool is compared on; capabilities lower-cased. */
export interface OverlapQuery {
  subcategoryId: string | null;
  capabilities: readonly string[];
  excludeToolId: string | null;
}

export interface OverlapCandidate {
  id: string;
  name: string;
  subcategoryId: string;
  subcategoryName: string | null;
  lifecycle: Lifecycle;
  itApprovalStatus: ItApprovalStatus;
  /** In the base currency; null when the tool has no active contract. */
  annualCostMinor: bigint | null;
  annualCostCurrency: string | null;
  sharedCapabilities: string[];
}

const TOOL_FACTS: FindOptionsSelect<Tool> = {
  id: true,
  name: true,
  vendorId: true,
  categoryId: true,
  subcategoryId: true,
  lifecycle: true,
  itApprovalStatus: true,
  shadowIt: true,
  isSystemOfRecord: true,
  businessOwnerId: true,
  budgetOwnerId: true,
  allocation: true,
  capabilities: true,
  createdById: true,
};

function toolFactsOf(tool: Tool): ToolFacts {
  return {
    id: tool.id,
    name: tool.name,
    vendorId: tool.vendorId,
    categoryId: tool.categoryId,
    subcategoryId: tool.subcategoryId,
    lifecycle: tool.lifecycle,
    itApprovalStatus: tool.itApprovalStatus,
    shadowIt: tool.shadowIt,
    isSystemOfRecord: tool.isSystemOfRecord,
    businessOwnerId: tool.businessOwnerId,
    budgetOwnerId: tool.budgetOwnerId,
    allocation: tool.allocation,
    capabilities: tool.capabilities,
    createdById: tool.createdById,
  };
}

/** The distinct ids in slices of 500 (every engine's parameter limit is far above). */
function idChunks(ids: readonly string[]): string[][] {
  const unique = [...new Set(ids)];
  const out: string[][] = [];
  for (let start = 0; start < unique.length; start += 500) out.push(unique.slice(start, start + 500));
  return out;
}

/** A live tool as identity-provider matching sees it. */
export interface MatchableTool {
  id: string;
  name: string;
  vendorName: string | null;
  licensedSeats: number | null;
  activeUsers: number | null;
  /** For an update in the same transaction (updateVersioned). */
  version: number;
}

/** The catalog records a batched name look-up can read. */
export type CatalogRecordKind = 'tool' | 'vendor' | 'category' | 'costCenter';
/** What the reports read of a tool (governance findings, renewals): its seats, none of its JSON columns. */
export interface ReportTool {
  id: string;
  name: string;
  lifecycle: Lifecycle;
  itApprovalStatus: ItApprovalStatus;
  shadowIt: boolean;
  isSystemOfRecord: boolean;
  subcategoryId: string;
  vendorId: string;
  licensedSeats: number | null;
  activeUsers: number | null;
  businessOwnerId: string | null;
  budgetOwnerId: string;
}
export interface VendorFacts {
  id: string;
  name: string;
  dpaSigned: boolean;
}
