import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { runInContext } from '../request-context/request-context';

export interface ScheduledJob {
  name: string;
  /** Runs on every tick of this instance; the job itself claims its period through JobLeaseService. */
  run(now: Date): Promise<void>;
}

/**
 * Ticks registered jobs every JOB_INTERVAL_SECONDS when JOBS_ENABLED. Jobs decide through the
 * database lease whether this instance does the work for the current period. On shutdown no new
 * tick starts, and the one running is waited for (within SHUTDOWN_TIMEOUT_SECONDS, which main.ts
 * enforces) before the database closes.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('JobScheduler');
  private readonly jobs: ScheduledJob[] = [];
  private timer?: NodeJS.Timeout;
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics = new Metrics(),
  ) {}

  register(job: ScheduledJob): void {
    this.jobs.push(job);
  }

  /** Runs every job once now (used by the timer and by tests); a tick already running is not doubled. */
  async tick(now = new Date()): Promise<void> {
    if (this.current || this.stopped) return;
    this.current = this.runAll(now).finally(() => (this.current = null));
    return this.current;
  }

  private async runAll(now: Date): Promise<void> {
    for (const job of this.jobs) {
      if (this.stopped) return;
      const endTimer = this.metrics.jobDuration.startTimer({ job: job.name });
      try {
        // A context of its own, never a request's: what a job audits or logs carries the run's id
        // (`job:<name>:<uuid>`) and no actor (the system), whoever triggered the tick.
        await runInContext({ requestId: `job:${job.name}:${randomUUID()}` }, () => job.run(now));
        this.metrics.jobRuns.inc({ job: job.name, outcome: 'ok' });
      } catch (err) {
        this.metrics.jobRuns.inc({ job: job.name, outcome: 'failed' });
        this.logger.error({ msg: 'scheduled job failed', job: job.name, err: (err as Error).message });
      } finally {
        endTimer();
      }
    }
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => void this.tick(), this.config.jobIntervalSeconds * 1000);
    this.timer.unref();
  }

  /** No new tick and no next job; waits for the job running now. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.current) {
      this.logger.log({ msg: 'waiting for the running job before shutdown' });
      await this.current;
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
