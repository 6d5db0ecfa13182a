import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { CatalogQueries } from '@stackgate/catalog';
import {
  AllocationShare,
  AuthUser,
  formatMinor,
  insertRows,
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

export function toSpendEntryResponse(entry: SpendEntry): SpendEntryResponse {
  return {
    id: entry.id,
    date: entry.date,
    toolId: entry.toolId,
    contractId: entry.contractId,
    costType: entry.costType,
    amount: moneyJson(entry.amountMinor, entry.currency)!,
    description: entry.description,
    externalRef: entry.externalRef,
    source: entry.source,
    allocation: entry.allocation,
    version: entry.version,
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
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

  async list(query: SpendEntryQueryDto): Promise<Page<SpendEntryResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const sort = resolveSort(query.sort, SORT, '-date');
    const qb = this.filtered(query);
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('e.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: rows.map(toSpendEntryResponse), page, pageSize, total };
  }

  /** The sum of the entries `q` selects (all pages), per currency, largest currency code order. */
  async totals(query: SpendEntryQueryDto): Promise<{ currency: string; amount: string; count: number }[]> {
    const raw = await this.filtered(query)
      .select('e.currency', 'currency')
      .addSelect('SUM(e.amountMinor)', 'total')
      .addSelect('COUNT(*)', 'n')
      .groupBy('e.currency')
      .orderBy('e.currency', 'ASC')
      .getRawMany<{ currency: string; total: string | number; n: string | number }>();
    return raw.map((r) => ({ currency: r.currency, amount: formatMinor(BigInt(r.total), r.currency), count: Number(r.n) }));
  }

  /** The entries a list query selects (its filters, no order or paging). */
  private filtered(query: SpendEntryQueryDto) {
    const qb = this.dataSource.getRepository(SpendEntry).createQueryBuilder('e');
    if (query.toolId) qb.andWhere('e.toolId = :toolId', { toolId: query.toolId });
    if (query.contractId) qb.andWhere('e.contractId = :contractId', { contractId: query.contractId });
    if (query.costType) qb.andWhere('e.costType = :costType', { costType: query.costType });
    if (query.from) qb.andWhere('e.month >= :from', { from: monthFromString(query.from) });
    if (query.to) qb.andWhere('e.month <= :to', { to: monthFromString(query.to) });
    if (query.source) qb.andWhere('e.source = :source', { source: query.source });
    // Vendor and cost center as the ledger rows of the entry carry them (the split it was booked with).
    for (const [field, value] of [
      ['vendorId', query.vendorId],
      ['costCenterId', query.costCenterId],
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
    const entry = await this.dataSource.getRepository(SpendEntry).findOne({ where: { id } });
    if (!entry) throw notFound('Spend entry', id);
    return toSpendEntryResponse(entry);
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

  findByRef(manager: EntityManager, source: SpendSource, externalRef: string): Promise<SpendEntry | null> {
    return manager.getRepository(SpendEntry).findOne({ where: { source, externalRef } });
  }

  /** Validates references, writes the entry, its ledger rows and the audit event in `m`'s transaction. */
  async createInTransaction(manager: EntityManager, actor: AuthUser | null, input: SpendInput, source: SpendSource): Promise<SpendEntry> {
    if (input.externalRef && (await this.findByRef(manager, source, input.externalRef))) throw duplicateRef(input.externalRef);
    const { tool, contract } = await this.references(manager, input);
    const now = new Date();
    const entry = Object.assign(new SpendEntry(), {
      id: uuidv7(),
      ...input,
      month: monthOfDate(input.date),
      source,
      createdById: actor?.id ?? null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    await manager.getRepository(SpendEntry).insert(entry);
    await this.ledger.writeSpend(manager, entry, tool, contract);
    await this.audit.record(manager, {
      action: 'spend_entry.created',
      entityType: 'SpendEntry',
      entityId: entry.id,
      after: snapshot(entry),
      metadata: { source },
    });
    return entry;
  }

  /**
   * Many new entries in `manager`'s transaction (imports): the same entries, ledger rows, totals and audit
   * events as createInTransaction for each in order, with one look-up per kind of reference and multi-row
   * inserts instead of about eight statements per entry. Refused whole, like create, when a reference is
   * unknown or an external reference is taken (or repeated among `inputs`).
   */
  async createManyInTransaction(
    manager: EntityManager,
    actor: AuthUser | null,
    inputs: SpendInput[],
    source: SpendSource,
  ): Promise<SpendEntry[]> {
    if (!inputs.length) return [];
    await this.assertRefsFree(manager, source, inputs);
    const tools = await this.catalog.toolFacts([...new Set(inputs.map((input) => input.toolId))], manager);
    const contracts = await this.contractsOf(manager, inputs);
    const now = new Date();
    const entries = inputs.map((input) => {
      const tool = tools.get(input.toolId);
      if (!tool) throw unknownReference(`Tool ${input.toolId} does not exist`, [{ field: 'toolId', id: input.toolId }]);
      const contract = input.contractId ? contracts.get(input.contractId)! : null;
      if (contract && contract.toolId !== tool.id)
        throw new FinanceError(FinanceErrorCode.CONTRACT_TOOL_MISMATCH, 'The contract belongs to another tool');
      return Object.assign(new SpendEntry(), {
        id: uuidv7(now.getTime()),
        ...input,
        month: monthOfDate(input.date),
        source,
        createdById: actor?.id ?? null,
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    });
    await insertRows(manager, SpendEntry, entries);
    await this.ledger.writeNewSpend(
      manager,
      entries.map((entry) => ({
        entry,
        tool: tools.get(entry.toolId)!,
        contract: entry.contractId ? contracts.get(entry.contractId)! : null,
      })),
    );
    await this.audit.recordMany(
      manager,
      entries.map((entry) => ({
        action: 'spend_entry.created',
        entityType: 'SpendEntry',
        entityId: entry.id,
        after: snapshot(entry),
        metadata: { source },
      })),
      { newEntities: true },
    );
    return entries;
  }

  /** 409 when an input's external reference is already taken for `source`, or repeats within the inputs. */
  private async assertRefsFree(manager: EntityManager, source: SpendSource, inputs: SpendInput[]): Promise<void> {
    const refs = inputs.map((input) => input.externalRef).filter((ref): ref is string => !!ref);
    const seen = new Set<string>();
    for (const ref of refs) if (seen.has(ref) || !seen.add(ref)) throw duplicateRef(ref);
    for (let start = 0; start < refs.length; start += 500) {
      const taken = await manager
        .getRepository(SpendEntry)
        .findOne({ where: { source, externalRef: In(refs.slice(start, start + 500)) }, select: { externalRef: true } });
      if (taken) throw duplicateRef(taken.externalRef);
    }
  }

  /** The contracts the inputs name, read with a lock as createInTransaction reads them (422 for one that does not exist). */
  private async contractsOf(manager: EntityManager, inputs: SpendInput[]): Promise<Map<string, Contract>> {
    const ids = [...new Set(inputs.map((input) => input.contractId).filter((id): id is string => !!id))];
    const found = new Map<string, Contract>();
    for (let start = 0; start < ids.length; start += 500) {
      const rows = await manager
        .getRepository(Contract)
        .find({ where: { id: In(ids.slice(start, start + 500)) }, ...rowLock(manager, 'read') });
      for (const row of rows) found.set(row.id, row);
    }
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw unknownReference(`Contract ${missing} does not exist`, [{ field: 'contractId', id: missing }]);
    return found;
  }

  async update(id: string, dto: UpdateSpendEntryDto): Promise<SpendEntryResponse> {
    try {
      return await withTransaction(this.dataSource, async (manager) => {
        const entry = await manager.getRepository(SpendEntry).findOne({ where: { id } });
        if (!entry) throw notFound('Spend entry', id);
        const { version, amount, ...fields } = dto;
        const changes: Partial<SpendEntry> = {};
        for (const [field, value] of Object.entries(fields)) if (value !== undefined) (changes as Record<string, unknown>)[field] = value;
        if (amount) Object.assign(changes, { amountMinor: parseDecimalToMinor(amount.amount, amount.currency), currency: amount.currency });
        return toSpendEntryResponse(await this.updateInTransaction(manager, entry, changes, version ?? entry.version));
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateRef(dto.externalRef ?? null);
      throw err;
    }
  }

  /** Applies `changes` with optimistic concurrency and rewrites the entry's ledger rows. */
  async updateInTransaction(manager: EntityManager, entry: SpendEntry, changes: Partial<SpendEntry>, version: number): Promise<SpendEntry> {
    const next = Object.assign(new SpendEntry(), entry, changes);
    next.month = monthOfDate(next.date);
    const { tool, contract } = await this.references(manager, next);
    await updateVersioned(manager, SpendEntry, 'Spend entry', entry.id, version, { ...changes, month: next.month });
    const saved = (await manager.getRepository(SpendEntry).findOne({ where: { id: entry.id } }))!;
    await this.ledger.writeSpend(manager, saved, tool, contract);
    await this.audit.record(manager, {
      action: 'spend_entry.updated',
      entityType: 'SpendEntry',
      entityId: entry.id,
      before: snapshot(entry),
      after: snapshot(saved),
    });
    return saved;
  }

  remove(id: string, version?: number): Promise<void> {
    return withTransaction(this.dataSource, (manager) => this.removeInTransaction(manager, id, version));
  }

  /** Deletes the entry, its ledger rows (and their totals) and audits it, in `manager`'s transaction (404 when it is gone). */
  async removeInTransaction(manager: EntityManager, id: string, version?: number): Promise<void> {
    const entry = await manager.getRepository(SpendEntry).findOne({ where: { id } });
    if (!entry) throw notFound('Spend entry', id);
    if (version !== undefined && version !== entry.version) throw staleVersion('Spend entry');
    await this.ledger.deleteFor(manager, LedgerSource.SPEND, id);
    await manager.getRepository(SpendEntry).delete({ id });
    await this.audit.record(manager, { action: 'spend_entry.deleted', entityType: 'SpendEntry', entityId: id, before: snapshot(entry) });
  }

  private async references(manager: EntityManager, input: Pick<SpendInput, 'toolId' | 'contractId' | 'allocation'>) {
    const tool = await requireTool(this.catalog, manager, input.toolId);
    let contract: Contract | null = null;
    if (input.contractId) {
      // A locking read: the contract as last committed (its current allocation), and it cannot be deleted until this entry commits.
      contract = await manager.getRepository(Contract).findOne({ where: { id: input.contractId }, ...rowLock(manager, 'read') });
      if (!contract) throw unknownReference(`Contract ${input.contractId} does not exist`, [{ field: 'contractId', id: input.contractId }]);
      if (contract.toolId !== tool.id)
        throw new FinanceError(FinanceErrorCode.CONTRACT_TOOL_MISMATCH, 'The contract belongs to another tool');
    }
    if (input.allocation) await costCenterKinds(this.catalog, manager, input.allocation);
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
