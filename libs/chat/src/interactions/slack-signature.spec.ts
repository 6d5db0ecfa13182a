import { createHmac } from 'node:crypto';
import { SLACK_SIGNATURE_WINDOW_SECONDS, slackSignatureRefusal } from './slack-signature';

/** Signs as Slack documents it, independently of the code under test. */
const sign = (secret: string, timestamp: string, body: string) =>
  'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');

describe('slackSignatureRefusal', () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const now = 1_767_000_000_000;
  const ts = String(now / 1000);
  const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
  const request = (over: Partial<{ timestamp: string | undefined; signature: string | undefined; body: string }> = {}) => ({
    timestamp: 'timestamp' in over ? over.timestamp : ts,
    signature: 'signature' in over ? over.signature : sign(secret, ts, body),
    rawBody: Buffer.from(over.body ?? body),
  });

  it("accepts Slack's documented example request", () => {
    // The example of Slack's "Verifying requests from Slack" page.
    const exampleBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar' +
      '&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F' +
      'commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const refusal = slackSignatureRefusal(
      '8f742231b10e8888abcd99yyyzzz85a5',
      {
        timestamp: '1531420618',
        signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
        rawBody: Buffer.from(exampleBody),
      },
      1531420618 * 1000 + 30_000,
    );
    expect(refusal).toBeNull();
  });

  it('accepts a correctly signed request within the window, either side of now', () => {
    expect(slackSignatureRefusal(secret, request(), now)).toBeNull();
    expect(slackSignatureRefusal(secret, request(), now + SLACK_SIGNATURE_WINDOW_SECONDS * 1000)).toBeNull();
    expect(slackSignatureRefusal(secret, request(), now - SLACK_SIGNATURE_WINDOW_SECONDS * 1000)).toBeNull();
  });

  it('refuses a timestamp more than five minutes old or ahead, before checking the signature', () => {
    expect(slackSignatureRefusal(secret, request(), now + (SLACK_SIGNATURE_WINDOW_SECONDS + 1) * 1000)).toBe('STALE');
    expect(slackSignatureRefusal(secret, request(), now - (SLACK_SIGNATURE_WINDOW_SECONDS + 1) * 1000)).toBe('FUTURE');
    expect(slackSignatureRefusal(secret, request({ signature: 'v0=' + '0'.repeat(64) }), now + 3_600_000)).toBe('STALE');
  });

  it('refuses a signature made with another secret, over another body or another timestamp', () => {
    expect(slackSignatureRefusal(secret, request({ signature: sign('another-secret-0123456789', ts, body) }), now)).toBe('MISMATCH');
    expect(slackSignatureRefusal(secret, request({ body: body + '&x=1' }), now)).toBe('MISMATCH');
    const other = String(Number(ts) - 1);
    expect(slackSignatureRefusal(secret, request({ timestamp: other }), now)).toBe('MISMATCH');
    expect(slackSignatureRefusal(secret, request({ signature: sign(secret, ts, body).toUpperCase().replace('V0=', 'v0=') }), now)).toBe(
      'MALFORMED_SIGNATURE',
    );
  });

  it('refuses missing and malformed headers', () => {
    expect(slackSignatureRefusal(secret, request({ timestamp: undefined }), now)).toBe('MISSING');
    expect(slackSignatureRefusal(secret, request({ signature: undefined }), now)).toBe('MISSING');
    expect(slackSignatureRefusal(secret, request({ timestamp: '17e8' }), now)).toBe('MALFORMED_TIMESTAMP');
    expect(slackSignatureRefusal(secret, request({ timestamp: '-1' }), now)).toBe('MALFORMED_TIMESTAMP');
    expect(slackSignatureRefusal(secret, request({ signature: 'v1=' + 'a'.repeat(64) }), now)).toBe('MALFORMED_SIGNATURE');
    expect(slackSignatureRefusal(secret, request({ signature: 'v0=' + 'a'.repeat(63) }), now)).toBe('MALFORMED_SIGNATURE');
    expect(slackSignatureRefusal(secret, request({ signature: 'v0=' + 'a'.repeat(66) }), now)).toBe('MALFORMED_SIGNATURE');
  });
});
