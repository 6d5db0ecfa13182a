import { randomBytes } from 'node:crypto';
import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata, UseInterceptors } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { defer, from, Observable, of, switchMap } from 'rxjs';
import { AuthUser, IdempotencyKeys } from '@stackgate/platform';
import { WebError, WebErrorCode } from '../web.errors';
import { Flash, FlashMessages } from './flash';

/** The hidden field a create form carries its one-time key in. */
export const FORM_KEY_FIELD = '_once';
const FORM_KEY = /^[A-Za-z0-9_-]{16,64}$/;
/** How long a second submission of a form waits for the first to record its result, and how often it looks. */
const PENDING_WAIT_MS = 3000;
const PENDING_POLL_MS = 100;
const ACTION = Symbol('stackgate.submitOnce');

/** A fresh one-time key for a form being rendered. */
export const newFormKey = (): string => randomBytes(24).toString('base64url');

/**
 * Makes a create form's handler run once per rendered form. The page renders a one-time key in the
 * form (`formKey` of PageContext, field `_once`); the first submission with that key claims it and
 * runs the handler, and when the handler answered with a redirect (the record exists) the key
 * remembers where to. Sending the same form again — Back, then Save; a double click — leads to
 * that record instead of creating a second one. A submission the handler refused (a form error
 * page) releases the key, so the corrected form can be sent. Forms without a key (scripts posting
 * to the pages) are handled as before.
 */
export const SubmitOnce = (action: string) => applyDecorators(SetMetadata(ACTION, action), UseInterceptors(SubmitOnceInterceptor));

@Injectable()
export class SubmitOnceInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyKeys,
    private readonly flash: FlashMessages,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const action = this.reflector.get<string | undefined>(ACTION, context.getHandler());
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: AuthUser }>();
    const res = http.getResponse<Response>();
    const key = (req.body as Record<string, unknown> | undefined)?.[FORM_KEY_FIELD];
    if (!action || !req.user || key === undefined || key === '') return next.handle();
    if (typeof key !== 'string' || !FORM_KEY.test(key)) {
      throw new WebError(WebErrorCode.FORM_KEY_INVALID, 'This form is damaged. Reload the page and fill it in again.');
    }
    const user = req.user;
    return from(this.settledClaim(key, user.id, action)).pipe(
      switchMap((claim) => {
        switch (claim.state) {
          case 'claimed':
            return this.handleOnce(key, res, next);
          case 'done':
            this.flash.redirect(res, claim.location, { notice: 'This form was already sent; this is what it saved.' });
            return of(undefined);
          case 'pending':
            throw new WebError(WebErrorCode.FORM_ALREADY_SENT, 'This form is being sent already. Wait a moment, then reload the page.');
          case 'foreign':
            throw new WebError(WebErrorCode.FORM_KEY_INVALID, 'This form cannot be sent again. Reload the page and fill it in again.');
        }
      }),
    );
  }

  /**
   * The key's claim, once the submission that holds it has finished: the handler redirects before the key
   * is marked done, so a browser may send the form again (Back, then Save; a double click) while the first
   * submission is still recording its result. Waits up to PENDING_WAIT_MS for it, then answers as it stands.
   */
  private async settledClaim(key: string, userId: string, action: string) {
    let claim = await this.keys.claim(key, userId, action);
    for (let waited = 0; claim.state === 'pending' && waited < PENDING_WAIT_MS; waited += PENDING_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
      claim = await this.keys.claim(key, userId, action);
    }
    return claim;
  }

  /**
   * Runs the handler; keeps the key with the record's address if it redirected there without an
   * error, else forgets it (a refusal may also redirect, with an error banner: nothing was saved).
   */
  private handleOnce(key: string, res: Response, next: CallHandler): Observable<unknown> {
    return defer(async () => {
      let result: unknown;
      try {
        result = await new Promise((resolve, reject) => {
          next.handle().subscribe({ next: resolve, error: reject, complete: () => resolve(undefined) });
        });
      } catch (err) {
        await this.keys.release(key);
        throw err;
      }
      const location = res.getHeader('location');
      const refused = Boolean((res.locals.flash as Flash | undefined)?.error);
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && !refused)
        await this.keys.complete(key, location);
      else await this.keys.release(key);
      return result;
    });
  }
}
