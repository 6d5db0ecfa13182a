import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An account at the test identity provider: the claims it releases. */
export interface IdpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Replaces the provider's accounts (read again at every sign-in). */
  setAccounts(accounts: Record<string, IdpAccount>): void;
  stop(): Promise<void>;
}

export const TEST_OIDC_CLIENT_SECRET = 'test-only-oidc-client-secret-0123456789';

/** Starts oidc-provider in a child process on 127.0.0.1 with one client whose redirect URI is `publicUrl` + /auth/oidc/callback. */
export async function startTestIdp(
  publicUrl: string,
  accounts: Record<string, IdpAccount>,
  opts: { clockOffsetSeconds?: number; keyClients?: { clientId: string; jwks: { keys: object[] } }[]; secretPostClientId?: string } = {},
): Promise<TestIdp> {
  const dir = mkdtempSync(join(tmpdir(), 'stackgate-idp-'));
  const accountsFile = join(dir, 'accounts.json');
  writeFileSync(accountsFile, JSON.stringify(accounts));
  const clientId = 'stackgate-test';
  const clients = [
    {
      client_id: clientId,
      client_secret: TEST_OIDC_CLIENT_SECRET,
      redirect_uris: [new URL('/auth/oidc/callback', publicUrl).toString()],
      post_logout_redirect_uris: [new URL('/login', publicUrl).toString()],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    // The same client secret sent in the token request's body (client_secret_post) instead of the Basic header.
    ...(opts.secretPostClientId
      ? [
          {
            client_id: opts.secretPostClientId,
            client_secret: TEST_OIDC_CLIENT_SECRET,
            redirect_uris: [new URL('/auth/oidc/callback', publicUrl).toString()],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ]
      : []),
    // Clients that authenticate with a signed assertion (private_key_jwt, RFC 7523) checked against their registered public keys.
    ...(opts.keyClients ?? []).map(({ clientId: keyClientId, jwks }) => ({
      client_id: keyClientId,
      redirect_uris: [new URL('/auth/oidc/callback', publicUrl).toString()],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks,
    })),
  ];
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      CLIENTS: JSON.stringify(clients),
      ACCOUNTS_FILE: accountsFile,
      CLOCK_OFFSET_SECONDS: String(opts.clockOffsetSeconds ?? 0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The test identity provider did not start: ${errors}`)), 20000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`The test identity provider exited (${code}): ${errors}`)));
  });
  return {
    issuer: `http://127.0.0.1:${port}`,
    clientId,
    clientSecret: TEST_OIDC_CLIENT_SECRET,
    setAccounts: (next) => writeFileSync(accountsFile, JSON.stringify(next)),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Cookies of one browser at the identity provider. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const cut = pair.indexOf('=');
      const name = pair.slice(0, cut).trim();
      const value = pair.slice(cut + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Plays the user at the provider: opens the authorization URL, signs in as `account` on the provider's
 * login form, and answers the URL the provider sends the browser back to (the redirect URI with code and state).
 */
export async function signInAtIdp(authorizationUrl: string, account: string): Promise<URL> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (next.pathname === '/auth/oidc/callback') return next;
      url = next.toString();
      continue;
    }
    const page = await response.text();
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/.exec(page);
    if (!action || !page.includes('name="login"'))
      throw new Error(`The provider answered ${response.status} without a sign-in form: ${page.slice(0, 300)}`);
    const submit = await fetch(new URL(action[1], url), {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login: account, password: 'any' }).toString(),
    });
    jar.store(submit);
    const after = submit.headers.get('location');
    if (!after) throw new Error(`The provider's sign-in form answered ${submit.status}`);
    url = new URL(after, url).toString();
  }
  throw new Error('Too many redirects at the provider');
}
