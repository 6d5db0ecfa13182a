import { ScopedStorage } from './scoped-storage';

export interface RequestActor {
  id: string;
  email: string;
  roles: string[];
}

export interface RequestContext {
  requestId: string;
  ip?: string;
  actor?: RequestActor;
}

/**
 * The context of a request that may change data, for audit and logging to read without threading it
 * through every call, open while its handler runs (RequestContextInterceptor). Reads don't open it:
 * they carry their context on the request object only (contextOf), so that no promise hook runs
 * while reads are served.
 */
const storage = new ScopedStorage<RequestContext>();

/**
 * Opens the async request context for `fn` and everything it starts, until the returned function
 * closes it (call it when the work is over: for a request, when its handler has settled — never on
 * the response's 'close', which a client hanging up fires while the handler still runs).
 */
export function enterContext(ctx: RequestContext, fn: () => void): () => void {
  return storage.enter(ctx, fn);
}

/** Runs `fn` in a context of its own (a scheduled job's run) that closes when its promise settles. */
export function runInContext<R>(ctx: RequestContext, fn: () => Promise<R>): Promise<R> {
  return storage.run(ctx, fn);
}

/** How many request contexts are open; 0 when no request that changes data is being served. */
export const openRequestContexts = (): number => storage.openScopes;

export const requestContext = (): RequestContext | undefined => storage.getStore();
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

const CONTEXT = Symbol('stackgate.requestContext');

/** Attaches a request's context to the request object (every request has one, reads included). */
export function attachContext(req: object, ctx: RequestContext): void {
  (req as { [CONTEXT]?: RequestContext })[CONTEXT] = ctx;
}

/** The context requestIdMiddleware attached to a request object, if any. */
export function attachedContext(req: object | undefined): RequestContext | undefined {
  return (req as { [CONTEXT]?: RequestContext } | undefined)?.[CONTEXT];
}

/** The context of a request object: the one requestIdMiddleware attached, else the async one. */
export function contextOf(req: object | undefined): RequestContext | undefined {
  return attachedContext(req) ?? requestContext();
}
