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

/** HS256 access tokens with pinned algorithm, issuer, audience and expiry. */
@Injectable()
export class TokenService {
  private key?: { secret: string; object: KeyObject };

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
      algorithm: 'HS256', subject: userId, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn, jwtid: randomUUID(),
    });
    return { accessToken, expiresIn };
  }

  /** The claims of a valid token, or null for anything expired, tampered, unsigned or foreign. */
  verify(token: string): TokenClaims | null {
    try {
      const payload = jwt.verify(token, this.secretKey(), {
        algorithms: ['HS256'], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, clockTolerance: 0,
      }) as jwt.JwtPayload;
      if (typeof payload.sub !== 'string' || typeof payload.tv !== 'number' || typeof payload.exp !== 'number') return null;
      return { sub: payload.sub, tv: payload.tv };
    } catch {
      return null;
    }
  }
}
