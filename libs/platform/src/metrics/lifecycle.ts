import { Injectable } from '@nestjs/common';

/**
 * Whether this instance is shutting down. Set when SIGTERM arrives, before anything closes, so the
 * readiness check answers 503 at once and a load balancer stops sending new requests while the
 * ones in flight finish.
 */
@Injectable()
export class AppLifecycle {
  private drainingSince: Date | null = null;

  beginDraining(now = new Date()): void {
    this.drainingSince ??= now;
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }
}
