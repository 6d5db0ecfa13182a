import { INestApplication, Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { AppLifecycle } from '@stackgate/platform';

export type ShutdownOutcome = 'drained' | 'timed_out';

/**
 * A graceful stop, for SIGTERM (a deploy, an orchestrator scaling in):
 *  1. readiness answers 503 at once (GET /api/health/ready), so a load balancer stops sending traffic;
 *  2. the server stops accepting connections and waits for the requests in flight (idle keep-alive
 *     connections are closed as they become idle);
 *  3. the app closes: no new job tick, the running job is waited for, then the database closes.
 * All within `timeoutMs`; past it the answer is 'timed_out' and the caller exits anyway.
 */
export async function gracefulShutdown(app: INestApplication, timeoutMs: number): Promise<ShutdownOutcome> {
  const logger = new Logger('Shutdown');
  app.get(AppLifecycle).beginDraining();
  logger.log({ msg: 'shutting down: not ready, no new connections, draining requests and jobs', timeoutMs });
  const server = app.getHttpServer() as Server;
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<ShutdownOutcome>((resolve) => {
    deadline = setTimeout(() => resolve('timed_out'), timeoutMs);
    deadline.unref();
  });
  const idleSweep = setInterval(() => server.closeIdleConnections(), 250);
  idleSweep.unref();
  const drain = (async (): Promise<ShutdownOutcome> => {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    await app.close();
    return 'drained';
  })();
  const outcome = await Promise.race([drain, timedOut]);
  clearTimeout(deadline);
  clearInterval(idleSweep);
  if (outcome === 'timed_out') logger.warn({ msg: 'shutdown timed out: exiting with work still in flight', timeoutMs });
  else logger.log({ msg: 'shut down cleanly' });
  return outcome;
}
