import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@stackgate/audit';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { LoginThrottleService } from './login-throttle.service';

/** The login_throttles key that counts one address's failed machine-token attempts. */
export const bearerThrottleKey = (ip: string | undefined): string => `token-ip:${ip ?? 'unknown'}`;

/** What of a presented token may be recorded: its prefix and public lookup id, never the secret. */
const publicPart = (token: string): string | null => {
  const match = /^([a-z]{2,8}_[0-9A-Za-z]{12})/.exec(token);
  return match ? match[1] : null;
};

/**
 * The one verification path of machine bearer tokens (personal and service-account API tokens, and
 * any later kind such as SCIM tokens): it runs the kind's own check and counts the failures (unknown,
 * malformed, wrong secret, revoked, expired, inactive owner) per client address in login_throttles,
 * with the login throttle's counter. After TOKEN_MAX_FAILURES_PER_IP failures within
 * TOKEN_LOCKOUT_SECONDS, a failing token from that address answers 429 with Retry-After for
 * TOKEN_LOCKOUT_SECONDS, without being counted again; the lockout is audited once. A valid token is
 * never refused: not from another address (the count is per address), and not from the throttled one
 * either (many clients may share an address behind NAT or a proxy; a 256-bit secret cannot be guessed,
 * so the throttle is against noise and scanning, not a lock on working integrations).
 */
@Injectable()
export class BearerTokenThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
  ) {}

  /** `check`'s principal for `token`, or null (401 for the caller); 429 TOO_MANY_TOKEN_ATTEMPTS once the address is throttled. */
  async verify<T>(token: string, ip: string | undefined, check: (token: string) => Promise<T | null>): Promise<T | null> {
    const principal = await check(token);
    if (principal) return principal;
    const key = bearerThrottleKey(ip);
    const now = new Date();
    const until = await this.throttle.lockedUntil(key, now);
    if (until) throw tooMany(until, now);
    const { tokenMaxFailuresPerIp: limit, tokenLockoutSeconds: seconds } = this.config;
    if (await this.throttle.recordKeyFailure(key, limit, seconds, now)) {
      await this.audit.record(undefined, {
        action: 'auth.token_attempts_throttled',
        entityType: 'ApiToken',
        entityId: null,
        actor: { id: null, email: null },
        metadata: { ip: ip ?? null, failures: limit, windowSeconds: seconds, lastToken: publicPart(token) },
      });
    }
    return null;
  }
}

function tooMany(until: Date, now: Date): IdentityError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new IdentityError(
    IdentityErrorCode.TOO_MANY_TOKEN_ATTEMPTS,
    `Too many requests with an unknown, expired or revoked API token from this address; try again in ${seconds} seconds`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}
