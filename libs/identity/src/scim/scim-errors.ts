import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ScimError as PatchLibraryError } from 'scim-patch';
import { currentRequestId, isDomainError, isUniqueViolation } from '@stackgate/platform';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_CONTENT_TYPE = 'application/scim+json';
/** The largest SCIM request body (a group of 1,000 members fits several times). */
export const SCIM_BODY_LIMIT_BYTES = 512 * 1024;

export type ScimType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'uniqueness'
  | 'mutability'
  | 'noTarget'
  | 'invalidPath'
  | 'tooMany'
  | 'invalidVers'
  | 'sensitive';

/** A refusal answered in SCIM's error schema (RFC 7644 §3.12). */
export class ScimException extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export const scimInvalid = (detail: string, scimType: ScimType = 'invalidValue') => new ScimException(400, detail, scimType);
export const scimNotFound = (resource: string, id: string) => new ScimException(404, `${resource} ${id} not found`);

export interface ScimErrorBody {
  schemas: string[];
  status: string;
  scimType?: ScimType;
  detail: string;
}

/** Any thrown value as SCIM's error: the SCIM refusals, the domain errors of identity, the PATCH library's, the body parser's. */
export function toScimError(err: unknown): { status: number; body: ScimErrorBody; headers?: Record<string, string> } {
  const make = (status: number, detail: string, scimType?: ScimType, headers?: Record<string, string>) => ({
    status,
    body: { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail },
    headers,
  });
  if (err instanceof ScimException) return make(err.status, err.message, err.scimType, err.headers);
  if (err instanceof PatchLibraryError) {
    const scimType = (err.scimCode as ScimType | undefined) ?? 'invalidSyntax';
    return make(400, err.message || 'The PATCH request is invalid', scimType);
  }
  if (isDomainError(err)) {
    const code = (err as { code?: string }).code;
    if (err.status === 409 && code === 'STALE_VERSION') return make(412, err.message);
    if (err.status === 409) return make(409, err.message, 'uniqueness');
    if (err.status === 422) return make(400, err.message, 'mutability');
    if (err.status === 400) return make(400, err.message, 'invalidValue');
    return make(err.status, err.message, undefined, err.headers);
  }
  if (isUniqueViolation(err)) return make(409, 'A resource with the same unique value already exists', 'uniqueness');
  const failure = err as { status?: number; statusCode?: number; type?: string };
  const status = err instanceof HttpException ? err.getStatus() : (failure?.status ?? failure?.statusCode);
  if (status === 413 || failure?.type === 'entity.too.large') return make(413, 'The request body is too large', 'tooMany');
  if (failure?.type === 'entity.parse.failed' || (status === 400 && /JSON/.test((err as Error).message)))
    return make(400, 'The request body is not valid JSON', 'invalidSyntax');
  if (typeof status === 'number' && status >= 400 && status < 500) return make(status, (err as Error).message || 'Bad request');
  return make(500, 'Internal server error');
}

function send(res: Response, err: unknown, logger: Logger, req: Request): void {
  const { status, body, headers } = toScimError(err);
  if (status >= 500) {
    logger.error({
      msg: 'SCIM request failed',
      method: req.method,
      path: req.path,
      requestId: currentRequestId(),
      err: (err as Error)?.message,
    });
  }
  if (res.headersSent) return;
  for (const [key, value] of Object.entries(headers ?? {})) res.setHeader(key, value);
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Every error of a /scim/v2 route, in SCIM's error schema. */
@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Scim');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    send(http.getResponse<Response>(), exception, this.logger, http.getRequest<Request>());
  }
}

/** Express error middleware for /scim: the body parser's refusals (too large, not JSON) in SCIM's error schema. */
export function scimBodyErrors(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!err) return next();
  send(res, err, new Logger('Scim'), req);
}
