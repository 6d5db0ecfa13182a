import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { attachContext, RequestContext } from './request-context';

/**
 * What an inbound X-Request-Id may be to be kept: 1–128 characters of letters, digits and `._:-`
 * (room for a UUID, a W3C trace id or a proxy's "host:seq"). It is stored in the audit trail and
 * echoed in headers and logs, so anything else (longer, spaces, quotes, control characters, several
 * headers joined by a comma) is not refused but replaced by a generated id.
 */
export const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id to use for an inbound X-Request-Id header value: itself when safe, else a new UUID. */
export function requestIdFor(inbound: string | undefined): string {
  return inbound !== undefined && SAFE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
}

/**
 * Assigns every request an id (or keeps a well-formed inbound X-Request-Id), echoes it back and
 * attaches the request's context to the request. The async request context, which audit reads deep
 * in the services, is opened around the handler of a write by RequestContextInterceptor (not here):
 * its lifetime must be the handler's, not the socket's, or a client hanging up mid-write would
 * close it under the running handler and the write would be audited without actor or request id.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFor(req.header('x-request-id'));
  res.setHeader('X-Request-Id', requestId);
  const ctx: RequestContext = { requestId, ip: req.ip };
  attachContext(req, ctx);
  next();
}
