import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { CatalogQueries, ToolFacts, ToolRegistrationService } from '@stackgate/catalog';
import { APP_CONFIG, AppConfig, convertMinor, uuidv7 } from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { accrualSchedule, monthOfDate } from '../contracts/contract-terms';
import { CommitmentStatus, ContractStatus, CostType, LedgerBasis, LedgerSource } from '../finance.enums';
import { costCenterKinds } from '../finance-refs';
import { rateAtOrBefore } from '../fx/fx-lookup';
import { SpendEntry } from '../spend/spend-entry.entity';
import { ApprovedCommitment } from '../commitments/approved-commitment.entity';
import { commitmentAmount, commitmentSchedule } from '../commitments/commitment-terms';
import { buildLedgerRows, effectiveAllocation } from './ledger-rows';
import { LedgerEntry } from './ledger-entry.entity';
import { applyTotals, ledgerTotalsWhere, negate, totalsOf } from './ledger-totals';

/**
 * Writes the ledger inside the caller's transaction: a source record's rows are deleted and
 * rewritten together with the record, so the ledger never disagrees with contracts and spend.
 */
@Injectable()
export class LedgerService {
  private readonly logger = new Logger('Ledger');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: CatalogQueries,
    private readonly tools: ToolRegistrationService,
  ) {}

  async deleteFor(manager: EntityManager, sourceType: LedgerSource, sourceId: string): Promise<void> {
    const where = `${manager.connection.driver.escape('sourceType')} = ? AND ${manager.connection.driver.escape('sourceId')} = ?`;
    const removed = await ledgerTotalsWhere(manager, where, [sourceType, sourceId]);
    if (!removed.length) return;
    await manager.getRepository(LedgerEntry).delete({ sourceType, sourceId });
    await applyTotals(manager, negate(removed));
  }

  async writeContract(manager: EntityManager, contract: Contract, tool: ToolFacts): Promise<void> {
    await this.deleteFor(manager, LedgerSource.CONTRACT, contract.id);
    const allocation = effectiveAllocation(contract.allocation, null, tool.allocation, tool.budgetOwnerId);
    const kinds = await costCenterKinds(this.catalog, manager, allocation);
    const rows = buildLedgerRows(accrualSchedule(contract), allocation, (id) => kinds.get(id)!, {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: contract.vendorId,
      shadowIt: tool.shadowIt,
      costType: contract.costType,
      currency: contract.currency,
      basis: LedgerBasis.COMMITTED,
      sourceType: LedgerSource.CONTRACT,
      sourceId: contract.id,
    });
    await this.insert(manager, rows);
  }

  async writeSpend(manager: EntityManager, entry: SpendEntry, tool: ToolFacts, contract: Contract | null): Promise<void> {
    await this.deleteFor(manager, LedgerSource.SPEND, entry.id);
    const allocation = spendAllocation(entry, tool, contract);
    const kinds = await costCenterKinds(this.catalog, manager, allocation);
    await this.insert(manager, spendRows(entry, tool, contract, allocation, kinds));
  }

  /**
   * The ledger rows of spend entries created in this transaction (no rows of theirs exist yet): what
   * writeSpend writes for each, with one cost-center look-up and one batch of inserts and totals.
   */
  async writeNewSpend(
    manager: EntityManager,
    items: Array<{ entry: SpendEntry; tool: ToolFacts; contract: Contract | null }>,
  ): Promise<void> {
    const allocations = items.map(({ entry, tool, contract }) => spendAllocation(entry, tool, contract));
    const kinds = await costCenterKinds(this.catalog, manager, allocations.flat());
    await this.insert(
      manager,
      items.flatMap(({ entry, tool, contract }, index) => spendRows(entry, tool, contract, allocations[index], kinds)),
    );
  }

  /**
   * An approved request's commitment as ledger rows of basis APPROVED (source REQUEST): its estimate
   * spread over the 12 months from the approval month, split by the request's allocation, in the
   * base currency as the request converted it. Reports read them through the same ledger and totals
   * as contracts, so a pending commitment and a contract reconcile to the cent. Only a PENDING
   * commitment has rows; attaching its contract takes them out (retireCommitment).
   */
  async writeCommitment(manager: EntityManager, commitment: ApprovedCommitment, tool: ToolFacts): Promise<void> {
    await this.deleteFor(manager, LedgerSource.REQUEST, commitment.requestId);
    if (commitment.status !== CommitmentStatus.PENDING) return;
    const allocation = effectiveAllocation(commitment.allocation, null, tool.allocation, tool.budgetOwnerId);
    const kinds = await costCenterKinds(this.catalog, manager, allocation);
    const { amountMinor, currency } = commitmentAmount(commitment, this.config.baseCurrency);
    const rows = buildLedgerRows(commitmentSchedule(amountMinor, commitment.approvedOn), allocation, (id) => kinds.get(id)!, {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: tool.vendorId,
      shadowIt: tool.shadowIt,
      costType: CostType.LICENSE,
      currency,
      basis: LedgerBasis.APPROVED,
      sourceType: LedgerSource.REQUEST,
      sourceId: commitment.requestId,
    });
    await this.insert(manager, rows);
  }

  /** Retires an approved request's pending commitment: its ledger rows (and their totals) go. */
  async retireCommitment(manager: EntityManager, requestId: string): Promise<void> {
    await this.deleteFor(manager, LedgerSource.REQUEST, requestId);
  }

  private async insert(manager: EntityManager, rows: ReturnType<typeof buildLedgerRows>): Promise<void> {
    if (!rows.length) return;
    const now = new Date();
    const entities = rows.map((r) => ({ ...r, id: uuidv7(now.getTime()), createdAt: now, updatedAt: now }));
    // Chunked so a long contract never exceeds a driver's parameter limit.
    for (let i = 0; i < entities.length; i += 200) await manager.getRepository(LedgerEntry).insert(entities.slice(i, i + 200));
    await this.addTotals(manager, rows);
  }

  /** Adds freshly inserted ledger rows to ledger_totals (insert() does it; bulk writers call it themselves). */
  async addTotals(manager: EntityManager, rows: ReturnType<typeof buildLedgerRows>): Promise<void> {
    await applyTotals(manager, totalsOf(rows, 1));
  }

  /**
   * Changes a copied attribute on the ledger rows matching `column = value`, moving their sums to
   * the new totals keys: out under the old key, the rows updated, in under the new one.
   */
  private async updateCopied(
    manager: EntityManager,
    column: 'toolId' | 'costCenterId',
    value: string,
    set: Partial<Pick<LedgerEntry, 'costCenterKind' | 'shadowIt'>>,
  ): Promise<void> {
    const quoteName = (c: string) => manager.connection.driver.escape(c);
    const [field, to] = Object.entries(set)[0] as ['costCenterKind' | 'shadowIt', string | boolean];
    const where = `${quoteName(column)} = ? AND ${quoteName(field)} <> ?`;
    const params = [value, typeof to === 'boolean' ? (to ? 1 : 0) : to];
    const before = await ledgerTotalsWhere(manager, where, params);
    if (!before.length) return;
    await applyTotals(manager, negate(before));
    await manager
      .createQueryBuilder()
      .update(LedgerEntry)
      .set({ ...set, updatedAt: new Date() })
      .where(`${column} = :value`, { value })
      .execute();
    await applyTotals(
      manager,
      before.map((d) => ({ ...d, key: { ...d.key, [field]: to } })),
    );
  }

  /**
   * Recomputes the tool's annual cost in BASE_CURRENCY: the annual value of the tool's ACTIVE
   * contracts running today, stored on the tool by the catalog (setAnnualCostInTransaction). A foreign-currency contract is
   * converted with this month's rate, else the latest earlier one; without any rate it is left out (and logged) rather than guessed at 1.
   */
  async refreshToolAnnualCost(manager: EntityManager, toolId: string, today = new Date().toISOString().slice(0, 10)): Promise<void> {
    const base = this.config.baseCurrency;
    const contracts = await manager.getRepository(Contract).find({
      where: { toolId, status: ContractStatus.ACTIVE, startDate: LessThanOrEqual(today), endDate: MoreThanOrEqual(today) },
    });
    let total = 0n;
    const month = today.slice(0, 7);
    for (const contract of contracts) {
      if (contract.currency === base) {
        total += contract.annualValueMinor;
        continue;
      }
      const rate = await rateAtOrBefore(manager, contract.currency, month);
      if (!rate) {
        this.logger.warn({
          msg: 'annual cost leaves out a contract without an FX rate',
          toolId,
          contractId: contract.id,
          currency: contract.currency,
          month,
        });
        continue;
      }
      total += convertMinor(contract.annualValueMinor, contract.currency, base, rate);
    }
    await this.tools.setAnnualCostInTransaction(manager, toolId, contracts.length ? { minor: total, currency: base } : null);
  }

  /** After a rate of `currency` changes: refresh every tool with an ACTIVE contract in that currency. */
  async refreshToolsInCurrency(manager: EntityManager, currency: string): Promise<void> {
    const rows = await manager
      .getRepository(Contract)
      .createQueryBuilder('c')
      .select('DISTINCT c.toolId', 'toolId')
      .where('c.currency = :currency AND c.status = :status', { currency, status: ContractStatus.ACTIVE })
      .getRawMany<{ toolId: string }>();
    for (const row of rows) await this.refreshToolAnnualCost(manager, row.toolId);
  }

  /**
   * The ledger copies the tool's category, subcategory, vendor and allocation. When the catalog
   * changes one of those, it calls this in its own transaction so the tool's rows follow.
   */
  async rewriteForTool(manager: EntityManager, toolId: string): Promise<void> {
    const tool = (await this.catalog.toolFacts([toolId], manager)).get(toolId);
    if (!tool) return;
    const contracts = await manager.getRepository(Contract).find({ where: { toolId } });
    for (const contract of contracts) await this.writeContract(manager, contract, tool);
    const byId = new Map(contracts.map((c) => [c.id, c]));
    for (const entry of await manager.getRepository(SpendEntry).find({ where: { toolId } }))
      await this.writeSpend(manager, entry, tool, entry.contractId ? (byId.get(entry.contractId) ?? null) : null);
    for (const commitment of await manager.getRepository(ApprovedCommitment).find({ where: { toolId, status: CommitmentStatus.PENDING } }))
      await this.writeCommitment(manager, commitment, tool);
  }

  /** A cost center changed kind: its ledger rows follow (the kind is copied for one-query reports). */
  async updateCostCenterKind(manager: EntityManager, costCenterId: string, kind: string): Promise<void> {
    await this.updateCopied(manager, 'costCenterId', costCenterId, { costCenterKind: kind });
  }

  /** A tool became (or stopped being) shadow IT: its ledger rows and their totals follow. */
  async setShadowIt(manager: EntityManager, toolId: string, shadowIt: boolean): Promise<void> {
    await this.updateCopied(manager, 'toolId', toolId, { shadowIt });
  }

  /** Spend entries of a contract that inherit its allocation are rewritten when the contract's allocation changes. */
  async rewriteInheritingSpend(manager: EntityManager, contract: Contract, tool: ToolFacts): Promise<void> {
    const entries = await manager.getRepository(SpendEntry).find({ where: { contractId: contract.id } });
    for (const entry of entries.filter((x) => !x.allocation)) await this.writeSpend(manager, entry, tool, contract);
  }
}

/** How a spend entry is split: its own allocation, else its contract's, else its tool's (or the tool's budget owner). */
function spendAllocation(entry: SpendEntry, tool: ToolFacts, contract: Contract | null) {
  return effectiveAllocation(entry.allocation, contract?.allocation, tool.allocation, tool.budgetOwnerId);
}

/** A spend entry's ledger rows: its amount in the month of its date, split by `allocation`. */
function spendRows(
  entry: SpendEntry,
  tool: ToolFacts,
  contract: Contract | null,
  allocation: ReturnType<typeof effectiveAllocation>,
  kinds: Map<string, string>,
) {
  return buildLedgerRows([{ month: monthOfDate(entry.date), amountMinor: entry.amountMinor }], allocation, (id) => kinds.get(id)!, {
    toolId: tool.id,
    categoryId: tool.categoryId,
    subcategoryId: tool.subcategoryId,
    vendorId: contract?.vendorId ?? tool.vendorId,
    shadowIt: tool.shadowIt,
    costType: entry.costType,
    currency: entry.currency,
    basis: LedgerBasis.ACTUAL,
    sourceType: LedgerSource.SPEND,
    sourceId: entry.id,
  });
}
