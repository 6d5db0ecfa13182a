import { AsyncLocalStorage } from 'node:async_hooks';

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

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with a request context that audit and logging read without threading it through. */
export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export const requestContext = (): RequestContext | undefined => storage.getStore();
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;
