import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sqlBigInt } from '@stackgate/platform';
import { CandidateSource, CandidateStatus } from './discovery.enums';
import { DiscoveryCandidate } from './candidates/discovery-candidate.entity';
import { DiscoveryTransaction } from './candidates/discovery-transaction.entity';

/** Spend of open candidates (no tool yet) in one month and cost center, in base-currency minor units. */
export interface UnmatchedSpendCell {
  month: number;
  /** The line's cost center; null when the line named none. */
  costCenterId: string | null;
  amountMinor: bigint;
}

/** A candidate first found in a period. */
export interface DiscoveredCandidate {
  id: string;
  name: string;
  merchant: string;
  source: CandidateSource;
  status: CandidateStatus;
  totalBaseMinor: bigint;
  createdAt: Date;
}

/** Read-only discovery figures for other libs (the reports, the home page), each in one statement. */
@Injectable()
export class DiscoveryQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Unmatched spend per month (yyyymm, from..to) and cost center: the lines of OPEN candidates (not yet
   * a tool's spend, not dismissed), in the base currency as converted at import.
   */
  async unmatchedSpend(from: number, to: number, manager: EntityManager = this.dataSource.manager): Promise<UnmatchedSpendCell[]> {
    const raw = await manager
      .getRepository(DiscoveryTransaction)
      .createQueryBuilder('t')
      .innerJoin(DiscoveryCandidate, 'c', 'c.id = t.candidateId')
      .select('t.month', 'month')
      .addSelect('t.costCenterId', 'costCenterId')
      .addSelect('SUM(t.baseAmountMinor)', 'amount')
      .where('c.status = :open AND t.spendEntryId IS NULL AND t.month >= :from AND t.month <= :to', {
        open: CandidateStatus.OPEN,
        from,
        to,
      })
      .groupBy('t.month')
      .addGroupBy('t.costCenterId')
      .getRawMany<{ month: unknown; costCenterId: string | null; amount: unknown }>();
    return raw.map((r) => ({ month: Number(r.month), costCenterId: r.costCenterId ?? null, amountMinor: sqlBigInt(r.amount) }));
  }

  /** Candidates first found from `from` (inclusive) to `to` (exclusive), largest spend first. */
  async discoveredBetween(from: Date, to: Date, manager: EntityManager = this.dataSource.manager): Promise<DiscoveredCandidate[]> {
    const rows = await manager
      .getRepository(DiscoveryCandidate)
      .createQueryBuilder('c')
      .where('c.createdAt >= :from AND c.createdAt < :to', { from, to })
      .orderBy('c.totalBaseMinor', 'DESC')
      .addOrderBy('c.merchantKey', 'ASC')
      .getMany();
    return rows.map((c) => ({
      id: c.id,
      name: c.displayName,
      merchant: c.merchantKey,
      source: c.source,
      status: c.status,
      totalBaseMinor: c.totalBaseMinor,
      createdAt: c.createdAt,
    }));
  }

  /** How many candidates wait in the queue. */
  openCount(manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.getRepository(DiscoveryCandidate).count({ where: { status: CandidateStatus.OPEN } });
  }
}
