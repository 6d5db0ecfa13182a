import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Category, CostCenter, Tool, Vendor } from '@stackgate/catalog';
import { LedgerBasis, TotalsGrain, monthFromString, monthToString } from '@stackgate/finance';
import { APP_CONFIG, AppConfig, sqlBool } from '@stackgate/platform';
import { assertRange, assertRates, toBigInt } from '../report-math';
import { aggregateSpend, mergeCells, SpendCell, SpendGroupBy, SpendReport, spendReportJson, TIME_GROUPS, ledgerBasesOf, SpendBasis } from './spend-report';

/** The ledger column a grouping reads; time groupings are derived from the month in code. */
const KEY_COLUMN: Partial<Record<SpendGroupBy, string>> = {
  budget: 'costCenterKind', costCenter: 'costCenterId', category: 'categoryId', subcategory: 'subcategoryId',
  tool: 'toolId', vendor: 'vendorId', costType: 'costType',
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

  async spend(q: { from: string; to: string; basis?: SpendBasis; includeApproved?: boolean; groupBy?: SpendGroupBy }): Promise<SpendReport> {
    const from = monthFromString(q.from);
    const to = monthFromString(q.to);
    assertRange(from, to);
    const basis = q.basis ?? 'committed';
    const includeApproved = basis === 'committed' && q.includeApproved === true;
    const groupBy = q.groupBy ?? 'budget';
    const base = this.config.baseCurrency;
    // The FX rates of the range are read beside the aggregate (a small table), not after it.
    const [cells, rates] = await Promise.all([
      this.cells(groupBy, ledgerBasesOf(basis, includeApproved), from, to, base),
      this.ratesBetween(from, to, base),
    ]);
    assertRates(cells, rates, base);
    const labels = await this.labels(groupBy, cells);
    const result = aggregateSpend(cells, groupBy, { rates, base, fyStartMonth: this.config.fiscalYearStartMonth, labelOf: (k) => labels.get(k) ?? k });
    return spendReportJson(result, { from: q.from, to: q.to, basis, includeApproved, groupBy, currency: base });
  }

  /**
   * The one aggregate query, grouped by (key, currency, month, kind, cost type, shadow IT). Every
   * grouping but tool and vendor reads one grain of ledger_totals (the ledger summed per month:
   * thousands of rows for years of data); tool and vendor read the ledger through its covering
   * index. Both carry the tool's current shadow-IT flag, so neither joins tools.
   *
   * Vendor groups by the tool as well, because the covering index orders the tool before the vendor.
   * Without the tool, MariaDB builds a temporary table of every (vendor, …) group, an order of
   * magnitude slower than streaming the index. The per-tool sums of one vendor are then added up here,
   * before any conversion, so each (vendor, currency, month, kind, cost type, shadow) cell is
   * converted and rounded once, as the report's rounding rule says. Cells already in the base
   * currency are added up over their months too (they need no rate), which leaves far fewer cells
   * to convert (figures: docs/PERFORMANCE.md).
   */
  private async cells(groupBy: SpendGroupBy, bases: string[], from: number, to: number, base: string): Promise<SpendCell[]> {
    const e = (c: string) => this.dataSource.driver.escape(c);
    const keyCol = TIME_GROUPS.includes(groupBy) ? null : KEY_COLUMN[groupBy]!;
    const grain = TOTALS_GRAIN_OF[groupBy];
    const byTool = groupBy === 'vendor';
    const group = ['month', 'currency', 'costCenterKind', 'costType', 'shadowIt', ...(byTool ? ['toolId'] : []), ...(keyCol ? [keyCol] : [])].map(e).join(', ');
    const raw = await this.dataSource.manager.query<Record<string, unknown>[]>(
      `SELECT ${e('currency')}, ${e('month')}, ${e('costCenterKind')} AS ${e('kind')}, ${e('costType')}, ${e('shadowIt')}, SUM(${e('amountMinor')}) AS ${e('amount')}` +
      `${keyCol ? `, ${e(keyCol)} AS ${e('k')}` : ''} FROM ${e(grain ? 'ledger_totals' : 'ledger_entries')}` +
      ` WHERE ${grain ? `${e('grain')} = ? AND ` : ''}${e('basis')} IN (${bases.map(() => '?').join(', ')}) AND ${e('month')} >= ? AND ${e('month')} <= ? GROUP BY ${group}`,
      [...(grain ? [grain] : []), ...bases, from, to],
    );
    const cells: SpendCell[] = raw.map((r) => ({
      key: keyCol ? String(r.k) : null, currency: String(r.currency), month: Number(r.month), kind: String(r.kind), costType: String(r.costType),
      shadowIt: sqlBool(r.shadowIt), amountMinor: toBigInt(r.amount),
    }));
    return byTool ? mergeCells(cells, { groupBy, base }) : cells;
  }

  /** Every rate to `base` of the months from..to (what assertRates and baseConverter look up). */
  private async ratesBetween(from: number, to: number, base: string): Promise<Map<string, string>> {
    const e = (c: string) => this.dataSource.driver.escape(c);
    const rows = await this.dataSource.manager.query<{ currency: string; month: string; rate: string }[]>(
      `SELECT ${e('currency')}, ${e('month')}, ${e('rate')} FROM ${e('fx_rates')} WHERE ${e('month')} >= ? AND ${e('month')} <= ? AND ${e('currency')} <> ?`,
      [monthToString(from), monthToString(to), base],
    );
    return new Map(rows.map((r) => [`${r.currency}|${r.month}`, String(r.rate)]));
  }

  /** Names for the keys of one report's cells (a small lookup by id); time groupings have none. */
  private async labels(groupBy: SpendGroupBy, cells: SpendCell[]): Promise<Map<string, string>> {
    if (TIME_GROUPS.includes(groupBy)) return new Map();
    const keys = [...new Set(cells.map((c) => c.key ?? ''))];
    const m = this.dataSource.manager;
    if (groupBy === 'budget') return new Map(keys.map((k) => [k, KIND_LABEL[k] ?? k]));
    if (groupBy === 'costType') return new Map(keys.map((k) => [k, humanize(k)]));
    if (!keys.length) return new Map();
    if (groupBy === 'costCenter') {
      const rows = await m.getRepository(CostCenter).find({ where: { id: In(keys) }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    }
    const entity = groupBy === 'tool' ? Tool : groupBy === 'vendor' ? Vendor : Category;
    const rows = await m.getRepository(entity as typeof Tool).find({ where: { id: In(keys) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
