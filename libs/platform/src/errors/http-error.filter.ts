import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDomainError } from './domain-error';
import { isConnectionError, isLockConflict, isUniqueViolation } from '../database/db-errors';
import { currentRequestId } from '../request-context/request-context';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: unknown;
  requestId?: string;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};
export const reasonPhrase = (status: number) => REASONS[status] ?? (status >= 500 ? 'Server Error' : 'Error');

/** Turns any thrown value into the error JSON of the API contract (with the request's id). Never leaks stacks or SQL. */

export function toErrorBody(err: unknown, requestId: string | undefined): { body: ErrorBody; headers?: Record<string, string> } {
  const make = (statusCode: number, message: string, code?: string, details?: unknown): ErrorBody => ({
    statusCode,
    error: reasonPhrase(statusCode),
    message,
    ...(code ? { code } : {}),
    ...(details !== undefined ? { details } : {}),
    requestId,
  });
  if (isDomainError(err)) {
    return { body: make(err.status, err.message, err.code, err.details), headers: err.headers };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const cause = (err as { cause?: { type?: string } }).cause;
    if (status === 400 && (cause?.type === 'entity.parse.failed' || /JSON/.test(err.message))) {
      return { body: make(400, 'Request body is not valid JSON', 'MALFORMED_JSON') };
    }
    if (status === 413) return { body: make(413, 'Request body is too large', 'PAYLOAD_TOO_LARGE') };
    const res = err.getResponse() as { message?: unknown; code?: string; details?: unknown } | string;
    if (typeof res === 'string') return { body: make(status, res) };
    const msg = Array.isArray(res.message) ? res.message.join('; ') : typeof res.message === 'string' ? res.message : err.message;
    return { body: make(status, msg, res.code, res.details) };
  }
  // body-parser / multer errors carry a status and a type.
  const failure = err as { status?: number; statusCode?: number; type?: string; code?: string };
  const status = failure?.status ?? failure?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (failure.type === 'entity.too.large' || failure.code === 'LIMIT_FILE_SIZE')
      return { body: make(413, 'Request body is too large', 'PAYLOAD_TOO_LARGE') };
    if (failure.type === 'entity.parse.failed') return { body: make(400, 'Request body is not valid JSON', 'MALFORMED_JSON') };
    return { body: make(status, reasonPhrase(status)) };
  }
  if (isUniqueViolation(err)) return { body: make(409, 'A record with the same unique value already exists', 'DUPLICATE') };
  if (isLockConflict(err))
    return { body: make(409, 'Another change to the same record was in progress; reload and try again', 'CONCURRENT_UPDATE') };
  if (isConnectionError(err))
    return { body: make(503, 'The database is unavailable; try again shortly', 'DATABASE_UNAVAILABLE'), headers: { 'Retry-After': '5' } };
  return { body: make(500, 'Internal server error', 'INTERNAL') };
}

/**
 * Whether a request URL is served by the API (`/api/...`). Express routes ignore case and tolerate
 * extra leading slashes, so this does too: `/API/V1/users` reaches the API and must be treated as such.
 */
export const isApiPath = (url: string | undefined): boolean => typeof url === 'string' && /^\/+api(\/|\?|$)/i.test(url);

/** Set on app.locals by the web UI: answers a page error in HTML; false to fall back to JSON. */
export type HtmlErrorHandler = (body: ErrorBody, req: Request, res: Response) => boolean;

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const { body, headers } = toErrorBody(exception, currentRequestId());
    if (body.statusCode >= 500) {
      const error = exception as Error;
      this.logger.error({
        msg: 'request failed',
        method: req.method,
        path: req.path,
        requestId: body.requestId,
        err: error?.message,
        stack: error?.stack,
      });
    }
    if (res.headersSent) return;
    for (const [key, value] of Object.entries(headers ?? {})) res.setHeader(key, value);
    // Pages (outside /api) get an HTML answer from the web UI when it is installed.
    const isPage = typeof req.originalUrl === 'string' && !isApiPath(req.originalUrl);
    const htmlHandler = (req.app?.locals as { htmlErrorHandler?: HtmlErrorHandler } | undefined)?.htmlErrorHandler;
    if (isPage && htmlHandler && req.accepts(['html', 'json']) === 'html' && htmlHandler(body, req, res)) return;
    res.status(body.statusCode).json(body);
  }
}
