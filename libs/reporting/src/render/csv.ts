import { stringify } from 'csv-stringify/sync';

/**
 * RFC 4180 CSV: header row, CRLF line ends, quotes where needed. Text cells that a spreadsheet
 * would run as a formula (=, +, -, @ …) get a leading apostrophe; numbers are left as they are.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const safe = (v: string | number | boolean | null | undefined) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  };
  return stringify([header, ...rows.map((r) => r.map(safe))], { record_delimiter: '\r\n' });
}
