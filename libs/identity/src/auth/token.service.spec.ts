import * as jwt from 'jsonwebtoken';
import type { AppConfig } from '@stackgate/platform';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService, VERIFIED_TOKENS_KEPT } from './token.service';

/*
 * What the service promises, seen from outside: which tokens it accepts, and how often it pays for a
 * full check (decode, HMAC, claims) — counted at jsonwebtoken's `verify`, the one call that does it.
 * The cache's bookkeeping is the service's own business and is not looked at.
 */
jest.mock('jsonwebtoken', () => {
  const actual = jest.requireActual<typeof import('jsonwebtoken')>('jsonwebtoken');
  return { ...actual, verify: jest.fn(actual.verify) };
});
const fullChecks = jwt.verify as unknown as jest.Mock;

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const serviceWith = (config: { jwtSecret: string; accessTokenTtlSeconds: number }) => new TokenService(config as unknown as AppConfig);

/** How many full checks `run` caused. */
const checksDuring = (run: () => void): number => {
  const before = fullChecks.mock.calls.length;
  run();
  return fullChecks.mock.calls.length - before;
};

describe('TokenService.verify', () => {
  afterEach(() => jest.restoreAllMocks()); // the clock spies; Jest 30 leaves the jest.fn above as it is

  it('checks a token once and answers it again from memory while it is valid', () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 600 });
    const { accessToken } = tokens.issue('user-1', 3);
    expect(checksDuring(() => expect(tokens.verify(accessToken)).toEqual({ sub: 'user-1', tv: 3 }))).toBe(1);
    let claims: ReturnType<TokenService['verify']> = null;
    expect(
      checksDuring(() => {
        claims = tokens.verify(accessToken);
      }),
    ).toBe(0);
    expect(claims).toEqual({ sub: 'user-1', tv: 3 });
    claims!.tv = 99; // the caller's copy: the remembered claims stay as signed
    expect(checksDuring(() => expect(tokens.verify(accessToken)).toEqual({ sub: 'user-1', tv: 3 }))).toBe(0);
  });

  it('refuses a remembered token from the second it expires on, as jsonwebtoken does, and then forgets it', () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 60 });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    const { accessToken } = tokens.issue('user-1', 1);
    const exp = (jwt.decode(accessToken) as jwt.JwtPayload).exp!;
    expect(tokens.verify(accessToken)).not.toBeNull();
    clock.mockReturnValue(exp * 1000 - 1);
    expect(checksDuring(() => expect(tokens.verify(accessToken)).not.toBeNull())).toBe(0); // from memory
    clock.mockReturnValue(exp * 1000);
    expect(checksDuring(() => expect(tokens.verify(accessToken)).toBeNull())).toBe(0); // refused from memory
    expect(checksDuring(() => expect(tokens.verify(accessToken)).toBeNull())).toBe(1); // forgotten: checked afresh
    expect(jwt.verify.bind(jwt, accessToken, SECRET)).toThrow(jwt.TokenExpiredError); // and jsonwebtoken agrees
  });

  it('refuses tampered, foreign and unsigned tokens every time, and never remembers them', () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 600 });
    const { accessToken } = tokens.issue('user-1', 1);
    const [header, , signature] = accessToken.split('.');
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...(jwt.decode(accessToken) as object), tv: 2 })).toString('base64url'),
      signature,
    ].join('.');
    const foreign = jwt.sign({ tv: 1 }, 'another-secret-0123456789-abcdefghijklmnopqrstuvwxyz', {
      algorithm: 'HS256',
      subject: 'user-1',
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      expiresIn: 600,
    });
    const unsigned = jwt.sign(
      { tv: 1, sub: 'user-1', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 },
      '',
      { algorithm: 'none' },
    );
    const refused = [forged, foreign, unsigned, 'not.a.token'];
    for (let round = 0; round < 2; round++) {
      // Each refused token is checked in full on every presentation: none is answered from memory.
      expect(
        checksDuring(() => {
          for (const token of refused) expect(tokens.verify(token)).toBeNull();
        }),
      ).toBe(refused.length);
    }
  });

  it('refuses a remembered token once the secret has changed', () => {
    const config = { jwtSecret: SECRET, accessTokenTtlSeconds: 600 };
    const tokens = serviceWith(config);
    const { accessToken } = tokens.issue('user-1', 1);
    expect(tokens.verify(accessToken)).not.toBeNull();
    config.jwtSecret = 'rotated-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
    expect(tokens.verify(accessToken)).toBeNull();
    config.jwtSecret = SECRET; // and back: the token is good again, as signed
    expect(tokens.verify(accessToken)).toEqual({ sub: 'user-1', tv: 1 });
  });

  it(`remembers at most ${VERIFIED_TOKENS_KEPT} tokens, dropping the least recently used`, () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 600 });
    const first = tokens.issue('user-0', 1).accessToken;
    const second = tokens.issue('user-1', 1).accessToken;
    tokens.verify(first);
    tokens.verify(second);
    tokens.verify(first); // used again: now the most recent
    const others = Array.from({ length: VERIFIED_TOKENS_KEPT - 2 }, (_, i) => tokens.issue(`user-${i + 2}`, 1).accessToken);
    // Filling the memory to exactly VERIFIED_TOKENS_KEPT drops nothing: all are still answered from it.
    for (const token of others) tokens.verify(token);
    expect(
      checksDuring(() => {
        for (const token of [second, first, ...others]) tokens.verify(token);
      }),
    ).toBe(0);
    // One more drops the least recently used (now `second`); `first`, used after it, stays.
    tokens.verify(first);
    tokens.verify(tokens.issue('one-too-many', 1).accessToken);
    expect(checksDuring(() => expect(tokens.verify(first)).toEqual({ sub: 'user-0', tv: 1 }))).toBe(0);
    expect(checksDuring(() => expect(tokens.verify(second)).toEqual({ sub: 'user-1', tv: 1 }))).toBe(1);
  });
});
