// The Node.js flags the server process runs with (`npm start`, `npm run start:prod`, `npm run bench`).
//
// HEAP_LIMIT_MB (default 384) is V8's old-space limit. Besides bounding the heap, the limit sets
// how lazily V8 collects: V8 lets the heap grow by up to 4 × the live data between full
// collections when the limit is 2 GB or more (the default on a machine with gigabytes of RAM), and
// by 1.3 × (256 MB) to 2 × (just under 2 GB) below that: about 1.35 × at 384 MB (64-bit Node). On the
// benchmark's read load at 10,000 tools that is 403 MB peak RSS without a limit and 263 MB with
// 1024 (docs/PERFORMANCE.md); a 50,000-row import fits even in 256 MB. 0 = Node's own default.
//
// V8 also sizes the young generation from the limit: a semi-space of limit ÷ 128, at most 16 MB,
// so 3 MB at 384 MB. A set limit comes with an 8 MB semi-space: 16 MB made 10,000-row imports about
// 8 % faster, but its two semi-spaces alone are 32 MB of resident memory, and under the stack map's
// load at scale 10 the high-water mark was 277 MB with 1 GB and 16 MB, 260 MB with 1 GB and 8 MB, and
// 240 MB with 512 MB and 8 MB; under the whole read load 312 MB with 512 MB and 295 MB with 384 MB, at
// the same throughput (docs/PERFORMANCE.md, "Scale 10 measured (fourth pass)").
//
// serverEnv: the environment the server process runs with. Besides V8's heap, a Node.js process holds
// Buffers (answers, database packets, the import parser's messages) in glibc's malloc, which raises its
// mmap threshold each time it frees a large block (up to 32 MB): later large Buffers then come from its heap,
// which returns memory to the system only from its top, so the process keeps the space of its largest burst.
// MALLOC_MMAP_THRESHOLD_=131072 pins the threshold at glibc's own default, so every block of 128 KB or more
// is mapped and unmapped on its own. At scale 10, reads then a 50,000-row import: VmHWM 337 → 283 MB, malloc's
// heap 65 → 28 MB, the same answers per second (docs/PERFORMANCE.md, seventh pass). A value in the
// environment is kept; other C libraries ignore the variable.
'use strict';

const DEFAULT_HEAP_LIMIT_MB = 384;
const MALLOC_MMAP_THRESHOLD = '131072';
const SEMI_SPACE_MB = 8;

/** The flags for `node` before the entry file; throws on an invalid HEAP_LIMIT_MB. */
function serverExecArgv(env = process.env) {
  const raw = (env.HEAP_LIMIT_MB ?? '').trim();
  const mb = raw === '' ? DEFAULT_HEAP_LIMIT_MB : Number(raw);
  if (!Number.isInteger(mb) || (mb !== 0 && (mb < 256 || mb > 65536))) {
    throw new Error(`HEAP_LIMIT_MB must be 0 (Node's default) or a whole number of megabytes from 256 to 65536, not "${raw}"`);
  }
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}

/** The server process's environment: `env` with glibc's mmap threshold pinned unless `env` sets it. */
function serverEnv(env = process.env) {
  return { ...env, MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? MALLOC_MMAP_THRESHOLD };
}

module.exports = { serverExecArgv, serverEnv, DEFAULT_HEAP_LIMIT_MB };
