import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { CostCenterKind, ItApprovalStatus, Lifecycle } from './catalog.enums';
import { Category } from './categories/category.entity';
import { CostCenter } from './cost-centers/cost-center.entity';
import { Tool } from './tools/tool.entity';
import { Vendor } from './vendors/vendor.entity';

export interface NamedChoice { id: string; name: string }
export interface CostCenterChoice { id: string; code: string; name: string; kind: CostCenterKind }
export interface ToolCounts { active: number; shadow: number; total: number }
export interface OverlappingTool { id: string; name: string; lifecycle: Lifecycle; itApproval: ItApprovalStatus }

/** The catalog records a batched name look-up can read. */
export type CatalogRecordKind = 'tool' | 'vendor' | 'category' | 'costCenter';
/** What the reports read of a tool (governance findings, renewals). */
export interface ToolFacts {
  id: string; name: string; lifecycle: Lifecycle; itApprovalStatus: ItApprovalStatus; shadowIt: boolean; isSystemOfRecord: boolean;
  subcategoryId: string; vendorId: string; licensedSeats: number | null; activeUsers: number | null;
  businessOwnerId: string | null; budgetOwnerId: string;
}
export interface VendorFacts { id: string; name: string; dpaSigned: boolean }

/**
 * Read-only catalog look-ups for other libs (the web pages' filters, forms and summaries):
 * typed results, so no other lib queries the catalog's tables itself.
 */
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
    const rows = await this.dataSource.getRepository(CostCenter).createQueryBuilder('c')
      .select(['c.id', 'c.code', 'c.name']).where('c.id IN (:...ids)', { ids: [...ids] }).getMany();
    for (const c of rows) map.set(c.id, `${c.code} — ${c.name}`);
    return map;
  }

  /** The name of each tool among `ids` that exists. */
  async toolNames(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const rows = await this.dataSource.getRepository(Tool).find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(rows.map((t) => [t.id, t.name]));
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
    const rows = await this.dataSource.getRepository(Tool).find({ where: { lifecycle: Not(Lifecycle.RETIRED) }, order: { name: 'ASC' }, select: { id: true, name: true } });
    return rows.map((t) => ({ id: t.id, name: t.name }));
  }

  /** Up to `limit` tools not retired in a subcategory, by name: what a new request there would overlap. */
  async overlappingTools(subcategoryId: string, limit = 20): Promise<OverlappingTool[]> {
    const rows = await this.dataSource.getRepository(Tool).find({
      where: { subcategoryId, lifecycle: Not(Lifecycle.RETIRED) }, order: { name: 'ASC' }, take: limit,
      select: { id: true, name: true, lifecycle: true, itApprovalStatus: true },
    });
    return rows.map((t) => ({ id: t.id, name: t.name, lifecycle: t.lifecycle, itApproval: t.itApprovalStatus }));
  }

  // ---- Batched look-ups by id for the reports (each one statement; reporting joins them in memory) ----

  /** The name of each record of `kind` among `ids` that exists. */
  async namesOf(kind: CatalogRecordKind, ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Map();
    const entity = { tool: Tool, vendor: Vendor, category: Category, costCenter: CostCenter }[kind] as typeof Tool;
    const rows = await this.dataSource.getRepository(entity).find({ where: { id: In(wanted) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Code, name and kind of each cost center among `ids` that exists. */
  async costCentersByIds(ids: readonly string[]): Promise<CostCenterChoice[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    const rows = await this.dataSource.getRepository(CostCenter).find({ where: { id: In(wanted) }, select: { id: true, code: true, name: true, kind: true } });
    return rows.map((c) => ({ id: c.id, code: c.code, name: c.name, kind: c.kind }));
  }

  /** The facts the reports read of each tool among `ids` that exists, or of every tool (any lifecycle) without `ids`. */
  async toolFacts(ids?: readonly string[]): Promise<ToolFacts[]> {
    const wanted = ids ? [...new Set(ids)] : undefined;
    if (wanted && !wanted.length) return [];
    const rows = await this.dataSource.getRepository(Tool).find({
      ...(wanted ? { where: { id: In(wanted) } } : {}),
      select: {
        id: true, name: true, lifecycle: true, itApprovalStatus: true, shadowIt: true, isSystemOfRecord: true, subcategoryId: true, vendorId: true,
        licensedSeats: true, activeUsers: true, businessOwnerId: true, budgetOwnerId: true,
      },
    });
    return rows.map((t) => ({
      id: t.id, name: t.name, lifecycle: t.lifecycle, itApprovalStatus: t.itApprovalStatus, shadowIt: t.shadowIt, isSystemOfRecord: t.isSystemOfRecord,
      subcategoryId: t.subcategoryId, vendorId: t.vendorId, licensedSeats: t.licensedSeats, activeUsers: t.activeUsers,
      businessOwnerId: t.businessOwnerId, budgetOwnerId: t.budgetOwnerId,
    }));
  }

  /** Name and DPA flag of each vendor among `ids` that exists. */
  async vendorFacts(ids: readonly string[]): Promise<VendorFacts[]> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return [];
    const rows = await this.dataSource.getRepository(Vendor).find({ where: { id: In(wanted) }, select: { id: true, name: true, dpaSigned: true } });
    return rows.map((v) => ({ id: v.id, name: v.name, dpaSigned: v.dpaSigned }));
  }

  /** The subcategories among `ids` that hold two or more tools not retired (an overlap). */
  async overlappingSubcategories(ids: readonly string[]): Promise<Set<string>> {
    const wanted = [...new Set(ids)];
    if (!wanted.length) return new Set();
    const raw = await this.dataSource.getRepository(Tool).createQueryBuilder('t').select('t.subcategoryId', 'sub').addSelect('COUNT(*)', 'n')
      .where('t.lifecycle <> :retired AND t.subcategoryId IN (:...ids)', { retired: Lifecycle.RETIRED, ids: wanted }).groupBy('t.subcategoryId').getRawMany<{ sub: string; n: unknown }>();
    return new Set(raw.filter((r) => Number(r.n) >= 2).map((r) => r.sub));
  }
}
