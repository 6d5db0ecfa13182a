#!/usr/bin/env node
// `npm run migration:run` / `npm run migration:revert` against DB_URL (default: the embedded SQLite file).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { buildIfStale, root } = require('./build-if-stale');

buildIfStale();
const run = spawnSync(process.execPath, [path.join(root, 'dist/apps/api/apps/api/src/migrate.js'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
