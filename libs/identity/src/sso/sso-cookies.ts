import type { Request, Response } from 'express';
import { SSO_STATE_COOKIE, SSO_STATE_COOKIE_PATH, SSO_STATE_TTL_SECONDS } from './oidc-state';

/** Marks a browser session that came from single sign-on, so signing out also ends the provider's session. */
export const SSO_SESSION_COOKIE = 'sg_sso';

// Lax, not Strict: the provider's redirect back to the callback is a cross-site top-level GET.
const options = (req: Request, maxAgeSeconds?: number) => ({
  httpOnly: true,
  sameSite: 'lax' as const,
  secure: req.secure,
  path: SSO_STATE_COOKIE_PATH,
  ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds * 1000 } : {}),
});

export function setSsoStateCookie(req: Request, res: Response, value: string): void {
  res.cookie(SSO_STATE_COOKIE, value, options(req, SSO_STATE_TTL_SECONDS));
}

/** A state serves one callback only. */
export function clearSsoStateCookie(req: Request, res: Response): void {
  res.clearCookie(SSO_STATE_COOKIE, options(req));
}
