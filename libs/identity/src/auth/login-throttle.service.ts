import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig, isUniqueViolation, withTransaction } from '@stackgate/platform';
import { LoginThrottle } from './login-throttle.entity';
import { IdentityError, IdentityErrorCode } from '../identity.errors';

/** The counters one sign-in attempt touches. */
export interface LoginThrottleKeys {
  /** The account from every address: strict, LOGIN_MAX_FAILURES_PER_ACCOUNT. */
  account: string;
  /** The account from this address: strict, LOGIN_MAX_FAILURES. */
  accountAddress: string;
  /** This address across accounts: a slowdown, LOGIN_MAX_FAILURES_PER_IP. */
  address: string;
}

/**
 * The throttle keys of an attempt. The pair key is hashed: an e-mail (254) and an IPv6 address
 * together would not fit the key column.
 */
export function loginThrottleKeys(email: string, ip: string | undefined): LoginThrottleKeys {
  const address = ip ?? 'unknown';
  return {
    account: `acct:${email}`,
    accountAddress: `acct-ip:${createHash('sha256').update(`${email}\n${address}`).digest('hex')}`,
    address: `ip:${address}`,
  };
}

const tooMany = (until: Date, now: Date) => {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new IdentityError(
    IdentityErrorCode.TOO_MANY_LOGIN_ATTEMPTS,
    `Too many failed sign-in attempts; try again in ${seconds} seconds`,
    undefined,
    { 'Retry-After': String(seconds) },
  );
};

/**
 * Counts failed logins in the database (so every instance sees the same counts) and sets a key's
 * lockedUntil for LOGIN_LOCKOUT_SECONDS once it reaches its limit. An account, and an account from
 * one address, are locked outright, correct password included. An address is only slowed down:
 * many people share one (an office behind NAT, a reverse proxy), so while it is over its limit a
 * wrong attempt from it answers 429 but a correct password for an active account still signs in.
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

  /**
   * 429 with Retry-After when the account or the account from this address is locked; otherwise
   * until when the address is slowed down (null when it is not).
   */
  async check(keys: LoginThrottleKeys, now = new Date()): Promise<{ addressSlowedUntil: Date | null }> {
    const rows = await this.repo
      .createQueryBuilder('t')
      .where('t.throttleKey IN (:...keys)', { keys: [keys.account, keys.accountAddress, keys.address] })
      .getMany();
    const lockedUntil = (key: string) => {
      const until = rows.find((r) => r.throttleKey === key)?.lockedUntil;
      return until && until > now ? until : null;
    };
    const strict = [lockedUntil(keys.account), lockedUntil(keys.accountAddress)]
      .filter((d): d is Date => !!d)
      .sort((a, b) => b.getTime() - a.getTime())[0];
    if (strict) throw tooMany(strict, now);
    return { addressSlowedUntil: lockedUntil(keys.address) };
  }

  /** The answer to a failed attempt from an address that is slowed down. */
  slowedDown(until: Date, now = new Date()): IdentityError {
    return tooMany(until, now);
  }

  /** Counts a failed attempt against all three keys, in one transaction. */
  async recordFailure(keys: LoginThrottleKeys, now = new Date()): Promise<void> {
    const limits: [string, number][] = [
      [keys.account, this.config.loginMaxFailuresPerAccount],
      [keys.accountAddress, this.config.loginMaxFailures],
      [keys.address, this.config.loginMaxFailuresPerIp],
    ];
    await withTransaction(this.dataSource, async (manager) => {
      for (const [key, limit] of limits) await this.bump(manager.getRepository(LoginThrottle), key, limit, now);
    });
  }

  /** The instant `key` is locked until, or null when it is not locked now. */
  async lockedUntil(key: string, now = new Date()): Promise<Date | null> {
    const until = (await this.repo.findOne({ where: { throttleKey: key } }))?.lockedUntil;
    return until && until > now ? until : null;
  }

  /**
   * Counts one failure against a single key (failures within `windowSeconds`; at `limit` the key is
   * locked for `windowSeconds` and its count starts again). Answers whether this failure locked it.
   */
  async recordKeyFailure(key: string, limit: number, windowSeconds: number, now = new Date()): Promise<boolean> {
    return withTransaction(this.dataSource, (manager) => this.bump(manager.getRepository(LoginThrottle), key, limit, now, windowSeconds));
  }

  private async bump(
    repo: Repository<LoginThrottle>,
    key: string,
    limit: number,
    now: Date,
    windowSeconds = this.config.loginLockoutSeconds,
  ): Promise<boolean> {
    const windowStart = new Date(now.getTime() - windowSeconds * 1000);
    const bump = () =>
      repo
        .createQueryBuilder()
        .update(LoginThrottle)
        .set({
          failures: () => 'CASE WHEN windowStartedAt < :windowStart THEN 1 ELSE failures + 1 END',
          windowStartedAt: () => 'CASE WHEN windowStartedAt < :windowStart THEN :now ELSE windowStartedAt END',
        })
        .where('throttleKey = :key')
        .setParameters({ key, windowStart, now })
        .execute();
    const res = await bump();
    if (!res.affected) {
      try {
        await repo.insert({ throttleKey: key, failures: 1, windowStartedAt: now, lockedUntil: null });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        await bump();
      }
    }
    const locked = await repo
      .createQueryBuilder()
      .update(LoginThrottle)
      .set({ lockedUntil: new Date(now.getTime() + windowSeconds * 1000), failures: 0, windowStartedAt: now })
      .where('throttleKey = :key AND failures >= :limit', { key, limit })
      .execute();
    return !!locked.affected;
  }

  /** After a successful sign-in: the account's counters start again (the address's do not). */
  async reset(keys: LoginThrottleKeys): Promise<void> {
    await withTransaction(this.dataSource, (m) =>
      m.getRepository(LoginThrottle).delete({ throttleKey: In([keys.account, keys.accountAddress]) }),
    );
  }
}
