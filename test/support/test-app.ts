import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig, engineOf, loadConfig } from '@stackgate/platform';
import { createApp, StartupHooks } from '../../apps/api/src/setup';

export type Engine = 'sqlite' | 'mariadb';
export const TEST_ENGINE: Engine = process.env.TEST_DB_ENGINE === 'mariadb' ? 'mariadb' : 'sqlite';
export const TEST_JWT_SECRET = 'test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file: a temp SQLite file, or a new MariaDB schema. */
export async function createTestDatabase(engine: Engine = TEST_ENGINE): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'stackgate-test-'));
    return { url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = process.env.TEST_MYSQL_URL;
  if (!admin) throw new Error('TEST_DB_ENGINE=mariadb needs TEST_MYSQL_URL (npm test starts a throwaway server)');
  const name = `sg_test_${randomBytes(6).toString('hex')}`;
  const url = new URL(admin.replace(/^(mariadb|mysql):/, 'http:'));
  const base = `mariadb://${url.username}:${url.password}@${url.host}`;
  const serverOnly = {
    type: 'mariadb',
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  } as const;
  const ds = new DataSource(serverOnly);
  await ds.initialize();
  await ds.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await ds.destroy();
  return {
    url: `${base}/${name}`,
    drop: async () => {
      // Only ever drops the schema this helper created.
      if (!name.startsWith('sg_test_')) throw new Error(`refusing to drop ${name}`);
      const server = new DataSource(serverOnly);
      await server.initialize();
      await server.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await server.destroy();
    },
  };
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  dataSource: DataSource;
  http: () => ReturnType<typeof request>;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The real app (same setup as production) on a fresh database, ready for supertest. */
export async function startTestApp(env: Record<string, string> = {}, hooks: StartupHooks = {}, db?: TestDatabase): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: TEST_JWT_SECRET,
    DB_URL: database.url,
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    SEED_DEMO: 'false',
    ...env,
  });
  const app = await createApp(config, hooks);
  const server = app.getHttpServer();
  return {
    app,
    config,
    db: database,
    dataSource: app.get(DataSource),
    http: () => request(server),
    close: async () => {
      await app.close();
      if (!db) await database.drop();
    },
  };
}

export const isMysql = (config: AppConfig) => engineOf(config.dbUrl) !== 'sqlite';
