import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { isApiPath } from '@stackgate/platform';

export const SESSION_COOKIE = 'sg_session';
export const CSRF_COOKIE = 'sg_csrf';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

/** Only pages (not /api, in any spelling) may authenticate with the session cookie, so the API cannot be driven by CSRF. */
export function sessionTokenFromCookie(req: Request): string | undefined {
  if (isApiPath(req.originalUrl ?? req.url)) return undefined;
  return readCookie(req, SESSION_COOKIE);
}

export function cookieOptions(req: Request, maxAgeSeconds?: number) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.secure,
    path: '/',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds * 1000 } : {}),
  };
}

export function setSession(req: Request, res: Response, token: string, ttlSeconds: number): void {
  res.cookie(SESSION_COOKIE, token, cookieOptions(req, ttlSeconds));
}

export function clearSession(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(req));
}

/**
 * Stateless CSRF protection: a random, httpOnly cookie per browser, and forms carry
 * HMAC(secret, cookie). A forged cross-site form cannot read the cookie nor compute the token.
 */
export class Csrf {
  constructor(private readonly secret: string) {}

  /** The browser's CSRF secret, issuing one when missing. */
  ensureCookie(req: Request, res: Response): string {
    let value = readCookie(req, CSRF_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{32,64}$/.test(value)) {
      value = randomBytes(24).toString('base64url');
      res.cookie(CSRF_COOKIE, value, cookieOptions(req));
      (req.headers as Record<string, string>).cookie = `${req.headers.cookie ? req.headers.cookie + '; ' : ''}${CSRF_COOKIE}=${value}`;
    }
    return value;
  }

  tokenFor(cookieValue: string): string {
    return createHmac('sha256', this.secret).update(`csrf:${cookieValue}`).digest('base64url');
  }

  verify(req: Request): boolean {
    const cookie = readCookie(req, CSRF_COOKIE);
    // Multipart bodies are parsed after guards run, so upload forms carry the token in the query.
    const multipart = (req.header('content-type') ?? '').startsWith('multipart/form-data');
    const sent = (req.body as { _csrf?: unknown } | undefined)?._csrf ?? req.header('x-csrf-token') ?? (multipart ? req.query?._csrf : undefined);
    if (!cookie || typeof sent !== 'string') return false;
    const expected = Buffer.from(this.tokenFor(cookie));
    const given = Buffer.from(sent);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
