/** The HTTP statuses a refusal may answer with (the error JSON of the API contract). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 415 | 422 | 429 | 431 | 502;

/**
 * Each lib's codes with the status each answers with: one table per lib, the only place a code is
 * declared (its code type and names are derived from it), so no code exists without a status.
 */
export type ErrorStatusMap<C extends string> = Readonly<Record<C, ErrorStatus>>;

/** `{ CODE: 'CODE', … }` for a lib's status map, so that throw sites name codes the compiler checks. */
export function errorCodes<C extends string>(statuses: ErrorStatusMap<C>): { readonly [K in C]: K } {
  return Object.fromEntries(Object.keys(statuses).map((code) => [code, code])) as { readonly [K in C]: K };
}

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

/** Whether `err` is a domain error: `instanceof` alone would give DomainError<any>; every domain error's code is a string. */
export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;

/** The codes of the shared kernel: generic refusals every lib may answer with. */
export const PLATFORM_ERROR_STATUS = {
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
} as const satisfies ErrorStatusMap<string>;
export type PlatformErrorCode = keyof typeof PLATFORM_ERROR_STATUS;
/** The codes by name (`PlatformErrorCode.X`), derived from the status map. */
export const PlatformErrorCode = errorCodes(PLATFORM_ERROR_STATUS);

export class PlatformError extends DomainError<PlatformErrorCode> {
  constructor(code: PlatformErrorCode, message: string, details?: unknown) {
    super(PLATFORM_ERROR_STATUS, code, message, details);
  }
}

export const validationFailed = (message: string, details?: unknown) =>
  new PlatformError(PlatformErrorCode.VALIDATION_FAILED, message, details);
export const forbidden = (message = 'You are not allowed to do this') => new PlatformError(PlatformErrorCode.FORBIDDEN, message);
export const notFound = (entity: string, id?: string) =>
  new PlatformError(PlatformErrorCode.NOT_FOUND, id ? `${entity} ${id} not found` : `${entity} not found`);
export const staleVersion = (entity: string) =>
  new PlatformError(PlatformErrorCode.STALE_VERSION, `${entity} was changed by someone else; reload and try again`);
export const unknownReference = (message: string, details?: unknown) =>
  new PlatformError(PlatformErrorCode.REFERENCE_NOT_FOUND, message, details);
export const invalidRange = () => new PlatformError(PlatformErrorCode.INVALID_RANGE, 'from must not be after to');
