import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig, AuthUser, Metrics, Role, withTransaction } from '@stackgate/platform';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { toUserResponse } from '../users/users.service';
import { LOGIN_EMAIL_MAX, LoginResponse } from './dto/login.dto';
import { loginThrottleKeys, LoginThrottleService } from './login-throttle.service';
import { dummyPasswordHash, verifyPassword } from './password';
import { TokenService } from './token.service';
import { IdentityError, IdentityErrorCode } from '../identity.errors';

const EMAIL_SHAPE = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

/**
 * What a failed sign-in records as the identifier: the normalised e-mail when it has the shape of
 * one and fits the column, else null, since anything else typed there may be a password.
 */
export function auditableLoginIdentifier(email: string): string | null {
  return email.length <= LOGIN_EMAIL_MAX && EMAIL_SHAPE.test(email) ? email : null;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {}

  async login(emailRaw: string, password: string, ip: string | undefined): Promise<LoginResponse> {
    const email = emailRaw.trim().toLowerCase();
    const breakGlass = !this.config.passwordLogin;
    if (breakGlass && email !== this.config.breakGlassAdminEmail) {
      await this.passwordLoginRefused(email);
      throw new IdentityError(IdentityErrorCode.PASSWORD_LOGIN_DISABLED, 'Sign in with single sign-on; password sign-in is turned off');
    }
    const keys = loginThrottleKeys(email, ip);
    const { addressSlowedUntil } = await this.throttle.check(keys);

    const user = await this.users.findByEmail(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok || !user.active) {
      await this.throttle.recordFailure(keys);
      const identifier = auditableLoginIdentifier(email);
      const reason = !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive';
      this.metrics.loginFailures.inc({ reason });
      await this.audit.record(undefined, {
        action: 'auth.login_failed',
        entityType: 'User',
        entityId: user?.id ?? null,
        actor: { id: null, email: identifier },
        metadata: { email: identifier, reason },
      });
      if (addressSlowedUntil) throw this.throttle.slowedDown(addressSlowedUntil);
      throw new IdentityError(IdentityErrorCode.INVALID_CREDENTIALS, 'E-mail or password is wrong, or the account is inactive');
    }
    await this.throttle.reset(keys);
    // Single sign-on only: the break-glass account signs in with its password while it holds ADMIN.
    if (breakGlass && !user.roleRows?.some((row) => row.role === Role.ADMIN)) {
      await this.passwordLoginRefused(email);
      throw new IdentityError(IdentityErrorCode.PASSWORD_LOGIN_DISABLED, 'Sign in with single sign-on; password sign-in is turned off');
    }
    const now = new Date();
    await withTransaction(this.dataSource, async (manager) => {
      await manager.getRepository(User).update({ id: user.id }, { lastLoginAt: now });
      await this.audit.record(manager, {
        action: 'auth.login_succeeded',
        entityType: 'User',
        entityId: user.id,
        actor: { id: user.id, email: user.email },
        metadata: { method: breakGlass ? 'break_glass' : 'local' },
      });
    });
    user.lastLoginAt = now;
    return { ...this.tokens.issue(user.id, user.tokenVersion), user: toUserResponse(user) };
  }

  private async passwordLoginRefused(email: string): Promise<void> {
    const identifier = auditableLoginIdentifier(email);
    await this.audit.record(undefined, {
      action: 'auth.login_failed',
      entityType: 'User',
      entityId: null,
      actor: { id: null, email: identifier },
      metadata: { email: identifier, reason: 'local_sign_in_disabled' },
    });
    this.metrics.loginFailures.inc({ reason: 'local_sign_in_disabled' });
  }

  /** Ends every session of the user: all tokens carrying the current token version stop working. */
  async logout(actor: AuthUser): Promise<void> {
    await withTransaction(this.dataSource, async (manager) => {
      await manager
        .getRepository(User)
        .createQueryBuilder()
        .update(User)
        .set({ tokenVersion: () => 'tokenVersion + 1' })
        .where('id = :id', { id: actor.id })
        .execute();
      await this.audit.record(manager, { action: 'auth.logout', entityType: 'User', entityId: actor.id });
    });
  }

  /** The signed-in user behind a token, or null when the token or the account is no longer valid. */
  async authenticate(token: string): Promise<AuthUser | null> {
    const claims = this.tokens.verify(token);
    if (!claims) return null;
    const user = await this.users.findSessionById(claims.sub);
    if (!user || !user.active || user.tokenVersion !== claims.tv) return null;
    return { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
  }
}
