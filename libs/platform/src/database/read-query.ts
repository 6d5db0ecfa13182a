import { EntityManager, QueryFailedError } from 'typeorm';

/** The parts of TypeORM's MySQL driver (and of its mysql2 pool) a pooled read needs. */
interface PooledDriver {
  pool?: {
    getConnection(cb: (err: Error | null, conn: PooledConnection) => void): void;
  };
  poolCluster?: unknown;
  prepareDbConnection?(conn: PooledConnection): PooledConnection;
}
interface PooledConnection {
  query(sql: string, params: unknown[], cb: (err: Error | null, rows: unknown) => void): void;
  release(): void;
}

/**
 * A read statement outside any transaction, as `manager.query(sql, params)` answers it: the same
 * rows from the same pool and connection options, the same QueryFailedError around a driver error,
 * the same query logging. On MySQL/MariaDB it goes straight to the driver's pool: no QueryRunner,
 * none of the broadcaster's before/after-query events (Stackgate subscribes to none) and none of
 * mysql2's promise wrapper, which builds an Error for its stack on every statement. For the reads
 * every request makes (the guard's session lookup, a tool's row and its names) and the spend
 * report's aggregate and rates.
 *
 * Inside a transaction (a manager bound to a query runner), on SQLite and with replication it is
 * manager.query itself, so a read in a transaction still sees that transaction's writes.
 */
export function readQuery<T = Record<string, unknown>>(manager: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const driver = manager.connection.driver as unknown as PooledDriver;
  const pool = manager.queryRunner || driver.poolCluster ? undefined : driver.pool;
  if (!pool || !driver.prepareDbConnection) return manager.query(sql, params);
  const logger = manager.connection.logger;
  logger.logQuery(sql, params);
  const failed = (err: Error) => {
    logger.logQueryError(err, sql, params);
    return new QueryFailedError(sql, params, err);
  };
  return new Promise<T[]>((resolve, reject) => {
    pool.getConnection((err, conn) => {
      if (err) return reject(failed(err));
      // TypeORM's own step for a pooled connection: an error listener, so a dropped connection is logged, not thrown.
      driver.prepareDbConnection!(conn);
      conn.query(sql, params, (qerr, rows) => {
        conn.release();
        if (qerr) reject(failed(qerr));
        else resolve(rows as T[]);
      });
    });
  });
}
