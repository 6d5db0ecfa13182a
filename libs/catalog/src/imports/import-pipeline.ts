import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser, stringPool } from '@stackgate/platform';
import { CatalogError, CatalogErrorCode } from '../catalog.errors';
import { RowReader } from './cells';
import {
  ColumnLayout,
  ImportKind,
  ImportOptions,
  ImportPlan,
  ImportRow,
  KindLookup,
  PlannedRow,
  ResolvedReferences,
  RowContext,
} from './import-kind';
import { chunks, ImportReferences } from './import-references';
import type { ParsedSheet } from './spreadsheet';

/**
 * Rows per commit chunk (a kind may set its own `commitChunk`). Large on purpose: the tools' bulk
 * write already works in slices of 1,000, the database writing one while the next is built, and
 * every chunk boundary drains that overlap.
 */
export const COMMIT_CHUNK = 5000;

/** The column an error-rows file adds after the file's own (ignored on import unless a kind declares it). */
export const ERRORS_COLUMN = 'errors';

/**
 * The import pipeline every kind goes through (see import-kind.ts): map the sheet's columns, plan
 * the rows against what the given transaction sees, commit a plan. It keeps no state between calls:
 * the plan that a commit writes is the one handed to it.
 */
@Injectable()
export class ImportPipeline {
  constructor(private readonly references: ImportReferences) {}

  /**
   * Maps header cells to the kind's columns (names and aliases, case-insensitive); unknown, missing or
   * repeated headers refuse the file (an "errors" column is ignored). `layout`: the kind's layout for
   * the request's preset (default: its columns, unknown headers refused).
   */
  mapColumns(kind: ImportKind, sheet: ParsedSheet, layout: ColumnLayout = { columns: kind.columns }): ImportRow[] {
    const byHeader = new Map<string, string>();
    for (const column of layout.columns) {
      for (const header of [column.name, ...(column.aliases ?? [])]) byHeader.set(header.toLowerCase(), column.name);
    }
    const unknown: string[] = [];
    const seen = new Set<string>();
    const duplicate: string[] = [];
    const mapped = sheet.headers.map((header) => {
      const col = byHeader.get(header.toLowerCase());
      if (!col) {
        // The "errors" column of an error-rows file (see ImportsService.errorRows) is ignored: fixed rows go back as they are.
        if (header !== '' && header.toLowerCase() !== ERRORS_COLUMN && !layout.ignoreUnknown) unknown.push(header);
        return null;
      }
      if (seen.has(col)) duplicate.push(header);
      seen.add(col);
      return col;
    });
    const missing = layout.columns
      .filter((c) => c.required && !seen.has(c.name))
      .map((c) => (layout.columns === kind.columns ? c.name : (c.aliases?.[0] ?? c.name)));
    if (unknown.length || missing.length || duplicate.length) {
      throw new CatalogError(
        CatalogErrorCode.IMPORT_INVALID_HEADER,
        [
          unknown.length ? `unknown columns: ${unknown.join(', ')}` : '',
          missing.length ? `missing columns: ${missing.join(', ')}` : '',
          duplicate.length ? `repeated columns: ${duplicate.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
        {
          unknown,
          missing,
          duplicate,
          expected: layout.columns.map((c) => (layout.columns === kind.columns ? c.name : (c.aliases?.[0] ?? c.name))),
        },
      );
    }
    // Equal cells share one string (owners, vendors, categories repeat down a file): the rows are kept
    // until the commit ends, and on a 50,000-row file the copies are megabytes.
    const one = stringPool();
    return sheet.rows.map(({ row, cells }) => {
      const values: Record<string, string> = {};
      mapped.forEach((col, index) => {
        if (col) values[col] = one((cells[index] ?? '').trim());
      });
      return { row, values };
    });
  }

  /**
   * What each row would do, read in `manager`'s transaction and writing nothing: its references
   * and the records it may match are looked up in batches, then each row is read and compared.
   */
  async plan<R, E, C>(
    kind: ImportKind<R, E, C>,
    rows: readonly ImportRow[],
    manager: EntityManager,
    actor?: AuthUser,
    options: ImportOptions = {},
  ): Promise<ImportPlan<R, E>> {
    return this.readRows(kind, rows, await this.lookUp(kind, rows, manager), manager, actor, options, new Map());
  }

  /** What the rows name, read for all of them at once: the references they make, and the kind's look-ups. */
  private async lookUp(kind: ImportKind, rows: readonly ImportRow[], manager: EntityManager): Promise<KnownRecords> {
    const refs = await this.references.resolve(manager, kind.references ?? [], rows);
    return { refs, lookups: await loadLookups(kind.lookups ?? {}, rows, refs, manager) };
  }

  /** Reads and checks each row against what `lookUp` found; `firstRows` carries what earlier rows of the file named. */
  private async readRows<R, E, C>(
    kind: ImportKind<R, E, C>,
    rows: readonly ImportRow[],
    { refs, lookups }: KnownRecords,
    manager: EntityManager,
    actor: AuthUser | undefined,
    options: ImportOptions,
    firstRows: Map<string, Map<string, number>>,
  ): Promise<ImportPlan<R, E>> {
    const planned: PlannedRow<R, E>[] = [];
    for (const row of rows) {
      const reader = new RowReader(row.values);
      const notes: string[] = [];
      const ctx: RowContext = {
        row,
        reader,
        actor,
        options,
        ref: (ref, raw) => refs.get(ref, raw),
        lookup: <V>(name: string, key: string) => {
          const found = lookups.get(name);
          if (!found) throw new Error(`import kind ${kind.kind} reads the lookup "${name}" without declaring it`);
          return found.get(key) as V | undefined;
        },
        firstRow: (scope, key) => {
          const seen = firstRows.get(scope) ?? new Map<string, number>();
          firstRows.set(scope, seen);
          const first = seen.get(key);
          if (first === undefined) seen.set(key, row.row);
          return first;
        },
        note: (message) => {
          notes.push(message);
        },
      };
      const read = kind.read(ctx);
      const record = read?.record;
      const existing = read?.existing;
      const changes = record !== undefined && existing !== undefined ? kind.compare.changes(record, existing) : undefined;
      if (record !== undefined && kind.check) await kind.check(ctx, { record, existing, changes }, manager);
      const action = record === undefined || existing === undefined ? 'create' : Object.keys(changes!).length ? 'update' : 'unchanged';
      const valid = reader.errors.length === 0;
      // Copied to their length: an array grown by push keeps room for 17 items, about 150 bytes a row on a 50,000-row file.
      planned.push({
        row: row.row,
        action,
        errors: reader.errors.slice(),
        notes: notes.slice(),
        record: valid ? record : undefined,
        existing,
        changes,
      });
    }
    return { kind: kind.kind, rows: planned };
  }

  /**
   * Plans a whole file in `manager`'s transaction and, with `write`, commits it when every row is valid; answers
   * the plan and, for a kind that has one, the file's outcome (read before anything is written). A kind with
   * `planSlice` has its rows read that many at a time, each slice committed while every row so far is valid: the
   * references and look-ups of the whole file are read first, before anything is written, and `firstRow` sees the
   * whole file, so each row is read as in a plan of the whole file. Its records exist one slice at a time, and
   * the plan answered keeps none (what a report needs: each row's action, errors and notes). A refused file's
   * writes are the caller's to roll back (it throws in the same transaction).
   */
  async planFile<R, E, C>(
    kind: ImportKind<R, E, C>,
    rows: readonly ImportRow[],
    manager: EntityManager,
    actor: AuthUser,
    options: ImportOptions,
    write: boolean,
  ): Promise<{ plan: ImportPlan<R, E>; outcome?: Record<string, unknown> }> {
    if (!kind.planSlice) {
      const plan = await this.plan(kind, rows, manager, actor, options);
      const outcome = await kind.outcome?.(plan, manager, options);
      if (write && plan.rows.every(isValid)) await this.commit(kind, plan, manager, actor);
      return { plan, outcome };
    }
    if (kind.outcome) throw new Error(`import kind ${kind.kind} has an outcome: it is planned whole, not in slices`);
    const known = await this.lookUp(kind, rows, manager);
    const firstRows = new Map<string, Map<string, number>>();
    const planned: PlannedRow<R, E>[] = [];
    let writing = write;
    for (const slice of chunks(rows, kind.planSlice)) {
      const part = await this.readRows(kind, slice, known, manager, actor, options, firstRows);
      writing &&= part.rows.every(isValid);
      if (writing) await this.commit(kind, part, manager, actor);
      for (const { row, action, errors, notes } of part.rows) planned.push({ row, action, errors, notes });
    }
    return { plan: { kind: kind.kind, rows: planned } };
  }

  /**
   * Writes a plan that has no invalid row, inside `manager`'s transaction, in chunks of the kind's
   * `commitChunk` (COMMIT_CHUNK) rows: the kind prepares each chunk, applies its updates in file
   * order, then creates its new records together. Throwing rolls the whole transaction back.
   * The plan is used up: each chunk's records are let go once written (a 50,000-row plan is tens of MB
   * that the rest of the commit need not carry); a retried transaction plans again.
   */
  async commit<R, E, C>(kind: ImportKind<R, E, C>, plan: ImportPlan<R, E>, manager: EntityManager, actor: AuthUser): Promise<void> {
    if (plan.kind !== kind.kind) throw new Error(`a ${plan.kind} plan cannot be committed as ${kind.kind}`);
    const invalid = plan.rows.find((r) => !isValid(r));
    if (invalid) throw new Error(`row ${invalid.row} is invalid: an import plan is committed only when every row is valid`);
    const applied = plan.rows.filter((r) => r.action !== 'unchanged');
    for (const chunk of chunks(applied, kind.commitChunk ?? COMMIT_CHUNK)) {
      const records = chunk.map((r) => r.record!);
      const context = kind.prepare ? await kind.prepare(manager, actor, records) : (undefined as C);
      for (const row of chunk) {
        if (row.action === 'update')
          await kind.update(manager, actor, { record: row.record!, existing: row.existing!, changes: row.changes! }, context);
      }
      const creates = chunk.filter((r) => r.action === 'create').map((r) => r.record!);
      if (creates.length) await kind.create(manager, actor, creates, context);
      for (const row of chunk) Object.assign(row, { record: undefined, existing: undefined, changes: undefined });
    }
  }
}

/** What the rows of a file name, as the database holds it before the file is written. */
interface KnownRecords {
  refs: ResolvedReferences;
  lookups: Map<string, Map<string, unknown>>;
}

/** A row a commit can write: no error, and a record. */
const isValid = (row: PlannedRow<unknown, unknown>) => row.errors.length === 0 && row.record !== undefined;

/** The kind's own look-ups, batched: the distinct keys the rows need, `chunkSize` (500) per load. */
async function loadLookups(
  lookups: Readonly<Record<string, KindLookup>>,
  rows: readonly ImportRow[],
  refs: ResolvedReferences,
  manager: EntityManager,
) {
  const out = new Map<string, Map<string, unknown>>();
  for (const [name, lookup] of Object.entries(lookups)) {
    const keys = new Set<string>();
    for (const row of rows) for (const key of lookup.keys(row, refs)) if (key) keys.add(key);
    const all = new Map<string, unknown>();
    for (const chunk of chunks([...keys], lookup.chunkSize ?? 500)) {
      for (const [key, value] of await lookup.load(manager, chunk)) all.set(key, value);
    }
    out.set(name, all);
  }
  return out;
}
