import { Inject, Injectable } from '@nestjs/common';
import { CatalogQueries, isItApproved, isMultiVendorSubcategory, OVERLAP_SAVING_BASIS, ReportTool } from '@stackgate/catalog';
import {
  addDays,
  addMonthsToMonth,
  daysBetween,
  FinanceQueries,
  fiscalYearOf,
  fiscalYearRange,
  LedgerBasis,
  monthOfDate,
  monthToString,
  RenewalsService,
  RenewalSummary,
} from '@stackgate/finance';
import { IdpUsageService, UtilisationMonth } from '@stackgate/discovery';
import { PeopleDirectory } from '@stackgate/identity';
import { IntegrationQueries, IntegrationStatus } from '@stackgate/integrations';
import { RequestConditionsService, ReviewTurnaroundService } from '@stackgate/procurement';
import { APP_CONFIG, AppConfig, convertMinor, moneyJson } from '@stackgate/platform';
import { assertRates, convertToBase } from './report-math';
import { BudgetCell, budgetLines, BudgetRow, budgetRowJson, budgetTotals } from './budget/budget-report';
import { dataSilos, overlapGroups, rankUnusedSeats, unusedSeatsValue } from './governance/governance';
import { DiscoveryReportService } from './governance/discovery-report.service';

const today = () => new Date().toISOString().slice(0, 10);
const BUDGET_BASES = [LedgerBasis.COMMITTED, LedgerBasis.ACTUAL, LedgerBasis.APPROVED] as const;
const ref = (x: { id: string; name: string } | undefined | null) => (x ? { id: x.id, name: x.name } : null);

export interface BudgetReport {
  fiscalYear: number;
  from: string;
  to: string;
  asOf: string;
  currency: string;
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
    private readonly renewalStates: RenewalsService,
    private readonly conditions: RequestConditionsService,
    private readonly discovery: DiscoveryReportService,
    private readonly usage: IdpUsageService,
  ) {}

  private async rates(pairs: { currency: string; month: number }[]) {
    const base = this.config.baseCurrency;
    const foreign = pairs.filter((c) => c.currency !== base);
    const rates = await this.finance.rates(
      [...new Set(foreign.map((c) => c.currency))],
      [...new Set(foreign.map((c) => monthToString(c.month)))],
    );
    assertRates(pairs, rates, base);
    return rates;
  }

  async budgetVsActual(query: { fiscalYear?: number; asOf?: string }): Promise<BudgetReport> {
    const asOf = query.asOf ?? today();
    const start = this.config.fiscalYearStartMonth;
    const fy = query.fiscalYear ?? fiscalYearOf(monthOfDate(asOf), start);
    const { from, to } = fiscalYearRange(fy, start);
    // Each basis summed as the spend report sums it (per cost center and the conversion grain's classes).
    const cells: BudgetCell[] = (
      await Promise.all(
        BUDGET_BASES.map(async (basis) =>
          (await this.finance.spendSums({ key: 'costCenterId', bases: [basis], from, to })).map((sum) => ({
            ...sum,
            costCenterId: sum.key!,
            basis,
          })),
        ),
      )
    ).flat();
    const rates = await this.rates(cells);
    const budgets = await this.finance.budgetsOfYear(fy);
    const centers = await this.catalog.costCentersByIds([...cells.map((c) => c.costCenterId), ...budgets.map((b) => b.costCenterId)]);
    const base = this.config.baseCurrency;
    const lines = budgetLines(centers, new Map(budgets.map((b) => [b.costCenterId, b.amountMinor])), cells, monthOfDate(asOf), rates, base);
    return {
      fiscalYear: fy,
      from: monthToString(from),
      to: monthToString(to),
      asOf,
      currency: base,
      rows: lines.map((l) => ({
        costCenterId: l.costCenter.id,
        code: l.costCenter.code,
        name: l.costCenter.name,
        kind: l.costCenter.kind,
        ...budgetRowJson(l, base),
      })),
      totals: budgetRowJson(budgetTotals(lines), base),
    };
  }

  async renewals(query: { withinDays?: number; asOf?: string }) {
    const asOf = query.asOf ?? today();
    const withinDays = query.withinDays ?? 90;
    const until = addDays(asOf, withinDays);
    const contracts = await this.finance.contractsDueForRenewal(asOf, until);
    const tools = await this.catalog.reportTools(contracts.map((c) => c.toolId));
    const toolById = new Map(tools.map((t) => [t.id, t]));
    const vendors = new Map((await this.catalog.vendorFacts(contracts.map((c) => c.vendorId))).map((v) => [v.id, v]));
    const users = await this.people.facts(tools.map((t) => t.businessOwnerId).filter((x): x is string => !!x));
    const centers = new Map((await this.catalog.costCentersByIds(tools.map((t) => t.budgetOwnerId))).map((c) => [c.id, c]));
    const overlapping = await this.catalog.overlappingSubcategories(tools.map((t) => t.subcategoryId));
    // State and decision of each term come from finance, which owns contracts and renewal decisions.
    const summaries = await this.renewalStates.summaries(
      contracts.map((c) => c.id),
      asOf,
    );
    return {
      asOf,
      withinDays,
      currency: this.config.baseCurrency,
      items: contracts.map((contract) => {
        const tool = toolById.get(contract.toolId)!;
        const owner = tool.businessOwnerId ? users.get(tool.businessOwnerId) : undefined;
        const cc = centers.get(tool.budgetOwnerId);
        return {
          contractId: contract.id,
          reference: contract.reference,
          tool: ref(tool),
          vendor: ref(vendors.get(contract.vendorId)),
          startDate: contract.startDate,
          endDate: contract.endDate,
          cancelByDate: contract.cancelByDate,
          reviewStartDate: contract.reviewStartDate,
          daysToCancelBy: daysBetween(asOf, contract.cancelByDate),
          annualValue: moneyJson(contract.annualValueMinor, contract.currency)!,
          autoRenew: contract.autoRenew,
          seats: contract.seats,
          licensedSeats: tool.licensedSeats,
          activeUsers: tool.activeUsers,
          overlap: overlapping.has(tool.subcategoryId),
          businessOwner: owner ? { id: owner.id, displayName: owner.displayName, email: owner.email } : null,
          budgetOwner: cc ? { id: cc.id, code: cc.code, name: cc.name, kind: cc.kind } : null,
          ...renewalStateJson(summaries.get(contract.id)),
        };
      }),
    };
  }

  async governance(query: { asOf?: string }) {
    const asOf = query.asOf ?? today();
    const base = this.config.baseCurrency;
    const tools = await this.catalog.reportTools();
    const toolById = new Map(tools.map((t) => [t.id, t]));

    // Spend of the 12 months up to asOf per tool, actual and committed: one GROUP BY over the ledger (finance) for each.
    const toMonth = monthOfDate(asOf);
    // COMMITTED (contracts) and APPROVED (approved requests awaiting their contract) both commit money: an approved tool is not €0.00.
    // Each basis is summed and converted as the spend report grouped by tool does, so a tool's figures are its row there.
    const range = { key: 'toolId' as const, from: addMonthsToMonth(toMonth, -11), to: toMonth };
    const [actualSums, committedSums] = await Promise.all([
      this.finance.spendSums({ ...range, bases: [LedgerBasis.ACTUAL] }),
      this.finance.spendSums({ ...range, bases: [LedgerBasis.COMMITTED, LedgerBasis.APPROVED] }),
    ]);
    const rates = await this.rates([...actualSums, ...committedSums]);
    const actual = new Map<string, bigint>();
    const committed = new Map<string, bigint>();
    for (const [sums, target] of [
      [actualSums, actual],
      [committedSums, committed],
    ] as const)
      convertToBase(sums, { rates, base, keyOf: (sum) => sum.key! }, (sum, inBase) =>
        target.set(sum.key!, (target.get(sum.key!) ?? 0n) + inBase),
      );
    const spendOf = (id: string) => actual.get(id) ?? 0n;
    // A tool's annual cost for overlap: committed spend of the 12 months (contracts, and approved amounts awaiting a contract),
    // else (no contract, e.g. paid by card) its actual spend.
    const annualCostOf = (id: string) => committed.get(id) || actual.get(id) || 0n;
    const shadowIt = tools
      .filter((t) => t.shadowIt)
      .sort((a, b) => (spendOf(a.id) === spendOf(b.id) ? a.name.localeCompare(b.name) : spendOf(a.id) > spendOf(b.id) ? -1 : 1))
      .map((t) => ({ tool: ref(t), itApproval: t.itApprovalStatus, annualSpend: moneyJson(spendOf(t.id), base)! }));

    const liveSubNames = await this.catalog.namesOf('category', [...new Set(tools.map((t) => t.subcategoryId))]);
    const multiVendor = new Set([...liveSubNames].filter(([, name]) => isMultiVendorSubcategory(name)).map(([id]) => id));
    const groups = overlapGroups(
      tools.map((t) => ({ id: t.id, subcategoryId: t.subcategoryId, lifecycle: t.lifecycle, annualCostMinor: annualCostOf(t.id) })),
      multiVendor,
    );
    const subNames = await this.catalog.namesOf(
      'category',
      groups.map((g) => g.subcategoryId),
    );
    const overlap = groups.map((g) => ({
      subcategory: { id: g.subcategoryId, name: subNames.get(g.subcategoryId) ?? g.subcategoryId },
      tools: g.toolIds.map((id) => ({ ...ref(toolById.get(id))!, annualCost: moneyJson(annualCostOf(id), base)! })),
      groupCost: moneyJson(g.groupCostMinor, base)!,
      estimatedSaving: moneyJson(g.savingMinor, base)!,
      estimatedSavingBasis: OVERLAP_SAVING_BASIS,
    }));

    const integrations = await this.integrations.liveFlows();
    const activeFlows = integrations.filter((i) => i.status === IntegrationStatus.ACTIVE);
    const silos = dataSilos(
      tools.map((t) => ({
        id: t.id,
        name: t.name,
        lifecycle: t.lifecycle,
        isSystemOfRecord: t.isSystemOfRecord,
        subcategoryId: t.subcategoryId,
      })),
      activeFlows,
    );
    const vendors = new Map((await this.catalog.vendorFacts(tools.map((t) => t.vendorId))).map((v) => [v.id, v]));
    const personalDataFlows = integrations
      .filter((i) => i.carriesPersonalData)
      .flatMap((flow) => {
        const target = toolById.get(flow.targetToolId);
        if (!target) return [];
        const reasons: string[] = [];
        if (!isItApproved(target.itApprovalStatus)) reasons.push('TARGET_NOT_IT_APPROVED');
        if (!vendors.get(target.vendorId)?.dpaSigned) reasons.push('VENDOR_WITHOUT_DPA');
        if (!reasons.length) return [];
        return [
          {
            integrationId: flow.id,
            status: flow.status,
            source: ref(toolById.get(flow.sourceToolId)),
            target: ref(target),
            targetItApproval: target.itApprovalStatus,
            vendor: ref(vendors.get(target.vendorId)),
            reasons,
          },
        ];
      });

    // Conditions are procurement's: read through its exported query, never its table.
    const openConditionsPastDue = (await this.conditions.toolsWithConditionsPastDue(asOf)).map((c) => ({
      tool: ref(toolById.get(c.toolId)) ?? { id: c.toolId, name: c.requestTitle },
      request: { id: c.requestId, title: c.requestTitle },
      openPastDue: c.openPastDue,
      oldestDueDate: c.oldestDueDate,
    }));
    // Seats in use come from the identity provider's latest month of evidence where there is one, else from the tool's fields.
    const evidence = await this.usage.latestPerTool(tools.map((t) => t.id));
    const unusedSeats = await this.unusedSeats(
      tools
        .map((tool) => seatsInUse(tool, evidence.get(tool.id)))
        .filter((t) => t.licensedSeats !== null && t.activeUsers !== null && t.licensedSeats > t.activeUsers),
      asOf,
    );
    const lastImport = await this.usage.lastImport();
    return {
      asOf,
      currency: base,
      shadowIt,
      overlapGroups: overlap,
      dataSilos: {
        isolated: silos.isolated.map((id) => ref(toolById.get(id))),
        noPathToSystemOfRecord: silos.noPathToSystemOfRecord.map((id) => ref(toolById.get(id))),
      },
      personalDataFlows,
      unusedSeats,
      // The identity-provider import the unused seats' active users come from (null: none yet, all entered by hand).
      utilisationEvidence: lastImport
        ? { source: lastImport.source, lastImportAt: lastImport.importedAt.toISOString(), asOf: lastImport.asOf }
        : null,
      openConditionsPastDue,
      // The year of review decisions up to the report date.
      reviewTurnaround: await this.turnaround.turnaround({ from: yearBefore(asOf), to: asOf }),
      // Issue 25: tools found from spend and the identity provider, and the spend outside approved tools.
      discovery: await this.discovery.section(asOf),
    };
  }

  private async unusedSeats(tools: SeatsInUse[], asOf: string) {
    if (!tools.length) return [];
    const base = this.config.baseCurrency;
    const contracts = await this.finance.runningLicenseContracts(
      tools.map((t) => t.id),
      asOf,
    );
    // The rate of asOf's month, else the latest earlier one, of every foreign currency at once.
    const rates = await this.finance.ratesAtOrBefore(
      contracts.map((c) => c.currency).filter((cur) => cur !== base),
      asOf.slice(0, 7),
    );
    const missing: { currency: string; month: number }[] = [];
    const perTool = new Map<string, { value: bigint; seats: number }>();
    for (const contract of contracts) {
      let value = contract.annualValueMinor;
      if (contract.currency !== base) {
        const rate = rates.get(contract.currency);
        if (!rate) {
          missing.push({ currency: contract.currency, month: monthOfDate(asOf) });
          continue;
        }
        value = convertMinor(value, contract.currency, base, rate);
      }
      const sum = perTool.get(contract.toolId) ?? { value: 0n, seats: 0 };
      perTool.set(contract.toolId, { value: sum.value + value, seats: sum.seats + (contract.seats ?? 0) });
    }
    assertRates(missing, new Map(), base);
    return rankUnusedSeats(
      tools,
      (tool) => tool.name,
      (tool) => {
        const sum = perTool.get(tool.id);
        return sum ? unusedSeatsValue(tool.licensedSeats!, tool.activeUsers!, sum.value, sum.seats) : null;
      },
    ).map(({ tool, seats }) => ({
      tool: ref(tool),
      licensedSeats: tool.licensedSeats,
      activeUsers: tool.activeUsers,
      evidence: tool.evidence ? { source: tool.evidence.source, month: tool.evidence.month, asOf: tool.evidence.asOf } : null,
      unusedSeats: seats.unused,
      perSeatCost: moneyJson(seats.perSeatMinor, base)!,
      value: moneyJson(seats.valueMinor, base)!,
    }));
  }
}

/** A tool's seats and active users for the unused-seats finding, and the identity-provider month they come from. */
type SeatsInUse = ReportTool & { evidence: UtilisationMonth | null };

function seatsInUse(tool: ReportTool, evidence: UtilisationMonth | undefined): SeatsInUse {
  if (!evidence || evidence.seats === null) return { ...tool, evidence: null };
  return { ...tool, licensedSeats: evidence.seats, activeUsers: evidence.activeUsers30, evidence };
}

/** The renewal state, the red flag and the recorded decision of a report row. */
function renewalStateJson(summary: RenewalSummary | undefined) {
  const decision = summary?.decision;
  return {
    state: summary?.state ?? null,
    overdue: summary?.overdue ?? false,
    decision: decision
      ? {
          decision: decision.decision,
          seats: decision.seats,
          owner: { id: decision.ownerId, displayName: decision.ownerName },
          rationale: decision.rationale,
          decidedBy: { id: decision.decidedById, displayName: decision.decidedByName },
          decidedAt: decision.decidedAt,
        }
      : null,
  };
}

/** The same day a year earlier (29 Feb → 1 Mar), as YYYY-MM-DD. */
export function yearBefore(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCFullYear(day.getUTCFullYear() - 1);
  return day.toISOString().slice(0, 10);
}
