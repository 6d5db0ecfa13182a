import { readFileSync } from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import vm from 'node:vm';

export interface ReceivedDelivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

/**
 * A webhook receiver on 127.0.0.1 that records exactly what arrives and answers from a plan: a status
 * per request in order ('hang' never answers, so the sender times out), 200 once the plan is used up.
 */
export async function startReceiver() {
  const received: ReceivedDelivery[] = [];
  const plan: (number | 'hang')[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', headers: req.headers, raw, body: JSON.parse(raw) });
      const next = plan.shift() ?? 200;
      if (next !== 'hang') res.writeHead(next, { 'Content-Type': 'text/plain' }).end(next === 200 ? 'ok' : 'receiver error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    plan,
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    types: () => received.map((r) => r.body.type),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The receiver's verification function exactly as the README documents it (its ```js block under "Verifying a delivery"). */
export function readmeVerifier(): (rawBody: string, header: string, secret: string, toleranceSeconds?: number) => boolean {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('#### Verifying a delivery'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README has no verification snippet');
  return vm.runInNewContext(`${code}\nverifyStackgateSignature`, { require, Buffer, Date, Number, Math });
}
