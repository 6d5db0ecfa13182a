import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Category, CostCenter, Tool, Vendor } from '@stackgate/catalog';
import { LedgerBasis, loadRates, TotalsGrain, monthFromString, monthToString } from '@stackgate/finance';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { assertRange, assertRates, toBigInt, toBool } from '../report-math';
import { aggregateSpend, SpendCell, SpendGroupBy, SpendReport, spendReportJson, TIME_GROUPS } from './spend-report';

/** The ledger column a grouping reads; time groupings are derived from the month in code. */
const KEY_COLUMN: Partial<Record<SpendGroupBy, string>> = {
  budget: 'l.costCenterKind', costCenter: 'l.costCenterId', category: 'l.categoryId', subcategory: 'l.subcategoryId',
  tool: 'l.toolId', vendor: 'l.vendorId', costType: 'l.costType',
};

/** The ledger_totals grain that answers a grouping; tool and vendor read ledger_entries. */
const TOTALS_GRAIN_OF: Partial<Record<SpendGroupBy, TotalsGrain>> = {
  budget: 'COST_CENTER', costCenter: 'COST_CENTER', costType: 'COST_CENTER', category: 'CATEGORY', subcategory: 'SUBCATEGORY',
  ...Object.fromEntries(TIME_GROUPS.map((g) => [g, 'COST_CENTER'])),
};

const KIND_LABEL: Record<string, string> = { MARKETING: 'Marketing', IT: 'IT', OTHER: 'Other' };
export const humanize = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ');

@Injectable()
export class SpendReportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async spend(q: { from: string; to: string; basis?: 'committed' | 'actual'; groupBy?: SpendGroupBy }): Promise<SpendReport> {
    const from = monthFromString(q.from);
    const to = monthFromString(q.to);
    assertRange(from, to);
    const basis = q.basis ?? 'committed';
    const groupBy = q.groupBy ?? 'budget';
    const cells = await this.cells(groupBy, basis === 'committed' ? LedgerBasis.COMMITTED : LedgerBasis.ACTUAL, from, to);
    const base = this.config.baseCurrency;
    const foreign = cells.filter((c) => c.currency !== base);
    const rates = await loadRates(this.dataSource.manager, [...new Set(foreign.map((c) => c.currency))], [...new Set(foreign.map((c) => monthToString(c.month)))]);
    assertRates(cells, rates, base);
    const labels = await this.labels(groupBy, [...new Set(cells.map((c) => c.key ?? ''))]);
    const result = aggregateSpend(cells, groupBy, { rates, base, fyStartMonth: this.config.fiscalYearStartMonth, labelOf: (k) => labels.get(k) ?? k });
    return spendReportJson(result, { from: q.from, to: q.to, basis, groupBy, currency: base });
  }

  /**
   * The one aggregate query, grouped by (key, currency, month, kind, cost type, shadow IT). Every
   * grouping but tool and vendor reads one grain of ledger_totals (the ledger summed per month:
   * thousands of rows for years of data); tool and vendor read the ledger through its covering
   * index. Both carry the tool's current shadow-IT flag, so neither joins tools.
   */
  private async cells(groupBy: SpendGroupBy, basis: LedgerBasis, from: number, to: number): Promise<SpendCell[]> {
    const keyCol = TIME_GROUPS.includes(groupBy) ? null : KEY_COLUMN[groupBy]!;
    const grain = TOTALS_GRAIN_OF[groupBy];
    const qb = this.dataSource.createQueryBuilder().from(grain ? 'ledger_totals' : 'ledger_entries', 'l')
      .select('l.currency', 'currency').addSelect('l.month', 'month').addSelect('l.costCenterKind', 'kind').addSelect('l.costType', 'costType')
      .addSelect('l.shadowIt', 'shadowIt').addSelect('SUM(l.amountMinor)', 'amount')
      .where('l.basis = :basis AND l.month >= :from AND l.month <= :to', { basis, from, to })
      .groupBy('l.month').addGroupBy('l.currency').addGroupBy('l.costCenterKind').addGroupBy('l.costType').addGroupBy('l.shadowIt');
    if (grain) qb.andWhere('l.grain = :grain', { grain });
    if (keyCol) qb.addSelect(keyCol, 'k').addGroupBy(keyCol);
    const raw = await qb.getRawMany<Record<string, unknown>>();
    return raw.map((r) => ({
      key: keyCol ? String(r.k) : null, currency: String(r.currency), month: Number(r.month), kind: String(r.kind), costType: String(r.costType),
      shadowIt: toBool(r.shadowIt), amountMinor: toBigInt(r.amount),
    }));
  }

  /** Names for the keys of one report (a small lookup by id). */
  private async labels(groupBy: SpendGroupBy, keys: string[]): Promise<Map<string, string>> {
    const m = this.dataSource.manager;
    if (groupBy === 'budget') return new Map(keys.map((k) => [k, KIND_LABEL[k] ?? k]));
    if (groupBy === 'costType') return new Map(keys.map((k) => [k, humanize(k)]));
    if (!keys.length || TIME_GROUPS.includes(groupBy)) return new Map();
    if (groupBy === 'costCenter') {
      const rows = await m.getRepository(CostCenter).find({ where: { id: In(keys) }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    }
    const entity = groupBy === 'tool' ? Tool : groupBy === 'vendor' ? Vendor : Category;
    const rows = await m.getRepository(entity as typeof Tool).find({ where: { id: In(keys) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
