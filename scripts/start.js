#!/usr/bin/env node
// `npm start`: builds when needed, then runs Stackgate. With no DB_URL it uses the embedded SQLite
// database in ./data, migrates it and (on an empty database) loads the demo stack.
// `npm run start:prod` (`--no-build`): runs the build in dist as it is.
// The server runs with the flags and environment of scripts/server-flags.js (heap limit: HEAP_LIMIT_MB).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const { buildIfStale, entry, root } = require('./build-if-stale');
const { serverEnv, serverExecArgv } = require('./server-flags');

let execArgv;
try {
  execArgv = serverExecArgv();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
if (process.argv.includes('--no-build')) {
  if (!fs.existsSync(entry)) {
    process.stderr.write(`${entry} does not exist: run \`npm run build\` first (or \`npm start\`, which builds)\n`);
    process.exit(1);
  }
} else {
  buildIfStale();
}
const child = spawn(process.execPath, [...execArgv, entry], { cwd: root, stdio: 'inherit', env: serverEnv(process.env) });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
