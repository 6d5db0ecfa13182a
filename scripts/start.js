#!/usr/bin/env node
// `npm start`: builds when needed, then runs Stackgate. With no DB_URL it uses the embedded SQLite
// database in ./data, migrates it and (on an empty database) loads the demo stack.
'use strict';
const { spawn } = require('node:child_process');
const { buildIfStale, root } = require('./build-if-stale');

const entry = buildIfStale();
const child = spawn(process.execPath, [entry], { cwd: root, stdio: 'inherit', env: process.env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
