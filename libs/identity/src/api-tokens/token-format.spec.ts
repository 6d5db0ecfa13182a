import { checksum, crc32, generateToken, hashToken, parseToken, randomBase62, tokenMatches } from './token-format';
import { ALL_SCOPES, ANY_SCOPE, missingScopes, NO_TOKENS, TokenScope } from './token-scopes';

describe('API token format', () => {
  it('is <prefix>_<12 lookup><43 secret><6 checksum> in base62, with 256 random bits', () => {
    const { token, lookupId, hash } = generateToken('sgp');
    expect(token).toMatch(/^sgp_[0-9A-Za-z]{61}$/);
    expect(token.slice(4, 16)).toBe(lookupId);
    expect(hash).toBe(hashToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(token.slice(-6)).toBe(checksum(token.slice(0, -6)));
    expect(new Set(Array.from({ length: 200 }, () => generateToken('sgp').token)).size).toBe(200);
  });

  it('draws base62 characters without bias towards the first ones', () => {
    const counts = new Map<string, number>();
    for (const char of randomBase62(62_000)) counts.set(char, (counts.get(char) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(200);
  });

  it('computes the standard CRC-32 (the checksum secret scanners can verify)', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    expect(checksum('123456789')).toHaveLength(6);
  });

  it('parses only well-formed tokens of the given prefixes', () => {
    const { token, lookupId } = generateToken('sgs');
    expect(parseToken(token, ['sgp', 'sgs'])).toEqual({ prefix: 'sgs', lookupId });
    expect(parseToken(token, ['sgp'])).toBeNull();
    expect(parseToken(token.slice(0, -1), ['sgs'])).toBeNull();
    expect(parseToken(token + 'x', ['sgs'])).toBeNull();
    const flipped = token.slice(0, 30) + (token[30] === 'a' ? 'b' : 'a') + token.slice(31);
    expect(parseToken(flipped, ['sgs'])).toBeNull();
    expect(parseToken('sgs_' + '-'.repeat(61), ['sgs'])).toBeNull();
    expect(parseToken('', ['sgs'])).toBeNull();
    expect(parseToken('_abc', ['sgs'])).toBeNull();
  });

  it('compares hashes in constant time and refuses a malformed stored hash', () => {
    const { token, hash } = generateToken('sgp');
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(token + 'x', hash)).toBe(false);
    expect(tokenMatches(token, 'abc')).toBe(false);
  });
});

describe('token scope rules', () => {
  it('needs every scope of a rule; ANY_SCOPE needs none; NO_TOKENS and unmapped routes refuse tokens', () => {
    expect(missingScopes(TokenScope.CATALOG_READ, ['catalog:read'])).toEqual([]);
    expect(missingScopes(TokenScope.CATALOG_WRITE, ['catalog:read'])).toEqual(['catalog:write']);
    expect(missingScopes([TokenScope.CATALOG_WRITE, TokenScope.SPEND_WRITE], ['catalog:write'])).toEqual(['spend:write']);
    expect(missingScopes(ANY_SCOPE, [])).toEqual([]);
    expect(missingScopes(NO_TOKENS, ALL_SCOPES)).toBeNull();
    expect(missingScopes(undefined, ALL_SCOPES)).toBeNull();
  });

  it('has exactly the contract scopes', () => {
    expect(ALL_SCOPES).toEqual([
      'catalog:read',
      'catalog:write',
      'requests:read',
      'requests:write',
      'spend:read',
      'spend:write',
      'reports:read',
      'audit:read',
      'admin',
    ]);
  });
});
