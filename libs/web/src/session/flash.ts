import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { cookieOptions, readCookie, safeEqual } from './session';

export const FLASH_COOKIE = 'sg_flash';

/** A one-time message for the next page this browser renders: a confirmation or an error. */
export interface Flash {
  notice?: string;
  error?: string;
}

/** Longest message kept: a cookie holds about 4 KB, and a banner longer than this is not read anyway. */
const MAX_TEXT = 600;
/** A flash left unread (the browser never followed the redirect) is forgotten after this. */
const TTL_SECONDS = 120;

/**
 * Messages shown after a redirect ("Saved", "Decision recorded", a refusal) travel in a short-lived,
 * server-signed cookie and are shown once, on the next page rendered. They never come from the URL:
 * a link such as `/tools/1?notice=Re-enter your password at …` would otherwise put anyone's text in
 * a banner the user trusts. The signature makes a cookie planted by someone else (a sibling
 * subdomain, say) worthless.
 */
@Injectable()
export class FlashMessages {
  private readonly secret: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secret = config.jwtSecret;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`flash:${payload}`).digest('base64url');
  }

  /** Answers 303 to `path`, carrying `flash` to the page rendered there (and in `res.locals.flash` for interceptors). */
  redirect(res: Response, path: string, flash: Flash): void {
    const message: Flash = {};
    if (flash.notice) message.notice = flash.notice.slice(0, MAX_TEXT);
    if (flash.error) message.error = flash.error.slice(0, MAX_TEXT);
    const payload = Buffer.from(JSON.stringify(message)).toString('base64url');
    res.locals.flash = message;
    res.cookie(FLASH_COOKIE, `${payload}.${this.mac(payload)}`, cookieOptions(res.req, TTL_SECONDS));
    res.redirect(303, path);
  }

  /** The flash waiting for this request's page, if a genuine one is; clears it either way. */
  take(req: Request, res: Response): Flash {
    const value = readCookie(req, FLASH_COOKIE);
    if (value === undefined) return {};
    res.clearCookie(FLASH_COOKIE, cookieOptions(req));
    const dot = value.indexOf('.');
    if (dot <= 0 || !safeEqual(value.slice(dot + 1), this.mac(value.slice(0, dot)))) return {};
    try {
      const parsed = JSON.parse(Buffer.from(value.slice(0, dot), 'base64url').toString('utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return {};
      const { notice, error } = parsed as Record<string, unknown>;
      return {
        ...(typeof notice === 'string' && notice ? { notice: notice.slice(0, MAX_TEXT) } : {}),
        ...(typeof error === 'string' && error ? { error: error.slice(0, MAX_TEXT) } : {}),
      };
    } catch {
      return {};
    }
  }
}
