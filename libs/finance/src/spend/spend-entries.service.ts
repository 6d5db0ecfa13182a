import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import {
  AllocationShare,
  AuthUser,
  formatMinor,
  isUniqueViolation,
  moneyJson,
  notFound,
  Page,
  pageParams,
  parseDecimalToMinor,
  resolveSort,
  staleVersion,
  unknownReference,
  updateVersioned,
  uuidv7,
  withTransaction,
} from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { monthFromString, monthOfDate } from '../contracts/contract-terms';
import { CostType, LedgerSource, SpendSource } from '../finance.enums';
import { costCenterKinds, requireTool, rowLock } from '../finance-refs';
import { LedgerService } from '../ledger/ledger.service';
import { LedgerEntry } from '../ledger/ledger-entry.entity';
import { CreateSpendEntryDto, SpendEntryQueryDto, SpendEntryResponse, UpdateSpendEntryDto } from './dto/spend-entry.dto';
import { SpendEntry } from './spend-entry.entity';
import { FinanceError, FinanceErrorCode } from '../finance.errors';

export function toSpendEntryResponse(e: SpendEntry): SpendEntryResponse {
  return {
    id: e.id,
    date: e.date,
    toolId: e.toolId,
    contractId: e.contractId,
    costType: e.costType,
    amount: moneyJson(e.amountMinor, e.currency)!,
    description: e.description,
    externalRef: e.externalRef,
    source: e.source,
    allocation: e.allocation,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

const snapshot = (e: SpendEntry) => ({ ...toSpendEntryResponse(e), createdAt: undefined, updatedAt: undefined, version: undefined });

/** A spend entry as the API and the import both describe it. */
export interface SpendInput {
  date: string;
  toolId: string;
  contractId: string | null;
  costType: CostType;
  amountMinor: bigint;
  currency: string;
  description: string | null;
  externalRef: string | null;
  allocation: AllocationShare[] | null;
}

const SORT = { date: 'e.date', createdAt: 'e.createdAt', externalRef: 'e.externalRef' };

@Injectable()
export class SpendEntriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogQueries,
  ) {}

  async list(q: SpendEntryQueryDto): Promise<Page<SpendEntryResponse>> {
    const { page, pageSize, skip, take } = pageParams(q);
    const sort = resolveSort(q.sort, SORT, '-date');
    const qb = this.filtered(q);
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('e.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toSpendEntryResponse), page, pageSize, total };
  }

  /** The sum of the entries `q` selects (all pages), per currency, largest currency code order. */
  async totals(q: SpendEntryQueryDto): Promise<{ currency: string; amount: string; count: number }[]> {
    const raw = await this.filtered(q)
      .select('e.currency', 'currency')
      .addSelect('SUM(e.amountMinor)', 'total')
      .addSelect('COUNT(*)', 'n')
      .groupBy('e.currency')
      .orderBy('e.currency', 'ASC')
      .getRawMany<{ currency: string; total: string | number; n: string | number }>();
    return raw.map((r) => ({ currency: r.currency, amount: formatMinor(BigInt(r.total), r.currency), count: Number(r.n) }));
  }

  /** The entries a list query selects (its filters, no order or paging). */
  private filtered(q: SpendEntryQueryDto) {
    const qb = this.dataSource.getRepository(SpendEntry).createQueryBuilder('e');
    if (q.toolId) qb.andWhere('e.toolId = :toolId', { toolId: q.toolId });
    if (q.contractId) qb.andWhere('e.contractId = :contractId', { contractId: q.contractId });
    if (q.costType) qb.andWhere('e.costType = :costType', { costType: q.costType });
    if (q.from) qb.andWhere('e.month >= :from', { from: monthFromString(q.from) });
    if (q.to) qb.andWhere('e.month <= :to', { to: monthFromString(q.to) });
    if (q.source) qb.andWhere('e.source = :source', { source: q.source });
    // Vendor and cost center as the ledger rows of the entry carry them (the split it was booked with).
    for (const [field, value] of [
      ['vendorId', q.vendorId],
      ['costCenterId', q.costCenterId],
    ] as const) {
      if (!value) continue;
      const sub = qb
        .subQuery()
        .select('l.sourceId')
        .from(LedgerEntry, 'l')
        .where(`l.sourceType = :spendType AND l.${field} = :${field}`)
        .getQuery();
      qb.andWhere(`e.id IN ${sub}`, { spendType: LedgerSource.SPEND, [field]: value });
    }
    return qb;
  }

  async get(id: string): Promise<SpendEntryResponse> {
    const e = await this.dataSource.getRepository(SpendEntry).findOne({ where: { id } });
    if (!e) throw notFound('Spend entry', id);
    return toSpendEntryResponse(e);
  }

  async create(actor: AuthUser, dto: CreateSpendEntryDto): Promise<SpendEntryResponse> {
    const input = fromDto(dto);
    try {
      return toSpendEntryResponse(
        await withTransaction(this.dataSource, (m) => this.createInTransaction(m, actor, input, SpendSource.MANUAL)),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRef(input.externalRef);
      throw err;
    }
  }

  findByRef(m: EntityManager, source: SpendSource, externalRef: string): Promise<SpendEntry | null> {
    return m.getRepository(SpendEntry).findOne({ where: { source, externalRef } });
  }

  /** Validates references, writes the entry, its ledger rows and the audit event in `m`'s transaction. */
  async createInTransaction(m: EntityManager, actor: AuthUser | null, input: SpendInput, source: SpendSource): Promise<SpendEntry> {
    if (input.externalRef && (await this.findByRef(m, source, input.externalRef))) throw duplicateRef(input.externalRef);
    const { tool, contract } = await this.references(m, input);
    const now = new Date();
    const e = Object.assign(new SpendEntry(), {
      id: uuidv7(),
      ...input,
      month: monthOfDate(input.date),
      source,
      createdById: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await m.getRepository(SpendEntry).insert(e);
    await this.ledger.writeSpend(m, e, tool, contract);
    await this.audit.record(m, {
      action: 'spend_entry.created',
      entityType: 'SpendEntry',
      entityId: e.id,
      after: snapshot(e),
      metadata: { source },
    });
    return e;
  }

  async update(id: string, dto: UpdateSpendEntryDto): Promise<SpendEntryResponse> {
    try {
      return await withTransaction(this.dataSource, async (m) => {
        const e = await m.getRepository(SpendEntry).findOne({ where: { id } });
        if (!e) throw notFound('Spend entry', id);
        const { version, amount, ...fields } = dto;
        const changes: Partial<SpendEntry> = {};
        for (const [k, v] of Object.entries(fields)) if (v !== undefined) (changes as Record<string, unknown>)[k] = v;
        if (amount) Object.assign(changes, { amountMinor: parseDecimalToMinor(amount.amount, amount.currency), currency: amount.currency });
        return toSpendEntryResponse(await this.updateInTransaction(m, e, changes, version ?? e.version));
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRef(dto.externalRef ?? null);
      throw err;
    }
  }

  /** Applies `changes` with optimistic concurrency and rewrites the entry's ledger rows. */
  async updateInTransaction(m: EntityManager, e: SpendEntry, changes: Partial<SpendEntry>, version: number): Promise<SpendEntry> {
    const next = Object.assign(new SpendEntry(), e, changes);
    next.month = monthOfDate(next.date);
    const { tool, contract } = await this.references(m, next);
    await updateVersioned(m, SpendEntry, 'Spend entry', e.id, version, { ...changes, month: next.month });
    const saved = (await m.getRepository(SpendEntry).findOne({ where: { id: e.id } }))!;
    await this.ledger.writeSpend(m, saved, tool, contract);
    await this.audit.record(m, {
      action: 'spend_entry.updated',
      entityType: 'SpendEntry',
      entityId: e.id,
      before: snapshot(e),
      after: snapshot(saved),
    });
    return saved;
  }

  remove(id: string, version?: number): Promise<void> {
    return withTransaction(this.dataSource, async (m) => {
      const e = await m.getRepository(SpendEntry).findOne({ where: { id } });
      if (!e) throw notFound('Spend entry', id);
      if (version !== undefined && version !== e.version) throw staleVersion('Spend entry');
      await this.ledger.deleteFor(m, LedgerSource.SPEND, id);
      await m.getRepository(SpendEntry).delete({ id });
      await this.audit.record(m, { action: 'spend_entry.deleted', entityType: 'SpendEntry', entityId: id, before: snapshot(e) });
    });
  }

  private async references(m: EntityManager, input: Pick<SpendInput, 'toolId' | 'contractId' | 'allocation'>) {
    const tool = await requireTool(this.catalog, m, input.toolId);
    let contract: Contract | null = null;
    if (input.contractId) {
      // A locking read: the contract as last committed (its current allocation), and it cannot be deleted until this entry commits.
      contract = await m.getRepository(Contract).findOne({ where: { id: input.contractId }, ...rowLock(m, 'read') });
      if (!contract) throw unknownReference(`Contract ${input.contractId} does not exist`, [{ field: 'contractId', id: input.contractId }]);
      if (contract.toolId !== tool.id)
        throw new FinanceError(FinanceErrorCode.CONTRACT_TOOL_MISMATCH, 'The contract belongs to another tool');
    }
    if (input.allocation) await costCenterKinds(this.catalog, m, input.allocation);
    return { tool, contract };
  }
}

export function fromDto(dto: CreateSpendEntryDto): SpendInput {
  return {
    date: dto.date,
    toolId: dto.toolId,
    contractId: dto.contractId ?? null,
    costType: dto.costType,
    amountMinor: parseDecimalToMinor(dto.amount.amount, dto.amount.currency),
    currency: dto.amount.currency,
    description: dto.description ?? null,
    externalRef: dto.externalRef ?? null,
    allocation: dto.allocation ?? null,
  };
}

const duplicateRef = (ref: string | null) =>
  new FinanceError(FinanceErrorCode.DUPLICATE_EXTERNAL_REF, `A spend entry with external reference "${ref}" already exists`);
