import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One call Stackgate made: the path, the headers, and the arguments (form fields with JSON-encoded values, or a JSON body). */
export interface ReceivedCall {
  path: string;
  method: string;
  headers: http.IncomingHttpHeaders;
  contentType: string;
  args: Record<string, unknown>;
}

/** How the receiver answers the next call of a path: Slack's ok:false error, an HTTP status (with Retry-After on 429), or silence. */
export type Answer = { error: string } | { status: number; retryAfter?: number; body?: string } | 'hang';

/** Decodes a body as @slack/web-api sends it (application/x-www-form-urlencoded, nested values JSON-encoded) or as JSON. */
function decode(contentType: string, raw: string): Record<string, unknown> {
  if (contentType.startsWith('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      args[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      args[key] = value;
    }
  }
  return args;
}

/**
 * Slack's Web API (chat.postMessage, users.lookupByEmail under /api/), a Slack incoming webhook (/slack-hook)
 * and a Teams webhook (/teams) on 127.0.0.1: records exactly what arrives, answers as Slack does
 * (`ok:true` with channel and ts, `ok:false` errors, HTTP 429 with Retry-After), from a plan per path.
 */
export async function startSlackReceiver(opts: { token?: string } = {}) {
  const calls: ReceivedCall[] = [];
  const plans = new Map<string, Answer[]>();
  /** Slack users by e-mail (users.lookupByEmail finds only these). */
  const users = new Map<string, string>();
  let ts = 1_700_000_000;
  const channelIds = new Map<string, string>();
  const channelId = (channel: string) => {
    if (/^[CDGU][A-Z0-9]{8,}$/.test(channel)) return channel.startsWith('U') ? `D${channel.slice(1)}` : channel;
    if (!channelIds.has(channel)) channelIds.set(channel, `C${String(channelIds.size + 1).padStart(10, '0')}`);
    return channelIds.get(channel)!;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const contentType = String(req.headers['content-type'] ?? '');
      const path = (req.url ?? '').split('?')[0];
      const args = decode(contentType, raw);
      calls.push({ path, method: req.method ?? '', headers: req.headers, contentType, args });
      const answer = plans.get(path)?.shift();
      if (answer === 'hang') return;
      if (answer && 'status' in answer) {
        res.writeHead(answer.status, answer.retryAfter !== undefined ? { 'Retry-After': String(answer.retryAfter) } : {});
        return res.end(answer.body ?? (answer.status === 429 ? 'rate_limited' : 'error'));
      }
      const json = (body: Record<string, unknown>) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      if (path === '/slack-hook') return answer ? res.writeHead(404).end(answer.error) : res.writeHead(200).end('ok');
      if (path === '/teams') return res.writeHead(202).end();
      if (path.startsWith('/api/')) {
        if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) return json({ ok: false, error: 'invalid_auth' });
        if (answer) return json({ ok: false, error: answer.error });
        if (path === '/api/users.lookupByEmail') {
          const id = users.get(String(args.email).toLowerCase());
          return json(id ? { ok: true, user: { id, profile: { email: args.email } } } : { ok: false, error: 'users_not_found' });
        }
        if (path === '/api/chat.postMessage') {
          ts += 1;
          return json({ ok: true, channel: channelId(String(args.channel)), ts: `${ts}.000100`, message: { text: args.text } });
        }
        return json({ ok: false, error: 'unknown_method' });
      }
      res.writeHead(404).end('not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    calls,
    users,
    /** Queue answers for a path ('/api/chat.postMessage', '/slack-hook', '/teams'). */
    plan: (path: string, ...answers: Answer[]) => plans.set(path, [...(plans.get(path) ?? []), ...answers]),
    apiUrl: `${base}/api/`,
    slackHookUrl: `${base}/slack-hook`,
    teamsUrl: `${base}/teams`,
    posts: () => calls.filter((call) => call.path === '/api/chat.postMessage'),
    lookups: () => calls.filter((call) => call.path === '/api/users.lookupByEmail'),
    reset: () => {
      calls.length = 0;
      plans.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
