import { retryAfterMs, slackErrorOutcome, webhookAnswerOutcome } from './chat-outcome';
import { slackThrownOutcome } from './slack/slack-sender';

describe('What an attempt comes to', () => {
  it('fails permanent Slack errors for good, retries transient ones, skips unknown users', () => {
    for (const error of ['channel_not_found', 'not_in_channel', 'invalid_auth', 'account_inactive', 'token_revoked', 'invalid_blocks'])
      expect(slackErrorOutcome(error)).toEqual({ kind: 'failed', error });
    for (const error of ['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable'])
      expect(slackErrorOutcome(error)).toEqual({ kind: 'retry', error });
    expect(slackErrorOutcome('users_not_found').kind).toBe('skipped');
    expect(slackErrorOutcome('something_new')).toEqual({ kind: 'failed', error: 'something_new' });
  });

  it('reads the Web API client’s errors: platform, rate limited, HTTP and network', () => {
    expect(slackThrownOutcome({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } })).toEqual({
      kind: 'failed',
      error: 'channel_not_found',
    });
    expect(slackThrownOutcome({ code: 'slack_webapi_rate_limited_error', retryAfter: 42 })).toMatchObject({
      kind: 'retry',
      retryAfterMs: 42_000,
    });
    expect(slackThrownOutcome({ code: 'slack_webapi_http_error', statusCode: 502 })).toMatchObject({ kind: 'retry' });
    expect(slackThrownOutcome({ code: 'slack_webapi_http_error', statusCode: 404 })).toMatchObject({ kind: 'failed' });
    expect(slackThrownOutcome({ code: 'slack_webapi_request_error', message: 'ECONNREFUSED' })).toMatchObject({ kind: 'retry' });
  });

  it('reads incoming-webhook answers (Slack and Teams)', () => {
    expect(webhookAnswerOutcome(200, 'ok', null, null)).toEqual({ kind: 'delivered' });
    expect(webhookAnswerOutcome(202, '', null, null)).toEqual({ kind: 'delivered' });
    expect(webhookAnswerOutcome(429, 'rate_limited', '30', null)).toEqual({
      kind: 'retry',
      error: 'HTTP 429: rate_limited',
      retryAfterMs: 30_000,
    });
    expect(webhookAnswerOutcome(503, 'down', null, null)).toEqual({ kind: 'retry', error: 'HTTP 503: down' });
    expect(webhookAnswerOutcome(null, '', null, 'timed out after 1000 ms')).toEqual({ kind: 'retry', error: 'timed out after 1000 ms' });
    expect(webhookAnswerOutcome(404, 'channel_not_found', null, null)).toEqual({ kind: 'failed', error: 'HTTP 404: channel_not_found' });
    expect(webhookAnswerOutcome(403, 'invalid_token', null, null).kind).toBe('failed');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(new Date(Date.UTC(2030, 0, 1, 0, 1)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(60_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
