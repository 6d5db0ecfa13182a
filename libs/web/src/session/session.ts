import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { isApiPath } from '@stackgate/platform';

export const SESSION_COOKIE = 'sg_session';
export const CSRF_COOKIE = 'sg_csrf';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return decodeURIComponent(part.slice(separator + 1).trim());
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
 * Stateless CSRF protection. Each browser gets a random, httpOnly cookie that the server signs, so a
 * value the server did not issue (planted by an attacker) is replaced rather than adopted. A form
 * carries HMAC(secret, cookie, session), bound to the session cookie it was rendered for: a token
 * minted for one session (the attacker's own, say) is refused in any other.
 */
export class Csrf {
  constructor(private readonly secret: string) {}

  private mac(purpose: string, value: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}:${value}`).digest('base64url');
  }

  /** The browser's CSRF cookie when the server issued it, else undefined. */
  private issuedCookie(req: Request): string | undefined {
    const value = readCookie(req, CSRF_COOKIE);
    const match = value ? /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
    return match && safeEqual(match[2], this.mac('csrf-cookie', match[1])) ? value : undefined;
  }

  /** The browser's CSRF cookie, issuing a new one when it is missing or not one of ours. */
  ensureCookie(req: Request, res: Response): string {
    let value = this.issuedCookie(req);
    if (!value) {
      const nonce = randomBytes(24).toString('base64url');
      value = `${nonce}.${this.mac('csrf-cookie', nonce)}`;
      res.cookie(CSRF_COOKIE, value, cookieOptions(req));
      // Later readers of this request (verify) see the new cookie instead of the refused one.
      const others = (req.headers.cookie ?? '').split(';').filter((p) => p.split('=')[0].trim() !== CSRF_COOKIE && p.trim());
      (req.headers as Record<string, string>).cookie = [...others.map((p) => p.trim()), `${CSRF_COOKIE}=${value}`].join('; ');
    }
    return value;
  }

  /** The form token for this browser and the session it is signed in with (none on the sign-in page). */
  tokenFor(req: Request, cookieValue: string): string {
    const session = readCookie(req, SESSION_COOKIE) ?? '';
    const sessionId = session ? createHash('sha256').update(session).digest('base64url') : '-';
    return this.mac('csrf', `${cookieValue}:${sessionId}`);
  }

  verify(req: Request): boolean {
    const cookie = this.issuedCookie(req);
    // Multipart bodies are parsed after guards run, so upload forms carry the token in the query.
    const multipart = (req.header('content-type') ?? '').startsWith('multipart/form-data');
    const sent =
      (req.body as { _csrf?: unknown } | undefined)?._csrf ?? req.header('x-csrf-token') ?? (multipart ? req.query?._csrf : undefined);
    if (!cookie || typeof sent !== 'string') return false;
    return safeEqual(sent, this.tokenFor(req, cookie));
  }
}

export function safeEqual(left: string, right: string): boolean {
  const leftBytes = Buffer.from(left);
  const rightBytes = Buffer.from(right);
  return leftBytes.length === rightBytes.length && timingSafeEqual(leftBytes, rightBytes);
}
