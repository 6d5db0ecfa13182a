// A real OpenID provider for the tests (oidc-provider, the certified Node.js OP), run as a child process
// on 127.0.0.1. Its accounts are read from ACCOUNTS_FILE at every sign-in, so a test can change a user's
// groups between two sign-ins. CLOCK_OFFSET_SECONDS shifts its clock (tokens issued in the past).
// Prints "listening <port>" once it serves.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const offset = Number(process.env.CLOCK_OFFSET_SECONDS ?? '0') * 1000;
if (offset) {
  const realNow = Date.now;
  Date.now = () => realNow() + offset;
}
const { default: Provider } = await import('oidc-provider');

const clients = JSON.parse(process.env.CLIENTS);
const accountsFile = process.env.ACCOUNTS_FILE;
const accounts = () => JSON.parse(readFileSync(accountsFile, 'utf8'));

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  scopes: ['openid', 'email', 'profile', 'offline_access'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  // The claims of the requested scopes go into the ID token, as Okta, Entra ID and Keycloak can be set to do.
  conformIdTokenClaims: false,
  cookies: { keys: ['test-only-oidc-cookie-key'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
  // First-party client: no consent screen (the account's grant is created on the fly).
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'groups']);
    await grant.save();
    return grant;
  },
});
server.on('request', provider.callback());
process.stdout.write(`listening ${port}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
