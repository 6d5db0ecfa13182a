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

export function toContractResponse(contract: Contract, tool?: Pick<ToolFacts, 'allocation' | 'budgetOwnerId'>): ContractResponse {
  const inherited = tool?.allocation?.length
    ? tool.allocation
    : tool
      ? [{ costCenterId: tool.budgetOwnerId, shareBps: FULL_SHARE_BPS }]
      : [];
  return {
    id: contract.id,
    toolId: contract.toolId,
    vendorId: contract.vendorId,
    reference: contract.reference,
    startDate: contract.startDate,
    termMonths: contract.termMonths,
    billing: contract.billing,
    amount: moneyJson(contract.amountMinor, contract.currency)!,
    costType: contract.costType,
    seats: contract.seats,
    autoRenew: contract.autoRenew,
    noticeDays: contract.noticeDays,
    internalLeadDays: contract.internalLeadDays,
    allocation: contract.allocation ?? inherited,
    ownAllocation: !!contract.allocation,
    status: contract.status,
    endDate: contract.endDate,
    cancelByDate: contract.cancelByDate,
    reviewStartDate: contract.reviewStartDate,
    annualValue: moneyJson(contract.annualValueMinor, contract.currency)!,
    terminatedOn: contract.terminatedOn ?? null,
    terminationReason: contract.terminationReason ?? null,
    version: contract.version,
    createdAt: contract.createdAt,
    updatedAt: contract.updatedAt,
  };
}

const snapshot = (c: Contract) => ({ ...toContractResponse(c), createdAt: undefined, updatedAt: undefined, version: undefined });

/** Derived fields recomputed from the terms whenever they change. */
function derive(contract: Contract): void {
  Object.assign(contract, contractDates(contract));
  contract.annualValueMinor = annualValueMinor(contract);
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

  async list(query: ContractQueryDto): Promise<Page<ContractResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const sort = resolveSort(query.sort, SORT, 'startDate');
    const qb = this.dataSource.getRepository(Contract).createQueryBuilder('c');
    if (query.toolId) qb.andWhere('c.toolId = :toolId', { toolId: query.toolId });
    if (query.vendorId) qb.andWhere('c.vendorId = :vendorId', { vendorId: query.vendorId });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    const asOf = query.asOf ?? new Date().toISOString().slice(0, 10);
    // A renewal window is about contracts that can still renew: a terminated (CANCELLED) one never does.
    if (query.renewsWithinDays !== undefined || query.cancelByPassed === true)
      qb.andWhere('c.status = :renewable', { renewable: ContractStatus.ACTIVE });
    if (query.renewsWithinDays !== undefined) {
      qb.andWhere('c.endDate >= :renewFrom AND c.endDate <= :renewTo', { renewFrom: asOf, renewTo: addDays(asOf, query.renewsWithinDays) });
    }
    if (query.cancelByPassed === true) qb.andWhere('c.cancelByDate < :asOf AND c.endDate >= :asOf', { asOf });
    if (query.cancelByPassed === false) qb.andWhere('(c.cancelByDate >= :asOf OR c.endDate < :asOf)', { asOf });
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').skip(skip).take(take).getManyAndCount();
    const tools = await this.catalog.toolFacts(rows.map((r) => r.toolId));
    return { items: rows.map((c) => toContractResponse(c, tools.get(c.toolId))), page, pageSize, total };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<ContractResponse> {
    const contract = await manager.getRepository(Contract).findOne({ where: { id } });
    if (!contract) throw notFound('Contract', id);
    const tool = (await this.catalog.toolFacts([contract.toolId], manager)).get(contract.toolId);
    return toContractResponse(contract, tool);
  }

  create(actor: AuthUser, dto: CreateContractDto): Promise<ContractResponse> {
    return withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, dto));
  }

  /** Creates a contract, its ledger rows, the tool's annual cost and the audit event in `m`'s transaction. */
  async createInTransaction(manager: EntityManager, actor: AuthUser | null, dto: CreateContractDto): Promise<ContractResponse> {
    const tool = await requireTool(this.catalog, manager, dto.toolId);
    const vendorId = dto.vendorId ?? tool.vendorId;
    if (dto.vendorId) await requireVendor(this.catalog, manager, dto.vendorId);
    if (dto.allocation) await costCenterKinds(this.catalog, manager, dto.allocation);
    const now = new Date();
    const contract = Object.assign(new Contract(), {
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
      terminatedOn: null,
      terminationReason: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    derive(contract);
    await manager.getRepository(Contract).insert(contract);
    await this.ledger.writeContract(manager, contract, tool);
    if (dto.requestId) await this.commitments.attachInTransaction(manager, dto.requestId, contract);
    await this.ledger.refreshToolAnnualCost(manager, tool.id);
    await this.audit.record(manager, {
      action: 'contract.created',
      entityType: 'Contract',
      entityId: contract.id,
      after: snapshot(contract),
      ...(dto.requestId ? { metadata: { requestId: dto.requestId } } : {}),
    });
    return toContractResponse(contract, tool);
  }

  update(id: string, dto: UpdateContractDto): Promise<ContractResponse> {
    return withTransaction(this.dataSource, (m) => this.updateInTransaction(m, id, dto));
  }

  /** Updates a contract and rewrites exactly its ledger rows (and inheriting spend rows) in `m`'s transaction. */
  async updateInTransaction(manager: EntityManager, id: string, dto: UpdateContractDto): Promise<ContractResponse> {
    // Locked first, so a spend entry posted meanwhile either waits and inherits the new allocation or is seen by rewriteInheritingSpend.
    const contract = await manager.getRepository(Contract).findOne({ where: { id }, ...rowLock(manager, 'write') });
    if (!contract) throw notFound('Contract', id);
    const before = snapshot(contract);
    const oldToolId = contract.toolId;
    const tool =
      dto.toolId && dto.toolId !== contract.toolId
        ? await requireTool(this.catalog, manager, dto.toolId)
        : await requireTool(this.catalog, manager, contract.toolId);
    if (dto.vendorId) await requireVendor(this.catalog, manager, dto.vendorId);
    if (dto.allocation) await costCenterKinds(this.catalog, manager, dto.allocation);
    if (dto.toolId && dto.toolId !== oldToolId && (await manager.getRepository(SpendEntry).exists({ where: { contractId: id } }))) {
      throw new FinanceError(FinanceErrorCode.CONTRACT_HAS_SPEND, 'Spend entries refer to this contract; it cannot move to another tool');
    }
    const { version, amount, ...fields } = dto;
    const next: Contract = Object.assign(new Contract(), contract);
    for (const [field, value] of Object.entries(fields))
      if (value !== undefined) (next as unknown as Record<string, unknown>)[field] = value;
    if (amount) setAmount(next, amount);
    derive(next);
    const changes: Partial<Contract> = {};
    for (const field of [
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
      (changes as Record<string, unknown>)[field] = next[field];
    }
    // Reactivating a terminated contract (status back to ACTIVE) ends its termination; the audit trail keeps the old date and reason.
    if (contract.status === ContractStatus.CANCELLED && next.status !== ContractStatus.CANCELLED) {
      changes.terminatedOn = null;
      changes.terminationReason = null;
    }
    await updateVersioned(manager, Contract, 'Contract', id, version ?? contract.version, changes);
    const saved = (await manager.getRepository(Contract).findOne({ where: { id } }))!;
    await this.ledger.writeContract(manager, saved, tool);
    if (JSON.stringify(contract.allocation) !== JSON.stringify(saved.allocation))
      await this.ledger.rewriteInheritingSpend(manager, saved, tool);
    await this.ledger.refreshToolAnnualCost(manager, tool.id);
    if (oldToolId !== tool.id) await this.ledger.refreshToolAnnualCost(manager, oldToolId);
    await this.audit.record(manager, { action: 'contract.updated', entityType: 'Contract', entityId: id, before, after: snapshot(saved) });
    return toContractResponse(saved, tool);
  }

  /**
   * Terminates an active contract: status CANCELLED (it leaves renewals, reminders and the tool's
   * annual cost; its committed ledger rows stay, the money was committed), with the effective date
   * and the reason kept on the contract (terminatedOn, terminationReason) and in the audit event
   * `contract.terminated`, in one transaction. 409 when stale or already terminated;
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
      await updateVersioned(manager, Contract, 'Contract', id, dto.version, {
        status: ContractStatus.CANCELLED,
        terminatedOn: dto.effectiveDate,
        terminationReason: dto.reason,
      });
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
    return withTransaction(this.dataSource, async (manager) => {
      // Locked first: a spend entry being posted against it either commits before (and the delete is refused) or finds it gone.
      const contract = await manager.getRepository(Contract).findOne({ where: { id }, ...rowLock(manager, 'write') });
      if (!contract) throw notFound('Contract', id);
      if (version !== undefined && version !== contract.version) throw staleVersion('Contract');
      if (await manager.getRepository(SpendEntry).exists({ where: { contractId: id } })) {
        throw new FinanceError(FinanceErrorCode.CONTRACT_HAS_SPEND, 'Spend entries refer to this contract; delete or re-link them first');
      }
      await this.ledger.deleteFor(manager, LedgerSource.CONTRACT, id);
      await manager.getRepository(RenewalDecision).delete({ contractId: id });
      await manager.getRepository(Contract).delete({ id });
      await this.ledger.refreshToolAnnualCost(manager, contract.toolId);
      await this.audit.record(manager, { action: 'contract.deleted', entityType: 'Contract', entityId: id, before: snapshot(contract) });
    });
  }
}

function setAmount(contract: Contract, amount: MoneyDto): void {
  contract.amountMinor = parseDecimalToMinor(amount.amount, amount.currency);
  contract.currency = amount.currency;
}
