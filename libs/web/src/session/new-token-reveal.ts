import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';
import { cookieOptions, readCookie } from './session';

export const NEW_TOKEN_COOKIE = 'sg_new_token';
/** A secret not picked up by the page it was meant for is gone after this. */
const TTL_SECONDS = 120;

/**
 * Carries a just-created API token's secret across the redirect that follows the create form, to the
 * one page that shows it once: in a short-lived cookie, encrypted (AES-256-GCM, key derived from the
 * server secret) and bound to the user who created it, read and cleared by that page. The server never
 * keeps the secret; the redirect lets a form sent twice lead to the list instead of minting another token.
 */
@Injectable()
export class NewTokenReveal {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = createHash('sha256').update(`new-token-reveal:${config.jwtSecret}`).digest();
  }

  keep(res: Response, userId: string, reveal: { id: string; token: string }): void {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId));
    const body = Buffer.concat([cipher.update(JSON.stringify(reveal), 'utf8'), cipher.final()]);
    const value = [iv, cipher.getAuthTag(), body].map((part) => part.toString('base64url')).join('.');
    res.cookie(NEW_TOKEN_COOKIE, value, { ...cookieOptions(res.req, TTL_SECONDS), sameSite: 'strict' as const });
  }

  /** The secret waiting for this user's page, if a genuine one is; cleared either way. */
  take(req: Request, res: Response, userId: string): { id: string; token: string } | null {
    const value = readCookie(req, NEW_TOKEN_COOKIE);
    if (value === undefined) return null;
    res.clearCookie(NEW_TOKEN_COOKIE, { ...cookieOptions(req), sameSite: 'strict' as const });
    try {
      const [iv, tag, body] = value.split('.').map((part) => Buffer.from(part, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(userId));
      decipher.setAuthTag(tag);
      const parsed = JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as {
        id?: unknown;
        token?: unknown;
      };
      return typeof parsed.id === 'string' && typeof parsed.token === 'string' ? { id: parsed.id, token: parsed.token } : null;
    } catch {
      return null;
    }
  }
}
