import { Duplex } from 'node:stream';
import { answerClientError, clientErrorResponse } from './client-error';

/** A socket stand-in that records what is written and whether it was destroyed. */
function fakeSocket(opts: { writable?: boolean; bytesWritten?: number } = {}) {
  const written: string[] = [];
  const socket = new Duplex({
    read() {},
    write(chunk, _enc, cb) {
      written.push(String(chunk));
      cb();
    },
  });
  if (opts.writable === false) socket.destroy();
  Object.defineProperty(socket, 'bytesWritten', { value: opts.bytesWritten ?? 0 });
  return { socket, written };
}
const err = (code: string) => Object.assign(new Error(code), { code });

describe('clientErrorResponse', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'Request Header Fields Too Large', 'REQUEST_HEADERS_TOO_LARGE'],
    ['HPE_INVALID_METHOD', 400, 'Bad Request', 'MALFORMED_REQUEST'],
    [undefined, 400, 'Bad Request', 'MALFORMED_REQUEST'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 413, 'Payload Too Large', 'PAYLOAD_TOO_LARGE'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'Request Timeout', 'REQUEST_TIMEOUT'],
  ])('answers %s with %i and the error JSON', (code, status, phrase, errorCode) => {
    const raw = clientErrorResponse(code, 'req-id-12345678');
    const [head, body] = raw.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} ${phrase}`);
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(head).toContain('X-Request-Id: req-id-12345678');
    expect(head).toContain('Connection: close');
    const { message, ...rest } = JSON.parse(body) as Record<string, unknown>;
    expect(typeof message).toBe('string');
    expect(rest).toEqual({ statusCode: status, error: phrase, code: errorCode, requestId: 'req-id-12345678' });
  });
});

describe('answerClientError', () => {
  it('writes the response and ends the socket', async () => {
    const { socket, written } = fakeSocket();
    answerClientError(err('HPE_HEADER_OVERFLOW'), socket);
    await new Promise((r) => setImmediate(r));
    expect(written.join('')).toMatch(/^HTTP\/1\.1 431 /);
    expect(socket.writableEnded).toBe(true);
  });

  it('writes nothing for a reset connection, a socket that cannot be written, or one already answered', () => {
    for (const [error, opts] of [
      [err('ECONNRESET'), {}],
      [err('HPE_INVALID_METHOD'), { writable: false }],
      [err('HPE_INVALID_METHOD'), { bytesWritten: 10 }],
    ] as const) {
      const { socket, written } = fakeSocket(opts);
      answerClientError(error, socket);
      expect(written).toEqual([]);
      expect(socket.destroyed).toBe(true);
    }
  });
});
