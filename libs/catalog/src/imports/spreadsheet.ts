import ExcelJS from 'exceljs';
import { recordsToCsv, unescapeCsvCell } from '@stackgate/platform';
import type { ParsedSheet, SheetFormat } from './reader/sheet-limits';

// Parsing lives in ./reader (streamed, within limits, in a process of its own: see reader/sheet-parser.ts).
export type { ParsedSheet, SheetFormat, SheetLimits } from './reader/sheet-limits';
export { SheetFormatError, SheetLimitError, SheetTooLargeError } from './reader/sheet-limits';

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
  for (const row of rows) ws.addRow(columns.map((c) => String(row[c] ?? '')));
  ws.columns.forEach((col) => {
    col.width = 22;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A parsed CSV file written by writeCsv gives back its values: the apostrophe of an escaped cell is removed. */
export function unescapeCsvSheet(sheet: ParsedSheet): ParsedSheet {
  return { headers: sheet.headers, rows: sheet.rows.map((r) => ({ row: r.row, cells: r.cells.map(unescapeCsvCell) })) };
}
