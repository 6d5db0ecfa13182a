import { CATALOG_ERROR_STATUS, CatalogError } from './catalog.errors';
import { itAnswersEveryCode } from '../../../test/support/error-table';

describe('CatalogError', () => {
  it('has exactly these public codes, each with its HTTP status (the documented list: never rename a code)', () => {
    expect(Object.fromEntries(Object.entries(CATALOG_ERROR_STATUS).sort(([a], [b]) => a.localeCompare(b)))).toEqual({
      ATTESTATION_FIELDS_FORBIDDEN: 403,
      CATALOG_VIEW_LIMIT: 422,
      CATALOG_VIEW_NAME_TAKEN: 409,
      CATEGORY_INACTIVE: 422,
      CATEGORY_IN_USE: 409,
      CATEGORY_NAME_TAKEN: 409,
      COST_CENTER_CODE_TAKEN: 409,
      EXPORT_NOT_SUPPORTED: 400,
      FILE_REQUIRED: 400,
      IMPORT_CELL_TOO_LONG: 422,
      IMPORT_INVALID: 422,
      IMPORT_INVALID_HEADER: 422,
      IMPORT_PARSE_TIMEOUT: 422,
      IMPORT_ROW_TOO_LONG: 422,
      IMPORT_TOO_COMPLEX: 413,
      IMPORT_TOO_MANY_CELLS: 422,
      IMPORT_TOO_MANY_COLUMNS: 422,
      IMPORT_TOO_MANY_ROWS: 422,
      IMPORT_TOO_MANY_SHARED_STRINGS: 422,
      IMPORT_UNPACKED_TOO_LARGE: 413,
      IMPORT_UPLOAD_GONE: 404,
      INVALID_FILE: 400,
      LIFECYCLE_TRANSITION: 422,
      NOT_A_SUBCATEGORY: 422,
      TECHNICAL_FIELDS_FORBIDDEN: 403,
      TOOL_HAS_LIVE_INTEGRATIONS: 422,
      TOOL_NAME_RESERVED: 409,
      TOOL_NAME_TAKEN: 409,
      TWO_LEVELS_ONLY: 422,
      UNKNOWN_IMPORT_KIND: 400,
      UNSUPPORTED_FILE_TYPE: 415,
      VENDOR_NAME_TAKEN: 409,
    });
  });

  itAnswersEveryCode(CATALOG_ERROR_STATUS, (code, message, details) => new CatalogError(code, message, details));
});
