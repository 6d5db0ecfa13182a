import { DomainError, ErrorStatusMap, unknownReference } from '@stackgate/platform';

/**
 * The catalog lib's error codes: the public `code` of the error JSON, which integrators branch on.
 * Never rename a value. Generic refusals (VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, STALE_VERSION,
 * REFERENCE_NOT_FOUND, ...) are the platform's `PlatformErrorCode`.
 */
export const CatalogErrorCode = {
  COST_CENTER_CODE_TAKEN: 'COST_CENTER_CODE_TAKEN',
  VENDOR_NAME_TAKEN: 'VENDOR_NAME_TAKEN',
  CATEGORY_NAME_TAKEN: 'CATEGORY_NAME_TAKEN',
  CATEGORY_IN_USE: 'CATEGORY_IN_USE',
  TWO_LEVELS_ONLY: 'TWO_LEVELS_ONLY',
  TOOL_NAME_TAKEN: 'TOOL_NAME_TAKEN',
  TOOL_NAME_RESERVED: 'TOOL_NAME_RESERVED',
  NOT_A_SUBCATEGORY: 'NOT_A_SUBCATEGORY',
  CATEGORY_INACTIVE: 'CATEGORY_INACTIVE',
  LIFECYCLE_TRANSITION: 'LIFECYCLE_TRANSITION',
  TOOL_HAS_LIVE_INTEGRATIONS: 'TOOL_HAS_LIVE_INTEGRATIONS',
  TECHNICAL_FIELDS_FORBIDDEN: 'TECHNICAL_FIELDS_FORBIDDEN',
  ATTESTATION_FIELDS_FORBIDDEN: 'ATTESTATION_FIELDS_FORBIDDEN',
  UNKNOWN_IMPORT_KIND: 'UNKNOWN_IMPORT_KIND',
  FILE_REQUIRED: 'FILE_REQUIRED',
  UNSUPPORTED_FILE_TYPE: 'UNSUPPORTED_FILE_TYPE',
  INVALID_FILE: 'INVALID_FILE',
  EXPORT_NOT_SUPPORTED: 'EXPORT_NOT_SUPPORTED',
  IMPORT_INVALID: 'IMPORT_INVALID',
  IMPORT_INVALID_HEADER: 'IMPORT_INVALID_HEADER',
  IMPORT_TOO_MANY_ROWS: 'IMPORT_TOO_MANY_ROWS',
  IMPORT_TOO_MANY_COLUMNS: 'IMPORT_TOO_MANY_COLUMNS',
  IMPORT_TOO_MANY_CELLS: 'IMPORT_TOO_MANY_CELLS',
  IMPORT_TOO_MANY_SHARED_STRINGS: 'IMPORT_TOO_MANY_SHARED_STRINGS',
  IMPORT_UNPACKED_TOO_LARGE: 'IMPORT_UNPACKED_TOO_LARGE',
  IMPORT_CELL_TOO_LONG: 'IMPORT_CELL_TOO_LONG',
  IMPORT_ROW_TOO_LONG: 'IMPORT_ROW_TOO_LONG',
  IMPORT_TOO_COMPLEX: 'IMPORT_TOO_COMPLEX',
  IMPORT_PARSE_TIMEOUT: 'IMPORT_PARSE_TIMEOUT',
} as const;
export type CatalogErrorCode = (typeof CatalogErrorCode)[keyof typeof CatalogErrorCode];

/** The HTTP status of each code; exhaustive, so a new code without a status does not compile. */
export const CATALOG_ERROR_STATUS: ErrorStatusMap<CatalogErrorCode> = {
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
};

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
export function containsPattern(s: string): string {
  return `%${s.toLowerCase().replace(/[!%_]/g, (c) => '!' + c)}%`;
}
