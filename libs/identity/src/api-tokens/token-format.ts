import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The format of every API secret Stackgate issues (personal access tokens, service-account tokens;
 * SCIM tokens reuse it with their own prefix):
 *
 *   <prefix>_<lookup id: 12 base62><secret: 43 base62 = 256 random bits><checksum: 6 base62>
 *
 * The prefix lets secret scanners (GitHub, GitGuardian) recognise a leaked token; the checksum, a
 * CRC-32 of everything before it, lets them (and the guard) tell a real-looking token from a typo
 * without a database read. Only the SHA-256 of the whole token is stored; the lookup id is stored
 * in clear and indexed, so a presented token is found with one indexed read and its hash compared
 * in constant time.
 */

export const TOKEN_PREFIXES = { PERSONAL: 'sgp', SERVICE: 'sgs' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIXES;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const LOOKUP_LENGTH = 12;
export const SECRET_LENGTH = 43;
export const CHECKSUM_LENGTH = 6;
const BODY_LENGTH = LOOKUP_LENGTH + SECRET_LENGTH + CHECKSUM_LENGTH;

/** `length` uniformly random base62 characters (rejection sampling: no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The CRC-32 of `text` as 6 base62 characters, zero-padded. */
export function checksum(text: string): string {
  let value = crc32(text);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** SHA-256 (hex) of a token: what the database keeps instead of the secret. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A new token of `prefix`: the full secret (shown once), its lookup id and its hash. */
export function generateToken(prefix: string): { token: string; lookupId: string; hash: string } {
  const lookupId = randomBase62(LOOKUP_LENGTH);
  const head = `${prefix}_${lookupId}${randomBase62(SECRET_LENGTH)}`;
  const token = head + checksum(head);
  return { token, lookupId, hash: hashToken(token) };
}

/**
 * The lookup id of a well-formed token of one of `prefixes`, or null for anything else (wrong
 * prefix, wrong length, characters outside base62, checksum that does not match).
 */
export function parseToken(token: string, prefixes: readonly string[]): { prefix: string; lookupId: string } | null {
  const underscore = token.indexOf('_');
  if (underscore < 1) return null;
  const prefix = token.slice(0, underscore);
  const body = token.slice(underscore + 1);
  if (!prefixes.includes(prefix) || body.length !== BODY_LENGTH || !/^[0-9A-Za-z]+$/.test(body)) return null;
  const head = token.slice(0, token.length - CHECKSUM_LENGTH);
  if (checksum(head) !== token.slice(-CHECKSUM_LENGTH)) return null;
  return { prefix, lookupId: body.slice(0, LOOKUP_LENGTH) };
}

/** Whether `token` hashes to `storedHash`, compared in constant time. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Whether a bearer value looks like one of our API tokens (rather than a session JWT). */
export const looksLikeApiToken = (token: string, prefixes: readonly string[]): boolean =>
  prefixes.some((prefix) => token.startsWith(`${prefix}_`));
