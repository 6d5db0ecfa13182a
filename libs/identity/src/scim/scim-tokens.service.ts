import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, notFound, Role, uuidv7, withTransaction } from '@stackgate/platform';
import { boundedExpiry, LAST_USED_INTERVAL_MS } from '../api-tokens/api-tokens.service';
import { generateToken, LOOKUP_LENGTH, parseToken, tokenMatches } from '../api-tokens/token-format';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { UsersRepository } from '../users/users.repository';
import { ScimToken } from './scim.entities';
import { CreatedScimTokenResponse, CreateScimTokenDto, ScimTokenResponse } from './scim-token.dto';

/** The prefix of SCIM tokens: secret scanners recognise them, and the API guard never takes them for a session or an API token. */
export const SCIM_TOKEN_PREFIX = 'sgscim';
/** Live SCIM tokens at most (one per identity provider, plus one while rotating, is the usual need). */
export const MAX_LIVE_SCIM_TOKENS = 10;

/** Who acts on /scim/v2: the token and the administrator who created it (their current account). */
export interface ScimPrincipal {
  tokenId: string;
  tokenName: string;
  admin: { id: string; email: string; displayName: string; roles: Role[] };
}

function status(token: ScimToken, now = new Date()): ScimTokenResponse['status'] {
  if (token.revokedAt) return 'REVOKED';
  return token.expiresAt && token.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}

export function toScimTokenResponse(token: ScimToken): ScimTokenResponse {
  return {
    id: token.id,
    name: token.name,
    tokenPrefix: `${SCIM_TOKEN_PREFIX}_${token.lookupId}`,
    createdById: token.createdById,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt,
    status: status(token),
    createdAt: token.createdAt,
  };
}

const snapshot = (token: ScimToken) => ({ name: token.name, expiresAt: token.expiresAt, revokedAt: token.revokedAt });

/**
 * SCIM bearer tokens: issued by an administrator (the secret answered once, only its SHA-256 kept),
 * listed, revoked, and checked for the SCIM guard. A token works only while the administrator who
 * created it is active and still ADMIN: SCIM acts on their behalf.
 */
@Injectable()
export class ScimTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  /** PUBLIC_URL + /scim/v2 (the path alone when PUBLIC_URL is not set). */
  get baseUrl(): string {
    return `${(this.config.publicUrl ?? '').replace(/\/+$/, '')}/scim/v2`;
  }

  async create(actor: AuthUser, dto: CreateScimTokenDto): Promise<CreatedScimTokenResponse> {
    // the same maximum lifetime as every API token (API_TOKEN_MAX_DAYS): none given → the longest allowed
    const expiresAt = boundedExpiry(dto.expiresAt, this.config.apiTokenMaxDays);
    return withTransaction(this.dataSource, async (manager) => {
      const live = await manager
        .getRepository(ScimToken)
        .createQueryBuilder('t')
        .where('t.revokedAt IS NULL AND (t.expiresAt IS NULL OR t.expiresAt > :now)', { now: new Date() })
        .getCount();
      if (live >= MAX_LIVE_SCIM_TOKENS) {
        throw new IdentityError(
          IdentityErrorCode.TOKEN_LIMIT,
          `At most ${MAX_LIVE_SCIM_TOKENS} live SCIM tokens; revoke unused ones first`,
        );
      }
      const secret = generateToken(SCIM_TOKEN_PREFIX);
      const row = Object.assign(new ScimToken(), {
        id: uuidv7(),
        lookupId: secret.lookupId,
        tokenHash: secret.hash,
        name: dto.name?.trim() || 'SCIM provisioning',
        createdById: actor.id,
        expiresAt,
        lastUsedAt: null,
        lastUsedIp: null,
        revokedAt: null,
        revokedById: null,
        createdAt: new Date(),
      });
      await manager.getRepository(ScimToken).insert(row);
      await this.audit.record(manager, { action: 'scim_token.created', entityType: 'ScimToken', entityId: row.id, after: snapshot(row) });
      return { ...toScimTokenResponse(row), token: secret.token, baseUrl: this.baseUrl };
    });
  }

  /** Every SCIM token, newest first (revoked and expired ones too). */
  async list(): Promise<ScimTokenResponse[]> {
    const rows = await this.dataSource.getRepository(ScimToken).find({ order: { createdAt: 'DESC', id: 'DESC' } });
    return rows.map(toScimTokenResponse);
  }

  /** Revokes a token at once; revoking a revoked token changes nothing. */
  async revoke(actor: AuthUser, id: string): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      const token = await manager.getRepository(ScimToken).findOne({ where: { id } });
      if (!token) throw notFound('SCIM token', id);
      if (token.revokedAt) return;
      const before = snapshot(token);
      token.revokedAt = new Date();
      await manager.getRepository(ScimToken).update({ id, revokedAt: IsNull() }, { revokedAt: token.revokedAt, revokedById: actor.id });
      await this.audit.record(manager, {
        action: 'scim_token.revoked',
        entityType: 'ScimToken',
        entityId: id,
        before,
        after: snapshot(token),
      });
    });
  }

  /**
   * The principal behind a presented SCIM token, or null: malformed, wrong prefix or checksum, unknown,
   * hash mismatch, revoked, expired, or its creating administrator gone, inactive or no longer ADMIN.
   */
  async authenticate(presented: string, ip: string | undefined): Promise<ScimPrincipal | null> {
    const parsed = parseToken(presented, [SCIM_TOKEN_PREFIX]);
    if (!parsed || parsed.lookupId.length !== LOOKUP_LENGTH) return null;
    const repo = this.dataSource.getRepository(ScimToken);
    const token = await repo.findOne({ where: { lookupId: parsed.lookupId } });
    if (!token || !tokenMatches(presented, token.tokenHash)) return null;
    const now = new Date();
    if (status(token, now) !== 'ACTIVE' || !token.createdById) return null;
    const admin = await this.users.findSessionById(token.createdById);
    if (!admin || !admin.active || !admin.roles.includes(Role.ADMIN)) return null;
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_INTERVAL_MS) {
      const cutoff = new Date(now.getTime() - LAST_USED_INTERVAL_MS);
      await repo
        .createQueryBuilder()
        .update(ScimToken)
        .set({ lastUsedAt: now, lastUsedIp: ip?.slice(0, 64) ?? null })
        .where('id = :id AND (lastUsedAt IS NULL OR lastUsedAt < :cutoff)', { id: token.id, cutoff })
        .execute();
    }
    return {
      tokenId: token.id,
      tokenName: token.name,
      admin: { id: admin.id, email: admin.email, displayName: admin.displayName, roles: admin.roles },
    };
  }
}
