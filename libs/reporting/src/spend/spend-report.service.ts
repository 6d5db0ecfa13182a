import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries } from '@stackgate/catalog';
import { addMonthsToMonth, FinanceQueries, LedgerBasis, LedgerSumKey, monthFromString } from '@stackgate/finance';
import { APP_CONFIG, AppConfig, Semaphore, SharedRuns, stringPool, VersionedCache } from '@stackgate/platform';
import { assertRange, missingRates, MissingRate, RateTable, rateKey, throwMissingRates } from '../report-math';
import {
  labelSpend,
  SpendAccumulator,
  SpendGroupBy,
  SpendPart,
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
/**
 * The month figures of reports by tool or vendor kept, counted in rows (~30 bytes each): a 36-month
 * report by tool at 10,000 tools holds ~330,000 of them, so ~30 MB at most (docs/PERFORMANCE.md).
 */
const CACHED_MONTH_ROWS = 1_000_000;

/** What the spend report is asked for (the API's query, validated). */
interface SpendQuery {
  from: string;
  to: string;
  basis?: SpendBasis;
  includeApproved?: boolean;
  groupBy?: SpendGroupBy;
}

/** One month of a report by tool or vendor: its figures, or the rates it misses. */
type MonthFigures = { part: SpendPart; missing?: undefined } | { missing: MissingRate[] };

interface ReportSpec {
  from: number;
  to: number;
  basis: SpendBasis;
  includeApproved: boolean;
  groupBy: SpendGroupBy;
  /** The month's ledger counter, read before any figure. */
  generationOf: (month: number) => string;
}

/** The ledger column a grouping's sums are keyed by; none for the time groupings (derived from the month). */
const keyColumnOf = (groupBy: SpendGroupBy): LedgerSumKey | null => (TIME_GROUPS.includes(groupBy) ? null : KEY_COLUMN[groupBy]!);

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
   * The figures of each (grouping, basis, range) are kept under the sum of the range's ledger month
   * counters (FinanceQueries.ledgerGenerations, read first): a report asked again before any change to
   * those months' ledger sums, rates or tools' flags answers them without reading the ledger; callers
   * asking at once share one computation. Labels are read fresh every time (a renamed tool shows at once).
   */
  private readonly figures = new VersionedCache<SpendResultMinor>(CACHED_REPORTS);
  /**
   * Reports by tool or vendor keep each month's figures too, under that month's counter: after a change,
   * such a report reads and converts only the months that changed (usually the current one).
   */
  private readonly monthFigures = new VersionedCache<MonthFigures>(
    CACHED_MONTH_ROWS,
    (month) => 1 + (month.missing ? 0 : month.part.keys.length),
  );
  /** Computations of reports by tool or vendor at once: each holds a month's cells in memory (docs/PERFORMANCE.md). */
  private readonly largeReports = new Semaphore(CONCURRENT_LARGE_REPORTS);
  /**
   * The copy of a row key (tool or vendor id) the kept figures already hold: one string per key, not one per month.
   * Bounded: ids of tools or vendors deleted since would otherwise stay.
   */
  private readonly keptKey = stringPool(100_000);
  /** The answers being built, shared by the callers asking for the same report meanwhile. */
  private readonly answers = new SharedRuns<SpendReport>();

  /**
   * The spend report. Callers asking for the same report while it is being answered share the next answer
   * (SharedRuns): it reads the months' counters and the names after all of them asked, so each sees every
   * change committed before it asked, and ten callers cost two answers' work and memory, not ten.
   */
  spend(query: SpendQuery): Promise<SpendReport> {
    const key = [query.groupBy ?? 'budget', query.basis ?? 'committed', query.includeApproved === true, query.from, query.to].join('|');
    return this.answers.run(key, () => this.answer(query));
  }

  private async answer(query: SpendQuery): Promise<SpendReport> {
    const from = monthFromString(query.from);
    const to = monthFromString(query.to);
    assertRange(from, to);
    const basis = query.basis ?? 'committed';
    // Committed may add the approved, not yet contracted amounts (approved requests awaiting their contract).
    const includeApproved = basis === 'committed' && query.includeApproved === true;
    const groupBy = query.groupBy ?? 'budget';
    const generations = await this.finance.ledgerGenerations(from, to);
    let generation = 0n;
    for (const counter of generations.values()) generation += counter;
    const spec = { from, to, basis, includeApproved, groupBy, generationOf: (month: number) => String(generations.get(month) ?? 0n) };
    const result = await this.figures.get(
      `${groupBy}|${basis}|${includeApproved}|${from}|${to}`,
      String(generation),
      LARGE_GROUPINGS.includes(groupBy) ? () => this.largeReports.run(() => this.computeByMonth(spec)) : () => this.compute(spec),
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
   */
  private async compute(query: ReportSpec): Promise<SpendResultMinor> {
    const { from, to, groupBy } = query;
    const base = this.config.baseCurrency;
    const rates = await this.finance.ratesBetween(from, to, base);
    const cells = await this.finance.spendSums({
      key: keyColumnOf(groupBy),
      bases: ledgerBasesOf(query.basis, query.includeApproved) as LedgerBasis[],
      from,
      to,
    });
    const missing = missingRates(cells, rates, base);
    if (missing.length) throwMissingRates(missing, base);
    const sums = new SpendAccumulator(groupBy, { rates, base, fyStartMonth: this.config.fiscalYearStartMonth });
    sums.add(cells);
    return sums.result();
  }

  /**
   * A report by tool or vendor, month by month: each month's figures are kept under its counter, so only
   * the months changed since are read (one statement each) and converted (a (currency, month) is whole in
   * its month), holding one month's cells at a time instead of the whole range's. The figures are the
   * sums of the months': those of every month but the last are kept added up too, under the sum of their
   * counters, so after a change in the last month (where spend usually lands) the report adds two parts,
   * not one per month. Every missing rate of the range is named in the one refusal.
   */
  private async computeByMonth(query: ReportSpec): Promise<SpendResultMinor> {
    const { from, to, groupBy } = query;
    const base = this.config.baseCurrency;
    const bases = ledgerBasesOf(query.basis, query.includeApproved) as LedgerBasis[];
    let rates: Promise<RateTable> | undefined;
    const month = (at: number) =>
      this.monthFigures.get(`${groupBy}|${bases.join('+')}|${at}`, query.generationOf(at), async () => {
        rates ??= this.finance.ratesBetween(from, to, base);
        return this.monthOf(groupBy, bases, at, await rates);
      });
    const parts: MonthFigures[] = [];
    if (from < to) {
      const before = addMonthsToMonth(to, -1);
      let counters = 0n;
      for (const [at] of monthBatches(from, before, 1)) counters += BigInt(query.generationOf(at));
      parts.push(
        await this.monthFigures.get(`${groupBy}|${bases.join('+')}|${from}..${before}`, String(counters), () =>
          this.sumOfMonths(groupBy, from, before, month),
        ),
      );
    }
    parts.push(await month(to));
    const missing = parts.flatMap((part) => part.missing ?? []);
    if (missing.length) throwMissingRates(missing, base);
    const sums = this.partsAdder(groupBy);
    for (const figures of parts) if (!figures.missing) sums.addPart(figures.part);
    return sums.result();
  }

  /** Adds up figures already converted (parts): it needs no rates. */
  private partsAdder(groupBy: SpendGroupBy): SpendAccumulator {
    return new SpendAccumulator(groupBy, {
      rates: new Map(),
      base: this.config.baseCurrency,
      fyStartMonth: this.config.fiscalYearStartMonth,
    });
  }

  /** The figures of the months first..last added up (from each month's), or every rate they miss. */
  private async sumOfMonths(
    groupBy: SpendGroupBy,
    first: number,
    last: number,
    month: (at: number) => Promise<MonthFigures>,
  ): Promise<MonthFigures> {
    const sums = this.partsAdder(groupBy);
    const missing: MissingRate[] = [];
    for (const [at] of monthBatches(first, last, 1)) {
      const figures = await month(at);
      if (figures.missing) missing.push(...figures.missing);
      else if (!missing.length) sums.addPart(figures.part);
    }
    return missing.length ? { missing } : { part: sums.part(this.keptKey) };
  }

  /**
   * One month of a report by tool or vendor, from one statement whose sums are added up as they are
   * streamed from the database (tens of thousands at 10,000 tools): only the figures per key and the
   * sums still to convert are held, never the month's rows. Vendor sums come per tool (the ledger index's
   * order): the conversion adds up each (vendor, currency, kind, cost type, shadow) part before converting it.
   */
  private async monthOf(groupBy: SpendGroupBy, bases: LedgerBasis[], month: number, rates: RateTable): Promise<MonthFigures> {
    const base = this.config.baseCurrency;
    const sums = new SpendAccumulator(groupBy, { rates, base, fyStartMonth: this.config.fiscalYearStartMonth });
    const batch = sums.batch();
    const unrated: { currency: string; month: number }[] = [];
    await this.finance.eachSpendSum({ key: keyColumnOf(groupBy), bases, from: month, to: month }, (sum) => {
      if (sum.currency !== base && !rates.has(rateKey(sum.currency, sum.month))) unrated.push({ currency: sum.currency, month: sum.month });
      else if (!unrated.length) batch.add(sum);
    });
    if (unrated.length) return { missing: missingRates(unrated, rates, base) };
    batch.end();
    return { part: sums.part(this.keptKey) };
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
