import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AuditService } from '@stackgate/audit';
import { ANY_ROLE, AuthUser, forbidden, PUBLIC_KEY, requestContext, ROLES_KEY } from '@stackgate/platform';
import { AuthService } from './auth.service';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { bearerToken, TOKEN_SOURCES, TokenSource } from './token-sources';
import { ApiTokensService } from '../api-tokens/api-tokens.service';
import { BearerTokenThrottle } from './bearer-throttle.service';
import { looksLikeApiToken, TOKEN_PREFIXES } from '../api-tokens/token-format';
import { missingScopes, ROUTE_SCOPES } from '../api-tokens/token-scopes';

const API_TOKEN_PREFIXES = Object.values(TOKEN_PREFIXES);

/**
 * The one global guard. Deny by default: a route must be @Public() or name its roles with
 * @Allow(...). Every refusal for lack of role is written to the audit log. The token is read from
 * the Authorization header, then from the sources the app configured (TokenSourcesModule), in order.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    @Optional() @Inject(TOKEN_SOURCES) extraSources: readonly TokenSource[] | null = null,
    // Required (the identity module provides it); listed last so a guard built by hand with sources only still reads sessions.
    private readonly apiTokens?: ApiTokensService,
    private readonly bearerThrottle?: BearerTokenThrottle,
  ) {
    this.sources = Object.freeze([bearerToken, ...(extraSources ?? [])]);
  }

  private readonly sources: readonly TokenSource[];

  /** Each route's @Public()/@Allow() metadata by controller and handler, read once (it is fixed when the app is built). */
  private readonly routes = new WeakMap<object, WeakMap<object, { isPublic: boolean; allowed: string[] }>>();

  private route(context: ExecutionContext): { isPublic: boolean; allowed: string[] } {
    const [handler, cls] = [context.getHandler(), context.getClass()];
    let byHandler = this.routes.get(cls);
    if (!byHandler) this.routes.set(cls, (byHandler = new WeakMap()));
    let route = byHandler.get(handler);
    if (!route) {
      const targets = [handler, cls];
      route = {
        isPublic: !!this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets),
        allowed: this.reflector.getAllAndOverride<string[]>(ROLES_KEY, targets) ?? [],
      };
      byHandler.set(handler, route);
    }
    return route;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, allowed } = this.route(context);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();

    let token: string | undefined;
    for (const read of this.sources) if ((token = read(req))) break;
    // An API token (sgp_/sgs_) is only ever read from the Authorization header, never from a cookie.
    const user = !token
      ? null
      : looksLikeApiToken(token, API_TOKEN_PREFIXES)
        ? token === bearerToken(req)
          ? await this.apiToken(token, req.ip)
          : null
        : await this.auth.authenticate(token);
    if (!user)
      throw new IdentityError(IdentityErrorCode.UNAUTHENTICATED, 'Sign in first: the token is missing, invalid, expired or revoked');
    req.user = user;
    // What a signed-in user is shown is theirs alone: no shared or browser cache may keep it.
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    // From here on, what the request audits or logs carries its actor.
    const ctx = requestContext();
    if (ctx) ctx.actor = { id: user.id, email: user.email, roles: user.roles, ...(user.token ? { token: auditedToken(user) } : {}) };
    if (user.token) await this.checkScopes(req, user, allowed);

    if (allowed.includes(ANY_ROLE) || user.roles.some((r) => allowed.includes(r))) return true;
    await this.audit.record(undefined, {
      action: 'authz.denied',
      entityType: 'Route',
      entityId: null,
      metadata: { method: req.method, path: req.originalUrl?.split('?')[0], requiredRoles: allowed, roles: user.roles },
    });
    throw forbidden(allowed.length ? 'Your roles do not allow this' : 'This route is closed');
  }

  /** The principal of an API token, through the shared bearer-token path (failures counted per address, 429 when throttled). */
  private async apiToken(token: string, ip: string | undefined): Promise<AuthUser | null> {
    const apiTokens = this.apiTokens;
    if (!apiTokens) return null;
    const check = (presented: string) => apiTokens.authenticate(presented, ip);
    return this.bearerThrottle ? this.bearerThrottle.verify(token, ip, check) : check(token);
  }

  /**
   * An API token also needs the scope the route asks for (ROUTE_SCOPES); a route without a row, or
   * one closed to tokens, is refused. Checked before the roles, so the refusal names the scope.
   */
  private async checkScopes(req: Request, user: AuthUser, allowed: string[]): Promise<void> {
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    const rule = ROUTE_SCOPES[route];
    const missing = missingScopes(rule, user.token!.scopes);
    if (missing && !missing.length) return;
    await this.audit.record(undefined, {
      action: 'authz.denied',
      entityType: 'Route',
      entityId: null,
      metadata: {
        method: req.method,
        path: req.originalUrl?.split('?')[0],
        requiredRoles: allowed,
        roles: user.roles,
        requiredScopes: rule ?? null,
        scopes: user.token!.scopes,
      },
    });
    if (!missing)
      throw new IdentityError(IdentityErrorCode.TOKEN_NOT_ALLOWED, 'This route cannot be called with an API token: sign in as a person');
    throw new IdentityError(IdentityErrorCode.TOKEN_SCOPE_MISSING, `This API token lacks the scope ${missing.join(', ')}`, {
      requiredScopes: typeof rule === 'string' ? [rule] : rule,
      missingScopes: missing,
    });
  }
}

/** What the audit trail records of the token behind an action. */
const auditedToken = (user: AuthUser) => ({
  id: user.token!.id,
  kind: user.token!.kind,
  name: user.token!.name,
  principalId: user.token!.principalId,
});
