#!/usr/bin/env node
// `npm test`: lint (ESLint), formatting (Prettier) and the type check first, then unit + end-to-end tests on SQLite, the database-backed suites
// again on MariaDB (a throwaway server, or TEST_MYSQL_URL), the Galera suites on a throwaway 3-node cluster (when
// galera-4 is installed), the browser tests in Chromium (when installed) on both, and the build and the
// unit + end-to-end tests on SQLite once more on the current Node.js LTS (24; scripts/node-lts-pass.js).
// Exits non-zero when anything fails (lint included), and in CI when the MariaDB, Galera or Node.js LTS
// pass could not run. TEST_NODE_LTS=false skips the LTS pass locally.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startMariadb, mariadbAvailable, which } = require('./mariadb-throwaway');
const nodeLts = require('./node-lts-pass');
const { startGalera, galeraMissing } = require('./galera-throwaway');

/** The e2e suites that matter for data, run again against node 1 of the Galera cluster. */
const GALERA_E2E = [
  'test/e2e/catalog.e2e-spec.ts',
  'test/e2e/workflow.e2e-spec.ts',
  'test/e2e/finance.e2e-spec.ts',
  'test/e2e/imports.e2e-spec.ts',
];

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

function jest(label, projects, env, { workers = ['--maxWorkers=2'], paths = [] } = {}) {
  // A filtered run (npm test -- --testPathPatterns x) may leave a pass without tests; that is not a failure.
  const filtered = extra.length || paths.length;
  const args = [jestBin, '--selectProjects', ...projects, ...workers, ...(filtered ? ['--passWithNoTests'] : []), ...extra, ...paths];
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

  // The Galera pass: a 3-node cluster on 127.0.0.1 (scripts/galera-throwaway.js) for the galera suites (in band:
  // they kill and restart its nodes) and the data suites against node 1.
  let galeraRan = false;
  const galeraProblem = galeraMissing();
  if (!galeraProblem) {
    const started = Date.now();
    // A cluster that does not come up fails the run (its nodes' error logs are in the message), not the passes after it.
    const cluster = await startGalera({ log: (m) => process.stdout.write(`[galera] ${m}\n`) }).catch((err) => {
      process.stdout.write(`\n[galera] the cluster did not start: ${err.message}\n`);
      results.push({ label: 'Galera cluster start', ok: false });
      return null;
    });
    if (cluster) {
      try {
        const env = { TEST_GALERA_DIR: cluster.dir, TEST_DB_ENGINE: 'mariadb', TEST_MYSQL_URL: cluster.url(1), TEST_MARIADB_SOCKET: '' };
        jest('Galera: cluster, failover, races, node loss', ['galera'], env, { workers: ['--runInBand'] });
        jest('Galera: data suites against node 1', ['e2e'], env, { paths: GALERA_E2E });
        galeraRan = true;
      } finally {
        await cluster.stop();
        process.stdout.write(`[galera] pass took ${Math.round((Date.now() - started) / 1000)} s\n`);
      }
    }
  } else {
    process.stdout.write(`\n[galera] ${galeraProblem}: the Galera pass is skipped\n`);
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
  if (ci && !galeraRan) results.push({ label: `Galera pass (skipped in CI: ${galeraProblem ?? 'the cluster did not start'})`, ok: false });
  process.stdout.write('\n=== summary ===\n');
  for (const result of results) process.stdout.write(`${result.ok ? 'PASS' : 'FAIL'}  ${result.label}\n`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}

main().catch((err) => {
  process.stderr.write(`test runner failed: ${err.stack || err}\n`);
  process.exit(1);
});
