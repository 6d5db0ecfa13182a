import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { isPrivateAddress } from './webhook-url-policy';

/** At most this much of a receiver's answer is read; the rest is dropped (a receiver cannot fill our memory). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface SendResult {
  /** The HTTP status, or null when no answer came (refused, timed out, blocked address). */
  status: number | null;
  ok: boolean;
  latencyMs: number;
  error: string | null;
}

/**
 * DNS resolution that refuses private, loopback, link-local and metadata addresses (unless allowed),
 * checked on the address actually connected to, so a name that resolved to a public address when it was
 * registered cannot be rebound to an internal one.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
      if (refused || !addresses.length) {
        const error = Object.assign(new Error(`${hostname} resolves to a private or loopback address (${refused?.address ?? 'none'})`), {
          code: 'EWEBHOOKPRIVATE',
        });
        return callback(error, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * POSTs one delivery: no redirects followed (a 3xx is a failure), one timeout for the whole attempt,
 * at most MAX_RESPONSE_BYTES of the answer read. Never throws.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<SendResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const attempt: { timer?: NodeJS.Timeout } = {};
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(attempt.timer);
      const ok = status !== null && status >= 200 && status < 300;
      resolve({ status, ok, latencyMs: Date.now() - started, error: ok ? null : (error ?? `HTTP ${status}`).slice(0, 500) });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish(null, 'invalid URL');
    }
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !opts.allowPrivate && isPrivateAddress(literal))
      return finish(null, `${literal} is a private or loopback address`);
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' && opts.allowPrivate ? http : null;
    if (!client) return finish(null, `${target.protocol} is not allowed`);
    const request = client.request(target, {
      method: 'POST',
      headers: {
        ...headers,
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
        'User-Agent': 'Stackgate-Webhooks/1',
      },
      lookup: guardedLookup(opts.allowPrivate),
      agent: false,
    });
    attempt.timer = setTimeout(() => {
      request.destroy(new Error(`timed out after ${opts.timeoutMs} ms`));
      finish(null, `timed out after ${opts.timeoutMs} ms`);
    }, opts.timeoutMs);
    request.on('error', (err) => finish(null, err.message));
    request.on('response', (response) => {
      const status = response.statusCode ?? null;
      let read = 0;
      let snippet = '';
      response.on('data', (chunk: Buffer) => {
        if (read < 300) snippet += chunk.toString('utf8', 0, Math.min(chunk.length, 300 - read));
        read += chunk.length;
        if (read > MAX_RESPONSE_BYTES) {
          response.destroy();
          finish(status, status && status >= 200 && status < 300 ? null : `HTTP ${status}: ${snippet.trim()}`);
        }
      });
      response.on('end', () => {
        const redirect = status !== null && status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        finish(status, `HTTP ${status}${redirect}${snippet.trim() ? `: ${snippet.trim()}` : ''}`);
      });
      response.on('error', (err) => finish(status, err.message));
    });
    request.end(body);
  });
}
