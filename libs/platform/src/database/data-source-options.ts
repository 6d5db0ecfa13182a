import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList } from 'typeorm';
import { failoverConnector } from './failover-pool';
import { readBigIntegersExactly, SqliteDatabase } from './sqlite-exact-integers';

export type Engine = 'sqlite' | 'mysql' | 'mariadb';

/** The query parameters a mysql:// or mariadb:// DB_URL may carry. */
const SERVER_URL_PARAMS = ['socket'];

/** One server of a DB_URL: host (a name, an IPv4 address, or an IPv6 address without brackets) and port. */
export interface ServerHost {
  host: string;
  port: number;
}

/**
 * The host list of a mysql:// or mariadb:// DB_URL (`h1:3306,h2:3306,h3` — a cluster such as Galera, tried in
 * that order), and the URL with the first host only (for the URL parser: user, password, database, query).
 * Throws on a malformed list.
 */
function splitHosts(dbUrl: string): { hosts: ServerHost[]; singleHostUrl: string } {
  const match = /^((?:mysql|mariadb):\/\/)([^/?#]*@)?([^/?#]*)(.*)$/s.exec(dbUrl);
  if (!match) throw new Error('is not a valid URL');
  const [, scheme, userInfo = '', hostList, rest] = match;
  const hosts = hostList.split(',').map((entry) => {
    const parts = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d*))?$/.exec(entry);
    if (!parts) throw new Error(entry ? `has an invalid host "${entry}"` : 'has an empty host in its host list');
    const port = parts[2] ? Number(parts[2]) : 3306;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`has an invalid port in "${entry}"`);
    return { host: parts[1].replace(/^\[|\]$/g, ''), port };
  });
  const first = hostList.split(',')[0];
  return { hosts, singleHostUrl: `${scheme}${userInfo}${first}${rest}` };
}

/**
 * Checks a mysql:// or mariadb:// DB_URL: one host, or several separated by commas (each host[:port], no
 * repeats), and a query of only `socket=<absolute path>` (connect over that Unix socket instead of TCP; host
 * and port are then ignored, so a socket goes with one host only). Answers the problem, or null.
 */
export function serverUrlProblem(dbUrl: string): string | null {
  let url: URL;
  let hosts: ServerHost[];
  try {
    ({ hosts } = splitHosts(dbUrl));
  } catch (err) {
    return hostListOf(dbUrl).includes(',') ? (err as Error).message : 'is not a valid URL';
  }
  try {
    url = serverUrl(dbUrl);
  } catch {
    return 'is not a valid URL';
  }
  const seen = new Set<string>();
  for (const { host, port } of hosts) {
    const key = `${host.toLowerCase()}:${port}`;
    if (seen.has(key)) return `names the server ${host}:${port} more than once`;
    seen.add(key);
  }
  for (const key of url.searchParams.keys()) {
    if (!SERVER_URL_PARAMS.includes(key)) return `has an unknown parameter "${key}" (only socket=<absolute path> is understood)`;
  }
  const sockets = url.searchParams.getAll('socket');
  if (sockets.length > 1) return 'names socket more than once';
  if (sockets.length && !sockets[0].startsWith('/')) return `socket must be an absolute path, got "${sockets[0]}"`;
  if (sockets.length && hosts.length > 1) return 'names several hosts and a socket: ?socket= connects to one server on this machine';
  return null;
}

const hostListOf = (dbUrl: string) => /^(?:mysql|mariadb):\/\/(?:[^/?#]*@)?([^/?#]*)/.exec(dbUrl)?.[1] ?? '';

const serverUrl = (dbUrl: string) => new URL(splitHosts(dbUrl).singleHostUrl.replace(/^mariadb:/, 'mysql:'));

/**
 * Where and as whom a mysql:// or mariadb:// DB_URL connects: host and port, or with ?socket= that Unix socket;
 * with several hosts also `hosts`, all of them in the order the URL lists them (host and port are the first).
 */
export function serverConnection(dbUrl: string): {
  socketPath?: string;
  host?: string;
  port?: number;
  hosts?: ServerHost[];
  username: string;
  password: string;
  database: string;
} {
  const url = serverUrl(dbUrl);
  const { hosts } = splitHosts(dbUrl);
  // ?socket=/run/mysqld/mysqld.sock: a server on the same machine over its Unix socket, which
  // skips the loopback TCP stack on each round trip (0.21 against 0.42 ms on a busy VM here; docs/PERFORMANCE.md).
  const socketPath = url.searchParams.get('socket');
  return {
    ...(socketPath ? { socketPath } : { host: hosts[0].host, port: hosts[0].port }),
    ...(!socketPath && hosts.length > 1 ? { hosts } : {}),
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

/**
 * TypeORM options for a DB_URL: mysql://, mariadb:// (mysql2; `?socket=` for a Unix socket; several comma-separated hosts
 * for a cluster, with failover) or sqlite:<path> (better-sqlite3).
 */
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
  const { hosts, ...connection } = serverConnection(dbUrl);
  return {
    ...common,
    type: engine,
    ...connection,
    // Several hosts (a Galera cluster): one pool per host behind a pool that prefers the first and fails over (failover-pool.ts).
    ...(hosts ? { driver: failoverConnector(hosts) } : {}),
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
