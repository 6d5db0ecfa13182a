import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { clearSsoStateCookie, setSsoStateCookie, SSO_SESSION_COOKIE, SSO_STATE_COOKIE, SsoService } from '@stackgate/identity';
import { currentRequestId, DomainError, Public, toErrorBody } from '@stackgate/platform';
import { safeNext } from '../forms';
import { PageContext } from '../page-context';
import { cookieOptions, readCookie, setSession } from '../session/session';
import { ViewRenderer } from '../view-renderer';

/**
 * The browser side of single sign-on: /auth/oidc/login starts it, the provider returns to
 * /auth/oidc/callback (the redirect URI to register at the provider: PUBLIC_URL + that path).
 * A sign-in started by the API (GET /api/v1/auth/oidc/login) ends here with the sign-in JSON.
 */
@ApiExcludeController()
@Controller('auth/oidc')
export class SsoPages {
  constructor(
    private readonly sso: SsoService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
  ) {}

  @Get('login')
  @Public()
  async login(@Req() req: Request, @Res() res: Response, @Query('next') next?: string): Promise<void> {
    try {
      const { url, cookie } = await this.sso.start('web', safeNext(next));
      setSsoStateCookie(req, res, cookie);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, url);
    } catch (err) {
      await this.refusal(err, res, safeNext(next));
    }
  }

  /** The public key Stackgate signs its client assertions with (private_key_jwt), as a JWK Set: the JWKS URL to register at the provider. */
  @Get('jwks.json')
  @Public()
  jwks(@Res() res: Response): void {
    try {
      const jwks = this.sso.jwks();
      res.setHeader('Cache-Control', 'public, max-age=300');
      res.type('application/json').send(JSON.stringify(jwks));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const { body } = toErrorBody(err, currentRequestId());
      res.status(body.statusCode).json(body);
    }
  }

  @Get('callback')
  @Public()
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const cookie = readCookie(req, SSO_STATE_COOKIE);
    const mode = this.sso.modeOf(cookie);
    clearSsoStateCookie(req, res);
    res.setHeader('Cache-Control', 'no-store');
    try {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      const result = await this.sso.finish(query, cookie, req.ip);
      if (result.mode === 'api') {
        res.status(200).json(result.login);
        return;
      }
      setSession(req, res, result.login.accessToken, result.login.expiresIn);
      res.cookie(SSO_SESSION_COOKIE, '1', cookieOptions(req, result.login.expiresIn));
      res.redirect(303, result.next);
    } catch (err) {
      if (mode === 'api' && err instanceof DomainError) {
        const { body } = toErrorBody(err, currentRequestId());
        res.status(body.statusCode).json(body);
        return;
      }
      await this.refusal(err, res, '/');
    }
  }

  /** The sign-in page with the reason, under the refusal's status (403 for a user the mapping gives no role, …). */
  private async refusal(err: unknown, res: Response, next: string): Promise<void> {
    if (!(err instanceof DomainError)) throw err;
    const ctx = await this.page.build(undefined, res, 'Sign in', 'login', { next, error: err.message, ...this.sso.signInOptions(next) });
    res.status(err.status).type('html').send(this.views.render('login', ctx));
  }
}
