import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerBasis } from '../finance.enums';
import { LedgerEntry } from './ledger-entry.entity';

/** A tool's actual spend in one month and currency (minor units). */
export interface MonthlySpend {
  month: number;
  currency: string;
  totalMinor: bigint;
}

/** Read-only ledger figures for other libs (the web pages): typed results. */
@Injectable()
export class LedgerQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The tool's ACTUAL ledger sums per month (YYYYMM) and currency from `fromMonth` on, oldest first. */
  async toolMonthlyActuals(toolId: string, fromMonth: number): Promise<MonthlySpend[]> {
    const rows = await this.dataSource
      .getRepository(LedgerEntry)
      .createQueryBuilder('l')
      .select('l.month', 'month')
      .addSelect('l.currency', 'currency')
      .addSelect('SUM(l.amountMinor)', 'total')
      .where('l.toolId = :toolId AND l.basis = :basis AND l.month >= :from', { toolId, basis: LedgerBasis.ACTUAL, from: fromMonth })
      .groupBy('l.month')
      .addGroupBy('l.currency')
      .orderBy('l.month', 'ASC')
      .getRawMany<{ month: number | string; currency: string; total: string | number }>();
    return rows.map((r) => ({ month: Number(r.month), currency: r.currency, totalMinor: BigInt(r.total) }));
  }
}
