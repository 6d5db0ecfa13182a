import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries, Lifecycle, ToolRegistrationService, VendorsService } from '@stackgate/catalog';
import { CostType, SpendEntriesService, SpendSource } from '@stackgate/finance';
import { AuthUser, FULL_SHARE_BPS, unknownReference, updateVersioned, uuidv7, withTransaction } from '@stackgate/platform';
import { CandidateAction, CandidateStatus } from '../discovery.enums';
import { DiscoveryError, DiscoveryErrorCode } from '../discovery.errors';
import { nextStatus } from './candidate-states';
import { CandidatesService } from './candidates.service';
import { DiscoveryCandidate } from './discovery-candidate.entity';
import { DiscoveryTransaction } from './discovery-transaction.entity';
import {
  CandidateDetailResponse,
  DismissCandidateDto,
  LinkCandidateDto,
  RegisterCandidateDto,
  ReopenCandidateDto,
} from './dto/candidate.dto';
import { MerchantAlias } from './merchant-alias.entity';

/** The spend entry a discovery transaction becomes on its tool (the import and the queue's actions write the same). */
export function spendInputOf(transaction: DiscoveryTransaction, toolId: string) {
  return {
    date: transaction.date,
    toolId,
    contractId: null,
    costType: CostType.LICENSE,
    amountMinor: transaction.amountMinor,
    currency: transaction.currency,
    description: [`Card/expense: ${transaction.merchantRaw}`, transaction.employee, transaction.memo]
      .filter(Boolean)
      .join(' — ')
      .slice(0, 2000),
    externalRef: spendRefOf(transaction.txKey),
    // the line's cost center takes it all; without one, the tool's allocation (else its budget owner)
    allocation: transaction.costCenterId ? [{ costCenterId: transaction.costCenterId, shareBps: FULL_SHARE_BPS }] : null,
  };
}

/** The spend entry's external reference for a transaction key (unique among imported entries). */
export const spendRefOf = (txKey: string) => `txn:${txKey}`.slice(0, 200);

/**
 * The queue's actions (IT, CIO): register a candidate as a tool, link it to an existing tool, dismiss
 * it, reopen it. Each runs in one transaction with its audit event; the state machine
 * (candidate-states.ts) refuses a move from the wrong status with 409 CANDIDATE_STATE.
 */
@Injectable()
export class CandidateActionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
    private readonly tools: ToolRegistrationService,
    private readonly vendors: VendorsService,
    private readonly spend: SpendEntriesService,
    private readonly candidates: CandidatesService,
  ) {}

  /**
   * Registers the candidate as a new tool in use (lifecycle ACTIVE, IT approval NOT_REVIEWED: shadow IT
   * until IT reviews it), its vendor found by name or registered, its merchant learned as an alias and
   * its transactions moved onto the tool as actual spend.
   */
  register(actor: AuthUser, id: string, dto: RegisterCandidateDto): Promise<CandidateDetailResponse> {
    return this.act(actor, id, CandidateAction.REGISTER, async (manager, candidate) => {
      const name = (dto.name ?? candidate.displayName).trim();
      const vendor = await this.vendors.findOrCreateByNameInTransaction(manager, actor, (dto.vendorName ?? name).trim());
      const tool = await this.tools.createInTransaction(manager, actor, {
        name,
        vendorId: vendor.id,
        subcategoryId: dto.subcategoryId,
        budgetOwnerId: dto.budgetOwnerId,
        lifecycle: Lifecycle.ACTIVE,
        description: `Discovered from card and expense spend (merchant "${candidate.merchantKey}")`,
      });
      const moved = await this.attach(manager, actor, candidate, tool.id);
      return {
        changes: { toolId: tool.id, dismissReason: null },
        metadata: { toolId: tool.id, toolName: tool.name, movedTransactions: moved },
      };
    });
  }

  /** Links the candidate to an existing tool (not retired): its merchant becomes an alias of the tool and its spend moves there. */
  link(actor: AuthUser, id: string, dto: LinkCandidateDto): Promise<CandidateDetailResponse> {
    return this.act(actor, id, CandidateAction.LINK, async (manager, candidate) => {
      const tool = (await this.catalog.toolFacts([dto.toolId], manager)).get(dto.toolId);
      if (!tool) throw unknownReference(`Tool ${dto.toolId} does not exist`, [{ field: 'toolId', id: dto.toolId }]);
      if (tool.lifecycle === Lifecycle.RETIRED)
        throw new DiscoveryError(DiscoveryErrorCode.CANDIDATE_TOOL_RETIRED, `${tool.name} is retired: link the candidate to a tool in use`);
      const moved = await this.attach(manager, actor, candidate, tool.id);
      return {
        changes: { toolId: tool.id, dismissReason: null },
        metadata: { toolId: tool.id, toolName: tool.name, movedTransactions: moved },
      };
    });
  }

  /** Dismisses the candidate as not software: later lines of its merchant are kept on it but ignored. */
  dismiss(actor: AuthUser, id: string, dto: DismissCandidateDto): Promise<CandidateDetailResponse> {
    return this.act(actor, id, CandidateAction.DISMISS, async () => ({
      changes: { dismissReason: dto.reason?.trim() || null },
      metadata: {},
    }));
  }

  /**
   * Back to the queue: a dismissed candidate is counted again; a registered or linked one forgets its
   * alias and its spend moves back off the tool (the spend entries it became are deleted with their
   * ledger rows). A registered tool stays in the catalog.
   */
  reopen(actor: AuthUser, id: string, dto: ReopenCandidateDto = {}): Promise<CandidateDetailResponse> {
    return this.act(actor, id, CandidateAction.REOPEN, async (manager, candidate) => {
      await manager.getRepository(MerchantAlias).delete({ candidateId: candidate.id });
      const moved = await manager
        .getRepository(DiscoveryTransaction)
        .find({ where: { candidateId: candidate.id, spendEntryId: Not(IsNull()) } });
      for (const transaction of moved) await this.spend.removeInTransaction(manager, transaction.spendEntryId!);
      if (moved.length)
        await manager
          .getRepository(DiscoveryTransaction)
          .update({ id: In(moved.map((t) => t.id)) }, { toolId: null, spendEntryId: null, matchKind: null });
      const reason = dto.reason?.trim() || null;
      return {
        changes: { toolId: null, dismissReason: null },
        metadata: { previousToolId: candidate.toolId, movedBack: moved.length, reason },
      };
    });
  }

  /** The alias and the spend of a candidate going to `toolId`; answers how many transactions moved. */
  private async attach(manager: EntityManager, actor: AuthUser, candidate: DiscoveryCandidate, toolId: string): Promise<number> {
    const aliases = manager.getRepository(MerchantAlias);
    const existing = await aliases.findOne({ where: { merchantKey: candidate.merchantKey } });
    if (existing)
      await aliases.update({ id: existing.id }, { toolId, candidateId: candidate.id, createdById: actor.id, createdAt: new Date() });
    else
      await aliases.insert({
        id: uuidv7(),
        merchantKey: candidate.merchantKey,
        toolId,
        candidateId: candidate.id,
        createdById: actor.id,
        createdAt: new Date(),
      });
    const pending = await manager
      .getRepository(DiscoveryTransaction)
      .find({ where: { candidateId: candidate.id, spendEntryId: IsNull() } });
    const entries = await this.spend.createManyInTransaction(
      manager,
      actor,
      pending.map((transaction) => spendInputOf(transaction, toolId)),
      SpendSource.IMPORT,
    );
    for (const [index, transaction] of pending.entries())
      await manager.getRepository(DiscoveryTransaction).update({ id: transaction.id }, { toolId, spendEntryId: entries[index].id });
    return pending.length;
  }

  /** One action: the state machine's move, the work, the versioned write and the audit event, in one transaction. */
  private async act(
    actor: AuthUser,
    id: string,
    action: CandidateAction,
    work: (manager: EntityManager, candidate: DiscoveryCandidate) => Promise<{ changes: Partial<DiscoveryCandidate>; metadata: object }>,
  ): Promise<CandidateDetailResponse> {
    return withTransaction(this.dataSource, async (manager) => {
      const candidate = await this.candidates.load(manager, id);
      const status = nextStatus(candidate.status, action);
      const { changes, metadata } = await work(manager, candidate);
      const decided =
        status === CandidateStatus.OPEN ? { decidedById: null, decidedAt: null } : { decidedById: actor.id, decidedAt: new Date() };
      await updateVersioned(manager, DiscoveryCandidate, 'Discovery candidate', id, candidate.version, { ...changes, ...decided, status });
      await this.audit.record(manager, {
        action: `discovery_candidate.${AUDIT_VERB[action]}`,
        entityType: 'DiscoveryCandidate',
        entityId: id,
        before: { status: candidate.status, toolId: candidate.toolId, dismissReason: candidate.dismissReason },
        after: { status, toolId: changes.toolId ?? null, dismissReason: changes.dismissReason ?? null },
        metadata: { merchant: candidate.merchantKey, ...metadata },
      });
      return this.candidates.get(id, manager);
    });
  }
}

const AUDIT_VERB: Record<CandidateAction, string> = {
  [CandidateAction.REGISTER]: 'registered',
  [CandidateAction.LINK]: 'linked',
  [CandidateAction.DISMISS]: 'dismissed',
  [CandidateAction.REOPEN]: 'reopened',
};
