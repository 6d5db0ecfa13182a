import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { AuthUser } from './roles';

export const SESSION_OVERLAP_KEY = 'stackgate:session-overlap';

/** Set by the guard on a request whose handler may run while its session is confirmed: settles once it is (rejects with 401/403). */
export const SESSION_CONFIRMED = Symbol('stackgate.sessionConfirmed');
export type SessionOverlapRequest = Request & { user?: AuthUser; [SESSION_CONFIRMED]?: Promise<void> };

/**
 * The answering half of @ReadsWhileSessionConfirms(): when the guard let the handler start before
 * the session was confirmed, the handler's result (or error) waits here until it is. A refused
 * session wins over whatever the handler produced, and every header the handler set is taken back
 * first, so that a 401/403 looks exactly as it does on any other route.
 */
@Injectable()
export class SessionOverlapInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const confirmed = http.getRequest<SessionOverlapRequest>()[SESSION_CONFIRMED];
    if (!confirmed) return next.handle();
    const res = http.getResponse<Response>();
    const headersBefore = new Set(res.getHeaderNames());
    const outcome = lastValueFrom(next.handle(), { defaultValue: undefined })
      .then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
    return from(confirmed.then(
      async () => {
        const o = await outcome;
        if (!o.ok) throw o.error;
        return o.value;
      },
      async (refusal: unknown) => {
        await outcome; // the handler is done with the response before the refusal is written
        for (const name of res.getHeaderNames()) if (!headersBefore.has(name)) res.removeHeader(name);
        throw refusal;
      },
    ));
  }
}

/**
 * A read-only GET route whose handler neither writes nor reads the signed-in user may start its
 * reads while the guard confirms the session: one database round trip less before them. Nothing
 * is answered before that, neither body nor status nor a header the handler set. A revoked token
 * still gets 401, and a role the route does not allow gets 403 (audited), whatever the handler
 * found. The guard overlaps only when the roles the user had at their last confirmed request allow
 * the route, so a user without them never starts its reads.
 */
export const ReadsWhileSessionConfirms = () => applyDecorators(
  SetMetadata(SESSION_OVERLAP_KEY, true),
  UseInterceptors(SessionOverlapInterceptor),
);
