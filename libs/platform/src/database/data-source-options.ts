import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { readBigIntegersExactly, SqliteDatabase } from './sqlite-exact-integers';

export type Engine = 'sqlite' | 'mysql' | 'mariadb';

/** The query parameters a mysql:// or mariadb:// DB_URL may carry. */
const SERVER_URL_PARAMS = ['socket'];

/**
 * Checks a mysql:// or mariadb:// DB_URL's query: only `socket=<absolute path>` (connect over that
 * Unix socket instead of TCP; host and port are then ignored). Answers the problem, or null.
 */
export function serverUrlProblem(dbUrl: string): string | null {
  let url: URL;
  try {
    url = serverUrl(dbUrl);
  } catch {
    return 'is not a valid URL';
  }
  for (const key of url.searchParams.keys()) {
    if (!SERVER_URL_PARAMS.includes(key)) return `has an unknown parameter "${key}" (only socket=<absolute path> is understood)`;
  }
  const sockets = url.searchParams.getAll('socket');
  if (sockets.length > 1) return 'names socket more than once';
  if (sockets.length && !sockets[0].startsWith('/')) return `socket must be an absolute path, got "${sockets[0]}"`;
  return null;
}

const serverUrl = (dbUrl: string) => new URL(dbUrl.replace(/^mariadb:/, 'mysql:'));

/** Where and as whom a mysql:// or mariadb:// DB_URL connects: host and port, or with ?socket= that Unix socket. */
export function serverConnection(dbUrl: string): {
  socketPath?: string;
  host?: string;
  port?: number;
  username: string;
  password: string;
  database: string;
} {
  const url = serverUrl(dbUrl);
  // ?socket=/run/mysqld/mysqld.sock: a server on the same machine over its Unix socket, which
  // skips the loopback TCP stack on each round trip (0.21 against 0.42 ms on a busy VM here; docs/PERFORMANCE.md).
  const socketPath = url.searchParams.get('socket');
  return {
    ...(socketPath ? { socketPath } : { host: url.hostname, port: url.port ? Number(url.port) : 3306 }),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, ''),
  };
}

export function engineOf(dbUrl: string): Engine {
  if (dbUrl.startsWith('sqlite:')) return 'sqlite';
  return dbUrl.startsWith('mariadb://') ? 'mariadb' : 'mysql';
}

/** An entity or migration class, as TypeORM's entity and migration lists take them. */
export type ClassType = abstract new (...args: never[]) => unknown;

/** TypeORM options for a DB_URL: mysql://, mariadb:// (mysql2; `?socket=` for a Unix socket) or sqlite:<path> (better-sqlite3). */
export function buildDataSourceOptions(
  dbUrl: string,
  opts: { poolSize?: number; entities?: MixedList<ClassType>; migrations?: MixedList<ClassType>; logging?: boolean },
): DataSourceOptions {
  const common = {
    entities: opts.entities ?? [],
    migrations: opts.migrations ?? [],
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    migrationsRun: false,
    logging: opts.logging ? (['error', 'warn'] as ('error' | 'warn')[]) : false,
    invalidWhereValuesBehavior: { null: 'throw' as const, undefined: 'throw' as const },
  };
  const engine = engineOf(dbUrl);
  if (engine === 'sqlite') {
    const raw = dbUrl.slice('sqlite:'.length);
    const database = raw === ':memory:' ? raw : resolve(raw);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      timeout: 10000,
      prepareDatabase: (db: SqliteDatabase & { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
        // BIGINT money above 2^53 minor units reads back exactly, as mysql2's bigNumberStrings does below.
        readBigIntegersExactly(db);
      },
    };
  }
  return {
    ...common,
    type: engine,
    ...serverConnection(dbUrl),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    // BIGINT and DECIMAL (SUM of a BIGINT is DECIMAL) as exact strings: money in minor units above 2^53 is not rounded.
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: opts.poolSize ?? 10,
    connectorPackage: 'mysql2',
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  } as DataSourceOptions;
}
