import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '../database/db-errors';
import { JobLease } from './job-lease.entity';

/**
 * Cross-instance coordination through the database, so that several app instances on one
 * database run each scheduled job once per period, never once per instance, and never through
 * an in-memory lock. Each claim is a single conditional UPDATE: exactly one instance sees
 * affected = 1.
 */
@Injectable()
export class JobLeaseService {
  /** Identifies this process among instances. */
  readonly holderId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(private readonly dataSource: DataSource) {}

  private async ensureRow(name: string): Promise<void> {
    const repo = this.dataSource.getRepository(JobLease);
    if (await repo.exists({ where: { name } })) return;
    try {
      await repo.insert({ name, holder: null, leasedUntil: null, lastPeriod: null });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }

  /**
   * Claims `period` (e.g. "2026-11-22" for a daily job) for job `name`. True for exactly one
   * caller per (name, period), whichever instance asks first.
   */
  async claimPeriod(name: string, period: string): Promise<boolean> {
    await this.ensureRow(name);
    const res = await this.dataSource
      .createQueryBuilder()
      .update(JobLease)
      .set({ lastPeriod: period, holder: this.holderId })
      .where('name = :name AND (lastPeriod IS NULL OR lastPeriod < :period)', { name, period })
      .execute();
    return res.affected === 1;
  }

  /** Whether `period` (or a later one) of job `name` is claimed already: a read, claims nothing. */
  async periodClaimed(name: string, period: string): Promise<boolean> {
    const row = await this.dataSource.getRepository(JobLease).findOne({ where: { name } });
    return !!row?.lastPeriod && row.lastPeriod >= period;
  }

  /** Takes (or renews) a time-limited lease; true while this instance holds it. */
  async acquire(name: string, ttlMs: number): Promise<boolean> {
    await this.ensureRow(name);
    const now = new Date();
    const res = await this.dataSource
      .createQueryBuilder()
      .update(JobLease)
      .set({ holder: this.holderId, leasedUntil: new Date(now.getTime() + ttlMs) })
      .where('name = :name AND (leasedUntil IS NULL OR leasedUntil < :now OR holder = :holder)', { name, now, holder: this.holderId })
      .execute();
    return res.affected === 1;
  }

  async release(name: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(JobLease)
      .set({ leasedUntil: null })
      .where('name = :name AND holder = :holder', { name, holder: this.holderId })
      .execute();
  }
}
