import { parentPort, workerData } from 'node:worker_threads';
import { readCsv } from './csv-reader';
import { SheetFormat, SheetLimits, sheetErrorToData } from './sheet-limits';
import { readXlsx } from './xlsx-reader';

/* Parses one uploaded file off the main thread (see sheet-parser.ts) and posts the sheet or the reason it was refused. */

interface Job {
  format: SheetFormat;
  data: Uint8Array;
  limits: SheetLimits;
}

async function main(job: Job): Promise<void> {
  const buf = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
  try {
    const sheet = job.format === 'csv' ? await readCsv(buf, job.limits) : await readXlsx(buf, job.limits);
    // As JSON in a transferred buffer: the main thread parses it in a fraction of the time a
    // structured clone of 50,000 rows of strings takes to deserialize there.
    const bytes = new TextEncoder().encode(JSON.stringify(sheet));
    parentPort!.postMessage({ ok: true, json: bytes }, [bytes.buffer]);
  } catch (err) {
    const error = sheetErrorToData(err);
    parentPort!.postMessage(error ? { ok: false, error } : { ok: false, unexpected: String((err as Error)?.message ?? err).slice(0, 500) });
  }
}

void main(workerData as Job);
