import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuditService } from '@stackgate/audit';
import {
  ANY_ROLE, AuthUser, DomainError, PUBLIC_KEY, requestContext, ROLES_KEY, SESSION_CONFIRMED, SESSION_OVERLAP_KEY, SessionOverlapRequest,
} from '@stackgate/platform';
import { AuthService } from './auth.service';
import { TokenService } from './token.service';

export type TokenExtractor = (req: Request) => string | undefined;

const bearer: TokenExtractor = (req) => {
  const h = req.header('authorization');
  const m = h ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(h) : null;
  return m?.[1];
};

/** Extra ways to carry a token (the web UI's session cookie); the API always reads the header. */
export const tokenExtractors: TokenExtractor[] = [bearer];

interface RouteRule { isPublic: boolean; allowed: string[]; overlap: boolean }

const HINTS_MAX = 10_000;

/**
 * The one global guard. Deny by default: a route must be @Public() or name its roles with
 * @Allow(...). Every refusal for lack of role is written to the audit log.
 *
 * On a @ReadsWhileSessionConfirms() route the guard lets the handler start once the token's
 * signature and expiry check out, and SessionOverlapInterceptor answers only after the session
 * read has confirmed the user and their roles. It does so only when the roles the user had at
 * their last confirmed request allow the route, so a user without them never starts its reads.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  /** Each route's metadata by controller and handler, read once (it is fixed when the app is built). */
  private readonly routes = new WeakMap<object, WeakMap<object, RouteRule>>();
  /** Roles by user id as of their last confirmed session. Only decides whether to overlap, never whether to allow. */
  private readonly roleHints = new Map<string, readonly string[]>();

  private route(context: ExecutionContext): RouteRule {
    const [handler, cls] = [context.getHandler(), context.getClass()];
    let byHandler = this.routes.get(cls);
    if (!byHandler) this.routes.set(cls, (byHandler = new WeakMap()));
    let r = byHandler.get(handler);
    if (!r) {
      const targets = [handler, cls];
      r = {
        isPublic: !!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets),
        allowed: this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets) ?? [],
        overlap: !!this.reflector.getAllAndOverride<boolean>(SESSION_OVERLAP_KEY, targets),
      };
      byHandler.set(handler, r);
    }
    return r;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.route(context);
    if (rule.isPublic) return true;
    const req = context.switchToHttp().getRequest<SessionOverlapRequest>();

    let token: string | undefined;
    for (const extract of tokenExtractors) if ((token = extract(req))) break;
    const claims = token ? this.tokens.verify(token) : null;
    if (!claims) throw unauthenticated();
    const session = this.auth.confirmSession(claims);

    const hint = rule.overlap && req.method === 'GET' ? this.roleHints.get(claims.sub) : undefined;
    if (hint && allows(rule, hint)) {
      const confirmed = session.then((user) => this.admit(req, rule, user));
      confirmed.catch(() => undefined); // the interceptor awaits it; this only keeps an early failure from going unhandled
      req[SESSION_CONFIRMED] = confirmed;
      return true;
    }
    await this.admit(req, rule, await session);
    return true;
  }

  /** Sets the confirmed user on the request, or throws 401 (no session) / 403 (roles, audited). */
  private async admit(req: SessionOverlapRequest, rule: RouteRule, user: AuthUser | null): Promise<void> {
    if (!user) throw unauthenticated();
    req.user = user;
    const ctx = requestContext();
    if (ctx) ctx.actor = { id: user.id, email: user.email, roles: user.roles };
    this.hint(user);
    if (allows(rule, user.roles)) return;
    await this.audit.record(undefined, {
      action: 'authz.denied', entityType: 'Route', entityId: null,
      metadata: { method: req.method, path: req.originalUrl?.split('?')[0], requiredRoles: rule.allowed, roles: user.roles },
    });
    throw new DomainError(403, 'FORBIDDEN', rule.allowed.length ? 'Your roles do not allow this' : 'This route is closed');
  }

  private hint(user: AuthUser): void {
    const known = this.roleHints.get(user.id);
    if (known && known.length === user.roles.length && known.every((r, i) => r === user.roles[i])) return;
    if (!known && this.roleHints.size >= HINTS_MAX) this.roleHints.delete(this.roleHints.keys().next().value as string);
    this.roleHints.set(user.id, user.roles);
  }
}

const allows = (rule: RouteRule, roles: readonly string[]) => rule.allowed.includes(ANY_ROLE) || roles.some((r) => rule.allowed.includes(r));

const unauthenticated = () => new DomainError(401, 'UNAUTHENTICATED', 'Sign in first: the token is missing, invalid, expired or revoked');
