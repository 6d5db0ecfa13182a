import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import { CatalogQueries, containsPattern } from '@stackgate/catalog';
import { APP_CONFIG, AppConfig, moneyJson, notFound, Page, pageParams, resolveSort, sqlBigInt } from '@stackgate/platform';
import { CandidateStatus } from '../discovery.enums';
import { allowedActions } from './candidate-states';
import { DiscoveryCandidate } from './discovery-candidate.entity';
import { DiscoveryTransaction } from './discovery-transaction.entity';
import {
  CandidateDetailResponse,
  CandidateQueryDto,
  CandidateResponse,
  CandidateTransactionResponse,
  CostCenterShareResponse,
  PayerShareResponse,
} from './dto/candidate.dto';

const SORT = {
  totalSpend: 'c.totalBaseMinor',
  lastSeen: 'c.lastSeen',
  firstSeen: 'c.firstSeen',
  transactions: 'c.transactions',
  merchant: 'c.merchantKey',
  createdAt: 'c.createdAt',
};
const TOP_PAYERS = 5;
const RECENT_TRANSACTIONS = 500;

/** The discovery queue as the API and the web page read it. */
@Injectable()
export class CandidatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly catalog: CatalogQueries,
  ) {}

  /** A page of candidates (filters: status, source, q), largest spend first by default, with payers and cost centers. */
  async list(query: CandidateQueryDto): Promise<Page<CandidateResponse>> {
    const { page, pageSize, skip, take } = pageParams(query);
    const sort = resolveSort(query.sort, SORT, '-totalSpend');
    const qb = this.dataSource.getRepository(DiscoveryCandidate).createQueryBuilder('c');
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.source) qb.andWhere('c.source = :source', { source: query.source });
    if (query.q) {
      // escaped with '!' (catalog's containsPattern): MariaDB treats a backslash specially inside string literals
      const like = containsPattern(query.q);
      qb.andWhere(
        new Brackets((w) =>
          w.where("c.merchantKey LIKE :like ESCAPE '!'", { like }).orWhere("LOWER(c.displayName) LIKE :like ESCAPE '!'", { like }),
        ),
      );
    }
    const [rows, total] = await qb.orderBy(sort.column, sort.direction).addOrderBy('c.id', 'ASC').skip(skip).take(take).getManyAndCount();
    return { items: await this.responses(this.dataSource.manager, rows), page, pageSize, total };
  }

  /** How many candidates wait in the queue (OPEN), e.g. for the CIO's home page. */
  openCount(): Promise<number> {
    return this.dataSource.getRepository(DiscoveryCandidate).count({ where: { status: CandidateStatus.OPEN } });
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<CandidateDetailResponse> {
    const candidate = await this.load(manager, id);
    const [response] = await this.responses(manager, [candidate]);
    const transactions = await manager
      .getRepository(DiscoveryTransaction)
      .find({ where: { candidateId: id }, order: { date: 'DESC', id: 'DESC' }, take: RECENT_TRANSACTIONS });
    return { ...response, recentTransactions: transactions.map((t) => this.transactionResponse(t)) };
  }

  /** The candidate (404 when there is none). */
  async load(manager: EntityManager, id: string): Promise<DiscoveryCandidate> {
    const candidate = await manager.getRepository(DiscoveryCandidate).findOne({ where: { id } });
    if (!candidate) throw notFound('Discovery candidate', id);
    return candidate;
  }

  /** Responses for `rows`, with their top payers and cost centers: two GROUP BY statements for the whole page. */
  async responses(manager: EntityManager, rows: DiscoveryCandidate[]): Promise<CandidateResponse[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const transactions = manager.getRepository(DiscoveryTransaction);
    const [payerRows, centerRows] = await Promise.all([
      transactions
        .createQueryBuilder('t')
        .select('t.candidateId', 'candidateId')
        .addSelect('t.employee', 'employee')
        .addSelect('SUM(t.baseAmountMinor)', 'total')
        .addSelect('COUNT(*)', 'n')
        .where({ candidateId: In(ids) })
        .andWhere('t.employee IS NOT NULL')
        .groupBy('t.candidateId')
        .addGroupBy('t.employee')
        .getRawMany<{ candidateId: string; employee: string; total: unknown; n: unknown }>(),
      transactions
        .createQueryBuilder('t')
        .select('t.candidateId', 'candidateId')
        .addSelect('t.costCenterId', 'costCenterId')
        .addSelect('SUM(t.baseAmountMinor)', 'total')
        .where({ candidateId: In(ids) })
        .groupBy('t.candidateId')
        .addGroupBy('t.costCenterId')
        .getRawMany<{ candidateId: string; costCenterId: string | null; total: unknown }>(),
    ]);
    const costCenterIds = [...new Set(centerRows.map((r) => r.costCenterId).filter((id): id is string => !!id))];
    const codes = new Map((await this.catalog.costCentersByIds(costCenterIds)).map((c) => [c.id, c.code]));
    const base = this.config.baseCurrency;
    const payers = new Map<string, PayerShareResponse[]>();
    for (const row of payerRows.sort(
      (a, b) => compareBig(sqlBigInt(b.total), sqlBigInt(a.total)) || a.employee.localeCompare(b.employee),
    )) {
      const list = payers.get(row.candidateId) ?? [];
      if (list.length < TOP_PAYERS)
        list.push({ employee: row.employee, amount: moneyJson(sqlBigInt(row.total), base)!, transactions: Number(row.n) });
      payers.set(row.candidateId, list);
    }
    const centers = new Map<string, CostCenterShareResponse[]>();
    for (const row of centerRows.sort((a, b) => compareBig(sqlBigInt(b.total), sqlBigInt(a.total)))) {
      const list = centers.get(row.candidateId) ?? [];
      list.push({
        costCenterId: row.costCenterId ?? null,
        code: row.costCenterId ? (codes.get(row.costCenterId) ?? null) : null,
        amount: moneyJson(sqlBigInt(row.total), base)!,
      });
      centers.set(row.candidateId, list);
    }
    return rows.map((c) => ({
      id: c.id,
      source: c.source,
      merchant: c.merchantKey,
      name: c.displayName,
      status: c.status,
      totalSpend: moneyJson(c.totalBaseMinor, base)!,
      transactions: c.transactions,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      suggestedSubcategoryId: c.suggestedSubcategoryId,
      payers: c.payers,
      topPayers: payers.get(c.id) ?? [],
      costCenters: centers.get(c.id) ?? [],
      assignedUsers: c.assignedUsers,
      activeUsers: c.activeUsers,
      toolId: c.toolId,
      dismissReason: c.dismissReason,
      decidedById: c.decidedById,
      decidedAt: c.decidedAt,
      actions: allowedActions(c.status),
      version: c.version,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    }));
  }

  private transactionResponse(line: DiscoveryTransaction): CandidateTransactionResponse {
    return {
      id: line.id,
      date: line.date,
      merchantRaw: line.merchantRaw,
      amount: moneyJson(line.amountMinor, line.currency)!,
      baseAmount: moneyJson(line.baseAmountMinor, this.config.baseCurrency)!,
      employee: line.employee,
      costCenterId: line.costCenterId,
      memo: line.memo,
      reference: line.reference,
      spendEntryId: line.spendEntryId,
      matchKind: line.matchKind,
    };
  }
}

const compareBig = (left: bigint, right: bigint) => (left < right ? -1 : left > right ? 1 : 0);
