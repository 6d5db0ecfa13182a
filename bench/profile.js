#!/usr/bin/env node
// `node bench/profile.js [--path /api/v1/tools?pageSize=50] [--amount 3000] [--connections 10] [--db mariadb://…/db] [--out /tmp/x.cpuprofile]`
// CPU profile of the built app under load: starts it with `node --cpu-prof` (and bench/cpu-prof-preload.js,
// so SIGTERM ends it normally and V8 writes the profile), signs in as cmo1, runs 300 warm-up requests
// and `amount` measured ones through bench/load.js, stops the app by PID and prints self time by
// function and by package (the warm-up is in the profile too). `--summarise <file>` only prints.
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { freePort } = require('../scripts/mariadb-throwaway');
const lib = require('./lib');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function summarise(file, top = 40) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  const counts = new Map();
  prof.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
  let total = 0;
  for (const [id, us] of counts) {
    const node = byId.get(id);
    const cf = node.callFrame;
    const where = cf.url
      ? cf.url
          .replace(/^file:\/\//, '')
          .replace(/.*node_modules\//, 'nm/')
          .replace(/.*\/dist\/apps\/api\//, '')
      : '';
    const key = `${cf.functionName || '(anon)'} ${where}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  const byPkg = new Map();
  for (const [frame, us] of self) {
    const match = /nm\/((@[^/]+\/)?[^/]+)/.exec(frame);
    const pkg = match
      ? match[1]
      : /^\((idle|program|garbage collector)\)/.test(frame)
        ? frame.split(' ')[0]
        : / (libs|apps)\//.test(frame)
          ? 'app code'
          : 'node internals/other';
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
  }
  const pctOf = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  process.stdout.write(`\nself time by package (${(total / 1e6).toFixed(1)} s sampled):\n`);
  for (const [pkg, us] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 20)) process.stdout.write(`  ${pctOf(us)}  ${pkg}\n`);
  process.stdout.write(`\nself time by function (top ${top}):\n`);
  for (const [frame, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`  ${pctOf(us)}  ${frame}\n`);
}

async function main() {
  const args = lib.parseArgs(process.argv.slice(2));
  if (args.summarise) {
    summarise(args.summarise, Number(args.top ?? 40));
    return;
  }
  const state = lib.readState();
  const dbUrl = typeof args.db === 'string' ? args.db : state?.dbUrl;
  const out = typeof args.out === 'string' ? args.out : '/tmp/stackgate-bench/app.cpuprofile';
  const reqPath = typeof args.path === 'string' ? args.path : '/api/v1/tools?pageSize=50';
  const port = await freePort();
  fs.mkdirSync('/tmp/stackgate-bench', { recursive: true });
  const log = fs.openSync('/tmp/stackgate-bench/profile-app.log', 'w');
  const app = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${path.dirname(out)}`,
      `--cpu-prof-name=${path.basename(out)}`,
      '-r',
      path.join(__dirname, 'cpu-prof-preload.js'),
      path.join(lib.root, 'dist/apps/api/apps/api/src/main.js'),
    ],
    {
      cwd: lib.root,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        JWT_SECRET: crypto.randomBytes(48).toString('base64'),
        JOBS_ENABLED: 'false',
        PORT: String(port),
        HOST: '127.0.0.1',
        DB_URL: dbUrl,
        SEED_DEMO: 'false',
        DB_POOL_SIZE: '10',
        LOGIN_MAX_FAILURES_PER_IP: '10000',
      },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        /* not yet */
      }
      if (i > 400) throw new Error('app not healthy');
      await sleep(250);
    }
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: args.email ?? 'cmo1@bench.stackgate.local', password: lib.BENCH_PASSWORD }),
    });
    const token = (await login.json()).accessToken;
    const paths = [reqPath];
    const run = (amount) =>
      new Promise((resolve) => {
        const child = spawn(
          process.execPath,
          [
            path.join(__dirname, 'load.js'),
            JSON.stringify({ base, paths, token, connections: Number(args.connections ?? 10), amount, duration: 600 }),
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.on('exit', () => resolve(JSON.parse(out.trim().split('\n').pop())));
      });
    await run(300); // warm-up, not in the figures
    const res = await run(Number(args.amount ?? 3000));
    process.stdout.write(`${reqPath}: ${JSON.stringify(res)}\n`);
  } finally {
    process.kill(app.pid, 'SIGTERM');
  }
  for (let i = 0; i < 200 && app.exitCode === null && app.signalCode === null; i++) await sleep(100);
  summarise(out, Number(args.top ?? 40));
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
