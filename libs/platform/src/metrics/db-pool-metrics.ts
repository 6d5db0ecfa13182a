import type { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import type { Metrics } from './metrics';

/**
 * Follows the MySQL/MariaDB connection pool through its public events (acquire, release,
 * enqueue). SQLite has one connection and no pool: nothing to follow.
 */
export function watchConnectionPool(dataSource: DataSource, metrics: Metrics): void {
  const pool = (dataSource.driver as unknown as { pool?: EventEmitter }).pool;
  if (!pool || typeof pool.on !== 'function') return;
  pool.on('acquire', () => metrics.dbPoolInUse.inc());
  pool.on('release', () => metrics.dbPoolInUse.dec());
  pool.on('enqueue', () => metrics.dbPoolWaits.inc());
}
