import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { SheetFormat } from './reader/sheet-limits';

// Parsing lives in ./reader (streamed, within limits, in a worker: see reader/sheet-parser.ts).
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

export function writeCsv(columns: string[], rows: Record<string, string>[]): Buffer {
  return Buffer.from(stringify([columns, ...rows.map((r) => columns.map((c) => r[c] ?? ''))], { record_delimiter: '\r\n' }), 'utf8');
}

export async function writeXlsx(sheetName: string, columns: string[], rows: Record<string, string>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(columns);
  ws.getRow(1).font = { bold: true };
  // Every cell is written as text so that "0012" or "true" come back exactly as exported.
  for (const r of rows) ws.addRow(columns.map((c) => r[c] ?? ''));
  ws.columns.forEach((col) => { col.width = 22; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
