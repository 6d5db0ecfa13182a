import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DIGEST_EVENT, DigestKind, isoWeek, NotificationPreferencesService, NotificationsService } from '@stackgate/notifications';
import { APP_CONFIG, AppConfig, isUniqueViolation, JobLeaseService, JobScheduler, withTransaction } from '@stackgate/platform';
import { ComposedDigest, DigestsService } from './digests.service';

export const DIGEST_JOB = 'weekly-digests';
/** The period claimed once a week's digests are all written: later ticks that week compose nothing. */
const DIGEST_DONE = 'weekly-digests:done';
const LEASE_MS = 10 * 60_000;
const DEDUPE_KIND: Record<DigestKind, string> = { reviewer: 'reviewer', budgetOwner: 'budget-owner' };
const LINK: Record<DigestKind, string> = { reviewer: '/requests?queue=awaiting-me', budgetOwner: '/renewals' };

/** The moment of `now`'s ISO week (UTC) from which the digests go out: weekday `day` (1 = Monday), `hour`:00. */
export function digestMoment(now: Date, day: number, hour: number): Date {
  const weekday = now.getUTCDay() || 7;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (weekday - 1) + (day - 1), hour));
}

/**
 * The weekly digests: from DIGEST_DAY at DIGEST_HOUR (UTC) on, once per ISO week, each reviewer and
 * each budget owner with something to be told and the digest on gets one e-mail (and inbox entry).
 * Once per person and week across instances: the lease keeps instances from composing together,
 * the dedupe key `digest:<kind>:<isoWeek>` (per recipient, unique in the outbox) makes a repeat —
 * another instance, a second run, a run finishing what a crashed one started — write nothing, and
 * the week is marked done only when every digest is written.
 */
@Injectable()
export class WeeklyDigestJob implements OnModuleInit {
  private readonly logger = new Logger('WeeklyDigests');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: JobScheduler,
    private readonly leases: JobLeaseService,
    private readonly notifications: NotificationsService,
    private readonly preferences: NotificationPreferencesService,
    private readonly digests: DigestsService,
  ) {}

  /**
   * Registered only where this instance runs scheduled jobs at all (JOBS_ENABLED) and digests are on:
   * a manual `JobScheduler.tick` (tests, with jobs off) then never sends digests as a side effect.
   */
  onModuleInit(): void {
    if (this.config.digestsEnabled && this.config.jobsEnabled)
      this.scheduler.register({ name: DIGEST_JOB, run: (now) => this.run(now).then(() => undefined) });
  }

  /** Sends this week's digests if their moment has come and they are not sent yet; returns how many were written. */
  async run(now = new Date()): Promise<number> {
    if (!this.config.digestsEnabled || now < digestMoment(now, this.config.digestDay, this.config.digestHour)) return 0;
    const week = isoWeek(now);
    if (await this.leases.periodClaimed(DIGEST_DONE, week)) return 0;
    if (!(await this.leases.acquire(DIGEST_JOB, LEASE_MS))) return 0;
    try {
      const written =
        (await this.send('reviewer', await this.digests.reviewerDigests(now), week)) +
        (await this.send('budgetOwner', await this.digests.budgetOwnerDigests(now), week));
      await this.leases.claimPeriod(DIGEST_DONE, week);
      this.logger.log({ msg: 'weekly digests', week, notifications: written });
      return written;
    } finally {
      await this.leases.release(DIGEST_JOB);
    }
  }

  private async send<T extends object>(kind: DigestKind, composed: ComposedDigest<T>[], week: string): Promise<number> {
    if (!composed.length) return 0;
    const wanted = await this.preferences.digestRecipients(
      this.dataSource.manager,
      composed.map((c) => c.recipient.id),
      kind,
    );
    let written = 0;
    for (const digest of composed.filter((c) => wanted.has(c.recipient.id))) {
      try {
        const rows = await withTransaction(this.dataSource, (manager) =>
          this.notifications.enqueue(manager, {
            event: DIGEST_EVENT[kind],
            recipients: [digest.recipient],
            data: { ...digest.data, week },
            link: LINK[kind],
            dedupeKey: `digest:${DEDUPE_KIND[kind]}:${week}`,
          }),
        );
        written += rows.length;
      } catch (err) {
        // Another instance wrote the same digest between our check and insert: it is sent once.
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return written;
  }
}
