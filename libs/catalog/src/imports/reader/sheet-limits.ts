/*
 * What a spreadsheet reader may spend on one upload, and the errors it throws. Plain data and
 * classes only: this file is loaded inside the parser worker too.
 */

/** A parsed sheet: header cells and data rows (strings, trimmed), before any domain check. */
export interface ParsedSheet {
  headers: string[];
  rows: { row: number; cells: string[] }[];
}

export type SheetFormat = 'csv' | 'xlsx';

export interface SheetLimits {
  /** Data rows (blank rows not counted): IMPORT_MAX_ROWS. */
  maxRows: number;
  /** Columns of any row, header included: IMPORT_MAX_COLUMNS. */
  maxColumns: number;
  /** Non-empty cells of the whole sheet: IMPORT_MAX_CELLS. */
  maxCells: number;
  /** Entries of an XLSX file's shared string table: IMPORT_MAX_SHARED_STRINGS. */
  maxSharedStrings: number;
  /** Bytes the XLSX parts that are read (workbook, styles, shared strings, first sheet) may unpack to, together: IMPORT_MAX_UNPACKED_SIZE. */
  maxUnpackedBytes: number;
}

/** Excel's own limit on the characters of one cell; longer text only comes from a crafted file. */
export const MAX_CELL_CHARS = 32_767;

export class SheetTooLargeError extends Error {
  constructor(
    readonly rows: number,
    readonly max: number,
  ) {
    super(`The file has more than ${max} data rows`);
    this.name = 'SheetTooLargeError';
  }
}

export class SheetFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SheetFormatError';
  }
}

/** Which limit a file broke; the service turns it into 413 (bytes, memory) or 422 (counts, time). */
export type SheetLimitKind = 'columns' | 'cells' | 'sharedStrings' | 'unpackedSize' | 'cellLength' | 'recordLength' | 'memory' | 'time';

export class SheetLimitError extends Error {
  constructor(
    readonly kind: SheetLimitKind,
    readonly max: number,
    message: string,
  ) {
    super(message);
    this.name = 'SheetLimitError';
  }
}

/** The errors a reader throws on purpose, as they cross the worker boundary (structured clone drops classes). */
export type SheetErrorData =
  | { name: 'SheetTooLargeError'; rows: number; max: number }
  | { name: 'SheetFormatError'; message: string }
  | { name: 'SheetLimitError'; kind: SheetLimitKind; max: number; message: string };

export function sheetErrorToData(err: unknown): SheetErrorData | null {
  if (err instanceof SheetTooLargeError) return { name: err.name as 'SheetTooLargeError', rows: err.rows, max: err.max };
  if (err instanceof SheetFormatError) return { name: err.name as 'SheetFormatError', message: err.message };
  if (err instanceof SheetLimitError) return { name: err.name as 'SheetLimitError', kind: err.kind, max: err.max, message: err.message };
  return null;
}

export function sheetErrorFromData(data: SheetErrorData): Error {
  switch (data.name) {
    case 'SheetTooLargeError':
      return new SheetTooLargeError(data.rows, data.max);
    case 'SheetFormatError':
      return new SheetFormatError(data.message);
    case 'SheetLimitError':
      return new SheetLimitError(data.kind, data.max, data.message);
  }
}

const isBlank = (cells: string[]) => cells.every((c) => c === '');

/**
 * Collects rows as a reader finds them and enforces the row, column and cell limits while it
 * does: `add` throws as soon as one is exceeded, so nothing past a limit is ever kept.
 */
export class SheetCollector {
  headers: string[] | null = null;
  readonly rows: ParsedSheet['rows'] = [];
  private cells = 0;

  constructor(private readonly limits: SheetLimits) {}

  get maxCells(): number {
    return this.limits.maxCells;
  }

  /** A column number (1-based) a row uses; throws past IMPORT_MAX_COLUMNS. */
  checkColumn(column: number): void {
    if (column > this.limits.maxColumns) {
      throw new SheetLimitError('columns', this.limits.maxColumns, `The file has more than ${this.limits.maxColumns} columns`);
    }
  }

  /** `row` is the spreadsheet's row number (header = 1); `cells` already trimmed. */
  add(row: number, cells: string[]): void {
    this.checkColumn(cells.length);
    if (row === 1) {
      this.headers = cells;
      return;
    }
    if (isBlank(cells)) return;
    for (const cell of cells) if (cell !== '') this.cells++;
    if (this.cells > this.limits.maxCells) {
      throw new SheetLimitError('cells', this.limits.maxCells, `The file has more than ${this.limits.maxCells} non-empty cells`);
    }
    if (this.rows.length >= this.limits.maxRows) throw new SheetTooLargeError(this.rows.length + 1, this.limits.maxRows);
    this.rows.push({ row, cells });
  }

  /**
   * Gives every cell of each merged range its top-left cell's value, as ExcelJS's model did (a
   * merged cell reads as its master); a row that only a merge fills becomes a row. Within the same
   * limits: each filled cell counts.
   */
  applyMerges(merges: { r1: number; c1: number; r2: number; c2: number }[]): void {
    if (!merges.length) return;
    const byRow = new Map(this.rows.map((r) => [r.row, r.cells]));
    if (this.headers) byRow.set(1, this.headers);
    for (const merge of merges) {
      const value = byRow.get(merge.r1)?.[merge.c1 - 1];
      if (!value) continue;
      this.checkColumn(merge.c2);
      for (let rowNumber = merge.r1; rowNumber <= merge.r2; rowNumber++) {
        let cells = byRow.get(rowNumber);
        if (!cells) {
          if (this.rows.length >= this.limits.maxRows) throw new SheetTooLargeError(this.rows.length + 1, this.limits.maxRows);
          cells = [];
          byRow.set(rowNumber, cells);
          if (rowNumber === 1) this.headers = cells;
          else this.rows.push({ row: rowNumber, cells });
        }
        for (let column = merge.c1; column <= merge.c2; column++) {
          if (rowNumber === merge.r1 && column === merge.c1) continue;
          while (cells.length < column - 1) cells.push('');
          if (!cells[column - 1] && ++this.cells > this.limits.maxCells) {
            throw new SheetLimitError('cells', this.limits.maxCells, `The file has more than ${this.limits.maxCells} non-empty cells`);
          }
          cells[column - 1] = value;
        }
      }
    }
  }
}
