import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from a fast read (a few ms) to a report or an import (seconds). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The instance's Prometheus metrics (`GET /metrics`). One registry per app, never prom-client's
 * global one, so that two apps in one process (tests, a worker) count apart. The libs increment
 * the counters here; figures read from the database on a scrape are gauges registered with
 * `gaugeFromQuery`.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'stackgate_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'stackgate_http_request_duration_seconds',
    help: 'Time from the request to the end of the answer, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'stackgate_job_runs_total',
    help: 'Scheduled job runs on this instance, by job and outcome (ok, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'stackgate_job_duration_seconds',
    help: 'Duration of scheduled job runs on this instance, by job',
    labelNames: ['job'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly importRows = new Counter({
    name: 'stackgate_import_rows_total',
    help: 'Spreadsheet rows imported, by import kind, mode (dry_run, commit) and outcome (valid, invalid)',
    labelNames: ['kind', 'mode', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: 'stackgate_login_failures_total',
    help: 'Refused password sign-ins, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly dbPoolInUse = new Gauge({
    name: 'stackgate_db_pool_connections_in_use',
    help: 'Database connections taken from the pool and not yet given back (MySQL/MariaDB)',
    registers: [this.registry],
  });

  readonly dbPoolWaits = new Counter({
    name: 'stackgate_db_pool_waits_total',
    help: 'Times a query had to wait for a free pooled connection (MySQL/MariaDB)',
    registers: [this.registry],
  });

  /**
   * A gauge read on each scrape by `read` (e.g. a COUNT). A read that fails or takes over two
   * seconds leaves the gauge at its last value, so that a slow database never stalls the scrape.
   */
  gaugeFromQuery(name: string, help: string, read: () => Promise<number>): void {
    let last = 0;
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        last = await withDeadline(read(), 2000).catch(() => last);
        this.set(last);
      },
    });
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('deadline')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
