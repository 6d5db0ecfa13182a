import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CatalogQueries, ToolWarning, ToolWarnings } from '@stackgate/catalog';
import { AuditService } from '@stackgate/audit';
import { PeopleDirectory } from '@stackgate/identity';
import {
  AuthUser,
  DomainError,
  forbidden,
  moneyJson,
  notFound,
  PlatformError,
  PlatformErrorCode,
  staleVersion,
  unknownReference,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { addDays, addMonthsToMonth, monthOfDate, monthToString } from '../contracts/contract-terms';
import { rowLock } from '../finance-refs';
import { ContractStatus, LedgerBasis } from '../finance.enums';
import { FinanceError, FinanceErrorCode } from '../finance.errors';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import {
  RecordRenewalDecisionDto,
  RenewalDecisionResponse,
  RenewalPageResponse,
  RenewalQueryDto,
  RenewalRowResponse,
} from './dto/renewal.dto';
import { RenewalDecision, RenewalDecisionKind } from './renewal-decision.entity';
import { mayRecordDecision, seatsProblem } from './renewal-rules';
import { calendarDay, RENEWAL_STATES, renewalStatus, RenewalStatus } from './renewal-state';

export const DEFAULT_RENEWAL_WINDOW_DAYS = 180;
/** Months of actual spend shown as the cost trend. */
export const COST_TREND_MONTHS = 6;

/** The state and decision of a contract's current term, for other libs (the renewals report). */
export interface RenewalSummary extends RenewalStatus {
  decision: {
    decision: RenewalDecisionKind;
    seats: number | null;
    ownerId: string;
    ownerName: string;
    rationale: string;
    decidedById: string;
    decidedByName: string;
    decidedAt: Date;
  } | null;
}

const snapshot = (d: RenewalDecision) => ({
  contractId: d.contractId,
  termEndDate: d.termEndDate,
  decision: d.decision,
  seats: d.seats,
  ownerId: d.ownerId,
  rationale: d.rationale,
  decidedById: d.decidedById,
});

/**
 * The renewal workbench: every active contract's current term with its state (renewal-state.ts),
 * utilisation, cost trend and recorded decision; recording a decision (renewal-rules.ts decides who
 * may). Also the query functions other libs read renewals through (`summaries`, the tool warnings).
 */
@Injectable()
export class RenewalsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
    private readonly people: PeopleDirectory,
    private readonly warnings: ToolWarnings,
  ) {}

  onModuleInit(): void {
    this.warnings.register({ warningsFor: (m, ids) => this.cancelWarnings(m, ids) });
  }

  // ---- reads ---------------------------------------------------------------------------------

  async list(actor: AuthUser, query: RenewalQueryDto): Promise<RenewalPageResponse> {
    const asOf = query.asOf ?? calendarDay(new Date());
    const until = addDays(asOf, query.withinDays ?? DEFAULT_RENEWAL_WINDOW_DAYS);
    // The current terms: not over yet, cancel-by date within the window (missed ones stay until the term ends).
    const contracts = await this.dataSource
      .getRepository(Contract)
      .createQueryBuilder('c')
      .where('c.status = :status AND c.endDate >= :asOf AND c.cancelByDate <= :until', { status: ContractStatus.ACTIVE, asOf, until })
      .orderBy('c.cancelByDate', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    const rows = await this.rows(actor, contracts, asOf);
    const counts = Object.fromEntries(RENEWAL_STATES.map((s) => [s, rows.filter((r) => r.state === s).length]));
    const filtered = query.state ? rows.filter((r) => r.state === query.state) : rows;
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    return { items: filtered.slice((page - 1) * pageSize, page * pageSize), page, pageSize, total: filtered.length, asOf, counts };
  }

  async row(actor: AuthUser, contractId: string, asOf = calendarDay(new Date())): Promise<RenewalRowResponse> {
    const contract = await this.dataSource.getRepository(Contract).findOne({ where: { id: contractId } });
    if (!contract) throw notFound('Contract', contractId);
    return (await this.rows(actor, [contract], asOf))[0];
  }

  /** State and decision of each contract's current term (ids that do not exist are left out). */
  async summaries(
    contractIds: readonly string[],
    asOf: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, RenewalSummary>> {
    const ids = [...new Set(contractIds)];
    const out = new Map<string, RenewalSummary>();
    if (!ids.length) return out;
    const contracts = await manager.getRepository(Contract).find({ where: { id: In(ids) } });
    const decisions = await this.currentDecisions(manager, contracts);
    const names = await this.people.displayNames([...decisions.values()].flatMap((d) => [d.ownerId, d.decidedById]));
    for (const contract of contracts) {
      const decision = decisions.get(contract.id);
      out.set(contract.id, {
        ...renewalStatus(contract, asOf, !!decision),
        decision: decision
          ? {
              decision: decision.decision,
              seats: decision.seats,
              ownerId: decision.ownerId,
              ownerName: names.get(decision.ownerId) ?? decision.ownerId,
              rationale: decision.rationale,
              decidedById: decision.decidedById,
              decidedByName: names.get(decision.decidedById) ?? decision.decidedById,
              decidedAt: decision.decidedAt,
            }
          : null,
      });
    }
    return out;
  }

  private async currentDecisions(manager: EntityManager, contracts: Contract[]): Promise<Map<string, RenewalDecision>> {
    if (!contracts.length) return new Map();
    const rows = await manager.getRepository(RenewalDecision).find({ where: { contractId: In(contracts.map((c) => c.id)) } });
    const endOf = new Map(contracts.map((c) => [c.id, c.endDate]));
    return new Map(rows.filter((d) => endOf.get(d.contractId) === d.termEndDate).map((d) => [d.contractId, d]));
  }

  private async rows(actor: AuthUser, contracts: Contract[], asOf: string): Promise<RenewalRowResponse[]> {
    if (!contracts.length) return [];
    const manager = this.dataSource.manager;
    const toolIds = [...new Set(contracts.map((c) => c.toolId))];
    const [tools, usage, vendors, decisions] = await Promise.all([
      this.catalog.toolFacts(toolIds),
      this.catalog.toolUsage(toolIds),
      this.catalog.vendorNames(contracts.map((c) => c.vendorId)),
      this.currentDecisions(manager, contracts),
    ]);
    const centers = await this.catalog.costCenterFacts([...tools.values()].map((t) => t.budgetOwnerId));
    const names = await this.people.displayNames([...decisions.values()].flatMap((d) => [d.ownerId, d.decidedById]));
    const trend = await this.monthlyActuals(toolIds, monthOfDate(asOf));
    return contracts.map((contract) => {
      const tool = tools.get(contract.toolId);
      const use = usage.get(contract.toolId);
      const decision = decisions.get(contract.id);
      const status = renewalStatus(contract, asOf, !!decision);
      const seats = contract.seats ?? use?.licensedSeats ?? null;
      const active = use?.activeUsers ?? null;
      const points = trend(contract.toolId, contract.currency);
      const budgetOwner = tool ? centers.get(tool.budgetOwnerId) : undefined;
      return {
        contractId: contract.id,
        reference: contract.reference,
        tool: { id: contract.toolId, name: tool?.name ?? contract.toolId },
        toolLifecycle: tool?.lifecycle ?? 'UNKNOWN',
        vendor: { id: contract.vendorId, name: vendors.get(contract.vendorId) ?? contract.vendorId },
        ...status,
        cancelByDate: contract.cancelByDate,
        reviewStartDate: contract.reviewStartDate,
        endDate: contract.endDate,
        autoRenew: contract.autoRenew,
        seats,
        activeUsers: active,
        utilisation: seats && active !== null ? (Math.round((active / seats) * 10_000) / 10_000).toFixed(4) : null,
        annualValue: moneyJson(contract.annualValueMinor, contract.currency)!,
        costTrend: points.map((p) => ({ month: monthToString(p.month), amount: moneyJson(p.amountMinor, contract.currency)! })),
        costTrendDirection: direction(points.map((p) => p.amountMinor)),
        decision: decision ? decisionJson(decision, names) : null,
        canDecide: contract.status === ContractStatus.ACTIVE && mayRecordDecision(actor, budgetOwner?.ownerId ?? null),
      };
    });
  }

  /** Actual spend per tool, currency and month over the COST_TREND_MONTHS months up to `toMonth`: one GROUP BY. */
  private async monthlyActuals(toolIds: string[], toMonth: number) {
    const fromMonth = addMonthsToMonth(toMonth, -(COST_TREND_MONTHS - 1));
    const raw = await this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('l')
      .select('l.toolId', 'toolId')
      .addSelect('l.currency', 'currency')
      .addSelect('l.month', 'month')
      .addSelect('SUM(l.amountMinor)', 'total')
      .where('l.toolId IN (:...toolIds) AND l.basis = :basis AND l.month >= :fromMonth AND l.month <= :toMonth', {
        toolIds,
        basis: LedgerBasis.ACTUAL,
        fromMonth,
        toMonth,
      })
      .groupBy('l.toolId')
      .addGroupBy('l.currency')
      .addGroupBy('l.month')
      .getRawMany<{ toolId: string; currency: string; month: unknown; total: unknown }>();
    const sums = new Map(raw.map((r) => [`${r.toolId}|${r.currency}|${Number(r.month)}`, BigInt(String(r.total))]));
    return (toolId: string, currency: string) =>
      Array.from({ length: COST_TREND_MONTHS }, (_, offset) => {
        const month = addMonthsToMonth(fromMonth, offset);
        return { month, amountMinor: sums.get(`${toolId}|${currency}|${month}`) ?? 0n };
      });
  }

  /** RENEWAL_CANCEL warnings: tools with an active contract whose current term's decision is CANCEL. */
  private async cancelWarnings(manager: EntityManager, toolIds: readonly string[]): Promise<ToolWarning[]> {
    const contracts = await manager.getRepository(Contract).find({ where: { toolId: In([...toolIds]), status: ContractStatus.ACTIVE } });
    const decisions = await this.currentDecisions(manager, contracts);
    const cancelled = contracts.filter((c) => decisions.get(c.id)?.decision === RenewalDecisionKind.CANCEL);
    const names = await this.catalog.toolNames(
      cancelled.map((c) => c.toolId),
      manager,
    );
    const seen = new Set<string>();
    return cancelled
      .filter((c) => !seen.has(c.toolId) && !!seen.add(c.toolId))
      .map((contract) => {
        const name = names.get(contract.toolId) ?? contract.toolId;
        return {
          toolId: contract.toolId,
          toolName: name,
          reason: 'RENEWAL_CANCEL' as const,
          message: `${name} is to be cancelled: its contract ends ${contract.endDate} and will not be renewed`,
        };
      });
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Records (or replaces) the decision on the contract's current term. */
  async decide(actor: AuthUser, contractId: string, dto: RecordRenewalDecisionDto): Promise<RenewalRowResponse> {
    try {
      await withTransaction(this.dataSource, (m) => this.decideInTransaction(m, actor, contractId, dto));
    } catch (err) {
      if (err instanceof DomainError && err.status === 403) {
        await this.audit.record(undefined, {
          action: 'authz.denied',
          entityType: 'Contract',
          entityId: contractId,
          metadata: { reason: err.code, renewalDecision: dto.decision },
        });
      }
      throw err;
    }
    return this.row(actor, contractId);
  }

  private async decideInTransaction(
    manager: EntityManager,
    actor: AuthUser,
    contractId: string,
    dto: RecordRenewalDecisionDto,
  ): Promise<void> {
    const contract = await manager.getRepository(Contract).findOne({ where: { id: contractId }, ...rowLock(manager, 'write') });
    if (!contract) throw notFound('Contract', contractId);
    const tool = (await this.catalog.toolFacts([contract.toolId], manager)).get(contract.toolId);
    const center = tool ? (await this.catalog.costCenterFacts([tool.budgetOwnerId], manager)).get(tool.budgetOwnerId) : undefined;
    if (!mayRecordDecision(actor, center?.ownerId ?? null)) {
      throw forbidden("Renewal decisions are recorded by finance, or by the CMO or CIO who owns the tool's budget");
    }
    if (contract.status !== ContractStatus.ACTIVE)
      throw new FinanceError(FinanceErrorCode.RENEWAL_CONTRACT_NOT_ACTIVE, 'This contract is cancelled; there is no renewal to decide');
    const problem = seatsProblem(dto, contract.seats);
    if (problem?.kind === 'not-fewer')
      throw new FinanceError(FinanceErrorCode.RENEWAL_SEATS_NOT_FEWER, problem.message, [{ field: 'seats', message: problem.message }]);
    if (problem)
      throw new PlatformError(PlatformErrorCode.VALIDATION_FAILED, problem.message, [{ field: 'seats', message: problem.message }]);
    const owner = (await this.people.facts([dto.ownerId], manager)).get(dto.ownerId);
    if (!owner || !owner.active) throw unknownReference('The owner must be an active user', [{ field: 'ownerId', id: dto.ownerId }]);

    const now = new Date();
    const fields = {
      decision: dto.decision,
      seats: dto.decision === RenewalDecisionKind.DOWNSIZE ? dto.seats! : null,
      ownerId: dto.ownerId,
      rationale: dto.rationale.trim(),
      decidedById: actor.id,
      decidedAt: now,
    };
    const existing = await manager.getRepository(RenewalDecision).findOne({ where: { contractId, termEndDate: contract.endDate } });
    if (!existing) {
      if (dto.version !== undefined) throw staleVersion('RenewalDecision');
      const decision = Object.assign(new RenewalDecision(), {
        id: uuidv7(),
        contractId,
        termEndDate: contract.endDate,
        ...fields,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
      await manager.getRepository(RenewalDecision).insert(decision);
      await this.audit.record(manager, {
        action: 'renewal.decided',
        entityType: 'Contract',
        entityId: contractId,
        after: snapshot(decision),
      });
      return;
    }
    await updateVersioned(manager, RenewalDecision, 'RenewalDecision', existing.id, dto.version ?? existing.version, fields);
    const saved = (await manager.getRepository(RenewalDecision).findOne({ where: { id: existing.id } }))!;
    await this.audit.record(manager, {
      action: 'renewal.decision_changed',
      entityType: 'Contract',
      entityId: contractId,
      before: snapshot(existing),
      after: snapshot(saved),
    });
  }
}

function decisionJson(decision: RenewalDecision, names: Map<string, string>): RenewalDecisionResponse {
  return {
    id: decision.id,
    contractId: decision.contractId,
    termEndDate: decision.termEndDate,
    decision: decision.decision,
    seats: decision.seats,
    owner: { id: decision.ownerId, displayName: names.get(decision.ownerId) ?? decision.ownerId },
    rationale: decision.rationale,
    decidedBy: { id: decision.decidedById, displayName: names.get(decision.decidedById) ?? decision.decidedById },
    decidedAt: decision.decidedAt,
    version: decision.version,
  };
}

/** The last 3 months against the 3 before: more than 5 % apart is UP or DOWN. */
export function direction(amounts: bigint[]): 'UP' | 'DOWN' | 'FLAT' {
  const half = Math.floor(amounts.length / 2);
  const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
  const before = sum(amounts.slice(0, half));
  const after = sum(amounts.slice(amounts.length - half));
  if (after * 100n > before * 105n) return 'UP';
  if (after * 100n < before * 95n) return 'DOWN';
  return 'FLAT';
}
