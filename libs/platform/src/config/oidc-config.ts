import { Role } from '../auth/roles';
import { loadOidcClientAuth, OidcClientAuthSettings } from './oidc-client-auth';

/** Single sign-on through an OpenID Connect provider (Okta, Microsoft Entra ID, Google Workspace, Keycloak, …). */
export interface OidcSettings extends OidcClientAuthSettings {
  issuerUrl: string;
  clientId: string;
  scopes: string;
  /** The ID-token / userinfo claim that lists the user's groups. */
  groupsClaim: string;
  /** IdP group → Stackgate roles. Empty: roles are managed in Stackgate and never changed by a sign-in. */
  roleMap: Map<string, Role[]>;
  /** E-mail domains (lower case) whose addresses are trusted even without `email_verified`; also the only domains allowed when set. */
  allowedDomains: string[];
  /** Unknown users are created on their first sign-in. */
  jit: boolean;
  /** Roles of a user created on first sign-in when no role map is configured. */
  jitRoles: Role[];
  providerName: string;
  /** Plain http is accepted for a provider on this machine only (127.0.0.1, ::1, localhost). */
  allowInsecureHttp: boolean;
}

export interface SignInSettings {
  oidc?: OidcSettings;
  /** false = single sign-on only; the break-glass administrator still signs in with a password. */
  passwordLogin: boolean;
  breakGlassAdminEmail?: string;
}

type Env = Record<string, string | undefined>;
type Fail = (variable: string, problem: string) => Error;

const text = (env: Env, name: string): string | undefined => {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
};

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function roleList(variable: string, value: string, fail: Fail): Role[] {
  const roles = value
    .split(/[|+ ]/)
    .map((role) => role.trim().toUpperCase())
    .filter(Boolean);
  for (const role of roles) {
    if (!(Object.values(Role) as string[]).includes(role)) {
      throw fail(variable, `names an unknown role "${role}" (roles: ${Object.values(Role).join(', ')})`);
    }
  }
  if (!roles.length) throw fail(variable, 'maps a group to no role');
  return [...new Set(roles)] as Role[];
}

/** OIDC_ROLE_MAP: `group=ROLE,group2=ROLE|ROLE` (a group's name may itself contain "=": the last one separates). */
export function parseRoleMap(value: string | undefined, fail: Fail): Map<string, Role[]> {
  const map = new Map<string, Role[]>();
  for (const entry of list(value)) {
    const cut = entry.lastIndexOf('=');
    if (cut <= 0) throw fail('OIDC_ROLE_MAP', `must be a comma-separated list of group=ROLE, got "${entry}"`);
    const group = entry.slice(0, cut).trim();
    const roles = roleList('OIDC_ROLE_MAP', entry.slice(cut + 1), fail);
    map.set(group, [...new Set([...(map.get(group) ?? []), ...roles])]);
  }
  return map;
}

const LOOPBACK_HOSTS = ['127.0.0.1', '[::1]', 'localhost'];

function issuer(env: Env, fail: Fail): { issuerUrl: string; allowInsecureHttp: boolean } {
  const raw = text(env, 'OIDC_ISSUER_URL')!;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail('OIDC_ISSUER_URL', `must be the provider's issuer URL, got "${raw}"`);
  }
  const loopback = LOOPBACK_HOSTS.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw fail('OIDC_ISSUER_URL', 'must be an https URL (plain http only for a provider on 127.0.0.1 or localhost)');
  }
  if (url.search || url.hash) throw fail('OIDC_ISSUER_URL', 'must not carry a query or a fragment');
  return { issuerUrl: raw, allowInsecureHttp: url.protocol === 'http:' };
}

/** Reads the single sign-on settings; undefined OIDC settings when OIDC_ISSUER_URL is not set. */
export function loadSignInSettings(env: Env, fail: Fail, publicUrl: string | undefined): SignInSettings {
  const passwordLoginRaw = text(env, 'PASSWORD_LOGIN')?.toLowerCase() ?? 'true';
  if (!['true', 'false'].includes(passwordLoginRaw)) throw fail('PASSWORD_LOGIN', `must be true or false, got "${passwordLoginRaw}"`);
  const passwordLogin = passwordLoginRaw === 'true';
  const breakGlassAdminEmail = (text(env, 'BREAK_GLASS_ADMIN_EMAIL') ?? text(env, 'BOOTSTRAP_ADMIN_EMAIL'))?.toLowerCase();

  if (!text(env, 'OIDC_ISSUER_URL')) {
    // Settings that would silently do nothing without a provider (the defaults of .env.example are fine).
    for (const name of [
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'OIDC_ROLE_MAP',
      'OIDC_CLIENT_AUTH',
      'OIDC_PRIVATE_KEY_FILE',
      'OIDC_PRIVATE_KEY_ID',
    ]) {
      if (text(env, name)) throw fail(name, 'needs OIDC_ISSUER_URL');
    }
    if (text(env, 'OIDC_JIT')?.toLowerCase() === 'true') throw fail('OIDC_JIT', 'needs OIDC_ISSUER_URL');
    if (!passwordLogin) throw fail('PASSWORD_LOGIN', 'can be false only with single sign-on configured (OIDC_ISSUER_URL)');
    return { passwordLogin, breakGlassAdminEmail };
  }
  const clientId = text(env, 'OIDC_CLIENT_ID');
  if (!clientId) throw fail('OIDC_CLIENT_ID', 'is required with OIDC_ISSUER_URL');
  const clientAuth = loadOidcClientAuth((name) => text(env, name), fail);
  if (!publicUrl) throw fail('PUBLIC_URL', 'is required with OIDC_ISSUER_URL: the redirect URI is PUBLIC_URL + /auth/oidc/callback');
  const scopes = list((text(env, 'OIDC_SCOPES') ?? 'openid email profile').replace(/\s+/g, ',')).join(' ');
  if (!scopes.split(' ').includes('openid')) throw fail('OIDC_SCOPES', 'must include openid');
  const allowedDomains = list(text(env, 'OIDC_ALLOWED_DOMAINS')?.toLowerCase());
  for (const domain of allowedDomains) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain))
      throw fail('OIDC_ALLOWED_DOMAINS', `must list domains such as example.com, got "${domain}"`);
  }
  const jitRaw = text(env, 'OIDC_JIT')?.toLowerCase() ?? 'false';
  if (!['true', 'false'].includes(jitRaw)) throw fail('OIDC_JIT', `must be true or false, got "${jitRaw}"`);
  const roleMap = parseRoleMap(text(env, 'OIDC_ROLE_MAP'), fail);
  const jitRolesRaw = text(env, 'OIDC_JIT_ROLES');
  if (jitRolesRaw && roleMap.size) throw fail('OIDC_JIT_ROLES', 'is not used with OIDC_ROLE_MAP (roles come from the groups)');
  return {
    passwordLogin,
    breakGlassAdminEmail,
    oidc: {
      ...issuer(env, fail),
      clientId,
      ...clientAuth,
      scopes,
      groupsClaim: text(env, 'OIDC_GROUPS_CLAIM') ?? 'groups',
      roleMap,
      allowedDomains,
      jit: jitRaw === 'true',
      jitRoles: jitRolesRaw ? roleList('OIDC_JIT_ROLES', jitRolesRaw.replace(/,/g, '|'), fail) : [Role.MARKETER],
      providerName: (text(env, 'OIDC_PROVIDER_NAME') ?? 'single sign-on').slice(0, 60),
    },
  };
}
