import * as jwt from 'jsonwebtoken';
import type { AppConfig } from '@stackgate/platform';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService, VERIFIED_TOKENS_KEPT } from './token.service';

const SECRET = 'unit-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const remembered = (tokens: TokenService) => (tokens as unknown as { verified: Map<string, unknown> }).verified;
const serviceWith = (config: { jwtSecret: string; accessTokenTtlSeconds: number }) => new TokenService(config as unknown as AppConfig);

describe('TokenService.verify', () => {
  afterEach(() => jest.restoreAllMocks());

  it('checks a token once and answers it again from memory while it is valid', () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 600 });
    const { accessToken } = tokens.issue('user-1', 3);
    expect(tokens.verify(accessToken)).toEqual({ sub: 'user-1', tv: 3 });
    expect([...remembered(tokens).keys()]).toEqual([accessToken]);
    const claims = tokens.verify(accessToken)!;
    expect(claims).toEqual({ sub: 'user-1', tv: 3 });
    claims.tv = 99; // the caller's copy: the remembered claims stay as signed
    expect(tokens.verify(accessToken)).toEqual({ sub: 'user-1', tv: 3 });
  });

  it('refuses a remembered token from the second it expires on, as jsonwebtoken does', () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 60 });
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    const { accessToken } = tokens.issue('user-1', 1);
    const exp = (jwt.decode(accessToken) as jwt.JwtPayload).exp!;
    expect(tokens.verify(accessToken)).not.toBeNull();
    clock.mockReturnValue(exp * 1000 - 1);
    expect(tokens.verify(accessToken)).not.toBeNull();
    clock.mockReturnValue(exp * 1000);
    expect(tokens.verify(accessToken)).toBeNull();
    expect(remembered(tokens).size).toBe(0); // and it is forgotten
  });

  it('refuses tampered, foreign and unsigned tokens every time, and never remembers them', () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 600 });
    const { accessToken } = tokens.issue('user-1', 1);
    const [h, p, s] = accessToken.split('.');
    const forged = [h, Buffer.from(JSON.stringify({ ...(jwt.decode(accessToken) as object), tv: 2 })).toString('base64url'), s].join('.');
    const foreign = jwt.sign({ tv: 1 }, 'another-secret-0123456789-abcdefghijklmnopqrstuvwxyz', { algorithm: 'HS256', subject: 'user-1', issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE, expiresIn: 600 });
    const unsigned = jwt.sign({ tv: 1, sub: 'user-1', iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 }, '', { algorithm: 'none' });
    for (let i = 0; i < 2; i++) for (const t of [forged, foreign, unsigned, 'not.a.token']) expect(tokens.verify(t)).toBeNull();
    expect(remembered(tokens).size).toBe(0);
  });

  it('refuses a remembered token once the secret has changed', () => {
    const config = { jwtSecret: SECRET, accessTokenTtlSeconds: 600 };
    const tokens = serviceWith(config);
    const { accessToken } = tokens.issue('user-1', 1);
    expect(tokens.verify(accessToken)).not.toBeNull();
    config.jwtSecret = 'rotated-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
    expect(tokens.verify(accessToken)).toBeNull();
  });

  it(`remembers at most ${VERIFIED_TOKENS_KEPT} tokens, dropping the least recently used`, () => {
    const tokens = serviceWith({ jwtSecret: SECRET, accessTokenTtlSeconds: 600 });
    const first = tokens.issue('user-0', 1).accessToken;
    const second = tokens.issue('user-1', 1).accessToken;
    tokens.verify(first);
    tokens.verify(second);
    tokens.verify(first); // used again: now the most recent
    for (let i = 2; i < VERIFIED_TOKENS_KEPT + 1; i++) tokens.verify(tokens.issue(`user-${i}`, 1).accessToken);
    const kept = remembered(tokens);
    expect(kept.size).toBe(VERIFIED_TOKENS_KEPT);
    expect(kept.has(first)).toBe(true);
    expect(kept.has(second)).toBe(false);
  });
});
