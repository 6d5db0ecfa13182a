import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, hasRole, notFound, Role, uuidv7, validationFailed, withTransaction } from '@stackgate/platform';
import { UsersRepository } from '../users/users.repository';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { ApiToken } from './api-token.entity';
import { ApiTokenResponse, CreateApiTokenDto, CreatedApiTokenResponse } from './dto/api-token.dto';
import { generateToken, LOOKUP_LENGTH, parseToken, TOKEN_PREFIXES, TokenKind, tokenMatches } from './token-format';
import { ALL_SCOPES } from './token-scopes';

/** How often a token's last-used time and address are written at most (no write per request). */
export const LAST_USED_INTERVAL_MS = 60_000;
/** Live (unrevoked, unexpired) tokens one person or service account may hold. */
export const MAX_LIVE_TOKENS = 50;
const PREFIXES = Object.values(TOKEN_PREFIXES);
const PREFIX_OF: Record<string, TokenKind> = { [TOKEN_PREFIXES.PERSONAL]: 'PERSONAL', [TOKEN_PREFIXES.SERVICE]: 'SERVICE' };

export function tokenStatus(token: ApiToken, now = new Date()): ApiTokenResponse['status'] {
  if (token.revokedAt) return 'REVOKED';
  return token.expiresAt && token.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}

/** The response allow-list: never the hash. */
export function toApiTokenResponse(token: ApiToken): ApiTokenResponse {
  return {
    id: token.id,
    name: token.name,
    kind: token.kind,
    tokenPrefix: `${TOKEN_PREFIXES[token.kind]}_${token.lookupId}`,
    scopes: token.scopes.split(',').filter(Boolean) as ApiTokenResponse['scopes'],
    principalId: token.principalId,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt,
    createdById: token.createdById,
    status: tokenStatus(token),
    createdAt: token.createdAt,
  };
}

/** The instant a token expires: a date is valid through that day (UTC). Refuses the past and nonsense. */
export function expiryOf(value: string | null | undefined, now = new Date()): Date | null {
  if (value === undefined || value === null) return null;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const instant = new Date(dateOnly ? `${value}T00:00:00.000Z` : value);
  if (Number.isNaN(instant.getTime()) || (dateOnly && instant.toISOString().slice(0, 10) !== value)) {
    throw validationFailed('expiresAt is not a real date');
  }
  if (dateOnly) instant.setUTCDate(instant.getUTCDate() + 1);
  if (instant.getTime() <= now.getTime()) throw validationFailed('expiresAt must be in the future');
  if (instant.getUTCFullYear() > 9999) throw validationFailed('expiresAt is too far in the future');
  return instant;
}

/** The latest expiry a new token may have (API_TOKEN_MAX_DAYS after now, a date of that day accepted), or null without a limit. */
export function lifetimeLimit(
  maxDays: number,
  now = new Date(),
): { maxDays: number; defaultExpiry: Date; latestDate: string; latest: Date } | null {
  if (!maxDays) return null;
  const defaultExpiry = new Date(now.getTime() + maxDays * 86_400_000);
  const latestDate = defaultExpiry.toISOString().slice(0, 10);
  const latest = new Date(`${latestDate}T00:00:00.000Z`);
  latest.setUTCDate(latest.getUTCDate() + 1);
  return { maxDays, defaultExpiry, latestDate, latest };
}

/** A new token's expiry under the limit: none given → the longest allowed; beyond it → 400 TOKEN_LIFETIME_TOO_LONG. */
export function boundedExpiry(value: string | null | undefined, maxDays: number, now = new Date()): Date | null {
  const expiresAt = expiryOf(value, now);
  const limit = lifetimeLimit(maxDays, now);
  if (!limit) return expiresAt;
  if (!expiresAt) return limit.defaultExpiry;
  if (expiresAt.getTime() > limit.latest.getTime()) {
    throw new IdentityError(
      IdentityErrorCode.TOKEN_LIFETIME_TOO_LONG,
      `A token may live at most ${maxDays} days: choose an expiry on or before ${limit.latestDate}`,
      { maxDays, latestExpiresAt: limit.latestDate },
    );
  }
  return expiresAt;
}

const snapshot = (token: ApiToken) => ({
  name: token.name,
  kind: token.kind,
  scopes: token.scopes,
  principalId: token.principalId,
  expiresAt: token.expiresAt,
  revokedAt: token.revokedAt,
});

/**
 * API tokens of people (personal access tokens) and service accounts: issue (the secret is answered
 * once, only its SHA-256 is kept), list, revoke, and authenticate a presented token for the guard.
 * The hashing, prefix, lookup and last-used bookkeeping is kind-agnostic (token-format.ts), so other
 * machine credentials can reuse it with their own prefix.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What the create forms show: the longest lifetime and the latest date allowed today (null: no limit). */
  lifetime(): { maxDays: number; latestDate: string } | null {
    const limit = lifetimeLimit(this.config.apiTokenMaxDays);
    return limit && { maxDays: limit.maxDays, latestDate: limit.latestDate };
  }

  /** Issues a token for `principalId` in the caller's transaction; audited as `api_token.created`. */
  async issue(
    manager: EntityManager,
    kind: TokenKind,
    principalId: string,
    dto: CreateApiTokenDto,
    actor: AuthUser,
  ): Promise<CreatedApiTokenResponse> {
    const expiresAt = boundedExpiry(dto.expiresAt, this.config.apiTokenMaxDays);
    const scopes = ALL_SCOPES.filter((scope) => dto.scopes.includes(scope));
    const live = await manager
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .where('t.principalId = :principalId AND t.revokedAt IS NULL', { principalId })
      .andWhere('(t.expiresAt IS NULL OR t.expiresAt > :now)', { now: new Date() })
      .getCount();
    if (live >= MAX_LIVE_TOKENS) {
      throw new IdentityError(IdentityErrorCode.TOKEN_LIMIT, `At most ${MAX_LIVE_TOKENS} live tokens; revoke unused ones first`);
    }
    const secret = generateToken(TOKEN_PREFIXES[kind]);
    const row = Object.assign(new ApiToken(), {
      id: uuidv7(),
      kind,
      lookupId: secret.lookupId,
      tokenHash: secret.hash,
      name: dto.name,
      scopes: scopes.join(','),
      principalId,
      createdById: actor.id,
      expiresAt,
      lastUsedAt: null,
      lastUsedIp: null,
      revokedAt: null,
      revokedById: null,
      createdAt: new Date(),
    });
    await manager.getRepository(ApiToken).insert(row);
    await this.audit.record(manager, { action: 'api_token.created', entityType: 'ApiToken', entityId: row.id, after: snapshot(row) });
    return { ...toApiTokenResponse(row), token: secret.token };
  }

  createPersonal(actor: AuthUser, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    return withTransaction(this.dataSource, (manager) => this.issue(manager, 'PERSONAL', actor.id, dto, actor));
  }

  /** The tokens of one principal, newest first (revoked and expired ones too, so the history stays visible). */
  async listOf(principalId: string, kind: TokenKind): Promise<ApiTokenResponse[]> {
    const rows = await this.dataSource
      .getRepository(ApiToken)
      .find({ where: { principalId, kind }, order: { createdAt: 'DESC', id: 'DESC' } });
    return rows.map(toApiTokenResponse);
  }

  /**
   * Revokes a token: the caller's own personal token, or (ADMIN) anyone's. Someone else's token is
   * 404 to a non-admin, as if it did not exist. Revoking a revoked token changes nothing.
   */
  async revokePersonal(actor: AuthUser, id: string): Promise<void> {
    await this.revokeWhere(actor, id, (token) => token.principalId === actor.id || hasRole(actor, Role.ADMIN));
  }

  /** Revokes token `id` of `principalId` (a service account's); 404 when it belongs to another. */
  async revokeOf(actor: AuthUser, principalId: string, id: string): Promise<void> {
    await this.revokeWhere(actor, id, (token) => token.principalId === principalId && token.kind === 'SERVICE');
  }

  private async revokeWhere(actor: AuthUser, id: string, visible: (token: ApiToken) => boolean): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const token = await manager.getRepository(ApiToken).findOne({ where: { id } });
      if (!token || !visible(token)) throw notFound('API token', id);
      if (token.revokedAt) return;
      const before = snapshot(token);
      const now = new Date();
      await manager.getRepository(ApiToken).update({ id, revokedAt: IsNull() }, { revokedAt: now, revokedById: actor.id });
      token.revokedAt = now;
      await this.audit.record(manager, {
        action: 'api_token.revoked',
        entityType: 'ApiToken',
        entityId: id,
        before,
        after: snapshot(token),
      });
    });
  }

  /** Revokes every live token of a principal in the caller's transaction (deactivation of a person). */
  async revokeAllOf(manager: EntityManager, principalId: string, byId: string | null, reason: string): Promise<number> {
    const live = await manager.getRepository(ApiToken).find({ where: { principalId, revokedAt: IsNull() }, select: { id: true } });
    if (!live.length) return 0;
    await manager.getRepository(ApiToken).update({ principalId, revokedAt: IsNull() }, { revokedAt: new Date(), revokedById: byId });
    await this.audit.record(manager, {
      action: 'api_token.revoked_all',
      entityType: 'User',
      entityId: principalId,
      metadata: { reason, tokenIds: live.map((token) => token.id) },
    });
    return live.length;
  }

  /**
   * The principal behind a presented API token, with the token's scopes, or null: malformed, wrong
   * prefix or checksum, unknown, hash mismatch, revoked, expired, or its principal inactive or gone.
   * The roles are the principal's current ones (read on every request), so a person who loses a role
   * loses it on their tokens at once. Last use is written at most once a minute.
   */
  async authenticate(presented: string, ip: string | undefined): Promise<AuthUser | null> {
    const parsed = parseToken(presented, PREFIXES);
    if (!parsed || parsed.lookupId.length !== LOOKUP_LENGTH) return null;
    const token = await this.dataSource.getRepository(ApiToken).findOne({ where: { lookupId: parsed.lookupId } });
    if (!token || token.kind !== PREFIX_OF[parsed.prefix] || !tokenMatches(presented, token.tokenHash)) return null;
    const now = new Date();
    if (tokenStatus(token, now) !== 'ACTIVE') return null;
    const principal = await this.users.findSessionById(token.principalId);
    if (!principal || !principal.active) return null;
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS) await this.touch(token, now, ip);
    return {
      id: principal.id,
      email: principal.email,
      displayName: principal.displayName,
      roles: principal.roles,
      token: { id: token.id, kind: token.kind, name: token.name, principalId: token.principalId, scopes: token.scopes.split(',') },
    };
  }

  /** One conditional UPDATE: concurrent requests of the same minute write once. */
  private async touch(token: ApiToken, now: Date, ip: string | undefined): Promise<void> {
    const cutoff = new Date(now.getTime() - LAST_USED_INTERVAL_MS);
    await this.dataSource
      .getRepository(ApiToken)
      .createQueryBuilder()
      .update(ApiToken)
      .set({ lastUsedAt: now, lastUsedIp: ip?.slice(0, 64) ?? null })
      .where('id = :id AND (lastUsedAt IS NULL OR lastUsedAt < :cutoff)', { id: token.id, cutoff })
      .execute();
  }
}
