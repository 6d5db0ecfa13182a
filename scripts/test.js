#!/usr/bin/env node
// `npm test`: lint (ESLint), formatting (Prettier) and the type check first, then unit + end-to-end tests on SQLite, the database-backed suites
// again on MariaDB (a throwaway server, or TEST_MYSQL_URL), the browser tests in Chromium (when
// installed) on both, and the build and the unit + end-to-end tests on SQLite once more on the current
// Node.js LTS (24; scripts/node-lts-pass.js). Exits non-zero when anything fails (lint included), and in
// CI when the MariaDB or the Node.js LTS pass could not run. TEST_NODE_LTS=false skips the LTS pass locally.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startMariadb, mariadbAvailable, which } = require('./mariadb-throwaway');
const nodeLts = require('./node-lts-pass');

const root = path.resolve(__dirname, '..');
const jestBin = require.resolve('jest/bin/jest');
const extra = process.argv.slice(2);
const ci = process.env.CI === 'true' || process.env.CI === '1';
const results = [];

/** Runs a package script (`npm run <script>`) as one step of the run. */
function npmScript(label, script) {
  process.stdout.write(`\n=== ${label} ===\n`);
  const run = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  results.push({ label, ok: run.status === 0 });
  return run.status === 0;
}

function jest(label, projects, env) {
  // A filtered run (npm test -- --testPathPatterns x) may leave a pass without tests; that is not a failure.
  const args = [jestBin, '--selectProjects', ...projects, '--maxWorkers=2', ...(extra.length ? ['--passWithNoTests'] : []), ...extra];
  process.stdout.write(`\n=== ${label} ===\n`);
  const run = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  results.push({ label, ok: run.status === 0 });
  return run.status === 0;
}

/** The build and the unit + end-to-end tests on SQLite again, on the Node.js LTS (an install of its own). */
function runtimePass() {
  const major = Number(process.env.NODE_LTS_MAJOR || 24);
  const label = `build + unit + end-to-end on SQLite, Node.js ${major}`;
  const log = (message) => process.stdout.write(`[node ${major}] ${message}\n`);
  process.stdout.write(`\n=== ${label} ===\n`);
  if (process.env.TEST_NODE_LTS === 'false') {
    log('skipped (TEST_NODE_LTS=false)');
    if (ci) results.push({ label: `${label} (skipped in CI)`, ok: false });
    return;
  }
  let prepared;
  try {
    prepared = nodeLts.prepare(major, log);
  } catch (err) {
    log(`could not install: ${err.message}`);
    results.push({ label, ok: false });
    return;
  }
  if (prepared.skipped) {
    log(`skipped: ${prepared.skipped}`);
    return;
  }
  const { node, project, env } = prepared;
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: project, stdio: 'inherit', env });
  const args = [path.join(project, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'unit', 'e2e', '--maxWorkers=2'];
  if (extra.length) args.push('--passWithNoTests', ...extra);
  const tests = spawnSync(node, args, { cwd: project, stdio: 'inherit', env: { ...env, TEST_DB_ENGINE: 'sqlite' } });
  results.push({ label, ok: build.status === 0 && tests.status === 0 });
}

function hasTests(dir, suffix) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return false;
  const walk = (d) =>
    fs.readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(suffix)));
  return walk(full);
}

async function main() {
  // Lint and formatting failures fail the run, but the tests still run, so one run reports everything.
  npmScript('lint (ESLint)', 'lint');
  npmScript('formatting (Prettier)', 'format:check');
  // The app as `npm start` builds it (its own tsconfig, without the tests' types), the tests and the bench.
  npmScript('typecheck (tsc: app build, tests, bench)', 'typecheck');

  const browserTests = hasTests('test/browser', '.browser-spec.ts');
  jest('unit + end-to-end on SQLite', ['unit', 'e2e'], { TEST_DB_ENGINE: 'sqlite' });

  let mariadbRan = false;
  if (process.env.TEST_MYSQL_URL) {
    jest('end-to-end on MySQL/MariaDB (TEST_MYSQL_URL)', ['e2e'], { TEST_DB_ENGINE: 'mariadb' });
    mariadbRan = true;
    if (browserTests && which('chromium')) jest('browser tests in Chromium on MySQL/MariaDB', ['browser'], { TEST_DB_ENGINE: 'mariadb' });
  } else if (mariadbAvailable()) {
    const server = await startMariadb({ log: (m) => process.stdout.write(`[mariadb] ${m}\n`) });
    try {
      const env = { TEST_DB_ENGINE: 'mariadb', TEST_MYSQL_URL: server.adminUrl, TEST_MARIADB_SOCKET: server.socket };
      jest('end-to-end on MariaDB', ['e2e'], env);
      mariadbRan = true;
      if (browserTests && which('chromium')) jest('browser tests in Chromium on MariaDB', ['browser'], env);
    } finally {
      server.stop();
    }
  } else {
    process.stdout.write('\n[mariadb] mariadbd is not installed: the MariaDB pass is skipped (apt-get install mariadb-server to run it)\n');
  }

  if (browserTests) {
    if (which('chromium')) jest('browser tests in Chromium on SQLite', ['browser'], { TEST_DB_ENGINE: 'sqlite' });
    else {
      process.stdout.write('\n[browser] chromium is not installed: browser tests skipped (apt-get install chromium)\n');
      if (ci) results.push({ label: 'browser tests (chromium missing in CI)', ok: false });
    }
  }

  runtimePass();

  if (ci && !mariadbRan) results.push({ label: 'MariaDB pass (skipped in CI)', ok: false });
  process.stdout.write('\n=== summary ===\n');
  for (const result of results) process.stdout.write(`${result.ok ? 'PASS' : 'FAIL'}  ${result.label}\n`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`test runner failed: ${err.stack || err}\n`);
  process.exit(1);
});
