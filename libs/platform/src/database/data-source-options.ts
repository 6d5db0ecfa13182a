import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions, MixedList } from 'typeorm';

export type Engine = 'sqlite' | 'mysql' | 'mariadb';

export function engineOf(dbUrl: string): Engine {
  if (dbUrl.startsWith('sqlite:')) return 'sqlite';
  return dbUrl.startsWith('mariadb://') ? 'mariadb' : 'mysql';
}

/** TypeORM options for a DB_URL: mysql://, mariadb:// (mysql2) or sqlite:<path> (better-sqlite3). */
export function buildDataSourceOptions(
  dbUrl: string,
  opts: { poolSize?: number; entities?: MixedList<Function>; migrations?: MixedList<Function>; logging?: boolean },
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
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
    } as DataSourceOptions;
  }
  const url = new URL(dbUrl.replace(/^mariadb:/, 'mysql:'));
  return {
    ...common,
    type: engine,
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, ''),
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    poolSize: opts.poolSize ?? 10,
    connectorPackage: 'mysql2',
    extra: { connectTimeout: 5000, enableKeepAlive: true },
  } as DataSourceOptions;
}
