import { unprocessable } from '@stackgate/platform';

/** 422 for an id in a body that names no record; `field` says which one. */
export const referenceNotFound = (field: string, id: string, entity: string) =>
  unprocessable('REFERENCE_NOT_FOUND', `${field}: ${entity} ${id} does not exist`, { field, id });

/**
 * A LIKE pattern for "contains", escaped with '!' (portable: SQLite has no default escape
 * character and MariaDB treats a backslash specially inside string literals). Use with ESCAPE '!'.
 */
export function containsPattern(s: string): string {
  return `%${s.toLowerCase().replace(/[!%_]/g, (c) => '!' + c)}%`;
}
