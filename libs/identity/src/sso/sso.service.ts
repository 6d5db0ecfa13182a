import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as oidc from 'openid-client';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, isUniqueViolation, OidcSettings, Role, uuidv7, withTransaction } from '@stackgate/platform';
import { LoginResponse } from '../auth/dto/login.dto';
import { TokenService } from '../auth/token.service';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { rolesOf, User, UserRole } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { toUserResponse, UsersService } from '../users/users.service';
import { IdpClaims, OidcClient } from './oidc-client';
import { openSsoState, sealSsoState, SSO_STATE_TTL_SECONDS, SsoMode, SsoState } from './oidc-state';
import { UserIdentity } from './user-identity.entity';
import { ServiceAccount } from '../api-tokens/api-token.entity';

/** The roles an IdP user's groups give under the role map (sorted, no duplicates). */
export function rolesFromGroups(roleMap: Map<string, Role[]>, groups: string[]): Role[] {
  return [...new Set(groups.flatMap((group) => roleMap.get(group) ?? []))].sort();
}

/** Whether Stackgate may take the provider's word for this e-mail (verified, or in an allowed domain) and whether its domain may sign in. */
export function emailProblem(settings: OidcSettings, claims: IdpClaims): string | null {
  if (!claims.email) return 'The identity provider sent no e-mail address';
  const domain = claims.email.slice(claims.email.lastIndexOf('@') + 1);
  const allowed = settings.allowedDomains.includes(domain);
  if (settings.allowedDomains.length && !allowed) return `E-mail addresses of ${domain} may not sign in here`;
  if (!claims.emailVerified && !allowed) return 'The identity provider has not verified this e-mail address';
  return null;
}

export interface SsoResult {
  mode: SsoMode;
  next: string;
  login: LoginResponse;
}

/**
 * Single sign-on: starts the authorization request and finishes it into the same token as a password
 * sign-in. The provider's account (issuer + subject) is linked to a user on its first sign-in; with a
 * role map, every sign-in re-derives the user's roles from their groups and a change revokes the
 * user's other sessions (token version), as an administrator's role change does.
 */
@Injectable()
export class SsoService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly client: OidcClient,
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  get enabled(): boolean {
    return this.config.oidc !== undefined;
  }

  /** What the sign-in page offers: the provider's button, and the password form unless sign-in is single sign-on only. */
  signInOptions(next: string): { ssoName?: string; ssoHref?: string; passwordLogin: boolean } {
    if (!this.config.oidc) return { passwordLogin: this.config.passwordLogin };
    const ssoHref = `/auth/oidc/login${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`;
    return { ssoName: this.config.oidc.providerName, ssoHref, passwordLogin: this.config.passwordLogin };
  }

  /** The JWK Set of private_key_jwt's public key, for the provider to fetch; SSO_NOT_CONFIGURED without one. */
  jwks(): { keys: Record<string, string>[] } {
    const jwks = this.client.jwks();
    if (!jwks)
      throw new IdentityError(
        IdentityErrorCode.SSO_NOT_CONFIGURED,
        'Single sign-on does not authenticate with a key (OIDC_CLIENT_AUTH=private_key_jwt)',
      );
    return jwks;
  }

  private get stateSecret(): string {
    return `${this.config.jwtSecret}:sso`;
  }

  /** The provider's authorization URL and the sealed state for the callback's cookie. */
  async start(mode: SsoMode, next: string): Promise<{ url: string; cookie: string }> {
    const state: SsoState = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      mode,
      next,
      expiresAt: Math.floor(Date.now() / 1000) + SSO_STATE_TTL_SECONDS,
    };
    const url = await this.client.authorizationUrl(state);
    return { url, cookie: sealSsoState(this.stateSecret, state) };
  }

  /** The mode a callback's cookie asks for (to answer an error as a page or as JSON), web when unreadable. */
  modeOf(cookie: string | undefined): SsoMode {
    return openSsoState(this.stateSecret, cookie)?.mode ?? 'web';
  }

  async finish(callbackQuery: string, cookie: string | undefined, ip: string | undefined): Promise<SsoResult> {
    const settings = this.client.settings;
    const state = openSsoState(this.stateSecret, cookie);
    if (!state) {
      await this.refused(null, 'state_missing', ip);
      throw new IdentityError(IdentityErrorCode.SSO_FAILED, 'The sign-in expired or was started in another browser; start again');
    }
    const providerError = new URLSearchParams(callbackQuery).get('error');
    if (providerError) {
      await this.refused(null, `provider_error:${providerError.slice(0, 60)}`, ip);
      throw new IdentityError(IdentityErrorCode.SSO_FAILED, 'The identity provider did not sign you in; start again');
    }
    let claims: IdpClaims;
    try {
      claims = await this.client.exchange(callbackQuery, state);
    } catch (err) {
      const reason = err instanceof IdentityError ? (err.details as { reason?: string } | undefined)?.reason : undefined;
      await this.refused(null, `exchange_failed${reason ? `:${reason}` : ''}`.slice(0, 200), ip);
      throw err;
    }
    const login = await this.signIn(settings, claims, ip);
    return { mode: state.mode, next: state.next, login };
  }

  private async signIn(settings: OidcSettings, claims: IdpClaims, ip: string | undefined): Promise<LoginResponse> {
    const problem = emailProblem(settings, claims);
    if (problem) {
      await this.refused(claims, 'email_untrusted', ip);
      throw new IdentityError(IdentityErrorCode.SSO_EMAIL_UNTRUSTED, problem);
    }
    const mapped = settings.roleMap.size ? rolesFromGroups(settings.roleMap, claims.groups) : null;
    const email = claims.email!;
    type Refusal = 'no_account' | 'no_mapped_group' | 'inactive';
    const outcome = await withTransaction(this.dataSource, async (manager): Promise<{ user?: User; refusal?: Refusal }> => {
      let user = await this.linkedUser(manager, settings.issuerUrl, claims.subject);
      if (!user) {
        user = await this.users.findByEmail(email, manager);
        // A service account is not a person: no provider account may become one.
        if (user && (await manager.getRepository(ServiceAccount).existsBy({ id: user.id }))) return { refusal: 'no_account' };
        if (user) await this.link(manager, settings.issuerUrl, claims.subject, user);
      }
      if (!user) {
        if (!settings.jit) return { refusal: 'no_account' };
        if (mapped && !mapped.length) return { refusal: 'no_mapped_group' };
        user = await this.usersService.createWith(manager, {
          email,
          displayName: (claims.name ?? email).slice(0, 120),
          // Never used: a user created by single sign-on has no password until an administrator sets one.
          password: randomBytes(32).toString('base64url'),
          roles: mapped ?? settings.jitRoles,
        });
        await this.link(manager, settings.issuerUrl, claims.subject, user);
      }
      if (!user.active) return { refusal: 'inactive', user };
      if (mapped) {
        user = await this.syncRoles(manager, user, mapped);
        if (!mapped.length) return { refusal: 'no_mapped_group', user };
      }
      const now = new Date();
      await manager.getRepository(User).update({ id: user.id }, { lastLoginAt: now });
      await manager.getRepository(UserIdentity).update({ issuer: settings.issuerUrl, subject: claims.subject }, { lastLoginAt: now });
      await this.audit.record(manager, {
        action: 'auth.login_succeeded',
        entityType: 'User',
        entityId: user.id,
        actor: { id: user.id, email: user.email },
        metadata: {
          method: 'oidc',
          issuer: settings.issuerUrl,
          subject: claims.subject,
          groups: claims.groups.slice(0, 50),
          ip: ip ?? null,
        },
      });
      user.lastLoginAt = now;
      return { user };
    });
    if (outcome.refusal || !outcome.user) {
      await this.refused(claims, outcome.refusal ?? 'no_account', ip, outcome.user?.id);
      throw refusalError(outcome.refusal ?? 'no_account', settings);
    }
    const user = outcome.user;
    return { ...this.tokens.issue(user.id, user.tokenVersion), user: toUserResponse(user) };
  }

  private async linkedUser(manager: EntityManager, issuer: string, subject: string): Promise<User | null> {
    const identity = await manager.getRepository(UserIdentity).findOne({ where: { issuer, subject } });
    return identity ? this.users.findById(identity.userId, manager) : null;
  }

  /** Links the provider account to the user; a user already linked to another account of this provider is refused. */
  private async link(manager: EntityManager, issuer: string, subject: string, user: User): Promise<void> {
    const existing = await manager.getRepository(UserIdentity).findOne({ where: { userId: user.id, issuer } });
    if (existing && existing.subject !== subject) {
      throw new IdentityError(
        IdentityErrorCode.SSO_IDENTITY_CONFLICT,
        'This e-mail address belongs to a Stackgate user linked to another account of the identity provider',
      );
    }
    if (existing) return;
    try {
      await manager
        .getRepository(UserIdentity)
        .insert({ id: uuidv7(), userId: user.id, issuer, subject, createdAt: new Date(), lastLoginAt: null });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new IdentityError(IdentityErrorCode.SSO_FAILED, 'Another sign-in of this account is in progress; try again');
      throw err;
    }
    await this.audit.record(manager, {
      action: 'user.identity_linked',
      entityType: 'User',
      entityId: user.id,
      actor: { id: user.id, email: user.email },
      metadata: { issuer, subject },
    });
  }

  /** Gives the user exactly the mapped roles; a change revokes their other sessions. */
  private async syncRoles(manager: EntityManager, user: User, roles: Role[]): Promise<User> {
    const before = rolesOf(user);
    if (before.join() === roles.join()) return user;
    await manager.getRepository(UserRole).delete({ userId: user.id });
    if (roles.length) await manager.getRepository(UserRole).insert(roles.map((role) => ({ userId: user.id, role })));
    const tokenVersion = user.tokenVersion + 1;
    await manager.getRepository(User).update({ id: user.id }, { tokenVersion, version: user.version + 1, updatedAt: new Date() });
    await this.audit.record(manager, {
      action: 'user.roles_synced',
      entityType: 'User',
      entityId: user.id,
      actor: { id: user.id, email: user.email },
      before: { roles: before },
      after: { roles },
      metadata: { source: 'oidc' },
    });
    return (await this.users.findById(user.id, manager))!;
  }

  private async refused(claims: IdpClaims | null, reason: string, ip: string | undefined, userId?: string): Promise<void> {
    await this.audit.record(undefined, {
      action: 'auth.login_failed',
      entityType: 'User',
      entityId: userId ?? null,
      actor: { id: null, email: claims?.email?.slice(0, 254) ?? null },
      metadata: { method: 'oidc', reason, subject: claims?.subject ?? null, ip: ip ?? null },
    });
  }
}

function refusalError(refusal: 'no_account' | 'no_mapped_group' | 'inactive', settings: OidcSettings): IdentityError {
  switch (refusal) {
    case 'no_account':
      return new IdentityError(IdentityErrorCode.SSO_NO_ACCOUNT, 'You have no Stackgate account yet; ask an administrator to create one');
    case 'no_mapped_group':
      return new IdentityError(
        IdentityErrorCode.SSO_NO_MAPPED_GROUP,
        `You are not in any group that gives access to Stackgate at ${settings.providerName}; ask your administrator to add you to one`,
      );
    case 'inactive':
      return new IdentityError(IdentityErrorCode.SSO_ACCOUNT_INACTIVE, 'Your Stackgate account is deactivated');
  }
}
