import { EventEmitter } from 'node:events';
import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';
import type { ServerHost } from './data-source-options';

/** How long a host that refused a connection is skipped before it is tried again. */
export const HOST_RETRY_AFTER_MS = 3000;

/**
 * A mysql2 pool over several servers of one cluster (a DB_URL with several hosts, e.g. the nodes of a Galera
 * cluster), as TypeORM's mysql driver uses a pool: getConnection(callback), end(callback) and the pool events.
 *
 * Order, not round robin: every connection goes to the first host of the list that accepts one. A host that
 * fails to connect is skipped for HOST_RETRY_AFTER_MS and the next one is tried at once, so a request that
 * needs a new connection while its host is down gets one from the next host instead of an error; once the
 * host is back, new connections return to it. Writing through one node keeps Galera's certification conflicts
 * (two nodes changing the same row at once) for the rare case of a failover; an operator who wants the load
 * spread lists the hosts in a different order per instance. Connections already open to a host that goes away
 * fail (the request in flight answers 503, as on a single server) and leave the pool.
 */
export class FailoverPool extends EventEmitter {
  private readonly pools: Pool[];
  private readonly downUntil: number[];
  private ended = false;

  constructor(
    readonly hosts: ServerHost[],
    options: PoolOptions,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.pools = hosts.map(({ host, port }) => mysql2.createPool({ ...options, host, port }));
    this.downUntil = hosts.map(() => 0);
    // The pool events the metrics follow (acquire, release, enqueue), from every host's pool.
    for (const pool of this.pools) {
      for (const event of ['acquire', 'release', 'enqueue', 'connection'])
        pool.on(event, (...args: unknown[]) => this.emit(event, ...args));
    }
  }

  /** The hosts to try for the next connection: those not skipped, in list order, then the skipped ones (last resort). */
  private candidates(): number[] {
    const time = this.now();
    const order = this.pools.map((_, index) => index);
    return [...order.filter((index) => this.downUntil[index] <= time), ...order.filter((index) => this.downUntil[index] > time)];
  }

  getConnection(callback: (err: NodeJS.ErrnoException | null, connection?: PoolConnection) => void): void {
    if (this.ended) {
      callback(Object.assign(new Error('Pool is closed.'), { code: 'POOL_CLOSED' }));
      return;
    }
    const tryHost = (queue: number[], lastError: NodeJS.ErrnoException | null) => {
      const index = queue.shift();
      if (index === undefined) return callback(lastError);
      this.pools[index].getConnection((err, connection) => {
        if (!err) {
          this.downUntil[index] = 0;
          return callback(null, connection);
        }
        this.downUntil[index] = this.now() + HOST_RETRY_AFTER_MS;
        this.emit('failover', { host: this.hosts[index], error: err });
        tryHost(queue, err);
      });
    };
    tryHost(this.candidates(), null);
  }

  end(callback?: (err?: Error | null) => void): void {
    this.ended = true;
    Promise.all(this.pools.map((pool) => new Promise<void>((resolve, reject) => pool.end((err) => (err ? reject(err) : resolve())))))
      .then(() => callback?.(null))
      .catch((err: Error) => callback?.(err));
  }
}

/**
 * The mysql2 module as TypeORM's mysql driver loads it (its `driver` option), with createPool answering a
 * FailoverPool over `hosts` (the connection options TypeORM builds, once per host).
 */
export function failoverConnector(hosts: ServerHost[]): typeof mysql2 {
  return { ...mysql2, createPool: (options: PoolOptions) => new FailoverPool(hosts, options) as unknown as Pool } as typeof mysql2;
}
