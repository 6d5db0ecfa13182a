import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { createSecretKey, KeyObject, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';

export const TOKEN_ISSUER = 'stackgate';
export const TOKEN_AUDIENCE = 'stackgate-api';

export interface TokenClaims {
  sub: string;
  tv: number;
}

/** How many verified tokens TokenService remembers (about 0.5 KB each). */
export const VERIFIED_TOKENS_KEPT = 5000;

/** HS256 access tokens with pinned algorithm, issuer, audience and expiry. */
@Injectable()
export class TokenService {
  private key?: { secret: string; object: KeyObject };
  /**
   * Tokens whose signature and claims were checked, by the exact token string, least recently used
   * first. Every API request presents its token, and verifying it again (decode, HMAC, claims) is a
   * visible share of a cheap read's CPU (docs/PERFORMANCE.md). A hit still has to be unexpired and
   * signed with the current secret; revocation is unaffected, since the caller checks the claims'
   * token version against the user on every request. Refused tokens are never kept.
   */
  private readonly verified = new Map<string, { claims: TokenClaims; exp: number; secret: string }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * The secret as a KeyObject, made once per secret. Given a string, jsonwebtoken first tries it as
   * a PEM public key (createPublicKey throws, which cost more than the rest of the check) on every call.
   */
  private secretKey(): KeyObject {
    const secret = this.config.jwtSecret;
    if (this.key?.secret !== secret) this.key = { secret, object: createSecretKey(Buffer.from(secret)) };
    return this.key.object;
  }

  issue(userId: string, tokenVersion: number): { accessToken: string; expiresIn: number } {
    const expiresIn = this.config.accessTokenTtlSeconds;
    const accessToken = jwt.sign({ tv: tokenVersion }, this.secretKey(), {
      algorithm: 'HS256',
      subject: userId,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      expiresIn,
      jwtid: randomUUID(),
    });
    return { accessToken, expiresIn };
  }

  /** The claims of a valid token, or null for anything expired, tampered, unsigned or foreign. */
  verify(token: string): TokenClaims | null {
    const secret = this.config.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const known = this.verified.get(token);
    if (known) {
      this.verified.delete(token);
      // jsonwebtoken's own rule with clockTolerance 0: expired from the second `exp` on.
      if (known.secret !== secret || now >= known.exp) return null;
      this.verified.set(token, known);
      return { ...known.claims };
    }
    let claims: TokenClaims;
    let exp: number;
    try {
      const payload = jwt.verify(token, this.secretKey(), {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        clockTolerance: 0,
      }) as jwt.JwtPayload;
      if (typeof payload.sub !== 'string' || typeof payload.tv !== 'number' || typeof payload.exp !== 'number') return null;
      claims = { sub: payload.sub, tv: payload.tv };
      exp = payload.exp;
    } catch {
      return null;
    }
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { claims, exp, secret });
    return { ...claims };
  }
}
