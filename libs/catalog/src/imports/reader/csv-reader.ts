import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ParsedSheet, SheetCollector, SheetFormatError, SheetLimitError, SheetLimits } from './sheet-limits';

/** Characters one CSV record may have (csv-parse's max_record_size): far above any real row, far below the upload limit. */
export const MAX_RECORD_CHARS = 1024 * 1024;
const CHUNK = 64 * 1024;

function* chunks(buf: Buffer): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += CHUNK) yield buf.subarray(i, i + CHUNK);
}

/**
 * Reads a CSV file as a stream of records within SheetLimits: a record wider than
 * IMPORT_MAX_COLUMNS, longer than MAX_RECORD_CHARS, or past IMPORT_MAX_ROWS / IMPORT_MAX_CELLS
 * stops the parse there. Rows are numbered by record (the header is row 1), blank rows are
 * counted but not kept, as the import has always done.
 */
export async function readCsv(buf: Buffer, limits: SheetLimits): Promise<ParsedSheet> {
  const parser = Readable.from(chunks(buf)).pipe(parse({
    bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, max_record_size: MAX_RECORD_CHARS,
  }));
  const sheet = new SheetCollector(limits);
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n++;
      sheet.add(n, record);
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'CSV_MAX_RECORD_SIZE') {
      throw new SheetLimitError('recordLength', MAX_RECORD_CHARS, `A row of the CSV file is longer than ${MAX_RECORD_CHARS} characters`);
    }
    if (err instanceof Error && !(err as { code?: string }).code?.startsWith('CSV_')) throw err;
    throw new SheetFormatError(`The CSV file could not be read: ${(err as Error).message}`);
  } finally {
    parser.destroy();
  }
  if (!sheet.headers) throw new SheetFormatError('The file is empty: the first row must name the columns');
  return { headers: sheet.headers.map((h) => h.trim()), rows: sheet.rows };
}
