import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { DomainError, PlatformError, PlatformErrorCode } from './domain-error';
import { toErrorBody } from './http-error.filter';

/** What the HTTP parser's errors mean to the client, by Node's error code (as Node's own default answers). */
function parserErrorOf(code: string | undefined): DomainError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new PlatformError(
        PlatformErrorCode.REQUEST_HEADERS_TOO_LARGE,
        'The request line and headers are too large (an over-long URL or cookie?)',
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new PlatformError(PlatformErrorCode.PAYLOAD_TOO_LARGE, 'Request body is too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new PlatformError(PlatformErrorCode.REQUEST_TIMEOUT, 'The request took too long to arrive');
    default:
      return new PlatformError(PlatformErrorCode.MALFORMED_REQUEST, 'The request is not valid HTTP');
  }
}

/** The raw HTTP/1.1 response for a request the parser refused: the error JSON of the API contract. */
export function clientErrorResponse(code: string | undefined, requestId: string = randomUUID()): string {
  const err = parserErrorOf(code);
  const { body } = toErrorBody(err, requestId);
  const json = JSON.stringify(body);
  return [
    `HTTP/1.1 ${body.statusCode} ${body.error}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(json)}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    json,
  ].join('\r\n');
}

/**
 * The http server's 'clientError' listener. Node's default answers a bare status line with an empty
 * body; this answers the same status with the error JSON. As Node does, it writes only while nothing
 * has been written on the socket yet and the socket can still take it, never for a reset connection.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  // Node removed its own error listener before emitting: a late EPIPE must not crash the process.
  socket.on('error', () => socket.destroy());
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (err.code === 'ECONNRESET' || !socket.writable || written > 0) {
    socket.destroy();
    return;
  }
  socket.end(clientErrorResponse(err.code));
}
