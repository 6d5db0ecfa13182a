import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser, Role } from '@stackgate/platform';

/*
 * The spreadsheet import framework. A library registers one handler per kind of record it can
 * import (catalog: 'tools'; integrations: 'integrations'; finance: 'spend-entries', 'contracts'):
 *
 *   constructor(registry: ImportRegistry) {}
 *   onModuleInit() { this.registry.register(myHandler) }
 *
 * The framework (ImportsService) owns everything else: the multipart upload and its limits, CSV and
 * XLSX parsing, header checks against `columns`, the role check against `allowedRoles`, the
 * transaction, the all-or-nothing rule, the report, templates and exports. A handler:
 *
 *  - kind          the `kind` form field value, e.g. 'tools'
 *  - columns       the template's columns, in order. `name` is the header cell. Unknown headers and
 *                  missing required headers are refused before any row is looked at.
 *  - allowedRoles  who may import this kind (403 for everyone else, audited as 'authz.denied')
 *  - validateRows(rows, manager, actor) → one RowOutcome per row, same order: the action the row
 *                  would take ('create' | 'update' | 'unchanged') and its errors. Must not write.
 *                  Called inside the commit transaction too, so what it reads is what commit sees.
 *  - commit(rows, manager, actor, outcomes) → applies every row inside the given transaction;
 *                  called only when validateRows reported no error at all. Throwing rolls it all back.
 *  - exportRows(manager) (optional) → the records as rows keyed by column name, in the template's
 *                  format, so that export → import is a no-op.
 *
 * Rows are numbered as a spreadsheet user sees them: the header is row 1, the first record row 2.
 * Cell values arrive as trimmed strings ('' for an empty cell); a column that the file does not
 * have at all is absent from `values` (an update then keeps the current value).
 */

export interface ImportColumn {
  name: string;
  required?: boolean;
  description?: string;
  example?: string;
}

export interface ImportRow {
  /** Spreadsheet row number (header = 1). */
  row: number;
  values: Record<string, string | undefined>;
}

export type ImportAction = 'create' | 'update' | 'unchanged';

export interface CellError {
  /** The column at fault, or null for the row as a whole. */
  column: string | null;
  message: string;
}

export interface RowOutcome {
  action: ImportAction;
  errors: CellError[];
  /** Things worth telling the user that are not errors ("vendor X will be created"). */
  notes?: string[];
}

export interface ImportHandler {
  kind: string;
  columns: ImportColumn[];
  allowedRoles: Role[];
  validateRows(rows: ImportRow[], manager: EntityManager, actor?: AuthUser): Promise<RowOutcome[]>;
  commit(rows: ImportRow[], manager: EntityManager, actor: AuthUser, outcomes: RowOutcome[]): Promise<void>;
  exportRows?(manager: EntityManager): Promise<Record<string, string>[]>;
}

@Injectable()
export class ImportRegistry {
  private readonly handlers = new Map<string, ImportHandler>();

  register(handler: ImportHandler): void {
    if (this.handlers.has(handler.kind)) throw new Error(`Import kind "${handler.kind}" is registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  get(kind: string): ImportHandler | undefined {
    return this.handlers.get(kind);
  }

  kinds(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
