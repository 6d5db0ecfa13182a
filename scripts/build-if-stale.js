// Builds the app (nest build) when dist is missing or older than any source file.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist/apps/api/apps/api/src/main.js');

function newestSource(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (/\.(ts|hbs|css|svg|js|json)$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  const sources = Math.max(...['apps', 'libs', 'migrations'].map((d) => newestSource(path.join(root, d))), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  if (built && built >= sources) return entry;
  process.stdout.write('Building Stackgate…\n');
  const build = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build', 'api'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  return entry;
}

module.exports = { buildIfStale, entry, root };
if (require.main === module) buildIfStale();
