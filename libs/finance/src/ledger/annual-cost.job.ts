import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobLeaseService, JobScheduler, withTransaction } from '@stackgate/platform';
import { Contract } from '../contracts/contract.entity';
import { LedgerService } from './ledger.service';

export const ANNUAL_COST_JOB = 'tool-annual-cost';

/**
 * Contracts start and end as days pass without any write, so once a day (claimed across instances)
 * every tool with a contract gets its annual cost recomputed for that day.
 */
@Injectable()
export class AnnualCostRefreshJob implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({ name: ANNUAL_COST_JOB, run: (now) => this.run(now) });
  }

  async run(now: Date): Promise<void> {
    const day = now.toISOString().slice(0, 10);
    if (!(await this.leases.claimPeriod(ANNUAL_COST_JOB, day))) return;
    const rows = await this.dataSource
      .getRepository(Contract)
      .createQueryBuilder('c')
      .select('DISTINCT c.toolId', 'toolId')
      .getRawMany<{ toolId: string }>();
    for (const row of rows) await withTransaction(this.dataSource, (m) => this.ledger.refreshToolAnnualCost(m, row.toolId, day));
  }
}
