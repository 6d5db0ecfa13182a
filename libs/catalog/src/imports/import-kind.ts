import { EntityManager } from 'typeorm';
import { AuthUser, Role } from '@stackgate/platform';
import type { RowReader } from './cells';
import type { ReferenceKind, ReferenceValue } from './import-references';
import type { Comparator } from './row-changes';
import type { ExampleSamples } from './import-examples';

/*
 * What an import kind declares. The pipeline (import-pipeline.ts) does the rest, in this order:
 *
 *   parse (reader/, in a process of its own) → map columns (names and aliases, case-insensitive)
 *   → resolve references (`references`: shared look-ups, batched) and the kind's own `lookups`
 *   → read each row (`read`: validate its cells, build the record, pick the existing record it matches)
 *   → plan it (create / update / unchanged / invalid; `compare` says which fields make an update)
 *   → commit the plan in chunks (`prepare`, `update`, `create`: the owning services' methods).
 *
 * Rows are numbered as a spreadsheet user sees them: the header is row 1, the first record row 2.
 * Cell values arrive trimmed ('' for an empty cell); a column that the file does not have at all is
 * absent from `values`, and a record field left undefined keeps the current value on update.
 */

export interface ImportColumn {
  name: string;
  required?: boolean;
  description?: string;
  example?: string;
  /**
   * Other headers accepted for this column (case-insensitive), e.g. the header another system's
   * export uses for it. Templates and exports always use `name`.
   */
  aliases?: string[];
}

/**
 * What an import request says beside its kind and file: the column layout (`preset`) of kinds that offer several.
 * `headers`: the file's header row, given to `ImportKind.layout` only (absent for a template), so a kind can
 * recognise its preset when none is named; rows, `outcome` and `examples` see the preset the layout answered.
 */
export interface ImportOptions {
  preset?: string;
  headers?: readonly string[];
}

/** How a file's headers map to a kind's columns (a kind's `layout` answers one per preset). */
export interface ColumnLayout {
  columns: readonly ImportColumn[];
  /** Headers no column names are ignored instead of refusing the file (another system's full export). */
  ignoreUnknown?: boolean;
  /** The preset this layout is, when the kind found it from the headers (else the one named stands). */
  preset?: string;
}

/** One column layout a kind offers (a preset), as a person picks it on the import page. */
export interface ImportPreset {
  /** The `preset` value, e.g. 'expensify' or 'custom:Amex corporate'. */
  value: string;
  /** Reader words, e.g. "Expensify export". */
  label: string;
  /** What else a person needs to know: which report of the other system it is, how its dates are written. */
  note?: string;
  /** A mapping saved in the workspace rather than shipped with the product. */
  saved?: boolean;
  /** The layout itself (the one `layout` answers for this preset): the page names the headers it expects from it. */
  layout: ColumnLayout;
}

/** The presets a kind offers, for the import page's selector. */
export interface ImportPresets {
  /** What the kind's files are, in reader words ("Card and expense exports"). */
  title: string;
  /** In the order to offer them; without detection, the first is the default. */
  presets: ImportPreset[];
  /** The kind finds the preset from the file's headers when none is named. */
  detectsFromHeaders: boolean;
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

/**
 * A shared reference a kind's cells name: the pipeline gathers the distinct values of `column`
 * (or of each item `keys` extracts from a cell, e.g. the cost-center codes of an allocation) over
 * the whole file and looks them up with one query per reference kind per chunk of values.
 */
export interface ReferenceDeclaration {
  column: string | readonly string[];
  ref: ReferenceKind;
  /** The values a cell names, when it is not the cell itself (default: the cell). */
  keys?(cell: string): string[];
}

/**
 * A look-up of the kind's own tables (the records rows may match, for instance), batched like the
 * references: `keys` names what a row needs (it may use the resolved references), `load` reads one
 * chunk of distinct keys in one query (or a few) and answers them by key.
 */
export interface KindLookup {
  keys(row: ImportRow, refs: ResolvedReferences): (string | null | undefined)[];
  load(manager: EntityManager, keys: string[]): Promise<Map<string, unknown>>;
  /** Distinct keys per load (default 500). */
  chunkSize?: number;
}

export interface ResolvedReferences {
  /** What `raw` refers to (normalised as the reference kind does: case, spaces), or undefined. */
  get<K extends ReferenceKind>(ref: K, raw: string): ReferenceValue[K] | undefined;
}

/** What a kind's `read` and `check` see of one row. */
export interface RowContext {
  readonly row: ImportRow;
  /** Cell parsers; errors pushed here make the row invalid. */
  readonly reader: RowReader;
  /** Who imports (absent only for a plan made without one). */
  readonly actor?: AuthUser;
  /** The request's options (e.g. the preset whose date format the cells use). */
  readonly options: ImportOptions;
  ref<K extends ReferenceKind>(ref: K, raw: string): ReferenceValue[K] | undefined;
  lookup<V>(name: string, key: string): V | undefined;
  /** In-file duplicates: the row that first named `key` in `scope`, or undefined (and this row is remembered). */
  firstRow(scope: string, key: string): number | undefined;
  /** Something worth telling the user that is not an error ("vendor X will be created"). */
  note(message: string): void;
}

/** What `read` makes of a row: the record it describes and the existing record it matches. */
export interface RowRead<R, E> {
  record: R;
  existing?: E;
}

/** A row the plan applies: its record, the record it matches (update), the fields that change. */
export interface RowChange<R, E> {
  record: R;
  existing: E;
  changes: Partial<R>;
}

export interface PlannedRow<R, E> {
  row: number;
  action: ImportAction;
  errors: CellError[];
  notes: string[];
  /** Set when the row is valid. */
  record?: R;
  existing?: E;
  /** The fields of `record` that differ from `existing` (update and unchanged rows). */
  changes?: Partial<R>;
}

/** The plan of one file: made for the dry run, and made again inside the commit's transaction. */
export interface ImportPlan<R = unknown, E = unknown> {
  kind: string;
  rows: PlannedRow<R, E>[];
}

/**
 * One kind of record a spreadsheet can import (catalog: 'tools'; integrations: 'integrations';
 * finance: 'spend-entries', 'contracts'). R is the record a row describes, E the stored record it
 * may match, C what `prepare` hands to `create`/`update`.
 */
export interface ImportKind<R = unknown, E = unknown, C = unknown> {
  /** The `kind` form field value, e.g. 'tools'. */
  readonly kind: string;
  /** The template's columns, in order. Unknown headers and missing required ones refuse the file. */
  readonly columns: readonly ImportColumn[];
  /** Who may import this kind (403 for everyone else, audited as 'authz.denied'). */
  readonly allowedRoles: readonly Role[];
  readonly references?: readonly ReferenceDeclaration[];
  readonly lookups?: Readonly<Record<string, KindLookup>>;
  /** Which fields of a matched record make an update (compareFields(...)). */
  readonly compare: Comparator<R, E>;
  /** Rows per commit chunk (default COMMIT_CHUNK). */
  readonly commitChunk?: number;
  /**
   * Read (and commit) the file's rows this many at a time, so that their records exist one slice at a time
   * (ImportPipeline.planFile); without it the whole file is planned before anything is written. Rows are read
   * against the references and look-ups of the whole file, read before anything is written, so `read` sees what
   * it would in a plan of the whole file; `check`, which reads the database itself, runs after the earlier slices
   * are written, so a kind sets this only when its check reads nothing another row of the file writes. Not with
   * `outcome`, which needs every record.
   */
  readonly planSlice?: number;
  /**
   * The column layout for the request's options (a preset of another system's export, a saved
   * mapping; with no preset named, the kind's default or the preset `options.headers` show);
   * throws a 4xx DomainError for an unknown preset. Without it the kind takes `columns` and
   * refuses any `preset`.
   */
  layout?(options: ImportOptions, manager: EntityManager): Promise<ColumnLayout>;
  /** The presets `layout` accepts (shipped and saved ones), described for a person choosing one. Kinds with `layout` declare it. */
  presets?(manager: EntityManager): Promise<ImportPresets>;

  /**
   * Validates the row's cells (ctx.reader, in column order) and answers its record and the
   * existing record it matches. Answer undefined when the row cannot make a record; a row with
   * errors is invalid either way (its action is what the record would do, 'create' without one).
   */
  read(ctx: RowContext): RowRead<R, E> | undefined;
  /** Kind-specific rules that need the change set (allowed transitions, field permissions). */
  check?(ctx: RowContext, planned: { record: R; existing?: E; changes?: Partial<R> }, manager: EntityManager): void | Promise<void>;

  /** Before a chunk is written: what create/update need (e.g. the vendors the rows name, created). */
  prepare?(manager: EntityManager, actor: AuthUser, records: R[]): Promise<C>;
  /** Writes new records (in file order) through the owning service, with their audit events. */
  create(manager: EntityManager, actor: AuthUser, records: R[], context: C): Promise<void>;
  /** Applies one matched record's changes through the owning service, with its audit events. */
  update(manager: EntityManager, actor: AuthUser, change: RowChange<R, E>, context: C): Promise<void>;

  /**
   * The template's example rows, keyed by column name, in the import's format: they may name the
   * workspace's records (`samples`). The template keeps those a check accepts as they are.
   */
  examples?(samples: ExampleSamples, options: ImportOptions): Record<string, string>[];

  /**
   * What the file as a whole would do (dry run) or did (commit), beyond its rows, e.g. per-app figures aggregated over
   * many rows: answered in the report's `outcome`. Read in the same transaction as the plan; must not write.
   */
  outcome?(plan: ImportPlan<R, E>, manager: EntityManager, options: ImportOptions): Promise<Record<string, unknown>>;

  /**
   * The records as rows keyed by column name, in the template's format (export → import is a no-op);
   * `filter`: the kind's own list filters and sort, already validated (the tools kind takes the list's).
   */
  exportRows?(manager: EntityManager, filter?: object): Promise<Record<string, string>[]>;
}
