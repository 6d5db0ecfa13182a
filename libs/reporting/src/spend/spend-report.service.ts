import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries } from '@stackgate/catalog';
import { addMonthsToMonth, FinanceQueries, LedgerBasis, LedgerSumKey, monthFromString } from '@stackgate/finance';
import { APP_CONFIG, AppConfig, Semaphore, VersionedCache } from '@stackgate/platform';
import { assertRange, missingRates, MissingRate, throwMissingRates } from '../report-math';
import {
  labelSpend,
  mergeCells,
  SpendAccumulator,
  SpendCell,
  SpendGroupBy,
  SpendReport,
  spendReportJson,
  SpendResultMinor,
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

/** Report figures kept (one per grouping, basis and range; a report by tool at 10,000 tools holds ~3 MB). */
const CACHED_REPORTS = 16;
/** Groupings keyed by tool or vendor read and convert up to hundreds of thousands of cells at once. */
const LARGE_GROUPINGS: SpendGroupBy[] = ['tool', 'vendor'];
const CONCURRENT_LARGE_REPORTS = 2;
/** Months a report by tool or vendor reads at a time (at 10,000 tools and ten years of history, ~80,000 cells; docs/PERFORMANCE.md). */
const MONTHS_PER_READ = 3;

/** from..to (yyyymm) in consecutive [first, last] runs of at most `size` months. */
export function monthBatches(from: number, to: number, size: number): [number, number][] {
  const batches: [number, number][] = [];
  for (let first = from; first <= to; first = addMonthsToMonth(first, size))
    batches.push([first, Math.min(to, addMonthsToMonth(first, size - 1))]);
  return batches;
}

@Injectable()
export class SpendReportService {
  constructor(
    private readonly finance: FinanceQueries,
    private readonly catalog: CatalogQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The figures of each (grouping, basis, range) are kept under the ledger generation of the range
   * (FinanceQueries.ledgerGeneration, read first): a report asked again before any change to those
   * months' ledger sums, rates or tools' flags answers them without reading the ledger; callers asking
   * at once share one computation. Labels are read fresh every time (a renamed tool shows at once).
   */
  private readonly figures = new VersionedCache<SpendResultMinor>(CACHED_REPORTS);
  /** Computations of reports by tool or vendor at once: each holds its cells in memory (docs/PERFORMANCE.md). */
  private readonly largeReports = new Semaphore(CONCURRENT_LARGE_REPORTS);

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
    const generation = await this.finance.ledgerGeneration(from, to);
    const compute = () => this.compute({ from, to, basis, includeApproved, groupBy });
    const result = await this.figures.get(
      `${groupBy}|${basis}|${includeApproved}|${from}|${to}`,
      generation,
      LARGE_GROUPINGS.includes(groupBy) ? () => this.largeReports.run(compute) : compute,
    );
    const labels = await this.labels(
      groupBy,
      result.rows.map((row) => row.key),
    );
    return spendReportJson(
      labelSpend(result, groupBy, (k) => labels.get(k) ?? k),
      { from: query.from, to: query.to, basis, includeApproved, groupBy, currency: this.config.baseCurrency },
    );
  }

  /**
   * The FX rates of the range (a small table), then the ledger's sums (finance: one GROUP BY over one
   * grain of ledger_totals), converted and summed per row key: two statements, whatever the data.
   * Reports by tool or vendor read their sums MONTHS_PER_READ months at a time, one statement each,
   * converting each batch before the next (a (currency, month) is whole in its batch): the cells of a
   * few months are held at once instead of the whole range's.
   */
  private async compute(query: {
    from: number;
    to: number;
    basis: SpendBasis;
    includeApproved: boolean;
    groupBy: SpendGroupBy;
  }): Promise<SpendResultMinor> {
    const { from, to, groupBy } = query;
    const base = this.config.baseCurrency;
    const key = TIME_GROUPS.includes(groupBy) ? null : KEY_COLUMN[groupBy]!;
    const bases = ledgerBasesOf(query.basis, query.includeApproved) as LedgerBasis[];
    const batches = LARGE_GROUPINGS.includes(groupBy) ? monthBatches(from, to, MONTHS_PER_READ) : [[from, to]];
    const rates = await this.finance.ratesBetween(from, to, base);
    const sums = new SpendAccumulator(groupBy, { rates, base, fyStartMonth: this.config.fiscalYearStartMonth });
    const missing: MissingRate[] = [];
    for (const [first, last] of batches) {
      const read = await this.finance.spendSums({ key, bases, from: first, to: last });
      // Vendor sums come per tool (the ledger index's order): each (vendor, currency, month, kind, cost
      // type, shadow) cell is added up before any conversion (convertToBase would add them up too, its
      // grain has no tool); cells in the base currency are added up over their months as well.
      const cells: SpendCell[] = groupBy === 'vendor' ? mergeCells(read, { groupBy, base }) : read;
      // Every missing rate of the range is named in the one refusal.
      missing.push(...missingRates(cells, rates, base));
      if (!missing.length) sums.add(cells);
    }
    if (missing.length) throwMissingRates(missing, base);
    return sums.result();
  }

  /** Names for the keys of one report's cells (one batched catalog look-up); time groupings have none. */
  private async labels(groupBy: SpendGroupBy, keys: string[]): Promise<Map<string, string>> {
    if (TIME_GROUPS.includes(groupBy)) return new Map();
    if (groupBy === 'budget') return new Map(keys.map((k) => [k, KIND_LABEL[k] ?? k]));
    if (groupBy === 'costType') return new Map(keys.map((k) => [k, humanize(k)]));
    const kind = LABELLED_BY[groupBy as keyof typeof LABELLED_BY];
    return kind ? this.catalog.namesOf(kind, keys) : new Map();
  }
}
