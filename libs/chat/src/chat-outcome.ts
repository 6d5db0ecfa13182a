/** What one delivery attempt came to. */
export type ChatOutcome =
  | { kind: 'delivered'; slackChannelId?: string | null; slackTs?: string | null }
  /** Transient (5xx, timeout, ratelimited, internal_error): try again, at `retryAfterMs` when Slack said so (HTTP 429 Retry-After). */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** Permanent (channel_not_found, invalid_auth …): never retried, shown on the admin page. */
  | { kind: 'failed'; error: string }
  /** Not sent on purpose (the person has no Slack account with their e-mail). */
  | { kind: 'skipped'; error: string };

/** Slack errors that retrying cannot fix (https://api.slack.com/methods/chat.postMessage#errors and the incoming-webhook errors). */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'ekm_access_denied',
  'team_access_not_granted',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'invalid_payload',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'duplicate_channel_not_found',
  'messages_tab_disabled',
  'user_not_found',
  'cannot_dm_bot',
  'no_service',
  'no_service_id',
  'no_team',
  'team_disabled',
  'action_prohibited',
  'invalid_token',
  'posting_to_general_channel_denied',
]);

/** Slack errors that say "try again later". */
export const TRANSIENT_SLACK_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'timeout',
]);

/** An `ok:false` error of Slack's Web API as an outcome; errors Slack has not documented count as permanent (an operator looks). */
export function slackErrorOutcome(error: string): ChatOutcome {
  if (error === 'users_not_found') return { kind: 'skipped', error: 'users_not_found: no Slack account has this e-mail address' };
  if (TRANSIENT_SLACK_ERRORS.has(error)) return { kind: 'retry', error };
  return { kind: 'failed', error };
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d{1,7}$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * An answer of an incoming webhook (Slack's or Teams'): 2xx delivered; 429 again after Retry-After;
 * 408, 5xx and no answer at all again with backoff; any other 4xx failed for good with the answer's text.
 */
export function webhookAnswerOutcome(status: number | null, body: string, retryAfter: string | null, error: string | null): ChatOutcome {
  if (status === null) return { kind: 'retry', error: error ?? 'no answer' };
  const said = body.trim().slice(0, 300);
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (status === 429) return { kind: 'retry', error: `HTTP 429${said ? `: ${said}` : ''}`, retryAfterMs: retryAfterMs(retryAfter) };
  if (status === 408 || status >= 500) return { kind: 'retry', error: `HTTP ${status}${said ? `: ${said}` : ''}` };
  return { kind: 'failed', error: `HTTP ${status}${said ? `: ${said}` : ''}` };
}
