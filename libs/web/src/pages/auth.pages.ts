import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  AuthService,
  LOGIN_EMAIL_MAX,
  LOGIN_PASSWORD_MAX,
  LoginDto,
  OidcClient,
  SSO_SESSION_COOKIE,
  SsoService,
} from '@stackgate/identity';
import { Allow, ANY_ROLE, APP_CONFIG, AppConfig, AuthUser, CurrentUser, DomainError, Public, validationFailed } from '@stackgate/platform';
import { safeNext, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { clearSession, cookieOptions, readCookie, setSession } from '../session/session';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class AuthPages {
  constructor(
    private readonly auth: AuthService,
    private readonly sso: SsoService,
    private readonly oidc: OidcClient,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  async loginForm(@Res() res: Response, @Query('next') next?: string) {
    const ctx = await this.page.build(undefined, res, 'Sign in', 'login', {
      next: safeNext(next),
      demo: this.config.seedDemo !== false && this.config.dbUrl.startsWith('sqlite:'),
      ...this.sso.signInOptions(safeNext(next)),
    });
    res.type('html').send(this.views.render('login', ctx));
  }

  @Post('login')
  @Public()
  @HttpCode(303)
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const next = safeNext(body.next);
    // The same rules as POST /api/v1/auth/login: nothing unbounded reaches the service or the audit log.
    const { dto } = await validateForm(LoginDto, { email: body.email ?? '', password: body.password ?? '' });
    const email = typeof body.email === 'string' && body.email.length <= LOGIN_EMAIL_MAX ? body.email : '';
    try {
      if (!dto) {
        const tooLong = (v: unknown, max: number) => typeof v === 'string' && v.length > max;
        const message = tooLong(body.email, LOGIN_EMAIL_MAX)
          ? `An e-mail address has at most ${LOGIN_EMAIL_MAX} characters`
          : tooLong(body.password, LOGIN_PASSWORD_MAX)
            ? `A password has at most ${LOGIN_PASSWORD_MAX} characters`
            : 'Enter your e-mail and password';
        throw validationFailed(message);
      }
      const result = await this.auth.login(dto.email, dto.password, req.ip);
      setSession(req, res, result.accessToken, result.expiresIn);
      res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      for (const [key, value] of Object.entries(err.headers ?? {})) res.setHeader(key, value);
      const ctx = await this.page.build(undefined, res, 'Sign in', 'login', {
        next,
        email,
        error: err.message,
        ...this.sso.signInOptions(next),
      });
      res.status(err.status).type('html').send(this.views.render('login', ctx));
    }
  }

  @Post('logout')
  @Allow(ANY_ROLE)
  async logout(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response) {
    await this.auth.logout(user);
    clearSession(req, res);
    // Signed in through the identity provider: end its session too when it offers RP-initiated logout.
    const fromSso = readCookie(req, SSO_SESSION_COOKIE) !== undefined;
    res.clearCookie(SSO_SESSION_COOKIE, cookieOptions(req));
    const providerLogout =
      fromSso && this.config.publicUrl ? await this.oidc.endSessionUrl(new URL('/login', this.config.publicUrl).toString()) : undefined;
    res.redirect(303, providerLogout ?? '/login');
  }
}
