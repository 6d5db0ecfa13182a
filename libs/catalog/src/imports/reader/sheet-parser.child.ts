import { readCsv } from './csv-reader';
import { ROWS_PER_MESSAGE, type ParseJob, type ParseReply } from './sheet-parser';
import { sheetErrorToData } from './sheet-limits';
import { readXlsx } from './xlsx-reader';

/* Parses one uploaded file in a process of its own (see sheet-parser.ts), replies with the sheet or the reason it was refused, and exits. */

async function parse(job: ParseJob): Promise<ParseReply> {
  const buf = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
  try {
    const sheet = job.format === 'csv' ? await readCsv(buf, job.limits) : await readXlsx(buf, job.limits);
    // As JSON strings: the server parses them in a fraction of the time a structured clone of 50,000
    // rows of strings takes to deserialize. The rows go first, ROWS_PER_MESSAGE at a time: one message
    // of a 50,000-row sheet is 25 MB that the server receives in 64 KB reads held until it is whole,
    // and its allocator keeps the space.
    for (let at = 0; at < sheet.rows.length; at += ROWS_PER_MESSAGE) {
      process.send!({ rows: JSON.stringify(sheet.rows.slice(at, at + ROWS_PER_MESSAGE)) } satisfies ParseReply);
    }
    return { ok: true, json: JSON.stringify({ headers: sheet.headers, rows: [] }) };
  } catch (err) {
    const error = sheetErrorToData(err);
    return error ? { ok: false, error } : { ok: false, unexpected: String((err as Error)?.message ?? err).slice(0, 500) };
  }
}

process.once('message', (job: ParseJob) => {
  void parse(job).then((reply) => process.send!(reply, () => process.exit(0)));
});
// The server went away (or gave up on this parse): nothing left to do.
process.once('disconnect', () => process.exit(0));
