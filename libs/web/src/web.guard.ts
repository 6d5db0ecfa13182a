import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { Csrf } from './session/session';
import { WebError, WebErrorCode } from './web.errors';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * For every page: makes sure the browser has its CSRF cookie, exposes the form token to the
 * views, and refuses any unsafe request whose form token does not match (403).
 */
@Injectable()
export class WebGuard implements CanActivate {
  private readonly csrf: Csrf;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.csrf = new Csrf(config.jwtSecret);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const cookie = this.csrf.ensureCookie(req, res);
    res.locals.csrfToken = this.csrf.tokenFor(req, cookie);
    if (!SAFE.has(req.method) && !this.csrf.verify(req)) {
      throw new WebError(
        WebErrorCode.CSRF_TOKEN_INVALID,
        'This form has expired or did not come from Stackgate. Reload the page and try again.',
      );
    }
    return true;
  }
}
