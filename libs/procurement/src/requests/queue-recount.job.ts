import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobLeaseService, JobScheduler, withTransaction } from '@stackgate/platform';
import { QueueCountDrift, recountQueue } from './queue-counts';

export const QUEUE_RECOUNT_JOB = 'queue-recount';

/**
 * Once an hour across all instances (a claimed period: the hour), rewrites the awaiting-me counts from the requests in
 * review. Submit, decide and withdraw keep them exact; this mends what an instance of an older version wrote during a
 * rolling upgrade (it moves no counts), and says so in the log, because otherwise it would mean a defect.
 */
@Injectable()
export class QueueRecountJob implements OnModuleInit {
  private readonly logger = new Logger('QueueRecount');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: QUEUE_RECOUNT_JOB,
      run: async (now) => {
        await this.run(now);
      },
    });
  }

  /** Recounts once per hour of `now` (UTC); answers the counts that were wrong, or null when the hour was done already. */
  async run(now: Date): Promise<QueueCountDrift[] | null> {
    if (!(await this.leases.claimPeriod(QUEUE_RECOUNT_JOB, now.toISOString().slice(0, 13)))) return null;
    const drift = await withTransaction(this.dataSource, (manager) => recountQueue(manager));
    if (drift.length) this.logger.warn({ msg: 'awaiting-me counts recounted', drift });
    return drift;
  }
}
