import { createHmac, timingSafeEqual } from 'node:crypto';

/** How a sign-in ends: a browser session (the web UI) or the sign-in JSON of POST /api/v1/auth/login (API clients). */
export type SsoMode = 'web' | 'api';

/** What the start of a sign-in keeps for its callback, in a signed, short-lived, httpOnly cookie. */
export interface SsoState {
  state: string;
  nonce: string;
  codeVerifier: string;
  mode: SsoMode;
  /** Where the web UI goes after the sign-in (a local path). */
  next: string;
  /** Unix seconds. */
  expiresAt: number;
}

export const SSO_STATE_COOKIE = 'sg_oidc';
/** The cookie reaches only the sign-in routes. */
export const SSO_STATE_COOKIE_PATH = '/auth/oidc';
export const SSO_STATE_TTL_SECONDS = 600;
const MAX_COOKIE_LENGTH = 2048;

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`oidc-state:${payload}`).digest('base64url');

export function sealSsoState(secret: string, state: SsoState): string {
  const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
  return `${payload}.${mac(secret, payload)}`;
}

/** The state the cookie carries, or null when it is missing, forged, malformed or expired. */
export function openSsoState(secret: string, cookie: string | undefined, now = Date.now()): SsoState | null {
  if (!cookie || cookie.length > MAX_COOKIE_LENGTH) return null;
  const [payload, signature, extra] = cookie.split('.');
  if (!payload || !signature || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, payload));
  const sent = Buffer.from(signature);
  if (expected.length !== sent.length || !timingSafeEqual(expected, sent)) return null;
  try {
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as SsoState;
    if (typeof state.expiresAt !== 'number' || state.expiresAt * 1000 < now) return null;
    if (![state.state, state.nonce, state.codeVerifier, state.next].every((field) => typeof field === 'string')) return null;
    return state.mode === 'web' || state.mode === 'api' ? state : null;
  } catch {
    return null;
  }
}
