// Builds a Nest project of nest-cli.json (nest build <project>) when its output is missing or older
// than any source file: `api` (the app, the default) or `bench` (the benchmark seeder, bench/*.ts).
// `node scripts/build-if-stale.js [project]` does it from the command line.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** Each project's entry file once built, and the directories of its sources. */
const PROJECTS = {
  api: { entry: path.join(root, 'dist/apps/api/apps/api/src/main.js'), sources: ['apps', 'libs', 'migrations'] },
  bench: { entry: path.join(root, 'dist/bench/bench/seed.js'), sources: ['apps', 'libs', 'migrations', 'bench'] },
};
const entry = PROJECTS.api.entry;

function newestSource(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const dirent of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, dirent.name);
    if (dirent.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (/\.(ts|hbs|css|svg|js|json)$/.test(dirent.name) && !dirent.name.endsWith('.spec.ts'))
      newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/** Builds `project` unless its output is newer than every source; answers its entry file. */
function buildIfStale(project = 'api') {
  const target = PROJECTS[project];
  if (!target) throw new Error(`unknown project ${project} (${Object.keys(PROJECTS).join(', ')})`);
  const built = fs.existsSync(target.entry) ? fs.statSync(target.entry).mtimeMs : 0;
  const configs = ['package.json', 'nest-cli.json', 'tsconfig.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs);
  const sources = Math.max(...target.sources.map((d) => newestSource(path.join(root, d))), ...configs);
  if (built && built >= sources) return target.entry;
  process.stdout.write(project === 'api' ? 'Building Stackgate…\n' : `Building ${project}…\n`);
  const build = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build', project], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  return target.entry;
}

module.exports = { buildIfStale, entry, root };
if (require.main === module) buildIfStale(process.argv[2]);
