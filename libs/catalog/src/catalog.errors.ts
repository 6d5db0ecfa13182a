import { DomainError, ErrorStatusMap, unknownReference, errorCodes } from '@stackgate/platform';

/**
 * The catalog lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Each code with the HTTP status it answers with; never rename a code. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const CATALOG_ERROR_STATUS = {
  COST_CENTER_CODE_TAKEN: 409,
  VENDOR_NAME_TAKEN: 409,
  CATEGORY_NAME_TAKEN: 409,
  CATEGORY_IN_USE: 409,
  TWO_LEVELS_ONLY: 422,
  TOOL_NAME_TAKEN: 409,
  TOOL_NAME_RESERVED: 409,
  NOT_A_SUBCATEGORY: 422,
  CATEGORY_INACTIVE: 422,
  LIFECYCLE_TRANSITION: 422,
  TOOL_HAS_LIVE_INTEGRATIONS: 422,
  TECHNICAL_FIELDS_FORBIDDEN: 403,
  ATTESTATION_FIELDS_FORBIDDEN: 403,
  UNKNOWN_IMPORT_KIND: 400,
  FILE_REQUIRED: 400,
  UNSUPPORTED_FILE_TYPE: 415,
  INVALID_FILE: 400,
  EXPORT_NOT_SUPPORTED: 400,
  IMPORT_INVALID: 422,
  IMPORT_INVALID_HEADER: 422,
  IMPORT_TOO_MANY_ROWS: 422,
  IMPORT_TOO_MANY_COLUMNS: 422,
  IMPORT_TOO_MANY_CELLS: 422,
  IMPORT_TOO_MANY_SHARED_STRINGS: 422,
  IMPORT_UNPACKED_TOO_LARGE: 413,
  IMPORT_CELL_TOO_LONG: 422,
  IMPORT_ROW_TOO_LONG: 422,
  IMPORT_TOO_COMPLEX: 413,
  IMPORT_PARSE_TIMEOUT: 422,
  IMPORT_UPLOAD_GONE: 404,
  CATALOG_VIEW_NAME_TAKEN: 409,
  CATALOG_VIEW_LIMIT: 422,
} as const satisfies ErrorStatusMap<string>;
export type CatalogErrorCode = keyof typeof CATALOG_ERROR_STATUS;
/** The codes by name (`CatalogErrorCode.X`), derived from the status map. */
export const CatalogErrorCode = errorCodes(CATALOG_ERROR_STATUS);

export class CatalogError extends DomainError<CatalogErrorCode> {
  constructor(code: CatalogErrorCode, message: string, details?: unknown) {
    super(CATALOG_ERROR_STATUS, code, message, details);
  }
}

/** 422 for an id in a body that names no record; `field` says which one. */
export const referenceNotFound = (field: string, id: string, entity: string) =>
  unknownReference(`${field}: ${entity} ${id} does not exist`, { field, id });

/**
 * A LIKE pattern for "contains", escaped with '!' (portable: SQLite has no default escape
 * character and MariaDB treats a backslash specially inside string literals). Use with ESCAPE '!'.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[!%_]/g, (c) => '!' + c)}%`;
}
