import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthService } from '@stackgate/identity';
import { Allow, ANY_ROLE, APP_CONFIG, AppConfig, AuthUser, CurrentUser, DomainError, Public } from '@stackgate/platform';
import { safeNext } from '../forms';
import { PageContext } from '../page-context';
import { clearSession, setSession } from '../session/session';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class AuthPages {
  constructor(
    private readonly auth: AuthService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('login')
  @Public()
  async loginForm(@Res() res: Response, @Query('next') next?: string) {
    const ctx = await this.page.build(undefined, res, 'Sign in', 'login', { next: safeNext(next), demo: this.config.seedDemo !== false && this.config.dbUrl.startsWith('sqlite:') });
    res.type('html').send(this.views.render('login', ctx));
  }

  @Post('login')
  @Public()
  @HttpCode(303)
  async login(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const next = safeNext(body.next);
    try {
      if (!email || !password) throw new DomainError(400, 'VALIDATION_FAILED', 'Enter your e-mail and password');
      const result = await this.auth.login(email, password, req.ip);
      setSession(req, res, result.accessToken, result.expiresIn);
      res.redirect(303, next);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const ctx = await this.page.build(undefined, res, 'Sign in', 'login', { next, email, error: err.message });
      res.status(err.status).type('html').send(this.views.render('login', ctx));
    }
  }

  @Post('logout')
  @Allow(ANY_ROLE)
  async logout(@CurrentUser() user: AuthUser, @Req() req: Request, @Res() res: Response) {
    await this.auth.logout(user);
    clearSession(req, res);
    res.redirect(303, '/login');
  }
}
