import { CsvCell, toCsv as platformCsv } from '@stackgate/platform';

/**
 * RFC 4180 CSV of a report: the product's one CSV writer (platform csv), which gives text cells that
 * a spreadsheet would run as a formula (=, +, -, @ …) a leading apostrophe and leaves numbers as they are.
 */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  return platformCsv(header, rows);
}
