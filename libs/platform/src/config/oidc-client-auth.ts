import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** How Stackgate authenticates itself at the provider's token endpoint. */
export const OIDC_CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type OidcClientAuthMethod = (typeof OIDC_CLIENT_AUTH_METHODS)[number];

/** The JWS algorithms a client assertion is signed with, by key. */
export type OidcSigningAlg = 'RS256' | 'ES256' | 'ES384' | 'ES512';

/** The key of `private_key_jwt` (RFC 7523): the private half signs client assertions, the public half is served as a JWKS. */
export interface OidcPrivateKey {
  /** Kept as a KeyObject, never as text: a config dump cannot print it. */
  key: KeyObject;
  kid: string;
  alg: OidcSigningAlg;
  /** The public key as a JWK (with kid, alg and use), as GET /auth/oidc/jwks.json serves it. */
  publicJwk: Record<string, string>;
}

type Fail = (variable: string, problem: string) => Error;

const CURVE_ALGS: Record<string, OidcSigningAlg> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
const MAX_KEY_FILE_BYTES = 64 * 1024;
const KEY_USE = 'use a PKCS#8 PEM file holding an RSA key (2048 bits or more) or an EC key on P-256, P-384 or P-521';

/** RFC 7638: the SHA-256 thumbprint of a public JWK's required members, base64url. */
export function jwkThumbprint(jwk: Record<string, string>): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function readKeyFile(path: string, fail: Fail): string {
  try {
    if (statSync(path).size > MAX_KEY_FILE_BYTES)
      throw fail('OIDC_PRIVATE_KEY_FILE', `is larger than ${MAX_KEY_FILE_BYTES / 1024} KB: ${KEY_USE}`);
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof Error && err.name === 'ConfigError') throw err;
    throw fail('OIDC_PRIVATE_KEY_FILE', `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): ${path}`);
  }
}

/** Reads and checks the key of OIDC_PRIVATE_KEY_FILE (and OIDC_PRIVATE_KEY_ID): readable, PKCS#8, unencrypted, RSA ≥ 2048 or EC P-256/384/521. */
export function loadOidcPrivateKey(path: string, kidSetting: string | undefined, fail: Fail): OidcPrivateKey {
  const pem = readKeyFile(path, fail);
  if (pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----'))
    throw fail('OIDC_PRIVATE_KEY_FILE', 'holds an encrypted key: store it unencrypted, readable by Stackgate only');
  if (/-----BEGIN (RSA|EC) PRIVATE KEY-----/.test(pem))
    throw fail(
      'OIDC_PRIVATE_KEY_FILE',
      'must be PKCS#8 ("BEGIN PRIVATE KEY"); convert it with: openssl pkcs8 -topk8 -nocrypt -in old.pem -out key.pem',
    );
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) throw fail('OIDC_PRIVATE_KEY_FILE', `holds no PEM private key: ${KEY_USE}`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw fail('OIDC_PRIVATE_KEY_FILE', `does not parse as a private key (${(err as Error).message}): ${KEY_USE}`);
  }
  const details = key.asymmetricKeyDetails ?? {};
  let alg: OidcSigningAlg | undefined;
  if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048)
      throw fail('OIDC_PRIVATE_KEY_FILE', `holds a ${details.modulusLength}-bit RSA key: ${KEY_USE}`);
    alg = 'RS256';
  } else if (key.asymmetricKeyType === 'ec') {
    alg = CURVE_ALGS[details.namedCurve ?? ''];
    if (!alg) throw fail('OIDC_PRIVATE_KEY_FILE', `holds an EC key on ${details.namedCurve}: ${KEY_USE}`);
  } else {
    throw fail('OIDC_PRIVATE_KEY_FILE', `holds an ${key.asymmetricKeyType} key: ${KEY_USE}`);
  }
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, string>;
  if (kidSetting !== undefined && !/^[\x21-\x7e]{1,200}$/.test(kidSetting))
    throw fail('OIDC_PRIVATE_KEY_ID', 'must be 1 to 200 printable characters without spaces');
  const kid = kidSetting ?? jwkThumbprint(jwk);
  return { key, kid, alg, publicJwk: { ...jwk, kid, alg, use: 'sig' } };
}

export interface OidcClientAuthSettings {
  clientAuth: OidcClientAuthMethod;
  /** Set for client_secret_basic and client_secret_post. */
  clientSecret?: string;
  /** Set for private_key_jwt. */
  privateKey?: OidcPrivateKey;
}

/** OIDC_CLIENT_AUTH with the secret or the key it needs (the secret is not required, and refused, with private_key_jwt). */
export function loadOidcClientAuth(setting: (name: string) => string | undefined, fail: Fail): OidcClientAuthSettings {
  const raw = setting('OIDC_CLIENT_AUTH')?.toLowerCase() ?? 'client_secret_basic';
  if (!(OIDC_CLIENT_AUTH_METHODS as readonly string[]).includes(raw))
    throw fail('OIDC_CLIENT_AUTH', `must be one of ${OIDC_CLIENT_AUTH_METHODS.join(', ')}, got "${raw}"`);
  const clientAuth = raw as OidcClientAuthMethod;
  const clientSecret = setting('OIDC_CLIENT_SECRET');
  const keyFile = setting('OIDC_PRIVATE_KEY_FILE');
  if (clientAuth !== 'private_key_jwt') {
    if (!clientSecret)
      throw fail(
        'OIDC_CLIENT_SECRET',
        'is required with OIDC_ISSUER_URL (or set OIDC_CLIENT_AUTH=private_key_jwt and OIDC_PRIVATE_KEY_FILE)',
      );
    for (const name of ['OIDC_PRIVATE_KEY_FILE', 'OIDC_PRIVATE_KEY_ID'])
      if (setting(name)) throw fail(name, 'is used only with OIDC_CLIENT_AUTH=private_key_jwt');
    return { clientAuth, clientSecret };
  }
  if (clientSecret) throw fail('OIDC_CLIENT_SECRET', 'is not used with OIDC_CLIENT_AUTH=private_key_jwt: remove it');
  if (!keyFile) throw fail('OIDC_PRIVATE_KEY_FILE', 'is required with OIDC_CLIENT_AUTH=private_key_jwt');
  return { clientAuth, privateKey: loadOidcPrivateKey(keyFile, setting('OIDC_PRIVATE_KEY_ID'), fail) };
}
