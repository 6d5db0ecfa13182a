import http from 'node:http';
import https from 'node:https';
import { guardedLookup } from '@stackgate/webhooks';

export interface PostAnswer {
  status: number | null;
  body: string;
  retryAfter: string | null;
  error: string | null;
}

const MAX_ANSWER = 4096;

/**
 * POSTs JSON to an incoming webhook (Slack or Teams): the address checked on connect as webhooks are
 * (no private or loopback targets unless WEBHOOKS_ALLOW_PRIVATE), no redirects, one timeout. Never throws.
 */
export function postJson(url: string, payload: unknown, opts: { timeoutMs: number; allowPrivate: boolean }): Promise<PostAnswer> {
  const body = JSON.stringify(payload);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: PostAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ status: null, body: '', retryAfter: null, error: 'invalid URL' });
    }
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' && opts.allowPrivate ? http : null;
    if (!client) return resolve({ status: null, body: '', retryAfter: null, error: `${target.protocol} is not allowed` });
    const request = client.request(target, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'Stackgate-Chat/1' },
      lookup: guardedLookup(opts.allowPrivate),
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, body: '', retryAfter: null, error: `timed out after ${opts.timeoutMs} ms` });
    }, opts.timeoutMs);
    request.on('error', (err) => finish({ status: null, body: '', retryAfter: null, error: err.message }));
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => {
        if (text.length < MAX_ANSWER) text += chunk.toString('utf8').slice(0, MAX_ANSWER - text.length);
      });
      const done = () =>
        finish({
          status: response.statusCode ?? null,
          body: text,
          retryAfter: (response.headers['retry-after'] as string) ?? null,
          error: null,
        });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
