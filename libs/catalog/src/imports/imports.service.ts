import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { AuditService } from '@stackgate/audit';
import {
  APP_CONFIG,
  AppConfig,
  AuthUser,
  forbidden,
  jsonPieces,
  Metrics,
  Semaphore,
  uuidv7,
  validationFailed,
  withTransaction,
  writeJsonPieces,
} from '@stackgate/platform';
import { CellError, ColumnLayout, ImportAction, ImportColumn, ImportKind, ImportOptions, ImportPlan } from './import-kind';
import { ImportExamples } from './import-examples';
import { ERRORS_COLUMN, ImportPipeline } from './import-pipeline';
import { ImportUploads } from './import-uploads';
import { ImportRegistry } from './import-registry';
import { parseInSubprocess, SheetParseCrash } from './reader/sheet-parser';
import { MAX_CELL_CHARS, SheetLimitKind } from './reader/sheet-limits';
import { MAX_RECORD_CHARS } from './reader/csv-reader';
import {
  CSV_MIME,
  detectFormat,
  ParsedSheet,
  SheetFormat,
  SheetFormatError,
  SheetLimitError,
  SheetTooLargeError,
  unescapeCsvSheet,
  writeCsv,
  writeXlsx,
  XLSX_MIME,
} from './spreadsheet';
import { CatalogError, CatalogErrorCode } from '../catalog.errors';

/**
 * Files parsed at once per instance: each parse runs in a process of up to IMPORT_PARSE_MEMORY_MB,
 * so this bounds what uploads can take together; later uploads wait their turn.
 */
const CONCURRENT_PARSES = 2;

/** How each limit of the readers is answered: the code (its status is in CATALOG_ERROR_STATUS) and the setting that sets it. */
const LIMIT_ANSWERS: Record<SheetLimitKind, { code: CatalogErrorCode; setting: string }> = {
  columns: { code: CatalogErrorCode.IMPORT_TOO_MANY_COLUMNS, setting: 'IMPORT_MAX_COLUMNS' },
  cells: { code: CatalogErrorCode.IMPORT_TOO_MANY_CELLS, setting: 'IMPORT_MAX_CELLS' },
  sharedStrings: { code: CatalogErrorCode.IMPORT_TOO_MANY_SHARED_STRINGS, setting: 'IMPORT_MAX_SHARED_STRINGS' },
  unpackedSize: { code: CatalogErrorCode.IMPORT_UNPACKED_TOO_LARGE, setting: 'IMPORT_MAX_UNPACKED_SIZE' },
  cellLength: { code: CatalogErrorCode.IMPORT_CELL_TOO_LONG, setting: `Excel's cell size (${MAX_CELL_CHARS} characters)` },
  recordLength: { code: CatalogErrorCode.IMPORT_ROW_TOO_LONG, setting: `CSV row size (${MAX_RECORD_CHARS} characters)` },
  memory: { code: CatalogErrorCode.IMPORT_TOO_COMPLEX, setting: 'IMPORT_PARSE_MEMORY_MB' },
  time: { code: CatalogErrorCode.IMPORT_PARSE_TIMEOUT, setting: 'IMPORT_PARSE_TIMEOUT_SECONDS' },
};

export interface UploadedSheet {
  originalname?: string;
  mimetype?: string;
  buffer: Buffer;
  size?: number;
}

export interface ImportRowReport {
  row: number;
  action: ImportAction;
  valid: boolean;
  errors: CellError[];
  notes: string[];
}

export interface ImportReport {
  id: string;
  kind: string;
  dryRun: boolean;
  committed: boolean;
  fileName: string | null;
  format: SheetFormat;
  totalRows: number;
  summary: { create: number; update: number; unchanged: number; invalid: number };
  errors: { row: number; column: string | null; message: string }[];
  notes: { row: number; message: string }[];
  rows: ImportRowReport[];
  /** What the file as a whole does, for kinds that aggregate rows (see ImportKind.outcome). */
  outcome?: Record<string, unknown>;
  /** The column layout the rows were read with, for kinds that offer several: the one named, or the one the headers show. */
  preset?: string;
}

/** A kind's presets as the import page offers them: each with the headers its files have (required ones marked). */
export interface PresetChoices {
  kind: string;
  title: string;
  detectsFromHeaders: boolean;
  presets: {
    value: string;
    label: string;
    note?: string;
    saved: boolean;
    columns: { header: string; required: boolean }[];
    /** Headers the preset does not name are ignored (another system's full export). */
    ignoresOthers: boolean;
  }[];
}

@Injectable()
export class ImportsService {
  private readonly logger = new Logger('Imports');
  private readonly parses = new Semaphore(CONCURRENT_PARSES);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ImportRegistry,
    private readonly pipeline: ImportPipeline,
    private readonly audit: AuditService,
    private readonly examples: ImportExamples,
    private readonly uploads: ImportUploads,
    private readonly metrics: Metrics,
  ) {}

  kind(kind: string): ImportKind {
    const found = this.registry.get(kind);
    if (!found) throw new CatalogError(CatalogErrorCode.UNKNOWN_IMPORT_KIND, `kind must be one of: ${this.registry.kinds().join(', ')}`);
    return found;
  }

  /**
   * Dry run: plan every row and report, writing nothing. Commit: plan again inside one
   * transaction (so what is written is what that transaction sees) and write that plan, or refuse
   * the whole file (422) when any row is invalid.
   */
  async run(
    actor: AuthUser,
    kindName: string,
    file: UploadedSheet | undefined,
    dryRun: boolean,
    requested: ImportOptions = {},
  ): Promise<ImportReport> {
    const { kind, rows, format, options } = await this.read(actor, kindName, file, requested);
    const id = uuidv7();
    const fileName = file?.originalname ?? null;

    if (dryRun) {
      const { plan, outcome } = await this.pipeline.planFile(kind, rows, this.dataSource.manager, actor, options, false);
      return this.counted(kind.kind, withOutcome(report(id, true, fileName, format, plan, options), outcome));
    }
    return withTransaction(this.dataSource, async (manager) => {
      // Planned in the transaction that writes, never reused from an earlier dry run (the data may
      // have moved since); a retried transaction plans again from scratch.
      const { plan, outcome } = await this.pipeline.planFile(kind, rows, manager, actor, options, true);
      const importReport = withOutcome(report(id, false, fileName, format, plan, options), outcome);
      if (importReport.summary.invalid > 0) {
        // thrown in the transaction: what slices of the file were written before an invalid row are rolled back
        throw new CatalogError(
          CatalogErrorCode.IMPORT_INVALID,
          `${importReport.summary.invalid} row(s) are invalid: nothing was imported. Fix them (see details) and upload again`,
          importReport,
        );
      }
      await this.audit.record(manager, {
        action: 'import.committed',
        entityType: 'Import',
        entityId: id,
        metadata: { kind: kind.kind, ...options, fileName, format, rows: importReport.totalRows, ...importReport.summary },
      });
      this.logger.log({ msg: 'import committed', kind: kind.kind, rows: importReport.totalRows, ...importReport.summary });
      return this.counted(kind.kind, { ...importReport, committed: true });
    });
  }

  /** Adds the report's rows to stackgate_import_rows_total. */
  private counted(kind: string, importReport: ImportReport): ImportReport {
    const mode = importReport.dryRun ? 'dry_run' : 'commit';
    const { create, update, unchanged } = importReport.summary;
    const valid = create + update + unchanged;
    if (valid) this.metrics.importRows.inc({ kind, mode, outcome: 'valid' }, valid);
    if (importReport.summary.invalid) this.metrics.importRows.inc({ kind, mode, outcome: 'invalid' }, importReport.summary.invalid);
    return importReport;
  }

  /**
   * The file's kind (the actor may import it), its parsed sheet, its rows mapped to the layout's columns, and the
   * options the rows are read with (`preset`: the one named, or the one the kind's layout found from the headers).
   */
  private async read(actor: AuthUser, kindName: string, file: UploadedSheet | undefined, requested: ImportOptions = {}) {
    const kind = this.kind(kindName);
    await this.assertMayImport(actor, kind);
    // before the file is parsed: a kind without presets refuses one whatever the file
    if (requested.preset !== undefined && !kind.layout)
      throw validationFailed(`${kind.kind} has no presets: leave preset out`, [{ field: 'preset', message: 'preset is not allowed here' }]);
    if (!file?.buffer) throw new CatalogError(CatalogErrorCode.FILE_REQUIRED, 'Attach the spreadsheet as the multipart field "file"');
    const format = detectFormat(file.originalname, file.mimetype);
    if (!format) throw new CatalogError(CatalogErrorCode.UNSUPPORTED_FILE_TYPE, 'Upload a .csv (text/csv) or .xlsx file');
    const sheet = await this.parse(file.buffer, format);
    const { layout, options } = await this.layout(kind, { preset: requested.preset, headers: sheet.headers });
    return { kind, sheet, rows: this.pipeline.mapColumns(kind, sheet, layout), format, options };
  }

  /**
   * The kind's column layout for `requested` (its preset, the file's headers; the kind's columns when it has no
   * presets) and the options its rows are read with: the preset the layout answers (named or detected), no headers.
   */
  private async layout(kind: ImportKind, requested: ImportOptions): Promise<{ layout?: ColumnLayout; options: ImportOptions }> {
    if (!kind.layout) return { options: {} };
    const layout = await kind.layout(requested, this.dataSource.manager);
    const preset = layout.preset ?? requested.preset;
    return { layout, options: preset === undefined ? {} : { preset } };
  }

  /**
   * A dry run whose file is then kept (ImportUploads) under the token it answers with, so that the
   * commit (commitKept) and the error rows (keptErrorRows) do not need the file again.
   */
  async check(
    actor: AuthUser,
    kindName: string,
    file: UploadedSheet | undefined,
    options: ImportOptions = {},
  ): Promise<{ report: ImportReport; token: string }> {
    const report = await this.run(actor, kindName, file, true, options);
    // kept with the preset the rows were read with (named or found from the headers): the commit reads the file the same way
    return { report, token: await this.uploads.keep(actor, kindName, file!, report.preset) };
  }

  /**
   * Commits the file `actor` checked as `kindName` under `token` (404 IMPORT_UPLOAD_GONE once it is not kept), read with the
   * preset it was checked with; an imported file is forgotten.
   */
  async commitKept(actor: AuthUser, kindName: string, token: unknown): Promise<ImportReport> {
    this.kind(kindName);
    const kept = await this.uploads.file(actor, kindName, token);
    const report = await this.run(actor, kindName, kept.file, false, presetOption(kept.preset));
    await this.uploads.drop(token as string);
    return report;
  }

  /** The error rows of the file `actor` checked as `kindName` under `token`, read with the preset it was checked with (see errorRows). */
  async keptErrorRows(actor: AuthUser, kindName: string, token: unknown) {
    this.kind(kindName);
    const kept = await this.uploads.file(actor, kindName, token);
    return this.errorRows(actor, kindName, kept.file, presetOption(kept.preset));
  }

  /**
   * The presets of `kindName` as a person chooses one (undefined for a kind with one layout): each with the headers its files
   * have, as the preset's template writes them (one source: the layout the kind answers for that preset).
   */
  async presets(kindName: string): Promise<PresetChoices | undefined> {
    const kind = this.kind(kindName);
    if (!kind.presets) return undefined;
    const offered = await kind.presets(this.dataSource.manager);
    return {
      kind: kind.kind,
      title: offered.title,
      detectsFromHeaders: offered.detectsFromHeaders,
      presets: offered.presets.map((preset) => ({
        value: preset.value,
        label: preset.label,
        note: preset.note,
        saved: preset.saved === true,
        columns: preset.layout.columns.map((column) => ({
          header: headerOf(kind, preset.layout, column),
          required: column.required === true,
        })),
        ignoresOthers: preset.layout.ignoreUnknown === true,
      })),
    };
  }

  /**
   * The file's invalid rows as CSV, to fix and import again: the file's own columns (as its header
   * names them, cells as they were), then "errors" ("column: problem; …"). Written by the product's
   * CSV writer, so a cell that starts with = + - @ is escaped (and unescaped on import); the
   * "errors" column is ignored when the file comes back.
   */
  async errorRows(
    actor: AuthUser,
    kindName: string,
    file: UploadedSheet | undefined,
    requested: ImportOptions = {},
  ): Promise<{ body: Buffer; contentType: string; fileName: string }> {
    const { kind, sheet, rows, options } = await this.read(actor, kindName, file, requested);
    const { plan } = await this.pipeline.planFile(kind, rows, this.dataSource.manager, actor, options, false);
    const invalid = new Map(plan.rows.filter((r) => r.errors.length).map((r) => [r.row, r.errors]));
    const kept = sheet.headers
      .map((header, index) => ({ header, index }))
      .filter(({ header }) => header !== '' && header.toLowerCase() !== ERRORS_COLUMN);
    const records = sheet.rows
      .filter((r) => invalid.has(r.row))
      .map((sheetRow) => {
        const record: Record<string, string> = {};
        for (const { header, index } of kept) record[header] = sheetRow.cells[index] ?? '';
        record[ERRORS_COLUMN] = invalid
          .get(sheetRow.row)!
          .map((e) => (e.column && !e.message.startsWith(e.column) ? `${e.column}: ${e.message}` : e.message))
          .join('; ');
        return record;
      });
    const base = (file?.originalname ?? kind.kind)
      .replace(/\.(csv|xlsx)$/i, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .slice(0, 80);
    return {
      body: writeCsv([...kept.map((c) => c.header), ERRORS_COLUMN], records),
      contentType: `${CSV_MIME}; charset=utf-8`,
      fileName: `${base}-errors.csv`,
    };
  }

  /**
   * Answers an import report (200, JSON) written in pieces: a 50,000-row report is about 16 MB of JSON, which
   * as one string (and its bytes) would sit on top of the heap the commit just grew.
   */
  async sendReport(res: Response, importReport: ImportReport): Promise<void> {
    res.status(200);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    await writeJsonPieces(res, jsonPieces(importReport));
  }

  sendFile(res: Response, file: { body: Buffer; contentType: string; fileName: string }): void {
    send(res, file);
  }

  /**
   * The template: the header row, then example rows that a check of the file accepts as they are
   * (they name the workspace's own tools, subcategories and cost centers; see ImportExamples).
   */
  async template(
    kind: string,
    format: SheetFormat,
    actor: AuthUser,
    preset?: string,
  ): Promise<{ body: Buffer; contentType: string; fileName: string }> {
    const importKind = this.kind(kind);
    if (preset !== undefined && !importKind.layout)
      throw validationFailed(`${kind} has no presets: leave preset out`, [{ field: 'preset', message: 'preset is not allowed here' }]);
    const { layout, options } = await this.layout(importKind, preset === undefined ? {} : { preset });
    const base = preset ? `${kind}-${preset}-template` : `${kind}-template`;
    const rows = await this.examples.rows(importKind, this.dataSource.manager, actor, layout, options);
    return this.render(importKind, format, rows, base, layout);
  }

  async sendTemplate(kind: string, format: SheetFormat, res: Response, actor: AuthUser, preset?: string): Promise<void> {
    send(res, await this.template(kind, format, actor, preset));
  }

  /** Every record of `kind` (or those `filter` selects, for kinds that filter) in the template's columns (export → import is a no-op). */
  async sendExport(kind: string, format: SheetFormat, res: Response, filter?: object): Promise<void> {
    const importKind = this.kind(kind);
    if (!importKind.exportRows) throw new CatalogError(CatalogErrorCode.EXPORT_NOT_SUPPORTED, `${kind} cannot be exported`);
    const rows = await importKind.exportRows(this.dataSource.manager, filter);
    send(res, await this.render(importKind, format, rows, `${kind}-${new Date().toISOString().slice(0, 10)}`));
  }

  /** `layout`: a preset's, whose file headers are its own names for the columns (the first alias). */
  private async render(kind: ImportKind, format: SheetFormat, named: Record<string, string>[], base: string, layout?: ColumnLayout) {
    const header = (column: ImportColumn) => headerOf(kind, layout, column);
    const shown = layout?.columns ?? kind.columns;
    const columns = shown.map(header);
    const rows = named.map((row) => Object.fromEntries(shown.map((column) => [header(column), row[column.name] ?? ''])));
    return format === 'csv'
      ? { body: writeCsv(columns, rows), contentType: `${CSV_MIME}; charset=utf-8`, fileName: `${base}.csv` }
      : { body: await writeXlsx(kind.kind, columns, rows), contentType: XLSX_MIME, fileName: `${base}.xlsx` };
  }

  private async assertMayImport(actor: AuthUser, kind: ImportKind): Promise<void> {
    if (actor.roles.some((r) => kind.allowedRoles.includes(r))) return;
    await this.audit.record(undefined, {
      action: 'authz.denied',
      entityType: 'Import',
      entityId: null,
      metadata: { kind: kind.kind, requiredRoles: [...kind.allowedRoles], roles: actor.roles },
    });
    throw forbidden(`Only ${kind.allowedRoles.join(', ')} may import ${kind.kind}`);
  }

  private async parse(buf: Buffer, format: SheetFormat): Promise<ParsedSheet> {
    const config = this.config;
    try {
      const sheet = await this.parses.run(() =>
        parseInSubprocess(buf, format, {
          limits: {
            maxRows: config.importMaxRows,
            maxColumns: config.importMaxColumns,
            maxCells: config.importMaxCells,
            maxSharedStrings: config.importMaxSharedStrings,
            maxUnpackedBytes: config.importMaxUnpackedBytes,
          },
          memoryMb: config.importParseMemoryMb,
          timeoutMs: config.importParseTimeoutSeconds * 1000,
        }),
      );
      // A CSV export's formula-escaped cells come back as the values they stand for (export → import is a no-op).
      return format === 'csv' ? unescapeCsvSheet(sheet) : sheet;
    } catch (err) {
      if (err instanceof SheetTooLargeError) {
        throw new CatalogError(CatalogErrorCode.IMPORT_TOO_MANY_ROWS, `A file may hold at most ${err.max} rows; split it`, {
          maxRows: err.max,
        });
      }
      if (err instanceof SheetLimitError) {
        const answer = LIMIT_ANSWERS[err.kind];
        this.logger.warn({ msg: 'import refused at a limit', format, bytes: buf.length, limit: answer.setting, max: err.max });
        throw new CatalogError(answer.code, `${err.message} (limit: ${answer.setting})`, { limit: answer.setting, max: err.max });
      }
      if (err instanceof SheetFormatError) throw new CatalogError(CatalogErrorCode.INVALID_FILE, err.message);
      if (err instanceof SheetParseCrash) {
        this.logger.warn({ msg: 'import parser failed', format, bytes: buf.length, detail: err.detail });
        throw new CatalogError(CatalogErrorCode.INVALID_FILE, `The ${format.toUpperCase()} file could not be read`);
      }
      throw err;
    }
  }
}

/** A column's header in a file of `layout`: a preset's own name for it (its first alias), else the column's name. */
function headerOf(kind: ImportKind, layout: ColumnLayout | undefined, column: ImportColumn): string {
  return layout && layout.columns !== kind.columns ? (column.aliases?.[0] ?? column.name) : column.name;
}

const presetOption = (preset: string | undefined): ImportOptions => (preset === undefined ? {} : { preset });

function report(
  id: string,
  dryRun: boolean,
  fileName: string | null,
  format: SheetFormat,
  plan: ImportPlan,
  options: ImportOptions,
): ImportReport {
  const summary = { create: 0, update: 0, unchanged: 0, invalid: 0 };
  const errors: ImportReport['errors'] = [];
  const notes: ImportReport['notes'] = [];
  const rowReports = plan.rows.map((row) => {
    const valid = row.errors.length === 0;
    if (valid) summary[row.action]++;
    else summary.invalid++;
    for (const error of row.errors) errors.push({ row: row.row, column: error.column, message: error.message });
    for (const note of row.notes) notes.push({ row: row.row, message: note });
    return { row: row.row, action: row.action, valid, errors: row.errors, notes: row.notes };
  });
  return {
    id,
    kind: plan.kind,
    dryRun,
    committed: false,
    fileName,
    format,
    totalRows: plan.rows.length,
    summary,
    errors,
    notes,
    rows: rowReports,
    ...(options.preset === undefined ? {} : { preset: options.preset }),
  };
}

function withOutcome(importReport: ImportReport, outcome: Record<string, unknown> | undefined): ImportReport {
  return outcome ? { ...importReport, outcome } : importReport;
}

function send(res: Response, file: { body: Buffer; contentType: string; fileName: string }): void {
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.status(200).send(file.body);
}
