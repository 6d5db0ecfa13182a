import { stringify } from 'csv-stringify/sync';

/*
 * The product's one CSV writer (exports, report downloads, web CSV links): RFC 4180, header row,
 * CRLF line ends, quotes where needed, UTF-8 — and safe to open in a spreadsheet.
 *
 * CSV injection (OWASP "CSV Injection"): a cell that begins with = + - @ tab or CR is run as a
 * formula by Excel, LibreOffice and Google Sheets (=HYPERLINK(...) leaks data, =cmd|... runs code).
 * Such a cell is written with a leading apostrophe, which spreadsheets show as text. Two exceptions:
 *  - a plain number ("-5.00", "-12") is data, not a formula: written as it is so that it stays a number;
 *  - a cell that already begins with apostrophes followed by one of those characters gets one more,
 *    so that unescapeCsvCell() is its exact inverse and export → import gives back every value.
 */

export type CsvCell = string | number | bigint | boolean | null | undefined;

/** Apostrophes, then a character that makes a spreadsheet evaluate the cell. */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** What escapeCsvCell produced: one apostrophe added in front of FORMULA_START. */
const ESCAPED = /^'+[=+\-@\t\r]/;

/** A cell's text as written to a CSV file (before quoting). */
export function escapeCsvCell(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** The value a cell of a file written by escapeCsvCell stood for (the apostrophe it added removed). */
export function unescapeCsvCell(text: string): string {
  return ESCAPED.test(text) ? text.slice(1) : text;
}

/** A whole CSV document: the header, then one line per row (cells escaped). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return stringify([header.map(escapeCsvCell), ...rows.map((r) => r.map(escapeCsvCell))], { record_delimiter: '\r\n' });
}

/** Rows keyed by column name, written in the order of `columns` (a missing key is an empty cell). */
export function recordsToCsv(columns: readonly string[], rows: readonly Record<string, CsvCell>[]): string {
  return toCsv(
    columns,
    rows.map((r) => columns.map((c) => r[c])),
  );
}
