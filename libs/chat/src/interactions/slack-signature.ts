import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request whose timestamp is further than this from now, either way, is refused. */
export const SLACK_SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SlackSignatureRefusal = 'MISSING' | 'MALFORMED_TIMESTAMP' | 'STALE' | 'FUTURE' | 'MALFORMED_SIGNATURE' | 'MISMATCH';

export interface SlackSignedRequest {
  /** X-Slack-Request-Timestamp (unix seconds, as sent). */
  timestamp: string | undefined;
  /** X-Slack-Signature (`v0=<hex>`). */
  signature: string | undefined;
  /** The body exactly as received, before any parsing. */
  rawBody: Buffer;
}

/**
 * Checks a request the way Slack documents ("Verifying requests from Slack"): the timestamp is within
 * five minutes of now, and the signature is `v0=` + the hex HMAC-SHA256, keyed with the signing secret,
 * of `v0:<timestamp>:<raw body>`, compared in constant time. Returns null when the request is Slack's,
 * otherwise why not. The timestamp is checked first, so a replay outside the window never costs an HMAC.
 */
export function slackSignatureRefusal(secret: string, request: SlackSignedRequest, nowMs = Date.now()): SlackSignatureRefusal | null {
  const { timestamp, signature, rawBody } = request;
  if (!timestamp || !signature) return 'MISSING';
  if (!/^\d{1,12}$/.test(timestamp)) return 'MALFORMED_TIMESTAMP';
  const skew = Math.floor(nowMs / 1000) - Number(timestamp);
  if (skew > SLACK_SIGNATURE_WINDOW_SECONDS) return 'STALE';
  if (skew < -SLACK_SIGNATURE_WINDOW_SECONDS) return 'FUTURE';
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return 'MALFORMED_SIGNATURE';
  const expected = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest();
  const presented = Buffer.from(signature.slice(3), 'hex');
  return timingSafeEqual(expected, presented) ? null : 'MISMATCH';
}

/** What the 401 says for each refusal (reader words; the signature itself is never echoed). */
export const SLACK_SIGNATURE_PROBLEMS: Record<SlackSignatureRefusal, string> = {
  MISSING: 'The request is not signed: X-Slack-Signature and X-Slack-Request-Timestamp are required',
  MALFORMED_TIMESTAMP: 'X-Slack-Request-Timestamp must be a Unix time in seconds',
  STALE: 'The request is older than five minutes; Slack requests are accepted within five minutes of being signed',
  FUTURE: 'The request is dated more than five minutes ahead; check the clock of this server',
  MALFORMED_SIGNATURE: 'X-Slack-Signature must be v0= followed by 64 hexadecimal digits',
  MISMATCH: "The request's signature does not match: it was not signed with this Slack app's signing secret",
};
