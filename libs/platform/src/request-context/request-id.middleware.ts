import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runInContext } from './request-context';

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
 * Assigns every request an id (or keeps a well-formed inbound X-Request-Id), echoes it back, and
 * serves the rest of the request (the other middleware, the guard, the handler, the error filter)
 * in its request context (request-context.ts). The first middleware of the app (configureApp), so
 * nothing of a request runs outside its context.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const requestId = requestIdFor(req.header('x-request-id'));
  res.setHeader('X-Request-Id', requestId);
  runInContext({ requestId, ip: req.ip }, next);
}
