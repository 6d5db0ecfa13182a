/** The HTTP statuses a refusal may answer with (the error JSON of the API contract). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 415 | 422 | 429 | 431;

/**
 * Each lib's codes with the status each answers with. A `Record` over the code type, so a new code
 * without a status fails to compile.
 */
export type ErrorStatusMap<C extends string> = Readonly<Record<C, ErrorStatus>>;

/**
 * The base of every error type a lib throws. `code` is a stable machine-readable reason that
 * integrators branch on (one of the lib's code enum); `status` is the HTTP status the global filter
 * answers with, looked up from the lib's status map by code, never chosen at the throw site.
 */
export abstract class DomainError<C extends string = string> extends Error {
  readonly status: ErrorStatus;

  protected constructor(
    statuses: ErrorStatusMap<C>,
    readonly code: C,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = statuses[code];
    this.name = new.target.name;
  }
}

/** The codes of the shared kernel: generic refusals every lib may answer with. */
export const PlatformErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_SORT: 'INVALID_SORT',
  INVALID_RANGE: 'INVALID_RANGE',
  MALFORMED_REQUEST: 'MALFORMED_REQUEST',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  STALE_VERSION: 'STALE_VERSION',
  REFERENCE_NOT_FOUND: 'REFERENCE_NOT_FOUND',
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  REQUEST_HEADERS_TOO_LARGE: 'REQUEST_HEADERS_TOO_LARGE',
} as const;
export type PlatformErrorCode = (typeof PlatformErrorCode)[keyof typeof PlatformErrorCode];

export const PLATFORM_ERROR_STATUS: ErrorStatusMap<PlatformErrorCode> = {
  VALIDATION_FAILED: 400,
  INVALID_SORT: 400,
  INVALID_RANGE: 400,
  MALFORMED_REQUEST: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  STALE_VERSION: 409,
  REFERENCE_NOT_FOUND: 422,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  REQUEST_HEADERS_TOO_LARGE: 431,
};

export class PlatformError extends DomainError<PlatformErrorCode> {
  constructor(code: PlatformErrorCode, message: string, details?: unknown) {
    super(PLATFORM_ERROR_STATUS, code, message, details);
  }
}

export const validationFailed = (message: string, details?: unknown) =>
  new PlatformError(PlatformErrorCode.VALIDATION_FAILED, message, details);
export const forbidden = (message = 'You are not allowed to do this') =>
  new PlatformError(PlatformErrorCode.FORBIDDEN, message);
export const notFound = (entity: string, id?: string) =>
  new PlatformError(PlatformErrorCode.NOT_FOUND, id ? `${entity} ${id} not found` : `${entity} not found`);
export const staleVersion = (entity: string) =>
  new PlatformError(PlatformErrorCode.STALE_VERSION, `${entity} was changed by someone else; reload and try again`);
export const unknownReference = (message: string, details?: unknown) =>
  new PlatformError(PlatformErrorCode.REFERENCE_NOT_FOUND, message, details);
export const invalidRange = () => new PlatformError(PlatformErrorCode.INVALID_RANGE, 'from must not be after to');
