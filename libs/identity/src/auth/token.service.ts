import { Inject, Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '@stackgate/platform';

export const TOKEN_ISSUER = 'stackgate';
export const TOKEN_AUDIENCE = 'stackgate-api';

export interface TokenClaims {
  sub: string;
  tv: number;
}

/** HS256 access tokens with pinned algorithm, issuer, audience and expiry. */
@Injectable()
export class TokenService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  issue(userId: string, tokenVersion: number): { accessToken: string; expiresIn: number } {
    const expiresIn = this.config.accessTokenTtlSeconds;
    const accessToken = jwt.sign({ tv: tokenVersion }, this.config.jwtSecret, {
      algorithm: 'HS256', subject: userId, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn, jwtid: randomUUID(),
    });
    return { accessToken, expiresIn };
  }

  /** The claims of a valid token, or null for anything expired, tampered, unsigned or foreign. */
  verify(token: string): TokenClaims | null {
    try {
      const payload = jwt.verify(token, this.config.jwtSecret, {
        algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTolerance: 0,
      }) as jwt.JwtPayload;
      if (typeof payload.sub !== 'string' || typeof payload.tv !== 'number' || typeof payload.exp !== 'number') return null;
      return { sub: payload.sub, tv: payload.tv };
    } catch {
      return null;
    }
  }
}
