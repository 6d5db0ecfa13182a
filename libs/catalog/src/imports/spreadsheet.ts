import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { recordsToCsv, unescapeCsvCell } from '@stackgate/platform';

/** A parsed sheet: header cells and data rows (strings, trimmed), before any domain check. */
export interface ParsedSheet {
  headers: string[];
  rows: { row: number; cells: string[] }[];
}

export type SheetFormat = 'csv' | 'xlsx';

export class SheetTooLargeError extends Error {
  constructor(readonly rows: number, readonly max: number) {
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

export const CSV_MIME = 'text/csv';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Picks the format from the file name, falling back to the declared type; null when neither fits. */
export function detectFormat(fileName: string | undefined, mimeType: string | undefined): SheetFormat | null {
  const name = (fileName ?? '').toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (mimeType === CSV_MIME || mimeType === 'application/csv') return 'csv';
  if (mimeType === XLSX_MIME) return 'xlsx';
  return null;
}

const isBlank = (cells: string[]) => cells.every((c) => c === '');

export function parseCsv(buf: Buffer, maxRows: number): ParsedSheet {
  let records: string[][];
  try {
    records = parse(buf, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, to: maxRows + 2 }) as string[][];
  } catch (err) {
    throw new SheetFormatError(`The CSV file could not be read: ${(err as Error).message}`);
  }
  return toSheet(records, maxRows);
}

function toSheet(records: string[][], maxRows: number): ParsedSheet {
  if (!records.length) throw new SheetFormatError('The file is empty: the first row must name the columns');
  const [headers, ...data] = records;
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter((r) => !isBlank(r.cells));
  if (rows.length > maxRows) throw new SheetTooLargeError(rows.length, maxRows);
  return { headers: headers.map((h) => h.trim()), rows };
}

/** A cell's value as the user typed it: numbers and booleans as text, formulas by their result. */
export function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: ExcelJS.CellValue; error?: string };
    if (o.richText) return o.richText.map((r) => r.text).join('').trim();
    if (o.text !== undefined) return cellText(o.text as ExcelJS.CellValue);
    if ('result' in o) return cellText(o.result as ExcelJS.CellValue);
    if (o.error) return '';
  }
  return String(v).trim();
}

export async function parseXlsx(buf: Buffer, maxRows: number): Promise<ParsedSheet> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new SheetFormatError(`The XLSX file could not be read: ${(err as Error).message}`);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new SheetFormatError('The workbook has no worksheet');
  // Check the size before reading cells: the last row number is known without walking them.
  if (ws.actualRowCount - 1 > maxRows) throw new SheetTooLargeError(ws.actualRowCount - 1, maxRows);
  const records: string[][] = [];
  const width = ws.actualColumnCount;
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    records[n - 1] = cells;
  });
  for (let i = 0; i < records.length; i++) records[i] ??= [];
  // Keep the spreadsheet's own row numbers: blank rows are dropped after numbering.
  if (!records.length) throw new SheetFormatError('The worksheet is empty: the first row must name the columns');
  const [headers, ...data] = records;
  const rows = data.map((cells, i) => ({ row: i + 2, cells })).filter((r) => !isBlank(r.cells));
  if (rows.length > maxRows) throw new SheetTooLargeError(rows.length, maxRows);
  while (headers.length && headers[headers.length - 1] === '') headers.pop();
  return { headers, rows };
}

/** The export CSV: the product's one CSV writer (formula-looking cells escaped; see platform csv). */
export function writeCsv(columns: string[], rows: Record<string, string>[]): Buffer {
  return Buffer.from(recordsToCsv(columns, rows), 'utf8');
}

/**
 * The export XLSX. Every cell is written as a string cell (never a formula, never a number), so
 * that "=HYPERLINK(…)" stays inert text and "0012" or "true" come back exactly as exported; an XLSX
 * string cell needs no apostrophe, and none is added (the import reads XLSX cells as they are).
 */
export async function writeXlsx(sheetName: string, columns: string[], rows: Record<string, string>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(columns);
  ws.getRow(1).font = { bold: true };
  // exceljs writes a JS string as a shared-string cell (t="s") whatever it starts with; only objects become formulas.
  for (const r of rows) ws.addRow(columns.map((c) => String(r[c] ?? '')));
  ws.columns.forEach((col) => { col.width = 22; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A parsed CSV file written by writeCsv gives back its values: the apostrophe of an escaped cell is removed. */
export function unescapeCsvSheet(sheet: ParsedSheet): ParsedSheet {
  return { headers: sheet.headers, rows: sheet.rows.map((r) => ({ row: r.row, cells: r.cells.map(unescapeCsvCell) })) };
}
