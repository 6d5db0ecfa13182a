import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries } from '@stackgate/catalog';
import { DiscoveryQueries } from '@stackgate/discovery';
import { addMonthsToMonth, FinanceQueries, LedgerBasis, monthOfDate, monthToString } from '@stackgate/finance';
import { APP_CONFIG, AppConfig, moneyJson } from '@stackgate/platform';
import { assertRates, convertToBase } from '../report-math';
import { ActualCell, DiscoveryBudget, DiscoverySection, outsideApprovedSpend, UnmatchedCell } from './discovery-section';

/** At most this many newly found candidates are listed (the count covers them all). */
const LISTED = 20;

/**
 * The governance report's discovery section (discovery-section.ts), read through finance's,
 * catalog's and discovery's exported queries in five statements.
 */
@Injectable()
export class DiscoveryReportService {
  constructor(
    private readonly finance: FinanceQueries,
    private readonly catalog: CatalogQueries,
    private readonly discovery: DiscoveryQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async section(asOf: string): Promise<DiscoverySection> {
    const base = this.config.baseCurrency;
    const toMonth = monthOfDate(asOf);
    const fromMonth = addMonthsToMonth(toMonth, -11);
    const months = Array.from({ length: 12 }, (_unused, index) => addMonthsToMonth(fromMonth, index));
    const from = `${monthToString(fromMonth)}-01`;
    const sums = await this.finance.spendSums({ key: null, bases: [LedgerBasis.ACTUAL], from: fromMonth, to: toMonth });
    const foreign = sums.filter((s) => s.currency !== base);
    const rates = await this.finance.rates(
      [...new Set(foreign.map((s) => s.currency))],
      [...new Set(foreign.map((s) => monthToString(s.month)))],
    );
    assertRates(sums, rates, base);
    // Converted on the spend report's grain: the shadow-IT and per-budget figures are the spend report's (actual, same months).
    const actual: ActualCell[] = [];
    convertToBase(sums, { rates, base, keyOf: () => '' }, (sum, amountMinor) =>
      actual.push({ month: sum.month, kind: sum.kind, shadowIt: sum.shadowIt, amountMinor }),
    );
    const unmatchedCells = await this.discovery.unmatchedSpend(fromMonth, toMonth);
    const centers = await this.catalog.costCentersByIds(unmatchedCells.map((c) => c.costCenterId).filter((id): id is string => !!id));
    const kindOf = new Map(centers.map((c) => [c.id, c.kind as string]));
    const unmatched: UnmatchedCell[] = unmatchedCells.map((c) => ({
      month: c.month,
      kind: (c.costCenterId ? (kindOf.get(c.costCenterId) ?? 'OTHER') : 'UNASSIGNED') as DiscoveryBudget,
      amountMinor: c.amountMinor,
    }));
    const nextDay = new Date(Date.parse(`${asOf}T00:00:00Z`) + 86_400_000);
    const [discovered, openCandidates] = await Promise.all([
      this.discovery.discoveredBetween(new Date(`${from}T00:00:00Z`), nextDay),
      this.discovery.openCount(),
    ]);
    return {
      from,
      openCandidates,
      discoveredCount: discovered.length,
      discovered: discovered.slice(0, LISTED).map((c) => ({
        id: c.id,
        name: c.name,
        merchant: c.merchant,
        source: c.source,
        status: c.status,
        totalSpend: moneyJson(c.totalBaseMinor, base)!,
      })),
      ...outsideApprovedSpend(months, actual, unmatched, base),
    };
  }
}
