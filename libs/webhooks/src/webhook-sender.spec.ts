import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BYTES, postWebhook } from './webhook-sender';

describe('postWebhook', () => {
  let server: http.Server;
  let port: number;
  const answers: ((res: http.ServerResponse) => void)[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => (answers.shift() ?? ((r) => r.end('ok')))(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const send = (url: string, allowPrivate = true) => postWebhook(url, '{}', {}, { timeoutMs: 500, allowPrivate });

  it('refuses a name resolving to loopback without the flag (checked on the resolved address)', async () => {
    const result = await send(`https://localhost:${port}/x`, false);
    expect(result).toMatchObject({ ok: false, status: null });
    expect(result.error).toMatch(/private or loopback/);
    expect((await send(`http://127.0.0.1:${port}/x`, false)).error).toMatch(/private or loopback/);
  });

  it('does not follow redirects, bounds the body read, and times out', async () => {
    answers.push((res) => res.writeHead(302, { Location: 'http://169.254.169.254/' }).end());
    const redirected = await send(`http://127.0.0.1:${port}/x`);
    expect(redirected).toMatchObject({ ok: false, status: 302 });
    expect(redirected.error).toMatch(/redirects are not followed/);
    answers.push((res) => res.writeHead(200).end(Buffer.alloc(MAX_RESPONSE_BYTES * 4, 'a')));
    expect(await send(`http://127.0.0.1:${port}/x`)).toMatchObject({ ok: true, status: 200 });
    answers.push(() => undefined);
    const hung = await send(`http://127.0.0.1:${port}/x`);
    expect(hung).toMatchObject({ ok: false, status: null });
    expect(hung.error).toMatch(/timed out/);
  });
});
