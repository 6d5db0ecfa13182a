import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ParsedSheet, SheetErrorData, sheetErrorFromData, SheetFormat, SheetLimitError, SheetLimits } from './sheet-limits';

/*
 * Every upload is parsed in a worker thread of its own, with a heap limit and a time limit: the
 * readers already stop at the SheetLimits, and the worker makes sure that even a blow-up nobody
 * foresaw costs one worker (answered 413 / 422), never the server, and that the event loop keeps
 * serving other requests while a large file is read.
 */

export interface ParseOptions {
  limits: SheetLimits;
  /** The worker's heap limit (IMPORT_PARSE_MEMORY_MB). */
  memoryMb: number;
  /** How long the worker may take (IMPORT_PARSE_TIMEOUT_SECONDS). */
  timeoutMs: number;
}

type Reply = { ok: true; json: Uint8Array } | { ok: false; error: SheetErrorData } | { ok: false; unexpected: string };

export class SheetParseCrash extends Error {
  constructor(readonly detail: string) {
    super('The file could not be read');
    this.name = 'SheetParseCrash';
  }
}

const WORKER = join(__dirname, `sheet-parser.worker${extname(__filename)}`);

/*
 * Under Jest the sources are TypeScript and a worker cannot load them as they are: this bootstrap
 * compiles them with SWC (which Jest already uses) as they are required. The build runs the .js.
 */
const TS_BOOTSTRAP = `
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const { transformSync } = require(workerData.swc);
require.extensions['.ts'] = (module, filename) => module._compile(transformSync(fs.readFileSync(filename, 'utf8'), {
  filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
}).code, filename);
require(workerData.entry);
`;

export function parseInWorker(buf: Buffer, format: SheetFormat, opts: ParseOptions): Promise<ParsedSheet> {
  const job = { format, data: buf, limits: opts.limits, entry: WORKER };
  const resourceLimits = {
    maxOldGenerationSizeMb: opts.memoryMb,
    maxYoungGenerationSizeMb: Math.min(16, Math.max(1, Math.floor(opts.memoryMb / 8))),
  };
  const worker = WORKER.endsWith('.ts')
    ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: { ...job, swc: require.resolve('@swc/core') }, resourceLimits })
    : new Worker(WORKER, { workerData: job, resourceLimits });
  return new Promise<ParsedSheet>((resolve, reject) => {
    let settled = false;
    // Answers once the worker thread is gone, not when terminate() is merely asked for: until then
    // it still holds its heap, so a parse counts against IMPORT_PARSE_CONCURRENCY up to that point,
    // and nothing (a Jest worker, a shutdown) is left waiting on a thread still busy in native code.
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate().then(fn, fn);
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new SheetLimitError(
              'time',
              Math.round(opts.timeoutMs / 1000),
              `The file could not be read within ${Math.round(opts.timeoutMs / 1000)} seconds`,
            ),
          ),
        ),
      opts.timeoutMs,
    );
    worker.on('message', (reply: Reply) =>
      settle(() => {
        if (reply.ok)
          resolve(JSON.parse(Buffer.from(reply.json.buffer, reply.json.byteOffset, reply.json.byteLength).toString('utf8')) as ParsedSheet);
        else if ('error' in reply) reject(sheetErrorFromData(reply.error));
        else reject(new SheetParseCrash(reply.unexpected));
      }),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new SheetLimitError('memory', opts.memoryMb, `Reading the file needs more than ${opts.memoryMb} MB of memory`)
            : new SheetParseCrash(err.message),
        ),
      ),
    );
    worker.on('exit', (code) => settle(() => reject(new SheetParseCrash(`the parser stopped (exit code ${code})`))));
  });
}
