import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestActor {
  id: string;
  email: string;
  roles: string[];
  /** The API token the actor called with (audited with every event of the request). */
  token?: { id: string; kind: string; name: string; principalId: string };
}

export interface RequestContext {
  requestId: string;
  ip?: string;
  actor?: RequestActor;
  /** The channel the actor acted through when it is not the API or the web UI (e.g. 'slack'): audited as metadata `via`. */
  via?: string;
}

/**
 * The context of the request (or scheduled job run) being served: its id, the caller's address and,
 * once the guard has authenticated the caller, its actor. requestIdMiddleware opens it for every
 * request, reads and writes alike, before anything else of the request runs, so the guard, the pipes,
 * the handler, the services it calls (audit), the error filter and the logger all read the same one
 * with requestContext(), without passing it through every call.
 *
 * A plain AsyncLocalStorage (Node's public API): the context follows the work the request starts
 * (promises, timers, and the callbacks of the body parser and multer, which bind theirs to the caller's
 * context) and nothing else. It is not tied to the socket and has no end to manage: a client that
 * hangs up mid-write does not take it away from the handler still running, and it is gone when the
 * request's last piece of work is. Its cost on reads is measured in docs/PERFORMANCE.md.
 */
const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `fn`, and everything it starts, in the context `ctx` (a request: requestIdMiddleware; a
 * scheduled job's run: JobScheduler). A context opened inside another replaces it for `fn` only.
 */
export function runInContext<R>(ctx: RequestContext, fn: () => R): R {
  return storage.run(ctx, fn);
}

/** The context of the request or job run the caller works for; undefined outside every one. */
export const requestContext = (): RequestContext | undefined => storage.getStore();
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;
