import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CatalogQueries, ToolFacts } from '@stackgate/catalog';
import { AuditService } from '@stackgate/audit';
import {
  AuthUser,
  FULL_SHARE_BPS,
  MoneyDto,
  moneyJson,
  notFound,
  Page,
  pageParams,
  parseDecimalToMinor,
  resolveSort,
  staleVersion,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { ContractStatus, CostType, LedgerSource } from '../finance.enums';
import { costCenterKinds, requireTool, requireVendor, rowLock } from '../finance-refs';
import { LedgerService } from '../ledger/ledger.service';
import { ApprovedCommitmentsService } from '../commitments/approved-commitments.service';
import { SpendEntry } from '../spend/spend-entry.entity';
import { addDays, annualValueMinor, contractDates } from './contract-terms';
import { Contract } from './contract.entity';
import { RenewalDecision } from '../renewals/renewal-decision.entity';
import { ContractQueryDto, ContractResponse, CreateContractDto, TerminateContractDto, UpdateContractDto } from './dto/contract.dto';
import { FinanceError, FinanceErrorCode } from '../finance.errors';

export const DEFAULT_INTERNAL_LEAD_DAYS = 30;

export function toContractResponse(c: Contract, tool?: Pick<ToolFacts, 'allocation' | 'budgetOwnerId'>): ContractResponse {
  const inherited = tool?.allocation?.length
    ? tool.allocation
    : tool
      ? [{ costCenterId: tool.budgetOwnerId, shareBps: FULL_SHARE_BPS }]
      : [];
  return {
    id: c.id,
    toolId: c.toolId,
    vendorId: c.vendorId,
    reference: c.reference,
    startDate: c.startDate,
    termMonths: c.termMonths,
    billing: c.billing,
    amount: moneyJson(c.amountMinor, c.currency)!,
    costType: c.costType,
    seats: c.seats,
    autoRenew: c.autoRenew,
    noticeDays: c.noticeDays,
    internalLeadDays: c.internalLeadDays,
    allocation: c.allocation ?? inherited,
    ownAllocation: !!c.allocation,
    status: c.status,
    endDate: c.endDate,
    cancelByDate: c.cancelByDate,
    reviewStartDate: c.reviewStartDate,
    annualValue: moneyJson(c.annualValueMinor, c.currency)!,
    version: c.version,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

const snapshot = (c: Contract) => ({ ...toContractResponse(c), createdAt: undefined, updatedAt: undefined, version: undefined });

/** Derived fields recomputed from the terms whenever they change. */
function derive(c: Contract): void {
  Object.assign(c, contractDates(c));
  c.annualValueMinor = annualValueMinor(c);
}

const SORT = {
  startDate: 'c.startDate',
  endDate: 'c.endDate',
  cancelByDate: 'c.cancelByDate',
  createdAt: 'c.createdAt',
  reference: 'c.reference',
};

@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
    private readonly commitments: ApprovedCommitmentsService,
  ) {}

  async list(q: ContractQueryDto): Promise<Page<ContractResponse>> {
    const { page, pageSize, skip, take } = pageParams(q);
    const sort = resolveSort(q.sort, SORT, 'startDate');
    const qb = this.dataSource.getRepository(Contract).createQueryBuilder('c');
    if (q.toolId) qb.andWhere('c.toolId = :toolId', { toolId: q.toolId });
    if (q.vendorId) qb.andWhere('c.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.status) qb.andWhere('c.status = :status', { status: q.status });
    const asOf = q.asOf ?? new Date().toISOString().slice(0, 10);
    // A renewal window is about contracts that can still renew: a terminated (CANCELLED) one never does.
    if (q.renewsWithinDays !== undefined || q.cancelByPassed === true)
      qb.andWhere('c.status = :renewable', { renewable: ContractStatus.ACTIVE });
    if (q.renewsWithinDays !== undefined) {
      qb.andWhere('c.endDate >= :renewFrom AND c.endDate <= :renewTo', { renewFrom: asOf, renewTo: addDays(asOf, q.renewsWithinDays) });
    }
    if (q.cancelByPassed === true) qb.andWhere('c.cancelByDate < :asOf AND c.endDate >= :asOf', { asOf });
    if (q.cancelByPassed === false) qb.andWhere('(c.cancelByDate >= :asOf OR c.endDate < :asOf)', { asOf });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').skip(skip).take(take).getManyAndCount();
    const tools = await this.catalog.toolFacts(rows.map((r) => r.toolId));
    return { items: rows.map((c) => toContractResponse(c, tools.get(c.toolId))), page, pageSize, total };
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<ContractResponse> {
    const c = await m.getRepository(Contract).findOne({ where: { id } });
    if (!c) throw notFound('Contract', id);
    const tool = (await this.catalog.toolFacts([c.toolId], m)).get(c.toolId);
    return toContractResponse(c, tool);
  }

  create(actor: AuthUser, dto: CreateContractDto): Promise<ContractResponse> {
    return withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
  }

  /** Creates a contract, its ledger rows, the tool's annual cost and the audit event in `m`'s transaction. */
  async createInTransaction(m: EntityManager, actor: AuthUser | null, dto: CreateContractDto): Promise<ContractResponse> {
    const tool = await requireTool(this.catalog, m, dto.toolId);
    const vendorId = dto.vendorId ?? tool.vendorId;
    if (dto.vendorId) await requireVendor(this.catalog, m, dto.vendorId);
    if (dto.allocation) await costCenterKinds(this.catalog, m, dto.allocation);
    const now = new Date();
    const c = Object.assign(new Contract(), {
      id: uuidv7(),
      toolId: tool.id,
      vendorId,
      reference: dto.reference ?? null,
      startDate: dto.startDate,
      termMonths: dto.termMonths,
      billing: dto.billing,
      amountMinor: parseDecimalToMinor(dto.amount.amount, dto.amount.currency),
      currency: dto.amount.currency,
      costType: dto.costType ?? CostType.LICENSE,
      seats: dto.seats ?? null,
      autoRenew: dto.autoRenew ?? false,
      noticeDays: dto.noticeDays ?? 0,
      internalLeadDays: dto.internalLeadDays ?? DEFAULT_INTERNAL_LEAD_DAYS,
      allocation: dto.allocation ?? null,
      status: ContractStatus.ACTIVE,
      createdById: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    derive(c);
    await m.getRepository(Contract).insert(c);
    await this.ledger.writeContract(m, c, tool);
    if (dto.requestId) await this.commitments.attachInTransaction(m, dto.requestId, c);
    await this.ledger.refreshToolAnnualCost(m, tool.id);
    await this.audit.record(m, {
      action: 'contract.created',
      entityType: 'Contract',
      entityId: c.id,
      after: snapshot(c),
      ...(dto.requestId ? { metadata: { requestId: dto.requestId } } : {}),
    });
    return toContractResponse(c, tool);
  }

  update(id: string, dto: UpdateContractDto): Promise<ContractResponse> {
    return withTransaction(this.dataSource, (m) => this.updateInTransaction(m, id, dto));
  }

  /** Updates a contract and rewrites exactly its ledger rows (and inheriting spend rows) in `m`'s transaction. */
  async updateInTransaction(m: EntityManager, id: string, dto: UpdateContractDto): Promise<ContractResponse> {
    // Locked first, so a spend entry posted meanwhile either waits and inherits the new allocation or is seen by rewriteInheritingSpend.
    const c = await m.getRepository(Contract).findOne({ where: { id }, ...rowLock(m, 'write') });
    if (!c) throw notFound('Contract', id);
    const before = snapshot(c);
    const oldToolId = c.toolId;
    const tool =
      dto.toolId && dto.toolId !== c.toolId ? await requireTool(this.catalog, m, dto.toolId) : await requireTool(this.catalog, m, c.toolId);
    if (dto.vendorId) await requireVendor(this.catalog, m, dto.vendorId);
    if (dto.allocation) await costCenterKinds(this.catalog, m, dto.allocation);
    if (dto.toolId && dto.toolId !== oldToolId && (await m.getRepository(SpendEntry).exists({ where: { contractId: id } }))) {
      throw new FinanceError(FinanceErrorCode.CONTRACT_HAS_SPEND, 'Spend entries refer to this contract; it cannot move to another tool');
    }
    const { version, amount, ...fields } = dto;
    const next: Contract = Object.assign(new Contract(), c);
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    if (amount) setAmount(next, amount);
    derive(next);
    const changes: Partial<Contract> = {};
    for (const k of [
      'toolId',
      'vendorId',
      'reference',
      'startDate',
      'termMonths',
      'billing',
      'amountMinor',
      'currency',
      'costType',
      'seats',
      'autoRenew',
      'noticeDays',
      'internalLeadDays',
      'allocation',
      'status',
      'endDate',
      'cancelByDate',
      'reviewStartDate',
      'annualValueMinor',
    ] as const) {
      (changes as Record<string, unknown>)[k] = next[k];
    }
    await updateVersioned(m, Contract, 'Contract', id, version ?? c.version, changes);
    const saved = (await m.getRepository(Contract).findOne({ where: { id } }))!;
    await this.ledger.writeContract(m, saved, tool);
    if (JSON.stringify(c.allocation) !== JSON.stringify(saved.allocation)) await this.ledger.rewriteInheritingSpend(m, saved, tool);
    await this.ledger.refreshToolAnnualCost(m, tool.id);
    if (oldToolId !== tool.id) await this.ledger.refreshToolAnnualCost(m, oldToolId);
    await this.audit.record(m, { action: 'contract.updated', entityType: 'Contract', entityId: id, before, after: snapshot(saved) });
    return toContractResponse(saved, tool);
  }

  /**
   * Terminates an active contract: status CANCELLED (it leaves renewals, reminders and the tool's
   * annual cost; its committed ledger rows stay, the money was committed), with the effective date
   * and the reason in the audit event `contract.terminated`. 409 when stale or already terminated;
   * 422 when the effective date is before the start date.
   */
  terminate(id: string, dto: TerminateContractDto): Promise<ContractResponse> {
    return withTransaction(this.dataSource, async (manager) => {
      const contract = await manager.getRepository(Contract).findOne({ where: { id }, ...rowLock(manager, 'write') });
      if (!contract) throw notFound('Contract', id);
      if (dto.version !== contract.version) throw staleVersion('Contract');
      if (contract.status === ContractStatus.CANCELLED) {
        throw new FinanceError(FinanceErrorCode.CONTRACT_ALREADY_TERMINATED, 'This contract is already terminated');
      }
      if (dto.effectiveDate < contract.startDate) {
        throw new FinanceError(
          FinanceErrorCode.TERMINATION_BEFORE_START,
          `The termination date cannot be before the contract's start date (${contract.startDate})`,
          { field: 'effectiveDate' },
        );
      }
      const before = snapshot(contract);
      await updateVersioned(manager, Contract, 'Contract', id, dto.version, { status: ContractStatus.CANCELLED });
      const saved = (await manager.getRepository(Contract).findOne({ where: { id } }))!;
      await this.ledger.refreshToolAnnualCost(manager, contract.toolId);
      await this.audit.record(manager, {
        action: 'contract.terminated',
        entityType: 'Contract',
        entityId: id,
        before,
        after: snapshot(saved),
        metadata: { effectiveDate: dto.effectiveDate, reason: dto.reason },
      });
      return toContractResponse(saved, (await this.catalog.toolFacts([contract.toolId], manager)).get(contract.toolId));
    });
  }

  remove(id: string, version?: number): Promise<void> {
    return withTransaction(this.dataSource, async (m) => {
      // Locked first: a spend entry being posted against it either commits before (and the delete is refused) or finds it gone.
      const c = await m.getRepository(Contract).findOne({ where: { id }, ...rowLock(m, 'write') });
      if (!c) throw notFound('Contract', id);
      if (version !== undefined && version !== c.version) throw staleVersion('Contract');
      if (await m.getRepository(SpendEntry).exists({ where: { contractId: id } })) {
        throw new FinanceError(FinanceErrorCode.CONTRACT_HAS_SPEND, 'Spend entries refer to this contract; delete or re-link them first');
      }
      await this.ledger.deleteFor(m, LedgerSource.CONTRACT, id);
      await m.getRepository(RenewalDecision).delete({ contractId: id });
      await m.getRepository(Contract).delete({ id });
      await this.ledger.refreshToolAnnualCost(m, c.toolId);
      await this.audit.record(m, { action: 'contract.deleted', entityType: 'Contract', entityId: id, before: snapshot(c) });
    });
  }
}

function setAmount(c: Contract, amount: MoneyDto): void {
  c.amountMinor = parseDecimalToMinor(amount.amount, amount.currency);
  c.currency = amount.currency;
}
