import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig, DomainError, isUniqueViolation } from '@stackgate/platform';
import { LoginThrottle } from './login-throttle.entity';

/**
 * Counts failed logins per account and per client address in the database (so every instance
 * sees the same counts) and locks a key for LOGIN_LOCKOUT_SECONDS once it reaches its limit.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get repo() {
    return this.dataSource.getRepository(LoginThrottle);
  }

  /** Counts a failure against each key (each with its own limit), in one transaction. */
  async recordFailures(keys: { key: string; limit: number }[], now = new Date()): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      for (const k of keys) await this.recordFailure(m.getRepository(LoginThrottle), k.key, k.limit, now);
    });
  }

  /** 429 with Retry-After when any of the keys is locked. */
  async assertNotLocked(keys: string[], now = new Date()): Promise<void> {
    const rows = await this.repo.createQueryBuilder('t').where('t.throttleKey IN (:...keys)', { keys }).getMany();
    const until = rows.map((r) => r.lockedUntil).filter((d): d is Date => !!d && d > now).sort((a, b) => b.getTime() - a.getTime())[0];
    if (until) {
      const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
      throw new DomainError(429, 'TOO_MANY_LOGIN_ATTEMPTS', `Too many failed sign-in attempts; try again in ${seconds} seconds`, undefined, { 'Retry-After': String(seconds) });
    }
  }

  private async recordFailure(repo: Repository<LoginThrottle>, key: string, limit: number, now: Date): Promise<void> {
    const windowStart = new Date(now.getTime() - this.config.loginLockoutSeconds * 1000);
    const bump = () => repo.createQueryBuilder().update(LoginThrottle)
      .set({
        failures: () => 'CASE WHEN windowStartedAt < :windowStart THEN 1 ELSE failures + 1 END',
        windowStartedAt: () => 'CASE WHEN windowStartedAt < :windowStart THEN :now ELSE windowStartedAt END',
      })
      .where('throttleKey = :key')
      .setParameters({ key, windowStart, now })
      .execute();
    let res = await bump();
    if (!res.affected) {
      try {
        await repo.insert({ throttleKey: key, failures: 1, windowStartedAt: now, lockedUntil: null });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        res = await bump();
      }
    }
    await repo.createQueryBuilder().update(LoginThrottle)
      .set({ lockedUntil: new Date(now.getTime() + this.config.loginLockoutSeconds * 1000), failures: 0, windowStartedAt: now })
      .where('throttleKey = :key AND failures >= :limit', { key, limit })
      .execute();
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.transaction((m) => m.getRepository(LoginThrottle).delete({ throttleKey: key }));
  }
}
