import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestContext } from '@stackgate/platform';
import { BearerTokenThrottle } from '../auth/bearer-throttle.service';
import { bearerToken } from '../auth/token-sources';
import { IdentityError, IdentityErrorCode } from '../identity.errors';
import { ScimException } from './scim-errors';
import { looksLikeApiToken } from '../api-tokens/token-format';
import { SCIM_TOKEN_PREFIX, ScimPrincipal, ScimTokensService } from './scim-tokens.service';

export type ScimRequest = Request & { scim?: ScimPrincipal };

/**
 * The only door to /scim/v2: a SCIM token in the Authorization header. Sessions (header or cookie),
 * personal access tokens and service-account tokens are refused here, as a SCIM token is everywhere
 * else (the API guard does not know its prefix). Every action is audited as the token's creating
 * administrator, with the token named in the event's metadata.
 */
@Injectable()
export class ScimGuard implements CanActivate {
  constructor(
    private readonly tokens: ScimTokensService,
    private readonly throttle: BearerTokenThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ScimRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    const token = bearerToken(req);
    const principal = token ? await this.verified(token, req.ip) : null;
    if (!principal) {
      throw new ScimException(401, 'A valid SCIM token is required (Authorization: Bearer sgscim_…)', undefined, {
        'WWW-Authenticate': 'Bearer realm="Stackgate SCIM"',
      });
    }
    req.scim = principal;
    const ctx = requestContext();
    if (ctx) {
      ctx.actor = {
        id: principal.admin.id,
        email: principal.admin.email,
        roles: principal.admin.roles,
        token: { id: principal.tokenId, kind: 'SCIM', name: principal.tokenName, principalId: principal.admin.id },
      };
    }
    return true;
  }

  /**
   * Through the shared bearer-token path: invalid SCIM tokens count against the address like any
   * API token's, and a throttled address gets SCIM's 429 with Retry-After. A bearer that is not
   * shaped like a SCIM token (a session, a personal token) is refused without counting, as the API
   * guard counts only API-token-shaped ones.
   */
  private async verified(token: string, ip: string | undefined): Promise<ScimPrincipal | null> {
    if (!looksLikeApiToken(token, [SCIM_TOKEN_PREFIX])) return null;
    try {
      return await this.throttle.verify(token, ip, (presented) => this.tokens.authenticate(presented, ip));
    } catch (err) {
      if (err instanceof IdentityError && err.code === IdentityErrorCode.TOO_MANY_TOKEN_ATTEMPTS) {
        throw new ScimException(429, err.message, undefined, err.headers);
      }
      throw err;
    }
  }
}
