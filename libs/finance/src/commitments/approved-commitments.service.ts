import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import { AllocationShare, APP_CONFIG, AppConfig, AuthUser, moneyJson, notFound, Page, pageParams, uuidv7 } from '@stackgate/platform';
import { CommitmentStatus } from '../finance.enums';
import { FinanceError, FinanceErrorCode } from '../finance.errors';
import { requireTool, rowLock } from '../finance-refs';
import { LedgerService } from '../ledger/ledger.service';
import { ApprovedCommitment } from './approved-commitment.entity';
import { commitmentAmount } from './commitment-terms';
import { ApprovedRequestResponse, CommitmentQueryDto } from './dto/commitment.dto';

/** What the request workflow hands finance when a request is finally approved. */
export interface ApprovedRequestInput {
  requestId: string;
  title: string;
  toolId: string;
  annualAmountMinor: bigint;
  currency: string;
  /** The estimate in BASE_CURRENCY with the FX rate the request used (null when in the base currency). */
  annualBaseMinor: bigint | null;
  allocation: AllocationShare[];
  /** YYYY-MM-DD, the day of the final approval. */
  approvedOn: string;
}

/**
 * Approved requests' estimates as "approved, not yet contracted" commitments (ledger basis APPROVED)
 * until finance attaches the contract, which retires them in the contract's transaction.
 */
@Injectable()
export class ApprovedCommitmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
  ) {}

  /** In the approval's transaction: the commitment, its ledger rows and the audit event. A request is recorded once. */
  async recordApprovalInTransaction(manager: EntityManager, actor: AuthUser | null, input: ApprovedRequestInput): Promise<void> {
    if (await manager.getRepository(ApprovedCommitment).exists({ where: { requestId: input.requestId } })) return;
    const tool = await requireTool(this.catalog, manager, input.toolId);
    const now = new Date();
    const commitment = Object.assign(new ApprovedCommitment(), {
      id: uuidv7(),
      requestId: input.requestId,
      requestTitle: input.title.slice(0, 200),
      toolId: input.toolId,
      annualAmountMinor: input.annualAmountMinor,
      currency: input.currency,
      annualBaseMinor: input.currency === this.config.baseCurrency ? null : input.annualBaseMinor,
      allocation: input.allocation,
      approvedOn: input.approvedOn,
      status: CommitmentStatus.PENDING,
      contractId: null,
      approvedById: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await manager.getRepository(ApprovedCommitment).insert(commitment);
    await this.ledger.writeCommitment(manager, commitment, tool);
    await this.audit.record(manager, {
      action: 'commitment.approved_pending',
      entityType: 'ApprovedCommitment',
      entityId: commitment.id,
      after: { ...this.toResponse(commitment) },
    });
  }

  /**
   * In the contract's transaction: the request's pending commitment is retired (ledger rows out,
   * ATTACHED with the contract, audited). Refused when the request has no approved amount awaiting
   * a contract (never approved, rejected, withdrawn), when it was attached already, or when the
   * contract is for another tool.
   */
  async attachInTransaction(manager: EntityManager, requestId: string, contract: { id: string; toolId: string }): Promise<void> {
    const commitment = await manager.getRepository(ApprovedCommitment).findOne({ where: { requestId }, ...rowLock(manager, 'write') });
    if (!commitment) {
      throw new FinanceError(
        FinanceErrorCode.REQUEST_NOT_AWAITING_CONTRACT,
        'This request has no approved amount awaiting a contract (only an approved request can have a contract attached)',
        [{ field: 'requestId', id: requestId }],
      );
    }
    if (commitment.status === CommitmentStatus.ATTACHED) {
      throw new FinanceError(FinanceErrorCode.REQUEST_ALREADY_ATTACHED, 'A contract is already attached to this request', [
        { field: 'requestId', contractId: commitment.contractId },
      ]);
    }
    if (commitment.toolId !== contract.toolId) {
      throw new FinanceError(FinanceErrorCode.CONTRACT_TOOL_MISMATCH, "The contract's tool is not the approved request's tool", [
        { field: 'toolId', expected: commitment.toolId },
      ]);
    }
    const before = this.toResponse(commitment);
    const now = new Date();
    const changed = await manager
      .getRepository(ApprovedCommitment)
      .update(
        { id: commitment.id, status: CommitmentStatus.PENDING },
        { status: CommitmentStatus.ATTACHED, contractId: contract.id, updatedAt: now, version: commitment.version + 1 },
      );
    if (!changed.affected)
      throw new FinanceError(FinanceErrorCode.REQUEST_ALREADY_ATTACHED, 'A contract is already attached to this request', [
        { field: 'requestId' },
      ]);
    await this.ledger.retireCommitment(manager, requestId);
    const after = { ...commitment, status: CommitmentStatus.ATTACHED, contractId: contract.id };
    await this.audit.record(manager, {
      action: 'commitment.contract_attached',
      entityType: 'ApprovedCommitment',
      entityId: commitment.id,
      before: { ...before },
      after: { ...this.toResponse(after) },
    });
  }

  /** Approved requests awaiting a contract (PENDING, oldest approval first) or attached ones. */
  async list(query: CommitmentQueryDto): Promise<Page<ApprovedRequestResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const qb = this.dataSource
      .getRepository(ApprovedCommitment)
      .createQueryBuilder('c')
      .where('c.status = :status', { status: query.status ?? CommitmentStatus.PENDING });
    if (query.toolId) qb.andWhere('c.toolId = :toolId', { toolId: query.toolId });
    const [rows, total] = await qb.orderBy('c.approvedOn', 'ASC').addOrderBy('c.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map((c) => this.toResponse(c)), page, pageSize, total };
  }

  /** One approved request's commitment (404 when the request has none: not approved, or unknown). */
  async forRequest(requestId: string, manager: EntityManager = this.dataSource.manager): Promise<ApprovedRequestResponse> {
    const commitment = await manager.getRepository(ApprovedCommitment).findOne({ where: { requestId } });
    if (!commitment) throw notFound('Approved request', requestId);
    return this.toResponse(commitment);
  }

  /** The request's commitment, or null (pages use it to show or hide "attach the contract"). */
  async findForRequest(requestId: string): Promise<ApprovedRequestResponse | null> {
    const commitment = await this.dataSource.getRepository(ApprovedCommitment).findOne({ where: { requestId } });
    return commitment ? this.toResponse(commitment) : null;
  }

  /** A tool's approved, not yet contracted commitments (the tool page's pending annual cost). */
  async pendingForTool(toolId: string): Promise<ApprovedRequestResponse[]> {
    const rows = await this.dataSource
      .getRepository(ApprovedCommitment)
      .find({ where: { toolId, status: CommitmentStatus.PENDING }, order: { approvedOn: 'ASC' } });
    return rows.map((c) => this.toResponse(c));
  }

  private toResponse(commitment: ApprovedCommitment): ApprovedRequestResponse {
    const pending = commitmentAmount(commitment, this.config.baseCurrency);
    return {
      requestId: commitment.requestId,
      title: commitment.requestTitle,
      toolId: commitment.toolId,
      estimatedAnnualCost: moneyJson(commitment.annualAmountMinor, commitment.currency)!,
      pendingAmount: moneyJson(commitment.status === CommitmentStatus.PENDING ? pending.amountMinor : 0n, pending.currency)!,
      allocation: commitment.allocation,
      approvedOn: commitment.approvedOn,
      status: commitment.status,
      contractId: commitment.contractId,
    };
  }
}
