import { parse } from 'csv-parse/sync';
import { ParsedSheet, SheetCollector, SheetFormatError, SheetLimitError, SheetLimits } from './sheet-limits';

/** Characters one CSV record may have (csv-parse's max_record_size): far above any real row, far below the upload limit. */
export const MAX_RECORD_CHARS = 1024 * 1024;

/**
 * Reads a CSV file record by record within SheetLimits: csv-parse hands each record to on_record,
 * which keeps it (or not) and throws at the first limit, so no list of raw records is ever built
 * and a record wider than IMPORT_MAX_COLUMNS, longer than MAX_RECORD_CHARS, or past
 * IMPORT_MAX_ROWS / IMPORT_MAX_CELLS stops the parse there. (The whole upload is in memory
 * already; csv-parse's stream API gave the same result, only slower.) Rows are numbered
 * by record (the header is row 1); blank rows are counted but not kept, as the import always did.
 */
export async function readCsv(buf: Buffer, limits: SheetLimits): Promise<ParsedSheet> {
  const sheet = new SheetCollector(limits);
  let rowNumber = 0;
  try {
    parse(buf, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: MAX_RECORD_CHARS,
      on_record: (record: string[]) => {
        sheet.add(++rowNumber, record);
        return null;
      },
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') {
      throw new SheetLimitError('recordLength', MAX_RECORD_CHARS, `A row of the CSV file is longer than ${MAX_RECORD_CHARS} characters`);
    }
    if (err instanceof Error && !(err as { code?: string }).code?.startsWith('CSV_')) throw err;
    throw new SheetFormatError(`The CSV file could not be read: ${(err as Error).message}`);
  }
  if (!sheet.headers) throw new SheetFormatError('The file is empty: the first row must name the columns');
  return { headers: sheet.headers.map((h) => h.trim()), rows: sheet.rows };
}
