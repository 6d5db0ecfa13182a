import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { attachContext, enterContext, RequestContext } from './request-context';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** Methods that change nothing: no audit event is written below them except through the guard. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Assigns every request an id (or keeps a well-formed inbound X-Request-Id), echoes it back and
 * attaches the request's context to the request. A request that may change data also runs in the
 * async request context, which audit reads deep in the services, until its response closes. Reads
 * don't: an open async context costs every promise of the process a hook (ScopedStorage), and what
 * a read audits (the guard's refusals) or logs (the error filter) is given the request's context.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const inbound = req.header('x-request-id');
  const requestId = inbound && SAFE_ID.test(inbound) ? inbound : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const ctx: RequestContext = { requestId, ip: req.ip };
  attachContext(req, ctx);
  if (READ_METHODS.has(req.method)) {
    next();
    return;
  }
  // 'close' comes after the response ends or the connection drops, never synchronously.
  let close = () => {};
  res.once('close', () => close());
  close = enterContext(ctx, next);
}
