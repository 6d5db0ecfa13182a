import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries, isItApproved, ItApprovalStatus, ReportTool } from '@stackgate/catalog';
import {
  addDays, addMonthsToMonth, daysBetween, FinanceQueries, fiscalYearOf, fiscalYearRange, LedgerBasis, monthOfDate, monthToString,
} from '@stackgate/finance';
import { PeopleDirectory } from '@stackgate/identity';
import { IntegrationQueries, IntegrationStatus } from '@stackgate/integrations';
import { ReviewTurnaroundService } from '@stackgate/procurement';
import { APP_CONFIG, AppConfig, convertMinor, moneyJson } from '@stackgate/platform';
import { assertRates } from './report-math';
import { BudgetCell, budgetLines, BudgetRow, budgetRowJson, budgetTotals } from './budget/budget-report';
import { dataSilos, overlapGroups, unusedSeatsValue } from './governance/governance';

const today = () => new Date().toISOString().slice(0, 10);
const ref = (x: { id: string; name: string } | undefined | null) => (x ? { id: x.id, name: x.name } : null);

export interface BudgetReport {
  fiscalYear: number; from: string; to: string; asOf: string; currency: string;
  rows: BudgetRow[];
  totals: Omit<BudgetRow, 'costCenterId' | 'code' | 'name' | 'kind'>;
}

/**
 * Budget-vs-actual, renewals and governance. Each report reads other libs only through what they
 * export — finance's sums and contracts, catalog's and identity's batched look-ups by id,
 * integrations' flows — in a fixed number of statements, and joins them here in memory.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly finance: FinanceQueries,
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
    private readonly integrations: IntegrationQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly turnaround: ReviewTurnaroundService,
  ) {}

  private async rates(pairs: { currency: string; month: number }[]) {
    const base = this.config.baseCurrency;
    const foreign = pairs.filter((c) => c.currency !== base);
    const rates = await this.finance.rates([...new Set(foreign.map((c) => c.currency))], [...new Set(foreign.map((c) => monthToString(c.month)))]);
    assertRates(pairs, rates, base);
    return rates;
  }

  async budgetVsActual(q: { fiscalYear?: number; asOf?: string }): Promise<BudgetReport> {
    const asOf = q.asOf ?? today();
    const start = this.config.fiscalYearStartMonth;
    const fy = q.fiscalYear ?? fiscalYearOf(monthOfDate(asOf), start);
    const { from, to } = fiscalYearRange(fy, start);
    const cells: BudgetCell[] = await this.finance.costCenterMonthSums(from, to);
    const rates = await this.rates(cells);
    const budgets = await this.finance.budgetsOfYear(fy);
    const centers = await this.catalog.costCentersByIds([...cells.map((c) => c.costCenterId), ...budgets.map((b) => b.costCenterId)]);
    const base = this.config.baseCurrency;
    const lines = budgetLines(centers, new Map(budgets.map((b) => [b.costCenterId, b.amountMinor])), cells, monthOfDate(asOf), rates, base);
    return {
      fiscalYear: fy, from: monthToString(from), to: monthToString(to), asOf, currency: base,
      rows: lines.map((l) => ({ costCenterId: l.costCenter.id, code: l.costCenter.code, name: l.costCenter.name, kind: l.costCenter.kind, ...budgetRowJson(l, base) })),
      totals: budgetRowJson(budgetTotals(lines), base),
    };
  }

  async renewals(q: { withinDays?: number; asOf?: string }) {
    const asOf = q.asOf ?? today();
    const withinDays = q.withinDays ?? 90;
    const until = addDays(asOf, withinDays);
    const contracts = await this.finance.contractsDueForRenewal(asOf, until);
    const tools = await this.catalog.reportTools(contracts.map((c) => c.toolId));
    const toolById = new Map(tools.map((t) => [t.id, t]));
    const vendors = new Map((await this.catalog.vendorFacts(contracts.map((c) => c.vendorId))).map((v) => [v.id, v]));
    const users = await this.people.facts(tools.map((t) => t.businessOwnerId).filter((x): x is string => !!x));
    const centers = new Map((await this.catalog.costCentersByIds(tools.map((t) => t.budgetOwnerId))).map((c) => [c.id, c]));
    const overlapping = await this.catalog.overlappingSubcategories(tools.map((t) => t.subcategoryId));
    return {
      asOf, withinDays, currency: this.config.baseCurrency,
      items: contracts.map((c) => {
        const t = toolById.get(c.toolId)!;
        const owner = t.businessOwnerId ? users.get(t.businessOwnerId) : undefined;
        const cc = centers.get(t.budgetOwnerId);
        return {
          contractId: c.id, reference: c.reference, tool: ref(t), vendor: ref(vendors.get(c.vendorId)), startDate: c.startDate, endDate: c.endDate,
          cancelByDate: c.cancelByDate, reviewStartDate: c.reviewStartDate, daysToCancelBy: daysBetween(asOf, c.cancelByDate),
          annualValue: moneyJson(c.annualValueMinor, c.currency)!, autoRenew: c.autoRenew, seats: c.seats, licensedSeats: t.licensedSeats, activeUsers: t.activeUsers,
          overlap: overlapping.has(t.subcategoryId),
          businessOwner: owner ? { id: owner.id, displayName: owner.displayName, email: owner.email } : null,
          budgetOwner: cc ? { id: cc.id, code: cc.code, name: cc.name, kind: cc.kind } : null,
        };
      }),
    };
  }

  async governance(q: { asOf?: string }) {
    const asOf = q.asOf ?? today();
    const base = this.config.baseCurrency;
    const tools = await this.catalog.reportTools();
    const toolById = new Map(tools.map((t) => [t.id, t]));

    // Spend of the 12 months up to asOf per tool and basis: one GROUP BY over the ledger (finance).
    const toMonth = monthOfDate(asOf);
    const cells = await this.finance.toolMonthSums(addMonthsToMonth(toMonth, -11), toMonth);
    const rates = await this.rates(cells);
    const actual = new Map<string, bigint>();
    const committed = new Map<string, bigint>();
    for (const c of cells) {
      const v = c.currency === base ? c.amountMinor : convertMinor(c.amountMinor, c.currency, base, rates.get(`${c.currency}|${monthToString(c.month)}`)!);
      const target = c.basis === LedgerBasis.ACTUAL ? actual : committed;
      target.set(c.toolId, (target.get(c.toolId) ?? 0n) + v);
    }
    const spendOf = (id: string) => actual.get(id) ?? 0n;
    // A tool's annual cost for overlap: committed spend of the 12 months, else (no contract, e.g. paid by card) its actual spend.
    const annualCostOf = (id: string) => committed.get(id) || actual.get(id) || 0n;
    const shadowIt = tools.filter((t) => t.shadowIt)
      .sort((a, b) => (spendOf(a.id) === spendOf(b.id) ? a.name.localeCompare(b.name) : spendOf(a.id) > spendOf(b.id) ? -1 : 1))
      .map((t) => ({ tool: ref(t), itApproval: t.itApprovalStatus, annualSpend: moneyJson(spendOf(t.id), base)! }));

    const groups = overlapGroups(tools.map((t) => ({ id: t.id, subcategoryId: t.subcategoryId, lifecycle: t.lifecycle, annualCostMinor: annualCostOf(t.id) })));
    const subNames = await this.catalog.namesOf('category', groups.map((g) => g.subcategoryId));
    const overlap = groups.map((g) => ({
      subcategory: { id: g.subcategoryId, name: subNames.get(g.subcategoryId) ?? g.subcategoryId },
      tools: g.toolIds.map((id) => ({ ...ref(toolById.get(id))!, annualCost: moneyJson(annualCostOf(id), base)! })),
      groupCost: moneyJson(g.groupCostMinor, base)!, estimatedSaving: moneyJson(g.savingMinor, base)!,
    }));

    const integrations = await this.integrations.liveFlows();
    const activeFlows = integrations.filter((i) => i.status === IntegrationStatus.ACTIVE);
    const silos = dataSilos(tools.map((t) => ({ id: t.id, name: t.name, lifecycle: t.lifecycle, isSystemOfRecord: t.isSystemOfRecord, subcategoryId: t.subcategoryId })), activeFlows);
    const vendors = new Map((await this.catalog.vendorFacts(tools.map((t) => t.vendorId))).map((v) => [v.id, v]));
    const personalDataFlows = integrations.filter((i) => i.carriesPersonalData).flatMap((i) => {
      const target = toolById.get(i.targetToolId);
      if (!target) return [];
      const reasons: string[] = [];
      if (!isItApproved(target.itApprovalStatus as ItApprovalStatus)) reasons.push('TARGET_NOT_IT_APPROVED');
      if (!vendors.get(target.vendorId)?.dpaSigned) reasons.push('VENDOR_WITHOUT_DPA');
      return reasons.length ? [{ integrationId: i.id, status: i.status, source: ref(toolById.get(i.sourceToolId)), target: ref(target), targetItApproval: target.itApprovalStatus, vendor: ref(vendors.get(target.vendorId)), reasons }] : [];
    });

    const unusedSeats = await this.unusedSeats(tools.filter((t) => t.licensedSeats !== null && t.activeUsers !== null && t.licensedSeats > t.activeUsers), asOf);
    return {
      asOf, currency: base, shadowIt, overlapGroups: overlap,
      dataSilos: { isolated: silos.isolated.map((id) => ref(toolById.get(id))), noPathToSystemOfRecord: silos.noPathToSystemOfRecord.map((id) => ref(toolById.get(id))) },
      personalDataFlows, unusedSeats,
      // The year of review decisions up to the report date.
      reviewTurnaround: await this.turnaround.turnaround({ from: yearBefore(asOf), to: asOf }),
    };
  }

  private async unusedSeats(tools: ReportTool[], asOf: string) {
    if (!tools.length) return [];
    const base = this.config.baseCurrency;
    const contracts = await this.finance.runningLicenseContracts(tools.map((t) => t.id), asOf);
    // The rate of asOf's month, else the latest earlier one, of every foreign currency at once.
    const rates = await this.finance.ratesAtOrBefore(contracts.map((c) => c.currency).filter((cur) => cur !== base), asOf.slice(0, 7));
    const missing: { currency: string; month: number }[] = [];
    const perTool = new Map<string, { value: bigint; seats: number }>();
    for (const c of contracts) {
      let value = c.annualValueMinor;
      if (c.currency !== base) {
        const rate = rates.get(c.currency);
        if (!rate) { missing.push({ currency: c.currency, month: monthOfDate(asOf) }); continue; }
        value = convertMinor(value, c.currency, base, rate);
      }
      const p = perTool.get(c.toolId) ?? { value: 0n, seats: 0 };
      perTool.set(c.toolId, { value: p.value + value, seats: p.seats + (c.seats ?? 0) });
    }
    assertRates(missing, new Map(), base);
    return tools.flatMap((t) => {
      const p = perTool.get(t.id);
      const v = p ? unusedSeatsValue(t.licensedSeats!, t.activeUsers!, p.value, p.seats) : null;
      return v ? [{ t, v }] : [];
    }).sort((a, b) => (a.v.valueMinor === b.v.valueMinor ? a.t.name.localeCompare(b.t.name) : a.v.valueMinor > b.v.valueMinor ? -1 : 1))
      .map(({ t, v }) => ({ tool: ref(t), licensedSeats: t.licensedSeats, activeUsers: t.activeUsers, unusedSeats: v.unused, perSeatCost: moneyJson(v.perSeatMinor, base)!, value: moneyJson(v.valueMinor, base)! }));
  }
}

/** The same day a year earlier (29 Feb → 1 Mar), as YYYY-MM-DD. */
export function yearBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
}
