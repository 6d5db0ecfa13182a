import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { CostCenterKind, ItApprovalStatus, Lifecycle } from './catalog.enums';
import { Category } from './categories/category.entity';
import { CostCenter } from './cost-centers/cost-center.entity';
import { Tool } from './tools/tool.entity';
import { Vendor } from './vendors/vendor.entity';

export interface NamedChoice { id: string; name: string }
export interface CostCenterChoice { id: string; code: string; name: string; kind: CostCenterKind }
export interface ToolCounts { active: number; shadow: number; total: number }
export interface OverlappingTool { id: string; name: string; lifecycle: Lifecycle; itApproval: ItApprovalStatus }
export interface ToolRef { id: string; name: string; nameKey: string; lifecycle: Lifecycle }
export interface VendorRef { id: string; name: string; nameKey: string }
export interface SubcategoryRef { id: string; name: string; nameKey: string; active: boolean }
export interface CostCenterRef { id: string; code: string }

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

  // Batched look-ups by key for the import pipeline's references: one query each, in the caller's
  // transaction (`manager`); the caller passes at most a few hundred keys at a time.

  /** The tools whose nameKey (lower-cased name) is among `nameKeys`. */
  async toolsByNameKeys(manager: EntityManager, nameKeys: readonly string[]): Promise<ToolRef[]> {
    if (!nameKeys.length) return [];
    const rows = await manager.getRepository(Tool).find({ where: { nameKey: In([...nameKeys]) }, select: { id: true, name: true, nameKey: true, lifecycle: true } });
    return rows.map((t) => ({ id: t.id, name: t.name, nameKey: t.nameKey, lifecycle: t.lifecycle }));
  }

  /** The vendors whose nameKey (lower-cased name) is among `nameKeys`. */
  async vendorsByNameKeys(manager: EntityManager, nameKeys: readonly string[]): Promise<VendorRef[]> {
    if (!nameKeys.length) return [];
    const rows = await manager.getRepository(Vendor).find({ where: { nameKey: In([...nameKeys]) }, select: { id: true, name: true, nameKey: true } });
    return rows.map((v) => ({ id: v.id, name: v.name, nameKey: v.nameKey }));
  }

  /** The subcategories (not top-level categories) whose nameKey is among `nameKeys`, active or not. */
  async subcategoriesByNameKeys(manager: EntityManager, nameKeys: readonly string[]): Promise<SubcategoryRef[]> {
    if (!nameKeys.length) return [];
    const rows = await manager.getRepository(Category).find({
      where: { nameKey: In([...nameKeys]), parentId: Not(IsNull()) }, select: { id: true, name: true, nameKey: true, active: true },
    });
    return rows.map((c) => ({ id: c.id, name: c.name, nameKey: c.nameKey, active: c.active }));
  }

  /** The cost centers whose code (stored upper-cased) is among `codes`, active or not. */
  async costCentersByCodes(manager: EntityManager, codes: readonly string[]): Promise<CostCenterRef[]> {
    if (!codes.length) return [];
    const rows = await manager.getRepository(CostCenter).find({ where: { code: In([...codes]) }, select: { id: true, code: true } });
    return rows.map((c) => ({ id: c.id, code: c.code }));
  }
}
