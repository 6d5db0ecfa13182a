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

  async deleteFor(m: EntityManager, sourceType: LedgerSource, sourceId: string): Promise<void> {
    const where = `${m.connection.driver.escape('sourceType')} = ? AND ${m.connection.driver.escape('sourceId')} = ?`;
    const removed = await ledgerTotalsWhere(m, where, [sourceType, sourceId]);
    if (!removed.length) return;
    await m.getRepository(LedgerEntry).delete({ sourceType, sourceId });
    await applyTotals(m, negate(removed));
  }

  async writeContract(m: EntityManager, c: Contract, tool: ToolFacts): Promise<void> {
    await this.deleteFor(m, LedgerSource.CONTRACT, c.id);
    const allocation = effectiveAllocation(c.allocation, null, tool.allocation, tool.budgetOwnerId);
    const kinds = await costCenterKinds(this.catalog, m, allocation);
    const rows = buildLedgerRows(accrualSchedule(c), allocation, (id) => kinds.get(id)!, {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: c.vendorId,
      shadowIt: tool.shadowIt,
      costType: c.costType,
      currency: c.currency,
      basis: LedgerBasis.COMMITTED,
      sourceType: LedgerSource.CONTRACT,
      sourceId: c.id,
    });
    await this.insert(m, rows);
  }

  async writeSpend(m: EntityManager, e: SpendEntry, tool: ToolFacts, contract: Contract | null): Promise<void> {
    await this.deleteFor(m, LedgerSource.SPEND, e.id);
    const allocation = effectiveAllocation(e.allocation, contract?.allocation, tool.allocation, tool.budgetOwnerId);
    const kinds = await costCenterKinds(this.catalog, m, allocation);
    const rows = buildLedgerRows([{ month: monthOfDate(e.date), amountMinor: e.amountMinor }], allocation, (id) => kinds.get(id)!, {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: contract?.vendorId ?? tool.vendorId,
      shadowIt: tool.shadowIt,
      costType: e.costType,
      currency: e.currency,
      basis: LedgerBasis.ACTUAL,
      sourceType: LedgerSource.SPEND,
      sourceId: e.id,
    });
    await this.insert(m, rows);
  }

  /**
   * An approved request's commitment as ledger rows of basis APPROVED (source REQUEST): its estimate
   * spread over the 12 months from the approval month, split by the request's allocation, in the
   * base currency as the request converted it. Reports read them through the same ledger and totals
   * as contracts, so a pending commitment and a contract reconcile to the cent. Only a PENDING
   * commitment has rows; attaching its contract takes them out (retireCommitment).
   */
  async writeCommitment(m: EntityManager, c: ApprovedCommitment, tool: ToolFacts): Promise<void> {
    await this.deleteFor(m, LedgerSource.REQUEST, c.requestId);
    if (c.status !== CommitmentStatus.PENDING) return;
    const allocation = effectiveAllocation(c.allocation, null, tool.allocation, tool.budgetOwnerId);
    const kinds = await costCenterKinds(this.catalog, m, allocation);
    const { amountMinor, currency } = commitmentAmount(c, this.config.baseCurrency);
    const rows = buildLedgerRows(commitmentSchedule(amountMinor, c.approvedOn), allocation, (id) => kinds.get(id)!, {
      toolId: tool.id,
      categoryId: tool.categoryId,
      subcategoryId: tool.subcategoryId,
      vendorId: tool.vendorId,
      shadowIt: tool.shadowIt,
      costType: CostType.LICENSE,
      currency,
      basis: LedgerBasis.APPROVED,
      sourceType: LedgerSource.REQUEST,
      sourceId: c.requestId,
    });
    await this.insert(m, rows);
  }

  /** Retires an approved request's pending commitment: its ledger rows (and their totals) go. */
  async retireCommitment(m: EntityManager, requestId: string): Promise<void> {
    await this.deleteFor(m, LedgerSource.REQUEST, requestId);
  }

  private async insert(m: EntityManager, rows: ReturnType<typeof buildLedgerRows>): Promise<void> {
    if (!rows.length) return;
    const now = new Date();
    const entities = rows.map((r) => ({ ...r, id: uuidv7(now.getTime()), createdAt: now, updatedAt: now }));
    // Chunked so a long contract never exceeds a driver's parameter limit.
    for (let i = 0; i < entities.length; i += 200) await m.getRepository(LedgerEntry).insert(entities.slice(i, i + 200));
    await this.addTotals(m, rows);
  }

  /** Adds freshly inserted ledger rows to ledger_totals (insert() does it; bulk writers call it themselves). */
  async addTotals(m: EntityManager, rows: ReturnType<typeof buildLedgerRows>): Promise<void> {
    await applyTotals(m, totalsOf(rows, 1));
  }

  /**
   * Changes a copied attribute on the ledger rows matching `column = value`, moving their sums to
   * the new totals keys: out under the old key, the rows updated, in under the new one.
   */
  private async updateCopied(
    m: EntityManager,
    column: 'toolId' | 'costCenterId',
    value: string,
    set: Partial<Pick<LedgerEntry, 'costCenterKind' | 'shadowIt'>>,
  ): Promise<void> {
    const e = (c: string) => m.connection.driver.escape(c);
    const [field, to] = Object.entries(set)[0] as ['costCenterKind' | 'shadowIt', string | boolean];
    const where = `${e(column)} = ? AND ${e(field)} <> ?`;
    const params = [value, typeof to === 'boolean' ? (to ? 1 : 0) : to];
    const before = await ledgerTotalsWhere(m, where, params);
    if (!before.length) return;
    await applyTotals(m, negate(before));
    await m
      .createQueryBuilder()
      .update(LedgerEntry)
      .set({ ...set, updatedAt: new Date() })
      .where(`${column} = :value`, { value })
      .execute();
    await applyTotals(
      m,
      before.map((d) => ({ ...d, key: { ...d.key, [field]: to } })),
    );
  }

  /**
   * Recomputes the tool's annual cost in BASE_CURRENCY: the annual value of the tool's ACTIVE
   * contracts running today, stored on the tool by the catalog (setAnnualCostInTransaction). A foreign-currency contract is converted with this month's rate, else
   * the latest earlier one; without any rate it is left out (and logged) rather than guessed at 1.
   */
  async refreshToolAnnualCost(m: EntityManager, toolId: string, today = new Date().toISOString().slice(0, 10)): Promise<void> {
    const base = this.config.baseCurrency;
    const contracts = await m.getRepository(Contract).find({
      where: { toolId, status: ContractStatus.ACTIVE, startDate: LessThanOrEqual(today), endDate: MoreThanOrEqual(today) },
    });
    let total = 0n;
    const month = today.slice(0, 7);
    for (const c of contracts) {
      if (c.currency === base) {
        total += c.annualValueMinor;
        continue;
      }
      const rate = await rateAtOrBefore(m, c.currency, month);
      if (!rate) {
        this.logger.warn({
          msg: 'annual cost leaves out a contract without an FX rate',
          toolId,
          contractId: c.id,
          currency: c.currency,
          month,
        });
        continue;
      }
      total += convertMinor(c.annualValueMinor, c.currency, base, rate);
    }
    await this.tools.setAnnualCostInTransaction(m, toolId, contracts.length ? { minor: total, currency: base } : null);
  }

  /** After a rate of `currency` changes: refresh every tool with an ACTIVE contract in that currency. */
  async refreshToolsInCurrency(m: EntityManager, currency: string): Promise<void> {
    const rows = await m
      .getRepository(Contract)
      .createQueryBuilder('c')
      .select('DISTINCT c.toolId', 'toolId')
      .where('c.currency = :currency AND c.status = :status', { currency, status: ContractStatus.ACTIVE })
      .getRawMany<{ toolId: string }>();
    for (const r of rows) await this.refreshToolAnnualCost(m, r.toolId);
  }

  /**
   * The ledger copies the tool's category, subcategory, vendor and allocation. When the catalog
   * changes one of those, it calls this in its own transaction so the tool's rows follow.
   */
  async rewriteForTool(m: EntityManager, toolId: string): Promise<void> {
    const tool = (await this.catalog.toolFacts([toolId], m)).get(toolId);
    if (!tool) return;
    const contracts = await m.getRepository(Contract).find({ where: { toolId } });
    for (const c of contracts) await this.writeContract(m, c, tool);
    const byId = new Map(contracts.map((c) => [c.id, c]));
    for (const e of await m.getRepository(SpendEntry).find({ where: { toolId } }))
      await this.writeSpend(m, e, tool, e.contractId ? (byId.get(e.contractId) ?? null) : null);
    for (const c of await m.getRepository(ApprovedCommitment).find({ where: { toolId, status: CommitmentStatus.PENDING } }))
      await this.writeCommitment(m, c, tool);
  }

  /** A cost center changed kind: its ledger rows follow (the kind is copied for one-query reports). */
  async updateCostCenterKind(m: EntityManager, costCenterId: string, kind: string): Promise<void> {
    await this.updateCopied(m, 'costCenterId', costCenterId, { costCenterKind: kind });
  }

  /** A tool became (or stopped being) shadow IT: its ledger rows and their totals follow. */
  async setShadowIt(m: EntityManager, toolId: string, shadowIt: boolean): Promise<void> {
    await this.updateCopied(m, 'toolId', toolId, { shadowIt });
  }

  /** Spend entries of a contract that inherit its allocation are rewritten when the contract's allocation changes. */
  async rewriteInheritingSpend(m: EntityManager, contract: Contract, tool: ToolFacts): Promise<void> {
    const entries = await m.getRepository(SpendEntry).find({ where: { contractId: contract.id } });
    for (const e of entries.filter((x) => !x.allocation)) await this.writeSpend(m, e, tool, contract);
  }
}
