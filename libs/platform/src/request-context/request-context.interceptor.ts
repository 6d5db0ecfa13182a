import { CallHandler, ExecutionContext, Injectable, NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { Observable } from 'rxjs';
import { attachedContext, enterContext } from './request-context';

/** Methods that change nothing: no audit event is written below them except through the guard. */
export const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const READ_ROUTES = new Set<RequestMethod>([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

/**
 * Runs the handler of a request that may change data (and the pipes before it) in the async request
 * context that requestIdMiddleware attached to the request, and closes that context when the
 * handler's result settles: success, error, or unsubscription — never when the socket closes. A
 * client that hangs up mid-write no longer ends the context under the running handler, so
 * everything the handler audits carries its actor, request id and address.
 *
 * Reads don't open it: an open async context costs every promise of the process a hook
 * (ScopedStorage), and what a read audits (the guard's refusals) or logs (the error filter) is
 * given the request's context explicitly (contextOf).
 */
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<{ method: string }>();
    const ctx = attachedContext(req);
    if (!ctx || READ_METHODS.has(req.method)) return next.handle();
    return new Observable((subscriber) => {
      let subscription: { unsubscribe(): void } | undefined;
      // next.handle() is lazy: subscribing calls the pipes and the handler, inside the scope.
      const close = enterContext(ctx, () => {
        subscription = next.handle().subscribe(subscriber);
      });
      return () => {
        subscription?.unsubscribe();
        close();
      };
    });
  }
}

/**
 * Puts a RequestContextInterceptor in front of the handler of every route that may change data
 * (any method but GET, HEAD and OPTIONS), while the app is being built: the router reads handlers'
 * interceptor metadata when it registers the routes, after every provider is constructed.
 *
 * Not a global interceptor (APP_INTERCEPTOR): as soon as one exists, Nest runs every request,
 * reads included, through its rxjs interceptor pipeline, which costs every read CPU for nothing
 * (reads open no context; the figure is in docs/PERFORMANCE.md).
 */
@Injectable()
export class WriteRouteContextBinder {
  constructor(discovery: DiscoveryService, scanner: MetadataScanner) {
    const interceptor = new RequestContextInterceptor();
    for (const wrapper of discovery.getControllers()) {
      const prototype = (wrapper.metatype as { prototype?: object } | null | undefined)?.prototype;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as object;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined || READ_ROUTES.has(method)) continue;
        const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) ?? []) as unknown[];
        // Handlers are shared by every app built in this process (tests build several): bind once.
        if (bound.some((i) => i instanceof RequestContextInterceptor)) continue;
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...bound], handler);
      }
    }
  }
}
