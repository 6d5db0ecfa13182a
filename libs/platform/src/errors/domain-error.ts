/**
 * The one error type services throw. `status` is the HTTP status the global filter answers with;
 * `code` is a stable machine-readable reason that integrators can branch on.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new DomainError(400, code, message, details);
export const forbidden = (message = 'You are not allowed to do this', code = 'FORBIDDEN') =>
  new DomainError(403, code, message);
export const notFound = (entity: string, id?: string) =>
  new DomainError(404, 'NOT_FOUND', id ? `${entity} ${id} not found` : `${entity} not found`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new DomainError(409, code, message, details);
export const staleVersion = (entity: string) =>
  new DomainError(409, 'STALE_VERSION', `${entity} was changed by someone else; reload and try again`);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new DomainError(422, code, message, details);
