import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { requestContext } from '@stackgate/platform';
import { bearerToken } from '../auth/token-sources';
import { ScimException } from './scim-errors';
import { ScimPrincipal, ScimTokensService } from './scim-tokens.service';

export type ScimRequest = Request & { scim?: ScimPrincipal };

/**
 * The only door to /scim/v2: a SCIM token in the Authorization header. Sessions (header or cookie),
 * personal access tokens and service-account tokens are refused here, as a SCIM token is everywhere
 * else (the API guard does not know its prefix). Every action is audited as the token's creating
 * administrator, with the token named in the event's metadata.
 */
@Injectable()
export class ScimGuard implements CanActivate {
  constructor(private readonly tokens: ScimTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ScimRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    const token = bearerToken(req);
    const principal = token ? await this.tokens.authenticate(token, req.ip) : null;
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
}
