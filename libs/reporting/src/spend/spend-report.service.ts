import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries } from '@stackgate/catalog';
import { FinanceQueries, LedgerBasis, LedgerSumKey, monthFromString } from '@stackgate/finance';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { assertRange, assertRates } from '../report-math';
import {
  aggregateSpend,
  mergeCells,
  SpendCell,
  SpendGroupBy,
  SpendReport,
  spendReportJson,
  TIME_GROUPS,
  ledgerBasesOf,
  SpendBasis,
} from './spend-report';

/** The ledger column a grouping is keyed by; time groupings are derived from the month in code. */
const KEY_COLUMN: Partial<Record<SpendGroupBy, LedgerSumKey>> = {
  budget: 'costCenterKind',
  costCenter: 'costCenterId',
  category: 'categoryId',
  subcategory: 'subcategoryId',
  tool: 'toolId',
  vendor: 'vendorId',
  costType: 'costType',
};

/** The catalog records whose names label a grouping's rows. */
const LABELLED_BY = { costCenter: 'costCenter', category: 'category', subcategory: 'category', tool: 'tool', vendor: 'vendor' } as const;

const KIND_LABEL: Record<string, string> = { MARKETING: 'Marketing', IT: 'IT', OTHER: 'Other' };
export const humanize = (s: string) => s.charAt(0) + s.slice(1).toLowerCase().replace(/_/g, ' ');

@Injectable()
export class SpendReportService {
  constructor(
    private readonly finance: FinanceQueries,
    private readonly catalog: CatalogQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Two or three statements, whatever the data: the ledger's sums (finance: one GROUP BY over
   * ledger_totals, or over the ledger for tool and vendor) beside the FX rates of the range (a small
   * table), then, for groupings by a catalog record, the names of the row keys (catalog), joined here.
   */
  async spend(query: {
    from: string;
    to: string;
    basis?: SpendBasis;
    includeApproved?: boolean;
    groupBy?: SpendGroupBy;
  }): Promise<SpendReport> {
    const from = monthFromString(query.from);
    const to = monthFromString(query.to);
    assertRange(from, to);
    const basis = query.basis ?? 'committed';
    // Committed may add the approved, not yet contracted amounts (approved requests awaiting their contract).
    const includeApproved = basis === 'committed' && query.includeApproved === true;
    const groupBy = query.groupBy ?? 'budget';
    const base = this.config.baseCurrency;
    const [sums, rates] = await Promise.all([
      this.finance.spendSums({
        key: TIME_GROUPS.includes(groupBy) ? null : KEY_COLUMN[groupBy]!,
        bases: ledgerBasesOf(basis, includeApproved) as LedgerBasis[],
        from,
        to,
      }),
      this.finance.ratesBetween(from, to, base),
    ]);
    // Vendor sums come per tool (the ledger index's order): each (vendor, currency, month, kind, cost
    // type, shadow) cell is added up before any conversion (convertToBase would add them up too, its
    // grain has no tool); cells in the base currency are added up over their months as well.
    const cells: SpendCell[] = groupBy === 'vendor' ? mergeCells(sums, { groupBy, base }) : sums;
    assertRates(cells, rates, base);
    const labels = await this.labels(groupBy, cells);
    const result = aggregateSpend(cells, groupBy, {
      rates,
      base,
      fyStartMonth: this.config.fiscalYearStartMonth,
      labelOf: (k) => labels.get(k) ?? k,
    });
    return spendReportJson(result, { from: query.from, to: query.to, basis, includeApproved, groupBy, currency: base });
  }

  /** Names for the keys of one report's cells (one batched catalog look-up); time groupings have none. */
  private async labels(groupBy: SpendGroupBy, cells: SpendCell[]): Promise<Map<string, string>> {
    if (TIME_GROUPS.includes(groupBy)) return new Map();
    const keys = [...new Set(cells.map((c) => c.key ?? ''))];
    if (groupBy === 'budget') return new Map(keys.map((k) => [k, KIND_LABEL[k] ?? k]));
    if (groupBy === 'costType') return new Map(keys.map((k) => [k, humanize(k)]));
    const kind = LABELLED_BY[groupBy as keyof typeof LABELLED_BY];
    return kind ? this.catalog.namesOf(kind, keys) : new Map();
  }
}
