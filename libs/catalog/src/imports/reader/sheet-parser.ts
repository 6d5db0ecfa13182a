import { spawn } from 'node:child_process';
import { extname, join } from 'node:path';
import { ParsedSheet, SheetErrorData, sheetErrorFromData, SheetFormat, SheetLimitError, SheetLimits } from './sheet-limits';

/*
 * Every upload is parsed in a Node.js process of its own, with a heap limit and a time limit: the
 * readers already stop at the SheetLimits, and the process makes sure that even a blow-up nobody
 * foresaw costs one parser (answered 413 / 422), never the server, and that the event loop keeps
 * serving other requests while a large file is read.
 *
 * A process rather than a worker thread because V8's heap flags are process-wide: the server runs
 * with --max-old-space-size (HEAP_LIMIT_MB, scripts/server-flags.js), and that flag overrides a
 * worker thread's own resourceLimits, so a thread asked for 16 MB could grow to the server's whole
 * limit. A child process gets its own --max-old-space-size, which nothing overrides, and starts
 * with an empty environment so that NODE_OPTIONS cannot either.
 */

export interface ParseOptions {
  limits: SheetLimits;
  /** The parser's heap limit (IMPORT_PARSE_MEMORY_MB). */
  memoryMb: number;
  /** How long the parser may take (IMPORT_PARSE_TIMEOUT_SECONDS). */
  timeoutMs: number;
}

export interface ParseJob {
  format: SheetFormat;
  data: Uint8Array;
  limits: SheetLimits;
}

/** The parser's replies: its rows in parts (`rows`: a JSON array of up to ROWS_PER_MESSAGE), then one of the others. */
export type ParseReply =
  { rows: string } | { ok: true; json: string } | { ok: false; error: SheetErrorData } | { ok: false; unexpected: string };

/** Rows per message from the parser: about 0.5 MB of JSON for a tools file. */
export const ROWS_PER_MESSAGE = 1000;

export class SheetParseCrash extends Error {
  constructor(readonly detail: string) {
    super('The file could not be read');
    this.name = 'SheetParseCrash';
  }
}

const ENTRY = join(__dirname, `sheet-parser.child${extname(__filename)}`);

/*
 * Under Jest the sources are TypeScript and node cannot load them as they are: this bootstrap
 * compiles them with SWC (which Jest already uses) as they are required. The build runs the .js.
 */
const TS_BOOTSTRAP = `
const fs = require('node:fs');
const [swc, entry] = process.argv.slice(-2);
const { transformSync } = require(swc);
require.extensions['.ts'] = (module, filename) => module._compile(transformSync(fs.readFileSync(filename, 'utf8'), {
  filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
}).code, filename);
require(entry);
`;

/** What V8 prints when a heap limit is reached; the process then aborts. */
const OUT_OF_HEAP = /heap out of memory|Reached heap limit/i;
/** The last bytes of the parser's stderr kept for the answer (an out-of-heap report is long). */
const STDERR_KEEP = 4096;

export function parseInSubprocess(buf: Buffer, format: SheetFormat, opts: ParseOptions): Promise<ParsedSheet> {
  const flags = [
    `--max-old-space-size=${opts.memoryMb}`,
    `--max-semi-space-size=${Math.min(16, Math.max(1, Math.floor(opts.memoryMb / 16)))}`,
  ];
  const args = ENTRY.endsWith('.ts') ? [...flags, '-e', TS_BOOTSTRAP, '--', require.resolve('@swc/core'), ENTRY] : [...flags, ENTRY];
  const child = spawn(process.execPath, args, { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-STDERR_KEEP)));

  return new Promise<ParsedSheet>((resolve, reject) => {
    // The first of: its reply, its time running out, its exit. The promise settles on 'close' only,
    // once the process is gone: until then it holds its memory, so a parse counts against
    // IMPORT_PARSE_CONCURRENCY up to that point. A parser that replied exits by itself; the timer
    // stays armed so one that does not is killed all the same.
    let outcome: (() => void) | null = null;
    const decide = (fn: () => void) => (outcome ??= fn);
    const timer = setTimeout(() => {
      const seconds = Math.round(opts.timeoutMs / 1000);
      decide(() => reject(new SheetLimitError('time', seconds, `The file could not be read within ${seconds} seconds`)));
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    const rows: ParsedSheet['rows'] = [];
    child.on('message', (reply: ParseReply) => {
      if ('rows' in reply) {
        if (!outcome) for (const row of JSON.parse(reply.rows) as ParsedSheet['rows']) rows.push(row);
        return;
      }
      decide(() => {
        if (reply.ok) resolve({ headers: (JSON.parse(reply.json) as ParsedSheet).headers, rows });
        else if ('error' in reply) reject(sheetErrorFromData(reply.error));
        else reject(new SheetParseCrash(reply.unexpected));
      });
    });
    child.on('error', (err) => {
      decide(() => reject(new SheetParseCrash(err.message)));
      // a process that never started has nothing to close
      if (child.pid === undefined) {
        clearTimeout(timer);
        outcome!();
      } else child.kill('SIGKILL');
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      decide(() =>
        reject(
          OUT_OF_HEAP.test(stderr)
            ? new SheetLimitError('memory', opts.memoryMb, `Reading the file needs more than ${opts.memoryMb} MB of memory`)
            : new SheetParseCrash(`the parser stopped (${signal ?? `exit code ${code}`}) ${stderr.trim().slice(-300)}`.trim()),
        ),
      );
      // once the handle of the exited process is released too (in the close phase of this turn of the loop)
      setTimeout(outcome!, 0);
    });
    const job: ParseJob = { format, data: buf, limits: opts.limits };
    child.send(job, (err) => {
      if (!err) return;
      decide(() => reject(new SheetParseCrash(err.message)));
      child.kill('SIGKILL');
    });
  });
}
