// The Node.js flags the server process runs with (`npm start`, `npm run start:prod`, `npm run bench`).
//
// HEAP_LIMIT_MB (default 1024) is V8's old-space limit. Besides bounding the heap, the limit sets
// how lazily V8 collects: V8 lets the heap grow by up to 4 × the live data between full
// collections when the limit is 2 GB or more (the default on a machine with gigabytes of RAM), and
// by 1.3 × (256 MB) to 2 × (just under 2 GB) below that: about 1.6 × at 1 GB (64-bit Node). On the
// benchmark's read load at 10,000 tools that is 403 MB peak RSS without a limit and 263 MB with
// 1024 (docs/PERFORMANCE.md); a 50,000-row import fits in it. 0 = Node's own default.
//
// V8 also sizes the young generation from the limit: a semi-space of limit ÷ 128, at most 16 MB,
// so 8 MB at 1 GB instead of the 16 MB it picks with Node's default heap. The smaller nursery
// collects twice as often and promotes more short-lived objects; a 10,000-row import took 5.2–5.9 s
// with it and 5.3–5.4 s with 16 MB, at no extra peak RSS. So a set limit comes with a 16 MB
// semi-space (the same as without a limit).
'use strict';

const DEFAULT_HEAP_LIMIT_MB = 1024;
const SEMI_SPACE_MB = 16;

/** The flags for `node` before the entry file; throws on an invalid HEAP_LIMIT_MB. */
function serverExecArgv(env = process.env) {
  const raw = (env.HEAP_LIMIT_MB ?? '').trim();
  const mb = raw === '' ? DEFAULT_HEAP_LIMIT_MB : Number(raw);
  if (!Number.isInteger(mb) || (mb !== 0 && (mb < 256 || mb > 65536))) {
    throw new Error(`HEAP_LIMIT_MB must be 0 (Node's default) or a whole number of megabytes from 256 to 65536, not "${raw}"`);
  }
  return mb === 0 ? [] : [`--max-old-space-size=${mb}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}

module.exports = { serverExecArgv, DEFAULT_HEAP_LIMIT_MB };
