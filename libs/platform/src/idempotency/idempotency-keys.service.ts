import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, IsNull, LessThan } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors';
import { JobLeaseService } from '../jobs/job-lease.service';
import { JobScheduler } from '../jobs/job-scheduler';
import { IdempotencyKey } from './idempotency-key.entity';

/** What using a key found: new (go ahead), done (the record exists), pending (still being created), foreign (not this caller's). */
export type IdempotencyClaim = { state: 'claimed' } | { state: 'done'; location: string } | { state: 'pending' } | { state: 'foreign' };

/** A key is remembered this long: long enough for a browser's Back button, short enough to stay small. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;
const PRUNE_JOB = 'idempotency-keys-prune';

/**
 * One-time keys for requests that create things. The first request with a key claims it (a plain
 * INSERT, so two app instances or two simultaneous submissions cannot both win); a repeat learns
 * where the first one's result is instead of creating a second record. Keys are per user and per
 * action: somebody else's key, or a key reused for another action, is refused. A daily job deletes
 * the keys older than the TTL.
 */
@Injectable()
export class IdempotencyKeys implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
  ) {}

  onModuleInit(): void {
    this.scheduler.register({
      name: PRUNE_JOB,
      run: async (now) => {
        if (await this.leases.claimPeriod(PRUNE_JOB, now.toISOString().slice(0, 10))) await this.prune(now);
      },
    });
  }

  private get repo() {
    return this.dataSource.getRepository(IdempotencyKey);
  }

  async claim(idemKey: string, userId: string, action: string, now = new Date()): Promise<IdempotencyClaim> {
    // At most a few rounds: each one either inserts, or finds a row, or saw a row vanish meanwhile.
    for (let round = 0; round < 3; round++) {
      try {
        await this.repo.insert({ idemKey, userId, action, location: null, createdAt: now });
        return { state: 'claimed' };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const row = await this.repo.findOne({ where: { idemKey } });
      if (!row) continue; // released between the INSERT and the SELECT
      if (row.userId !== userId || row.action !== action) return { state: 'foreign' };
      if (row.createdAt.getTime() >= now.getTime() - IDEMPOTENCY_KEY_TTL_MS) {
        return row.location ? { state: 'done', location: row.location } : { state: 'pending' };
      }
      // Expired: as good as new once deleted (unless another request replaced it first).
      await this.repo.delete({ idemKey, createdAt: row.createdAt });
    }
    return { state: 'pending' };
  }

  /** Records where the record created under `idemKey` is shown. */
  async complete(idemKey: string, location: string): Promise<void> {
    await this.repo.update({ idemKey }, { location });
  }

  /** Forgets a claim whose request created nothing (refused, failed), so the same form can be sent again. */
  async release(idemKey: string): Promise<void> {
    await this.repo.delete({ idemKey, location: IsNull() });
  }

  /** Deletes the keys older than the TTL; returns how many. */
  async prune(now = new Date()): Promise<number> {
    const res = await this.repo.delete({ createdAt: LessThan(new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS)) });
    return res.affected ?? 0;
  }
}
