import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEvent } from '@stackgate/audit';
import { User } from '@stackgate/identity';
import { ConfigError, jwkThumbprint, loadConfig, Role } from '@stackgate/platform';
import { signInAtIdp, startTestIdp, TestIdp } from '../support/oidc';
import { startTestApp, TestApp } from '../support/test-app';

// Single sign-on where Stackgate authenticates at the provider's token endpoint with a signed assertion
// (private_key_jwt, RFC 7523) instead of a secret, against the real test provider.
const PUBLIC_URL = 'http://stackgate.test';
const dir = mkdtempSync(join(tmpdir(), 'stackgate-pkjwt-'));

function keyFile(name: string, key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'sec1' = 'pkcs8', passphrase?: string): string {
  const path = join(dir, name);
  const pem = passphrase
    ? key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase })
    : key.export({ format: 'pem', type: type });
  writeFileSync(path, pem);
  return path;
}

const publicJwk = (key: KeyObject, kid: string, alg: string) => ({
  ...(createPublicKey(key).export({ format: 'jwk' }) as Record<string, string>),
  kid,
  alg,
  use: 'sig',
});

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const rsaFile = keyFile('rsa.pem', rsa);
const ecFile = keyFile('ec.pem', ec);
const ecKid = jwkThumbprint(createPublicKey(ec).export({ format: 'jwk' }) as Record<string, string>);

const accounts = {
  'ada-sub': { email: 'ada@corp.example', email_verified: true, name: 'Ada', groups: ['cio'] },
  'ben-sub': { email: 'ben@corp.example', email_verified: true, name: 'Ben', groups: ['cio'] },
  'cy-sub': { email: 'cy@corp.example', email_verified: true, name: 'Cy', groups: ['cio'] },
  'dee-sub': { email: 'dee@corp.example', email_verified: true, name: 'Dee', groups: ['cio'] },
};

const keyEnv = (idp: TestIdp, clientId: string, file: string, extra: Record<string, string> = {}) => ({
  PUBLIC_URL,
  OIDC_ISSUER_URL: idp.issuer,
  OIDC_CLIENT_ID: clientId,
  OIDC_CLIENT_AUTH: 'private_key_jwt',
  OIDC_PRIVATE_KEY_FILE: file,
  OIDC_ROLE_MAP: 'cio=CIO',
  OIDC_JIT: 'true',
  ...extra,
});

const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).find((line) => line.startsWith(`${name}=`))?.split(';')[0];

async function signIn(app: TestApp, account: string, startPath = '/api/v1/auth/oidc/login') {
  const started = await app.http().get(startPath);
  expect([302, 303]).toContain(started.status);
  const back = await signInAtIdp(started.headers.location, account);
  return app
    .http()
    .get(back.pathname + back.search)
    .set('Cookie', cookieOf(started, 'sg_oidc')!);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Single sign-on with private_key_jwt against a real provider', () => {
  let idp: TestIdp;
  const apps: TestApp[] = [];
  let rsaApp: TestApp;
  let ecApp: TestApp;
  let wrongKeyApp: TestApp;

  beforeAll(async () => {
    idp = await startTestIdp(PUBLIC_URL, accounts, {
      secretPostClientId: 'stackgate-post',
      keyClients: [
        { clientId: 'stackgate-rsa', jwks: { keys: [publicJwk(rsa, 'stackgate-2026', 'RS256')] } },
        { clientId: 'stackgate-ec', jwks: { keys: [publicJwk(ec, ecKid, 'ES256')] } },
      ],
    });
    rsaApp = await startTestApp(keyEnv(idp, 'stackgate-rsa', rsaFile, { OIDC_PRIVATE_KEY_ID: 'stackgate-2026' }));
    apps.push(rsaApp);
    ecApp = await startTestApp(keyEnv(idp, 'stackgate-ec', ecFile));
    apps.push(ecApp);
    // Registered at the provider with the RSA key, signing with the EC one.
    wrongKeyApp = await startTestApp(keyEnv(idp, 'stackgate-rsa', ecFile));
    apps.push(wrongKeyApp);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await idp?.stop();
  });

  it('serves the public key (never the private one) as a JWK Set at /auth/oidc/jwks.json', async () => {
    const res = await rsaApp.http().get('/auth/oidc/jwks.json').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toEqual({ keys: [publicJwk(rsa, 'stackgate-2026', 'RS256')] });
    expect(JSON.stringify(res.body)).not.toMatch(/"(d|p|q|dp|dq|qi)"/);
    const ecKeys = await ecApp.http().get('/auth/oidc/jwks.json').expect(200);
    expect(ecKeys.body).toEqual({ keys: [publicJwk(ec, ecKid, 'ES256')] });
  });

  it('signs in with an RSA key: the provider checks the assertion, the user is created with the mapped roles', async () => {
    const res = await signIn(rsaApp, 'ada-sub');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'ada@corp.example', roles: [Role.CIO] });
    await rsaApp.http().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
  });

  it('signs in with an EC P-256 key whose kid is its RFC 7638 thumbprint, through the browser flow', async () => {
    const res = await signIn(ecApp, 'ben-sub', '/auth/oidc/login');
    expect(res.status).toBe(303);
    expect(cookieOf(res, 'sg_session')).toBeDefined();
    expect(await ecApp.dataSource.getRepository(User).countBy({ email: 'ben@corp.example' })).toBe(1);
  });

  it('fails with the error page when the key is not the one registered, creating nobody', async () => {
    const res = await signIn(wrongKeyApp, 'cy-sub', '/auth/oidc/login');
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('Stackgate is not set up correctly there; tell your administrator');
    expect(cookieOf(res, 'sg_session')).toBeUndefined();
    expect(await wrongKeyApp.dataSource.getRepository(User).countBy({ email: 'cy@corp.example' })).toBe(0);
    const failed = await wrongKeyApp.dataSource.getRepository(AuditEvent).find({ where: { action: 'auth.login_failed' } });
    expect(failed.map((row) => String(row.metadata?.reason))).toEqual([expect.stringContaining('invalid_client')]);
  });

  it('signs in with client_secret_post when the provider expects the secret in the body', async () => {
    const app = await startTestApp({
      PUBLIC_URL,
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: 'stackgate-post',
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_CLIENT_AUTH: 'client_secret_post',
      OIDC_ROLE_MAP: 'cio=CIO',
      OIDC_JIT: 'true',
    });
    apps.push(app);
    const res = await signIn(app, 'dee-sub');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'dee@corp.example', roles: [Role.CIO] });
  });

  it('answers 404 SSO_NOT_CONFIGURED for the JWK Set when Stackgate authenticates with a secret', async () => {
    const app = await startTestApp({
      PUBLIC_URL,
      OIDC_ISSUER_URL: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    });
    apps.push(app);
    const res = await app.http().get('/auth/oidc/jwks.json').expect(404);
    expect(res.body.code).toBe('SSO_NOT_CONFIGURED');
  });
});

describe('private_key_jwt configuration', () => {
  const base = { NODE_ENV: 'test', PUBLIC_URL, OIDC_ISSUER_URL: 'https://idp.example.com', OIDC_CLIENT_ID: 'c' };
  const problem = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return null;
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
  };
  const pkjwt = (file: string, extra: Record<string, string> = {}) => ({
    ...base,
    OIDC_CLIENT_AUTH: 'private_key_jwt',
    OIDC_PRIVATE_KEY_FILE: file,
    ...extra,
  });

  it('reads the key, its algorithm and kid, and needs no secret', () => {
    const config = loadConfig(pkjwt(rsaFile));
    expect(config.oidc).toMatchObject({ clientAuth: 'private_key_jwt' });
    expect(config.oidc!.clientSecret).toBeUndefined();
    expect(config.oidc!.privateKey).toMatchObject({ alg: 'RS256', kid: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(JSON.stringify(config.oidc)).not.toMatch(/PRIVATE KEY|"d":/);
    const p384 = keyFile('p384.pem', generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey);
    expect(loadConfig(pkjwt(p384, { OIDC_PRIVATE_KEY_ID: 'k-1' })).oidc!.privateKey).toMatchObject({ alg: 'ES384', kid: 'k-1' });
    expect(loadConfig({ ...base, OIDC_CLIENT_SECRET: 's' }).oidc!.clientAuth).toBe('client_secret_basic');
    expect(loadConfig({ ...base, OIDC_CLIENT_SECRET: 's', OIDC_CLIENT_AUTH: 'client_secret_post' }).oidc!.clientAuth).toBe(
      'client_secret_post',
    );
  });

  it('refuses at start a missing, unreadable, non-PKCS#8, encrypted, weak or unsupported key, and mixed settings', () => {
    expect(problem(pkjwt(join(dir, 'missing.pem')))).toMatch(/OIDC_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/);
    expect(problem(pkjwt(keyFile('pkcs1.pem', rsa, 'pkcs1')))).toMatch(/must be PKCS#8.*openssl pkcs8 -topk8/);
    expect(problem(pkjwt(keyFile('sec1.pem', ec, 'sec1')))).toMatch(/must be PKCS#8/);
    expect(problem(pkjwt(keyFile('enc.pem', rsa, 'pkcs8', 'secret-pass')))).toMatch(/encrypted key/);
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
    expect(problem(pkjwt(garbage))).toMatch(/does not parse as a private key/);
    const notPem = join(dir, 'cert.txt');
    writeFileSync(notPem, 'hello');
    expect(problem(pkjwt(notPem))).toMatch(/holds no PEM private key/);
    expect(problem(pkjwt(keyFile('rsa1024.pem', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey)))).toMatch(
      /1024-bit RSA key/,
    );
    expect(problem(pkjwt(keyFile('ed.pem', generateKeyPairSync('ed25519').privateKey)))).toMatch(/holds an ed25519 key/);
    expect(problem(pkjwt(keyFile('k1.pem', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey)))).toMatch(
      /EC key on secp256k1/,
    );
    expect(problem(pkjwt(rsaFile, { OIDC_CLIENT_SECRET: 's' }))).toMatch(
      /OIDC_CLIENT_SECRET is not used with OIDC_CLIENT_AUTH=private_key_jwt/,
    );
    expect(problem({ ...base, OIDC_CLIENT_AUTH: 'private_key_jwt' })).toMatch(/OIDC_PRIVATE_KEY_FILE is required/);
    expect(problem({ ...base, OIDC_CLIENT_SECRET: 's', OIDC_PRIVATE_KEY_FILE: rsaFile })).toMatch(
      /used only with OIDC_CLIENT_AUTH=private_key_jwt/,
    );
    expect(problem({ ...base, OIDC_CLIENT_SECRET: 's', OIDC_CLIENT_AUTH: 'tls_client_auth' })).toMatch(/OIDC_CLIENT_AUTH must be one of/);
    expect(problem(pkjwt(rsaFile, { OIDC_PRIVATE_KEY_ID: 'has space' }))).toMatch(/OIDC_PRIVATE_KEY_ID must be/);
    expect(problem({ NODE_ENV: 'test', OIDC_PRIVATE_KEY_FILE: rsaFile })).toMatch(/OIDC_PRIVATE_KEY_FILE needs OIDC_ISSUER_URL/);
  });
});
