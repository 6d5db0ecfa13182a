import * as crypto from 'node:crypto';
import { INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import {
  ALL_SCOPES,
  ANY_SCOPE,
  BootstrapAdminService,
  NO_TOKENS,
  ROUTE_SCOPES,
  SCIM_BODY_LIMIT_BYTES,
  scimBodyErrors,
  SCOPE_DESCRIPTIONS,
} from '@stackgate/identity';
import { ASSETS_DIR } from '@stackgate/web';
import { SLACK_INTERACTIONS_PATH, slackInteractionsBody } from '@stackgate/chat';
import {
  answerClientError,
  AppConfig,
  createValidationPipe,
  HttpErrorFilter,
  httpMetricsMiddleware,
  isMysqlFamily,
  JsonLogger,
  Metrics,
  requestIdMiddleware,
  watchConnectionPool,
} from '@stackgate/platform';
import { AppModule } from './app.module';

export function buildOpenApiDocument(app: INestApplication) {
  const doc = new DocumentBuilder()
    .setTitle('Stackgate API')
    .setDescription(
      'Martech stack governance and procurement: the tool catalog, data flows, the review workflow, ' +
        'contracts, spend and reports. Authenticate with POST /api/v1/auth/login and send the token as ' +
        '`Authorization: Bearer <token>`. Lists answer `{items, page, pageSize, total}`; errors answer ' +
        '`{statusCode, error, message, code?, details?, requestId}`. Money is `{amount: "1234.50", currency: "EUR"}`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API token', description: bearerDescription() })
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'SCIM token',
        description:
          'SCIM 2.0 at /scim/v2 (tag SCIM): a SCIM token (`sgscim_…`) an administrator creates with POST /api/v1/scim-tokens. ' +
          'It is accepted on /scim/v2 only, and nothing else is accepted there (no session, no API token).',
      },
      'scim',
    )
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  // Every `:id` is parsed with ParseUUIDPipe (a non-UUID is 400); the explorer only sees a string.
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as { parameters?: { in?: string; name?: string; schema?: Record<string, unknown> }[] }[]) {
      for (const parameter of op?.parameters ?? [])
        if (parameter.in === 'path' && (parameter.name === 'id' || parameter.name === 'tokenId') && parameter.schema)
          parameter.schema.format = 'uuid';
    }
  }
  documentTokenScopes(document.paths as unknown as Record<string, Record<string, unknown>>);
  return document;
}

/** Applies everything that makes the app the product: security headers, limits, validation, errors, docs. */
export function configureApp(app: NestExpressApplication, config: AppConfig): void {
  // false, a hop count or the proxies' addresses: never `true`, which believes the client's own X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  // Requests the HTTP parser refuses (an over-long URL: 431) never reach Express: answer the error JSON too.
  app.getHttpServer().on('clientError', answerClientError);
  app.disable('x-powered-by');
  app.use(requestIdMiddleware);
  app.use(httpMetricsMiddleware(app.get(Metrics)));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
          // Signing out of the web UI (a form) may end at the identity provider's end-session endpoint.
          'form-action': ["'self'", ...(config.oidc ? [new URL(config.oidc.issuerUrl).origin] : [])],
        },
      },
      hsts: config.nodeEnv === 'production',
    }),
  );
  // SCIM clients send application/scim+json; a refusal of the body there answers SCIM's error schema.
  app.use(
    '/scim',
    json({ limit: Math.min(config.bodyLimitBytes, SCIM_BODY_LIMIT_BYTES), type: ['application/scim+json', 'application/json'] }),
    scimBodyErrors,
  );
  // Slack signs the exact bytes of its form body: that route reads it raw (64 KB at most), before any parser.
  app.use(SLACK_INTERACTIONS_PATH, ...slackInteractionsBody());
  app.useBodyParser('json', { limit: config.bodyLimitBytes });
  app.useBodyParser('urlencoded', { limit: config.bodyLimitBytes, extended: false });
  if (config.corsOrigins.length) app.enableCors({ origin: config.corsOrigins, credentials: false });
  app.useStaticAssets(ASSETS_DIR, { prefix: '/assets/', maxAge: config.nodeEnv === 'production' ? '1h' : 0, index: false });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpErrorFilter());
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', customSiteTitle: 'Stackgate API' });
}

/** How long a starting instance waits for another one's migrations (a backfill over a large ledger takes minutes). */
export const MIGRATION_LOCK_WAIT = { attempts: 15, seconds: 60 };

/**
 * The name of the migration lock of one database: named locks are the server's, so each database has its own
 * (instances of other databases on the same server migrate at the same time). Lock names hold 64 characters: a
 * longer database name is named by its SHA-1.
 */
export function migrationLockName(database: string): string {
  const name = `stackgate_migrations:${database}`;
  return name.length <= 64 ? name : `stackgate_migrations:${crypto.createHash('sha1').update(database).digest('hex')}`;
}

/**
 * Runs pending migrations, holding the database's named lock on MySQL/MariaDB (migrationLockName) so two
 * starting instances don't race: an instance that does not get the lock waits for it (logging each minute)
 * and, after MIGRATION_LOCK_WAIT, refuses to start rather than migrate beside the other one. (On Galera the
 * lock is the node's own: run migrations once, as a release step; docs/SCALING.md.)
 */
export async function runMigrations(dataSource: DataSource, wait = MIGRATION_LOCK_WAIT): Promise<string[]> {
  const qr = dataSource.createQueryRunner();
  const mysql = isMysqlFamily(qr);
  let locked = false;
  let lock = '';
  try {
    if (mysql) {
      const [current] = (await qr.query('SELECT DATABASE() AS db')) as Array<{ db: string | null }>;
      lock = migrationLockName(current?.db ?? '');
    }
    for (let attempt = 1; mysql && !locked; attempt++) {
      const rows = (await qr.query(`SELECT GET_LOCK(?, ${wait.seconds}) AS ${qr.connection.driver.escape('got')}`, [lock])) as Array<{
        got: number | string | null;
      }>;
      locked = Number(rows[0]?.got) === 1;
      if (locked) break;
      if (attempt >= wait.attempts)
        throw new Error(
          `Another instance has held the migration lock (${lock}) for ${wait.attempts * wait.seconds} s: ` +
            'not starting beside its migrations; start again once it is done',
        );
      new Logger('Migrations').warn(`waiting for another instance's migrations (${attempt * wait.seconds} s so far)`);
    }
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    if (locked) await qr.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    await qr.release();
  }
}

export interface StartupHooks {
  /** Runs after migrations, initialisation and the bootstrap admin, before the app serves (demo data). */
  afterMigrate?: (app: NestExpressApplication) => Promise<void>;
}

/** Creates a configured, migrated, initialised app that is not yet listening. */
export async function createApp(config: AppConfig, hooks: StartupHooks = {}): Promise<NestExpressApplication> {
  const logger = new JsonLogger(config.logLevel === 'silent' ? 'silent' : config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
    abortOnError: false,
  });
  configureApp(app, config);
  const dataSource = app.get(DataSource);
  watchConnectionPool(dataSource, app.get(Metrics));
  if (config.dbMigrateOnStart) {
    const ran = await runMigrations(dataSource);
    if (ran.length) new Logger('Migrations').log({ msg: 'applied migrations', migrations: ran });
  }
  // Initialise before writing anything, so every module has registered its hooks and templates.
  await app.init();
  await app.get(BootstrapAdminService).run();
  if (hooks.afterMigrate) await hooks.afterMigrate(app);
  return app;
}

/** The bearer scheme: sessions and API tokens, with every token scope. */
function bearerDescription(): string {
  const scopes = ALL_SCOPES.map((scope) => `- \`${scope}\`: ${SCOPE_DESCRIPTIONS[scope]}`).join('\n');
  return (
    'A session token from POST /api/v1/auth/login, or an API token for integrations: a personal access token ' +
    '(`sgp_…`, POST /api/v1/api-tokens) or a service account token (`sgs_…`, POST /api/v1/service-accounts/{id}/tokens). ' +
    "An API token acts with its owner's current roles, narrowed to its scopes; each operation names the scope it needs " +
    '(403 `TOKEN_SCOPE_MISSING` without it, 403 `TOKEN_NOT_ALLOWED` on operations closed to tokens). After TOKEN_MAX_FAILURES_PER_IP ' +
    'requests with an unknown, malformed, expired or revoked API token from one address within TOKEN_LOCKOUT_SECONDS, further invalid ' +
    'tokens from it answer 429 `TOO_MANY_TOKEN_ATTEMPTS` with Retry-After (valid tokens keep working). Scopes:\n' +
    scopes
  );
}

const TOKEN_THROTTLED = {
  description:
    'TOO_MANY_TOKEN_ATTEMPTS: too many requests with an unknown, expired or revoked API token from this address; ' +
    'try again after Retry-After seconds (valid tokens are not refused)',
  headers: {
    'Retry-After': { description: 'Seconds until invalid tokens from this address are counted again', schema: { type: 'integer' } },
  },
};

/** Appends "API token scope: …" to the description of every operation (from ROUTE_SCOPES). */
function documentTokenScopes(paths: Record<string, Record<string, unknown>>): void {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item) as [string, { description?: string; security?: unknown[] }][]) {
      if (!operation?.security?.length || path.startsWith('/scim/')) continue;
      const rule = ROUTE_SCOPES[`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`];
      const words =
        rule === undefined || rule === NO_TOKENS
          ? 'not callable with an API token'
          : rule === ANY_SCOPE
            ? 'any'
            : (typeof rule === 'string' ? [rule] : rule).map((scope) => `\`${scope}\``).join(' and ');
      operation.description = `${operation.description ?? ''} API token scope: ${words}.`.trim();
      if (rule !== undefined && rule !== NO_TOKENS)
        (operation as { responses?: Record<string, unknown> }).responses!['429'] ??= TOKEN_THROTTLED;
    }
  }
}
