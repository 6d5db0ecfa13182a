import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, Not } from 'typeorm';
import { Category, CostCenter, isItApproved, ItApprovalStatus, Tool, Vendor } from '@stackgate/catalog';
import {
  addDays, Contract, ContractStatus, CostType, daysBetween, fiscalYearOf, fiscalYearRange, LedgerBasis, LedgerEntry, loadRates, monthOfDate,
  monthToString, rateAtOrBefore, addMonthsToMonth,
} from '@stackgate/finance';
import { User } from '@stackgate/identity';
import { Integration, IntegrationStatus } from '@stackgate/integrations';
import { ReviewTurnaroundService } from '@stackgate/procurement';
import { APP_CONFIG, AppConfig, convertMinor, moneyJson } from '@stackgate/platform';
import { Budget } from '@stackgate/finance';
import { assertRates, toBigInt } from './report-math';
import { BudgetCell, budgetLines, BudgetRow, budgetRowJson, budgetTotals } from './budget/budget-report';
import { dataSilos, overlapGroups, unusedSeatsValue } from './governance/governance';

const today = () => new Date().toISOString().slice(0, 10);
const ref = (x: { id: string; name: string } | undefined | null) => (x ? { id: x.id, name: x.name } : null);

export interface BudgetReport {
  fiscalYear: number; from: string; to: string; asOf: string; currency: string;
  rows: BudgetRow[];
  totals: Omit<BudgetRow, 'costCenterId' | 'code' | 'name' | 'kind'>;
}

@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly turnaround: ReviewTurnaroundService,
  ) {}

  private async rates(pairs: { currency: string; month: number }[]) {
    const base = this.config.baseCurrency;
    const foreign = pairs.filter((c) => c.currency !== base);
    const rates = await loadRates(this.dataSource.manager, [...new Set(foreign.map((c) => c.currency))], [...new Set(foreign.map((c) => monthToString(c.month)))]);
    assertRates(pairs, rates, base);
    return rates;
  }

  async budgetVsActual(q: { fiscalYear?: number; asOf?: string }): Promise<BudgetReport> {
    const asOf = q.asOf ?? today();
    const start = this.config.fiscalYearStartMonth;
    const fy = q.fiscalYear ?? fiscalYearOf(monthOfDate(asOf), start);
    const { from, to } = fiscalYearRange(fy, start);
    // ledger_totals' COST_CENTER grain holds the ledger's sums per cost center, basis, currency and month (libs/finance ledger-totals).
    const raw = await this.dataSource.createQueryBuilder().from('ledger_totals', 'l')
      .select('l.costCenterId', 'costCenterId').addSelect('l.basis', 'basis').addSelect('l.currency', 'currency').addSelect('l.month', 'month')
      .addSelect('SUM(l.amountMinor)', 'amount')
      .where("l.grain = 'COST_CENTER' AND l.month >= :from AND l.month <= :to", { from, to })
      .groupBy('l.costCenterId').addGroupBy('l.basis').addGroupBy('l.currency').addGroupBy('l.month')
      .getRawMany<Record<string, unknown>>();
    const cells: BudgetCell[] = raw.map((r) => ({ costCenterId: String(r.costCenterId), basis: r.basis as BudgetCell['basis'], currency: String(r.currency), month: Number(r.month), amountMinor: toBigInt(r.amount) }));
    const rates = await this.rates(cells);
    const budgets = await this.dataSource.getRepository(Budget).find({ where: { fiscalYear: fy } });
    const ids = [...new Set([...cells.map((c) => c.costCenterId), ...budgets.map((b) => b.costCenterId)])];
    const centers = ids.length ? await this.dataSource.getRepository(CostCenter).find({ where: { id: In(ids) } }) : [];
    const base = this.config.baseCurrency;
    const lines = budgetLines(centers.map((c) => ({ id: c.id, code: c.code, name: c.name, kind: c.kind })), new Map(budgets.map((b) => [b.costCenterId, b.amountMinor])), cells, monthOfDate(asOf), rates, base);
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
    const contracts = await this.dataSource.getRepository(Contract).createQueryBuilder('c')
      .where('c.status = :status', { status: ContractStatus.ACTIVE })
      .andWhere(new Brackets((w) => w.where('c.endDate >= :asOf AND c.endDate <= :until').orWhere('c.cancelByDate >= :asOf AND c.cancelByDate <= :until')))
      .setParameters({ asOf, until })
      .orderBy('c.cancelByDate', 'ASC').addOrderBy('c.id', 'ASC').getMany();
    const toolIds = [...new Set(contracts.map((c) => c.toolId))];
    const tools = toolIds.length ? await this.dataSource.getRepository(Tool).find({ where: { id: In(toolIds) } }) : [];
    const toolById = new Map(tools.map((t) => [t.id, t]));
    const vendorIds = [...new Set(contracts.map((c) => c.vendorId))];
    const vendors = new Map((vendorIds.length ? await this.dataSource.getRepository(Vendor).find({ where: { id: In(vendorIds) } }) : []).map((v) => [v.id, v]));
    const userIds = [...new Set(tools.map((t) => t.businessOwnerId).filter((x): x is string => !!x))];
    const users = new Map((userIds.length ? await this.dataSource.getRepository(User).find({ where: { id: In(userIds) } }) : []).map((u) => [u.id, u]));
    const ccIds = [...new Set(tools.map((t) => t.budgetOwnerId))];
    const centers = new Map((ccIds.length ? await this.dataSource.getRepository(CostCenter).find({ where: { id: In(ccIds) } }) : []).map((c) => [c.id, c]));
    const overlapping = await this.overlappingSubcategories(tools.map((t) => t.subcategoryId));
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

  private async overlappingSubcategories(subIds: string[]): Promise<Set<string>> {
    const ids = [...new Set(subIds)];
    if (!ids.length) return new Set();
    const raw = await this.dataSource.getRepository(Tool).createQueryBuilder('t').select('t.subcategoryId', 'sub').addSelect('COUNT(*)', 'n')
      .where('t.lifecycle <> :retired AND t.subcategoryId IN (:...ids)', { retired: 'RETIRED', ids }).groupBy('t.subcategoryId').getRawMany<{ sub: string; n: unknown }>();
    return new Set(raw.filter((r) => Number(r.n) >= 2).map((r) => r.sub));
  }

  async governance(q: { asOf?: string }) {
    const asOf = q.asOf ?? today();
    const base = this.config.baseCurrency;
    const m = this.dataSource.manager;
    const tools = await m.getRepository(Tool).find({ select: { id: true, name: true, lifecycle: true, itApprovalStatus: true, shadowIt: true, isSystemOfRecord: true, subcategoryId: true, vendorId: true, licensedSeats: true, activeUsers: true } });
    const toolById = new Map(tools.map((t) => [t.id, t]));

    // Spend of the 12 months up to asOf per tool and basis: one GROUP BY over the ledger.
    const toMonth = monthOfDate(asOf);
    const fromMonth = addMonthsToMonth(toMonth, -11);
    const raw = await m.getRepository(LedgerEntry).createQueryBuilder('l')
      .select('l.toolId', 'toolId').addSelect('l.basis', 'basis').addSelect('l.currency', 'currency').addSelect('l.month', 'month').addSelect('SUM(l.amountMinor)', 'amount')
      .where('l.month >= :fromMonth AND l.month <= :toMonth', { fromMonth, toMonth })
      .groupBy('l.toolId').addGroupBy('l.basis').addGroupBy('l.currency').addGroupBy('l.month').getRawMany<Record<string, unknown>>();
    const cells = raw.map((r) => ({ toolId: String(r.toolId), basis: String(r.basis), currency: String(r.currency), month: Number(r.month), amountMinor: toBigInt(r.amount) }));
    const rates = await this.rates(cells);
    const actual = new Map<string, bigint>();
    const committed = new Map<string, bigint>();
    for (const c of cells) {
      const v = c.currency === base ? c.amountMinor : convertMinor(c.amountMinor, c.currency, base, rates.get(`${c.currency}|${monthToString(c.month)}`)!);
      // COMMITTED (contracts) and APPROVED (approved requests awaiting their contract) both commit money: an approved tool is not €0.00.
      const target = c.basis === LedgerBasis.ACTUAL ? actual : committed;
      target.set(c.toolId, (target.get(c.toolId) ?? 0n) + v);
    }
    const spendOf = (id: string) => actual.get(id) ?? 0n;
    // A tool's annual cost for overlap: committed spend of the 12 months (contracts, and approved amounts awaiting a contract), else (no contract, e.g. paid by card) its actual spend.
    const annualCostOf = (id: string) => committed.get(id) || actual.get(id) || 0n;
    const shadowIt = tools.filter((t) => t.shadowIt)
      .sort((a, b) => (spendOf(a.id) === spendOf(b.id) ? a.name.localeCompare(b.name) : spendOf(a.id) > spendOf(b.id) ? -1 : 1))
      .map((t) => ({ tool: ref(t), itApproval: t.itApprovalStatus, annualSpend: moneyJson(spendOf(t.id), base)! }));

    const groups = overlapGroups(tools.map((t) => ({ id: t.id, subcategoryId: t.subcategoryId, lifecycle: t.lifecycle, annualCostMinor: annualCostOf(t.id) })));
    const subNames = await this.names(Category, groups.map((g) => g.subcategoryId));
    const overlap = groups.map((g) => ({
      subcategory: { id: g.subcategoryId, name: subNames.get(g.subcategoryId) ?? g.subcategoryId },
      tools: g.toolIds.map((id) => ({ ...ref(toolById.get(id))!, annualCost: moneyJson(annualCostOf(id), base)! })),
      groupCost: moneyJson(g.groupCostMinor, base)!, estimatedSaving: moneyJson(g.savingMinor, base)!,
    }));

    const integrations = await m.getRepository(Integration).find({ where: { status: Not(IntegrationStatus.RETIRED) } });
    const activeFlows = integrations.filter((i) => i.status === IntegrationStatus.ACTIVE);
    const silos = dataSilos(tools.map((t) => ({ id: t.id, name: t.name, lifecycle: t.lifecycle, isSystemOfRecord: t.isSystemOfRecord, subcategoryId: t.subcategoryId })), activeFlows);
    const vendorIds = [...new Set(tools.map((t) => t.vendorId))];
    const vendors = new Map((vendorIds.length ? await m.getRepository(Vendor).find({ where: { id: In(vendorIds) }, select: { id: true, name: true, dpaSigned: true } }) : []).map((v) => [v.id, v]));
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
      // The review workflow (procurement) publishes no turnaround service yet.
      // The year of review decisions up to the report date.
      reviewTurnaround: await this.turnaround.turnaround({ from: yearBefore(asOf), to: asOf }),
    };
  }

  private async unusedSeats(tools: Tool[], asOf: string) {
    if (!tools.length) return [];
    const base = this.config.baseCurrency;
    const contracts = await this.dataSource.getRepository(Contract).createQueryBuilder('c')
      .where('c.toolId IN (:...ids) AND c.status = :status AND c.costType = :license AND c.seats > 0 AND c.startDate <= :asOf AND c.endDate >= :asOf',
        { ids: tools.map((t) => t.id), status: ContractStatus.ACTIVE, license: CostType.LICENSE, asOf })
      .getMany();
    const month = asOf.slice(0, 7);
    const rateCache = new Map<string, string | null>();
    const missing: { currency: string; month: number }[] = [];
    const perTool = new Map<string, { value: bigint; seats: number }>();
    for (const c of contracts) {
      let value = c.annualValueMinor;
      if (c.currency !== base) {
        if (!rateCache.has(c.currency)) rateCache.set(c.currency, await rateAtOrBefore(this.dataSource.manager, c.currency, month));
        const rate = rateCache.get(c.currency);
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

  private async names(entity: typeof Category, ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.dataSource.getRepository(entity).find({ where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** The same day a year earlier (29 Feb → 1 Mar), as YYYY-MM-DD. */
export function yearBefore(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.toISOString().slice(0, 10);
}
