import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { runInContext } from '../request-context/request-context';

export interface ScheduledJob {
  name: string;
  /** Runs on every tick of this instance; the job itself claims its period through JobLeaseService. */
  run(now: Date): Promise<void>;
}

/**
 * Ticks registered jobs every JOB_INTERVAL_SECONDS when JOBS_ENABLED. Jobs decide through the
 * database lease whether this instance does the work for the current period.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('JobScheduler');
  private readonly jobs: ScheduledJob[] = [];
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  register(job: ScheduledJob): void {
    this.jobs.push(job);
  }

  /** Runs every job once now (used by the timer and by tests). */
  async tick(now = new Date()): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const job of this.jobs) {
        try {
          // A context of its own, never a request's: what a job audits or logs carries the run's id
          // (`job:<name>:<uuid>`) and no actor (the system), whoever triggered the tick.
          await runInContext({ requestId: `job:${job.name}:${randomUUID()}` }, () => job.run(now));
        } catch (err) {
          this.logger.error({ msg: 'scheduled job failed', job: job.name, err: (err as Error).message });
        }
      }
    } finally {
      this.running = false;
    }
  }

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => void this.tick(), this.config.jobIntervalSeconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
