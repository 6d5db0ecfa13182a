import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { attachedContext, enterContext } from './request-context';

/** Methods that change nothing: no audit event is written below them except through the guard. */
export const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs the handler of every request that may change data (and the pipes before it) in the async
 * request context that requestIdMiddleware attached to the request, and closes that context when
 * the handler's result settles: success, error, or unsubscription — never when the socket closes.
 * A client that hangs up mid-write no longer ends the context under the running handler, so
 * everything the handler audits carries its actor, request id and address.
 *
 * Reads don't open it: an open async context costs every promise of the process a hook
 * (ScopedStorage), and what a read audits (the guard's refusals) or logs (the error filter) is
 * given the request's context explicitly (contextOf).
 */
@Injectable()
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
