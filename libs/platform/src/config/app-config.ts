import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { isCurrencyCode } from '../money/currency';
import { parseDecimalToMinor } from '../money/money';
import { serverUrlProblem } from '../database/data-source-options';
import { loadSignInSettings, SignInSettings } from './oidc-config';
import { loadOperationsSettings, OperationsSettings } from './operations-config';
import { ChatSettings, loadChatSettings } from './chat-config';
import { loadWebhookSettings, WebhookSettings } from './webhooks-config';
import { DigestSettings, loadDigestSettings } from './digest-config';

export type LogLevelSetting = 'debug' | 'log' | 'warn' | 'error' | 'silent';

/** Every setting Stackgate reads, validated once at start. Nothing else reads process.env. */
export interface AppConfig extends SignInSettings, WebhookSettings, ChatSettings, DigestSettings {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl?: string;
  dbUrl: string;
  dbMigrateOnStart: boolean;
  dbForeignKeys: boolean;
  dbPoolSize: number;
  jwtSecret: string;
  jwtSecretGenerated: boolean;
  accessTokenTtlSeconds: number;
  bootstrapAdminEmail?: string;
  bootstrapAdminPassword?: string;
  /** undefined = decide by engine (demo on the embedded SQLite default only). */
  seedDemo?: boolean;
  baseCurrency: string;
  fiscalYearStartMonth: number;
  /** Minor units of BASE_CURRENCY. */
  financeApprovalThresholdMinor: bigint;
  reviewSlaBusinessDays: number;
  smtpUrl?: string;
  smtpFrom: string;
  logLevel: LogLevelSetting;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  importMaxRows: number;
  /** Spreadsheet import limits, enforced while the file is parsed (libs/catalog/src/imports/reader). */
  importMaxColumns: number;
  importMaxCells: number;
  importMaxSharedStrings: number;
  importMaxUnpackedBytes: number;
  importParseMemoryMb: number;
  importParseTimeoutSeconds: number;
  /** Failed sign-ins per account from one client address before that pair is locked. */
  loginMaxFailures: number;
  /** Failed sign-ins per account from all addresses together before the account is locked. */
  loginMaxFailuresPerAccount: number;
  /** Failed sign-ins from one address before it slows down: only a correct password still passes. */
  loginMaxFailuresPerIp: number;
  loginLockoutSeconds: number;
  /** Failed API-token attempts (unknown, wrong secret, revoked, expired) from one address within tokenLockoutSeconds before it answers 429. */
  tokenMaxFailuresPerIp: number;
  /** The window that counts them and how long the address then stays throttled. */
  tokenLockoutSeconds: number;
  /** Longest lifetime of a new API token in days (no expiry given = this); 0 = no limit. */
  apiTokenMaxDays: number;
  corsOrigins: string[];
  /** Express `trust proxy`: false, a hop count, or the addresses/CIDRs of the trusted proxies. */
  trustProxy: TrustProxySetting;
  jobsEnabled: boolean;
  jobIntervalSeconds: number;
  operations: OperationsSettings;
}

export type TrustProxySetting = false | number | string[];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
  const text = str(env, name);
  if (text === undefined) return def;
  if (!/^-?\d+$/.test(text)) throw new ConfigError(name, `must be a whole number, got "${text}"`);
  const parsed = Number(text);
  if (parsed < min || parsed > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${parsed}`);
  return parsed;
}

function bool(env: Env, name: string, def: boolean | undefined): boolean | undefined {
  const text = str(env, name)?.toLowerCase();
  if (text === undefined) return def;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(name, `must be true or false, got "${text}"`);
}

function bytes(env: Env, name: string, def: number): number {
  const text = str(env, name);
  if (text === undefined) return def;
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(text);
  if (!match) throw new ConfigError(name, `must be a size such as 1mb, 512kb or 1048576, got "${text}"`);
  const mult = { b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  const size = Number(match[1]) * mult;
  if (size < 1024 || size > 512 * 1024 * 1024) throw new ConfigError(name, 'must be between 1kb and 512mb');
  return size;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Names Express (proxy-addr) accepts in a `trust proxy` list besides addresses and CIDRs. */
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY: `false` (default), a hop count (`1`, `2`, …) or a comma-separated list of proxy
 * addresses/CIDRs. `true` means 1 hop: Express's own `true` believes the client's left-most
 * X-Forwarded-For entry, which the client writes itself.
 */
function trustProxy(env: Env): TrustProxySetting {
  const text = str(env, 'TRUST_PROXY');
  if (text === undefined || ['false', 'no', 'off', '0'].includes(text.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(text.toLowerCase())) return 1;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new ConfigError('TRUST_PROXY', `must be at most 10 hops, got ${hops}`);
    return hops;
  }
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list) {
    if (PROXY_RANGE_NAMES.includes(entry)) continue;
    const [addr, bits, extra] = entry.split('/');
    const family = isIP(addr);
    const maxBits = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new ConfigError('TRUST_PROXY', `must be false, a hop count or a comma-separated list of proxy addresses/CIDRs, got "${entry}"`);
    }
  }
  return list;
}

export function loadConfig(env: Env, opts: { generateSecret?: () => string } = {}): AppConfig {
  const nodeEnvRaw = str(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];

  const dbUrl = str(env, 'DB_URL') ?? 'sqlite:./data/stackgate.sqlite';
  if (!/^(sqlite:.+|(mysql|mariadb):\/\/.+)$/.test(dbUrl)) {
    throw new ConfigError('DB_URL', 'must be sqlite:<path>, mysql://user:pass@host:port/db or mariadb://user:pass@host:port/db');
  }
  const serverProblem = dbUrl.startsWith('sqlite:') ? null : serverUrlProblem(dbUrl);
  if (serverProblem) throw new ConfigError('DB_URL', serverProblem);

  let jwtSecret = str(env, 'JWT_SECRET');
  let jwtSecretGenerated = false;
  if (!jwtSecret) {
    if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production (at least 32 characters)');
    jwtSecret = (opts.generateSecret ?? (() => randomBytes(48).toString('base64')))();
    jwtSecretGenerated = true;
  } else if (jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }

  const bootstrapAdminEmail = str(env, 'BOOTSTRAP_ADMIN_EMAIL')?.toLowerCase();
  const bootstrapAdminPassword = env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (bootstrapAdminEmail && !EMAIL.test(bootstrapAdminEmail)) throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL', 'must be an e-mail address');
  if (bootstrapAdminEmail && !bootstrapAdminPassword)
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'is required when BOOTSTRAP_ADMIN_EMAIL is set');
  if (bootstrapAdminPassword && bootstrapAdminPassword.length < 12)
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'must be at least 12 characters long');

  const baseCurrency = (str(env, 'BASE_CURRENCY') ?? 'EUR').toUpperCase();
  if (!isCurrencyCode(baseCurrency)) throw new ConfigError('BASE_CURRENCY', `must be an ISO 4217 currency code, got "${baseCurrency}"`);

  const thresholdRaw = str(env, 'FINANCE_APPROVAL_THRESHOLD') ?? '50000.00';
  let financeApprovalThresholdMinor: bigint;
  try {
    financeApprovalThresholdMinor = parseDecimalToMinor(thresholdRaw, baseCurrency);
  } catch {
    throw new ConfigError(
      'FINANCE_APPROVAL_THRESHOLD',
      `must be a decimal amount in ${baseCurrency} such as 50000.00, got "${thresholdRaw}"`,
    );
  }
  if (financeApprovalThresholdMinor < 0n) throw new ConfigError('FINANCE_APPROVAL_THRESHOLD', 'must not be negative');

  const smtpUrl = str(env, 'SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\/.+/.test(smtpUrl)) throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  const smtpFrom = str(env, 'SMTP_FROM') ?? 'Stackgate <stackgate@localhost>';

  const logLevel = (str(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'log')) as LogLevelSetting;
  if (!['debug', 'log', 'warn', 'error', 'silent'].includes(logLevel))
    throw new ConfigError('LOG_LEVEL', 'must be debug, log, warn, error or silent');

  const publicUrl = str(env, 'PUBLIC_URL');
  if (publicUrl && !/^https?:\/\/[^\s]+$/.test(publicUrl)) throw new ConfigError('PUBLIC_URL', 'must be an http(s) URL');

  const corsOrigins = (str(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const corsOrigin of corsOrigins)
    if (!/^https?:\/\/[^\s/]+$/.test(corsOrigin))
      throw new ConfigError('CORS_ORIGINS', `must be a comma-separated list of origins, got "${corsOrigin}"`);

  const host = str(env, 'HOST') ?? '0.0.0.0';
  const loginMaxFailures = int(env, 'LOGIN_MAX_FAILURES', 10, 1, 1000);

  const signIn = loadSignInSettings(env, (variable, problem) => new ConfigError(variable, problem), publicUrl);

  return {
    ...signIn,
    ...loadWebhookSettings(env, int, bool),
    ...loadChatSettings(env, str, (variable, message) => new ConfigError(variable, message)),
    ...loadDigestSettings(env, int, bool, (variable, problem) => new ConfigError(variable, problem)),
    nodeEnv,
    host,
    port: int(env, 'PORT', 3000, 0, 65535),
    publicUrl,
    dbUrl,
    dbMigrateOnStart: bool(env, 'DB_MIGRATE_ON_START', true)!,
    dbForeignKeys: bool(env, 'DB_FOREIGN_KEYS', true)!,
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 200),
    jwtSecret,
    jwtSecretGenerated,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, 60, 7 * 24 * 3600),
    bootstrapAdminEmail,
    bootstrapAdminPassword,
    seedDemo: bool(env, 'SEED_DEMO', undefined),
    baseCurrency,
    fiscalYearStartMonth: int(env, 'FISCAL_YEAR_START_MONTH', 1, 1, 12),
    financeApprovalThresholdMinor,
    reviewSlaBusinessDays: int(env, 'REVIEW_SLA_BUSINESS_DAYS', 5, 1, 60),
    smtpUrl,
    smtpFrom,
    logLevel,
    bodyLimitBytes: bytes(env, 'BODY_LIMIT', 1024 * 1024),
    uploadLimitBytes: bytes(env, 'UPLOAD_LIMIT', 10 * 1024 * 1024),
    importMaxRows: int(env, 'IMPORT_MAX_ROWS', 50000, 1, 1000000),
    importMaxColumns: int(env, 'IMPORT_MAX_COLUMNS', 200, 1, 16384),
    importMaxCells: int(env, 'IMPORT_MAX_CELLS', 2000000, 1, 100000000),
    importMaxSharedStrings: int(env, 'IMPORT_MAX_SHARED_STRINGS', 1000000, 1, 100000000),
    importMaxUnpackedBytes: bytes(env, 'IMPORT_MAX_UNPACKED_SIZE', 100 * 1024 * 1024),
    importParseMemoryMb: int(env, 'IMPORT_PARSE_MEMORY_MB', 256, 32, 65536),
    importParseTimeoutSeconds: int(env, 'IMPORT_PARSE_TIMEOUT_SECONDS', 60, 1, 3600),
    loginMaxFailures,
    loginMaxFailuresPerAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', loginMaxFailures * 3, loginMaxFailures, 10000),
    loginMaxFailuresPerIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 100, 1, 100000),
    loginLockoutSeconds: int(env, 'LOGIN_LOCKOUT_SECONDS', 900, 1, 86400),
    tokenMaxFailuresPerIp: int(env, 'TOKEN_MAX_FAILURES_PER_IP', 20, 1, 100000),
    tokenLockoutSeconds: int(env, 'TOKEN_LOCKOUT_SECONDS', 900, 1, 86400),
    apiTokenMaxDays: int(env, 'API_TOKEN_MAX_DAYS', 365, 0, 36500),
    corsOrigins,
    trustProxy: trustProxy(env),
    jobsEnabled: bool(env, 'JOBS_ENABLED', true)!,
    jobIntervalSeconds: int(env, 'JOB_INTERVAL_SECONDS', 60, 1, 86400),
    operations: loadOperationsSettings(env, (variable, problem) => new ConfigError(variable, problem)),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
