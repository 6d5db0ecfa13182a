#!/usr/bin/env node
// `npm run bench [-- --duration 10] [--rounds 3] [--connections 10] [--quick] [--db mariadb://…/db] [--skip-import]
//   [--only tools,tool,queue,spendCategory,spendMonth,spendTool,spendVendor,stackMap] [--no-build] [--app-node-flags="…"]
//   [--db-pids 1,2,3]`
// Benchmarks the built app against a raw node:http + mysql2 baseline (bench/baseline.js) on the
// database seeded by `npm run bench:seed`. Each measurement is an autocannon run in a separate
// process (bench/load.js), alternating app and baseline, round after round; the median round counts.
'use strict';
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { buildIfStale } = require('../scripts/build-if-stale');
const { freePort } = require('../scripts/mariadb-throwaway');
const { serverEnv, serverExecArgv } = require('../scripts/server-flags');
const lib = require('./lib');

const { parseArgs, readState, root, BENCH_PASSWORD } = lib;
const OUT_DIR = lib.BENCH_DIR;
const log = (s = '') => process.stdout.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const count = sorted.length;
  return count % 2 ? sorted[(count - 1) / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
};
const pct = (xs, percentile) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((percentile / 100) * sorted.length))];
};

const children = [];
function startProcess(name, args, env) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const out = fs.openSync(path.join(OUT_DIR, `${name}.log`), 'w');
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  children.push(child);
  return child;
}
function stopAll() {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
}
process.on('exit', stopAll);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
])
  process.on(signal, () => {
    stopAll();
    process.exit(code);
  });

async function waitHealthy(url, child, ms = 90000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`${url} exited with ${child.exitCode}; see ${OUT_DIR}/*.log`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(250);
  }
  throw new Error(`${url} did not become healthy`);
}

function memOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number((new RegExp(`${k}:\\s+(\\d+) kB`).exec(status) || [])[1] || 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, hwmMb: 0 };
  }
}

/** CPU time (user + system) a process has used so far, in ms; null where /proc does not tell. */
const CLK_TCK = 100; // USER_HZ, 100 on Linux
function cpuMsOf(pid) {
  // Several processes (the nodes of a cluster on this machine): their CPU time added up.
  if (Array.isArray(pid)) {
    const times = pid.map(cpuMsOf);
    return times.includes(null) ? null : times.reduce((sum, ms) => sum + ms, 0);
  }
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/**
 * One autocannon run from a separate process; samples the app's RSS meanwhile. `cpu` names the
 * processes whose CPU time per answered request is added to the result (serverCpuMs, dbCpuMs): the
 * server measured and MariaDB. Unlike req/s, CPU per request hardly moves when something else loads
 * the machine, so it shows the server's own cost next to the throughput.
 */
function load(base, paths, token, connections, duration, appPid, rss, amount, cpu = {}) {
  return new Promise((resolve, reject) => {
    const before = { server: cpu.server && cpuMsOf(cpu.server), db: cpu.db && cpuMsOf(cpu.db) };
    const child = spawn(
      process.execPath,
      [path.join(__dirname, 'load.js'), JSON.stringify({ base, paths, token, connections, duration, amount })],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    const sampler = appPid ? setInterval(() => rss.push(memOf(appPid).rssMb), 250) : null;
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => {
      if (sampler) clearInterval(sampler);
      try {
        const result = JSON.parse(out.trim().split('\n').pop());
        if (result.error) throw new Error(result.error);
        const per = (pid, t0) => {
          const t1 = pid && t0 !== null ? cpuMsOf(pid) : null;
          return t1 === null || !result.total ? null : (t1 - t0) / result.total;
        };
        resolve({ ...result, serverCpuMs: per(cpu.server, before.server), dbCpuMs: per(cpu.db, before.db) });
      } catch (err) {
        reject(new Error(`load.js failed (${code}): ${out} ${err.message}`));
      }
    });
  });
}

async function getJson(url, token) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** A keep-alive node:http client (one socket per origin), lighter than fetch for latency samples. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function httpGet(url, token) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url} → ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

/**
 * Sequential latency (ms, p50 and p99) of each named operation, sampled `n` times in turn (app,
 * baseline, SQL, app, …, the order rotating each round), so that every figure sees the same moments
 * of a shared machine rather than one block each.
 */
async function interleaved(samples, ops) {
  const names = Object.keys(ops);
  const times = Object.fromEntries(names.map((k) => [k, []]));
  for (const name of names) await ops[name](); // one warm-up each
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      const t0 = process.hrtime.bigint();
      await ops[name]();
      times[name].push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return Object.fromEntries(names.map((k) => [k, { p50: pct(times[k], 50), p99: pct(times[k], 99), n: samples }]));
}

function dbConn(dbUrl) {
  return lib.connectMysql(dbUrl, { timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const quick = !!args.quick;
  const duration = Number(args.duration ?? (quick ? 3 : 10));
  const rounds = Number(args.rounds ?? (quick ? 1 : 3));
  const connections = Number(args.connections ?? 10);
  const state = readState();
  let dbUrl = typeof args.db === 'string' ? args.db : state?.dbUrl;
  // --socket [path]: the app, the baseline and the raw statements reach MariaDB over its Unix socket
  // (DB_URL …?socket=); without a path, the socket of the server the seeder started.
  const socket = args.socket === true ? state?.mariadb?.socket : args.socket;
  if (args.socket && !socket) throw new Error('--socket: name the socket path (no seeded throwaway server is recorded)');
  if (socket && dbUrl) dbUrl = `${dbUrl.split('?')[0]}?socket=${encodeURIComponent(socket)}`;
  if (!dbUrl || !/^(mysql|mariadb):\/\//.test(dbUrl))
    throw new Error('no seeded MariaDB: run `npm run bench:seed` first, or pass --db mariadb://user:pass@host:port/db');
  if (state?.mariadb?.pid && !args.db && !lib.pidAlive(state.mariadb.pid))
    throw new Error('the recorded benchmark MariaDB is not running; run `npm run bench:seed` again');
  const anchor = state?.anchor ?? new Date().toISOString().slice(0, 7);
  const shift = (ym, months) => {
    const [year, month] = ym.split('-').map(Number);
    const index = year * 12 + month - 1 + months;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  };
  // The reports cover the last 36 months at every scale (a scale-10 data set holds 120), so the figures compare.
  const firstMonth = shift(anchor, -35);
  if (!args['no-build']) buildIfStale(); // --no-build: measure dist as it is (e.g. the code before an edit)
  const started = new Date();
  const db = await dbConn(dbUrl);
  const [[counts]] = await db.query(
    'SELECT (SELECT COUNT(*) FROM tools) AS tools, (SELECT COUNT(*) FROM integrations) AS integrations, (SELECT ' +
      'COUNT(*) FROM contracts) AS contracts, (SELECT COUNT(*) FROM spend_entries) AS spend, (SELECT COUNT(*) ' +
      'FROM ledger_entries) AS ledger, (SELECT COUNT(*) FROM tool_requests) AS requests',
  );
  log(
    `Stackgate benchmark ${started.toISOString()} on ${require('node:os').cpus().length} cores, load average ${require('node:os')
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  log(`data: ${JSON.stringify(counts)}; ${rounds} round(s) × ${duration} s, ${connections} connections`);

  // Servers: the built app in production mode, and the raw baseline, both on free ports.
  const secret = crypto.randomBytes(48).toString('base64');
  const [appPort, basePort] = [await freePort(), await freePort()];
  // The app runs with the flags and environment `npm start` gives it (scripts/server-flags.js: the heap limit,
  // HEAP_LIMIT_MB). --app-node-flags="--max-old-space-size=512 …" adds V8 flags after them (experiments).
  const appFlags = [
    ...serverExecArgv(process.env),
    ...(typeof args['app-node-flags'] === 'string' ? args['app-node-flags'].split(/\s+/).filter(Boolean) : []),
  ];
  // Both with the launcher's allocator setting (serverEnv: glibc's mmap threshold), so that the ratios compare code.
  const { MALLOC_MMAP_THRESHOLD_ } = serverEnv(process.env);
  const app = startProcess('app', [...appFlags, path.join(root, 'dist/apps/api/apps/api/src/main.js')], {
    MALLOC_MMAP_THRESHOLD_,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: secret,
    JOBS_ENABLED: 'false',
    PORT: String(appPort),
    HOST: '127.0.0.1',
    DB_URL: dbUrl,
    SEED_DEMO: 'false',
    DB_POOL_SIZE: '10',
    LOGIN_MAX_FAILURES_PER_IP: '10000',
  });
  const baseline = startProcess('baseline', [path.join(__dirname, 'baseline.js')], {
    MALLOC_MMAP_THRESHOLD_,
    JWT_SECRET: secret,
    PORT: String(basePort),
    HOST: '127.0.0.1',
    DB_URL: dbUrl,
    DB_POOL_SIZE: '10',
  });
  const APP = `http://127.0.0.1:${appPort}`;
  const BASE = `http://127.0.0.1:${basePort}`;
  await Promise.all([waitHealthy(`${APP}/api/health`, app), waitHealthy(`${BASE}/health`, baseline)]);
  log(`app pid ${app.pid} on :${appPort} (node ${appFlags.join(' ') || 'with no flags'}), baseline pid ${baseline.pid} on :${basePort}`);

  const login = async (email) => {
    const res = await fetch(`${APP}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    });
    if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    return (await res.json()).accessToken;
  };
  const cmo = await login('cmo1@bench.stackgate.local');
  const it = await login('it1@bench.stackgate.local');

  const [[cat]] = await db.query(
    "SELECT categoryId, COUNT(*) AS n FROM tools WHERE lifecycle = 'ACTIVE' GROUP BY categoryId ORDER BY n DESC, categoryId LIMIT 1",
  );
  const [sample] = await db.query('SELECT id FROM tools ORDER BY id LIMIT 200');
  const toolIds = sample.map((r) => r.id).filter((_, i) => i % 2 === 0);
  const spendQ = (g) => `/api/v1/reports/spend?from=${firstMonth}&to=${anchor}&groupBy=${g}`;
  const allEndpoints = [
    {
      key: 'tools',
      name: 'GET /tools (category+lifecycle filter, page 3 of 50)',
      paths: [`/api/v1/tools?categoryId=${cat.categoryId}&lifecycle=ACTIVE&page=3&pageSize=50`],
      kind: 'list',
    },
    { key: 'tool', name: 'GET /tools/:id (100 ids in turn)', paths: toolIds.map((id) => `/api/v1/tools/${id}`), kind: 'detail' },
    { key: 'queue', name: 'GET /requests?queue=awaiting-me (CMO)', paths: ['/api/v1/requests?queue=awaiting-me'], kind: 'list' },
    { key: 'spendCategory', name: 'GET /reports/spend 36 months, groupBy=category', paths: [spendQ('category')], kind: 'report' },
    { key: 'spendMonth', name: 'GET /reports/spend 36 months, groupBy=month', paths: [spendQ('month')], kind: 'report' },
    { key: 'spendTool', name: 'GET /reports/spend 36 months, groupBy=tool', paths: [spendQ('tool')], kind: 'report' },
    { key: 'spendVendor', name: 'GET /reports/spend 36 months, groupBy=vendor', paths: [spendQ('vendor')], kind: 'report' },
    { key: 'stackMap', name: 'GET /stack-map', paths: ['/api/v1/stack-map'], kind: 'map' },
  ];
  // --only tools,tool,queue: measure only these endpoints (keys above).
  const only = typeof args.only === 'string' ? args.only.split(',') : null;
  const endpoints = only ? allEndpoints.filter((e) => only.includes(e.key)) : allEndpoints;
  if (!endpoints.length) throw new Error(`--only names none of ${allEndpoints.map((e) => e.key).join(', ')}`);

  // Same answers: the baseline must return the app's JSON for every endpoint.
  for (const endpoint of endpoints) {
    const fromApp = await getJson(APP + endpoint.paths[0], cmo);
    const fromBaseline = await getJson(BASE + endpoint.paths[0], cmo);
    const same = JSON.stringify(fromApp) === JSON.stringify(fromBaseline);
    endpoint.sameJson = same;
    const size = Buffer.byteLength(JSON.stringify(fromApp));
    endpoint.bytes = size;
    const listed = fromApp.total !== undefined ? `, total ${fromApp.total}, ${fromApp.items.length} items` : '';
    const graph = fromApp.nodes ? `, ${fromApp.nodes.length} nodes, ${fromApp.edges.length} edges` : '';
    log(`  ${same ? 'same JSON' : 'JSON DIFFERS'}  ${endpoint.name} (${(size / 1024).toFixed(1)} KiB${listed}${graph})`);
    if (!same)
      fs.writeFileSync(path.join(OUT_DIR, `diff-${endpoint.key}.json`), JSON.stringify({ app: fromApp, baseline: fromBaseline }, null, 1));
  }

  // Throughput: warm-up, then rounds alternating app and baseline per endpoint.
  // Requests autocannon abandons at the end of a run keep the server and MariaDB busy; at scale 1
  // (1 s spend reports, 7 MiB stack maps) that backlog left every following run with 0 answers.
  // So warm-ups send a fixed number of requests (autocannon waits for all of them), and after
  // every run we wait until MariaDB runs no statement of the benchmark database any more.
  const drain = async () => {
    const end = Date.now() + 120000;
    while (Date.now() < end) {
      const [[{ n: running }]] = await db.query(
        "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND command = 'Query' AND id <> CONNECTION_ID()",
      );
      if (Number(running) === 0) return;
      await sleep(200);
    }
    log('  (MariaDB still busy after 120 s of draining)');
  };
  const rss = [];
  for (const endpoint of endpoints) {
    await load(APP, endpoint.paths, cmo, connections, 60, null, rss, connections * 2);
    await drain();
    await load(BASE, endpoint.paths, cmo, connections, 60, null, rss, connections * 2);
    await drain();
  }
  // MariaDB's CPU per request too, when it is the server bench:seed started (its pid is known), or the
  // mariadbd processes named by --db-pids 1,2,3 (e.g. the nodes of a Galera cluster on this machine).
  const dbPid =
    typeof args['db-pids'] === 'string'
      ? args['db-pids'].split(',').map(Number)
      : typeof args.db === 'string'
        ? undefined
        : state?.mariadb?.pid;
  const results = Object.fromEntries(endpoints.map((e) => [e.key, { app: [], baseline: [] }]));
  const f1 = (x) => (x === undefined || x === null ? '-' : Number(x).toFixed(1));
  const f3 = (x) => (x === undefined || x === null ? '-' : Number(x).toFixed(3));
  for (let round = 1; round <= rounds; round++) {
    for (const endpoint of endpoints) {
      const sampled = rss.length;
      const appRun = await load(APP, endpoint.paths, cmo, connections, duration, app.pid, rss, undefined, { server: app.pid, db: dbPid });
      // The app's resident memory at its highest during this endpoint's run: which load sets the high-water mark.
      appRun.peakRssMb = Math.max(0, ...rss.slice(sampled));
      results[endpoint.key].app.push(appRun);
      await drain();
      const baselineRun = await load(BASE, endpoint.paths, cmo, connections, duration, null, rss, undefined, {
        server: baseline.pid,
        db: dbPid,
      });
      results[endpoint.key].baseline.push(baselineRun);
      await drain();
      // Printed and saved as soon as measured, so a run that dies later loses nothing.
      const failed = appRun.non2xx + appRun.errors + appRun.timeouts + baselineRun.non2xx + baselineRun.errors + baselineRun.timeouts;
      const failures = failed
        ? ` (failures: app ${appRun.non2xx}/${appRun.errors}/${appRun.timeouts}, raw ${baselineRun.non2xx}/${baselineRun.errors}/${baselineRun.timeouts})`
        : '';
      log(
        `  round ${round}/${rounds} ${endpoint.name}: app ${f1(appRun.rps)} req/s p50 ${appRun.p50} p99 ${appRun.p99} ms | ` +
          `raw ${f1(baselineRun.rps)} req/s p50 ${baselineRun.p50} p99 ${baselineRun.p99} ms | ${(appRun.rps / baselineRun.rps).toFixed(2)}` +
          ` | CPU ms/request app ${f3(appRun.serverCpuMs)} raw ${f3(baselineRun.serverCpuMs)}, MariaDB ${f3(appRun.dbCpuMs)} / ${f3(baselineRun.dbCpuMs)}` +
          ` | app RSS peak ${appRun.peakRssMb.toFixed(0)} MB${failures}; load ${require('node:os').loadavg()[0].toFixed(1)}`,
      );
      fs.writeFileSync(path.join(OUT_DIR, 'results-partial.json'), JSON.stringify({ counts, results }, null, 2));
    }
    log(`  round ${round}/${rounds} done`);
  }
  const peakUnderLoad = { rssMb: Math.max(0, ...rss), hwmMb: memOf(app.pid).hwmMb };
  const medianOf = (arr) => {
    const middle = median(arr.map((x) => x.rps));
    return arr.find((x) => x.rps === middle) ?? arr[0];
  };
  for (const endpoint of endpoints) {
    const appRun = medianOf(results[endpoint.key].app);
    const baselineRun = medianOf(results[endpoint.key].baseline);
    log(
      `  ${endpoint.name}: app ${appRun.rps.toFixed(1)} req/s p50 ${appRun.p50} p99 ${appRun.p99} ms | raw ` +
        `${baselineRun.rps.toFixed(1)} req/s p50 ${baselineRun.p50} p99 ${baselineRun.p99} ms | ${(appRun.rps / baselineRun.rps).toFixed(2)}`,
    );
  }
  log(`  peak RSS under read load ${peakUnderLoad.rssMb.toFixed(0)} MB (VmHWM ${peakUnderLoad.hwmMb.toFixed(0)} MB)`);
  fs.writeFileSync(path.join(OUT_DIR, 'results-throughput.json'), JSON.stringify({ counts, results, peakUnderLoad }, null, 2));
  if (app.exitCode !== null || app.signalCode !== null)
    throw new Error(`the app exited (${app.exitCode ?? app.signalCode}) during the load runs`);

  // Latency of single requests: spend report vs its raw GROUP BY alone; stack map.
  // Sequential samples per operation (--latency-samples): 100 by default, so the p50 ratio of a
  // 6 ms statement moves by a few hundredths between runs rather than by a tenth.
  const samples = Number(args['latency-samples'] ?? (quick ? 10 : 100));
  const spendSeq = {};
  const rawSeq = {};
  const rawLedgerSeq = {};
  // The app's spend report keeps its figures until a ledger month of its range changes (ledger_generations):
  // the samples above after the warm-up answer from them. "Cold" samples first add one to the counter of the
  // range's last month, as any ledger write or FX rate there does, so the report is computed again (by tool or
  // vendor: that month's figures only).
  const coldSeq = {};
  const touchLastMonth = () =>
    db.query('INSERT INTO ledger_generations (month, generation) VALUES (?, 1) ON DUPLICATE KEY UPDATE generation = generation + 1', [
      Number(anchor.replace('-', '')),
    ]);
  // "First" samples: every month of the range changed (a report no instance has computed since it started).
  const firstSeq = {};
  const touchAllMonths = () =>
    db.query('UPDATE ledger_generations SET generation = generation + 1 WHERE month >= ? AND month <= ?', [
      Number(firstMonth.replace('-', '')),
      Number(anchor.replace('-', '')),
    ]);
  const yyyymm = (s) => Number(s.replace('-', ''));
  const sqlOp = (sql) => () => db.query(sql, ['COMMITTED', yyyymm(firstMonth), yyyymm(anchor)]);
  const spendBaseSeq = {};
  const SPEND_GROUPS = { category: 'spendCategory', month: 'spendMonth', tool: 'spendTool', vendor: 'spendVendor' };
  const spendGroups = Object.keys(SPEND_GROUPS).filter((g) => !only || only.includes(SPEND_GROUPS[g]));
  for (const groupBy of spendGroups) {
    // The app; the raw baseline's HTTP endpoint (the same statements and JSON through node:http +
    // mysql2, so the fixed cost of an HTTP request shows next to the bare GROUP BY); the raw GROUP BY
    // the app runs (over ledger_totals); and, for scale, the plain GROUP BY over the whole ledger
    // joined to tools (what the report ran before ledger_totals; for tool and vendor, the GROUP BY over the
    // ledger they ran before the TOOL grain), the first three in turn.
    const runs = await interleaved(samples, {
      app: () => httpGet(APP + spendQ(groupBy), cmo),
      base: () => httpGet(BASE + spendQ(groupBy), cmo),
      sql: sqlOp(lib.spendSql(groupBy)),
    });
    spendSeq[groupBy] = runs.app;
    spendBaseSeq[groupBy] = runs.base;
    rawSeq[groupBy] = runs.sql;
    const before = ['tool', 'vendor'].includes(groupBy) ? { ledger: true } : { legacyJoin: true };
    rawLedgerSeq[groupBy] = (await interleaved(quick ? 3 : 5, { sql: sqlOp(lib.spendSql(groupBy, before)) })).sql;
    coldSeq[groupBy] = (
      await interleaved(quick ? 3 : 9, {
        cold: async () => {
          await touchLastMonth();
          return httpGet(APP + spendQ(groupBy), cmo);
        },
      })
    ).cold;
    firstSeq[groupBy] = (
      await interleaved(3, {
        first: async () => {
          await touchAllMonths();
          return httpGet(APP + spendQ(groupBy), cmo);
        },
      })
    ).first;
  }
  const mapRuns = await interleaved(quick ? 5 : 15, {
    app: () => httpGet(`${APP}/api/v1/stack-map`, cmo),
    base: () => httpGet(`${BASE}/api/v1/stack-map`, cmo),
  });
  const mapSeq = mapRuns.app;
  const mapBaseSeq = mapRuns.base;

  // CSV import: 10,000 new tools through POST /api/v1/imports (commit), then removed again.
  let importResult = null;
  if (!args['skip-import']) {
    const [subs] = await db.query('SELECT name FROM categories WHERE parentId IS NOT NULL AND active = 1 ORDER BY name');
    const [ccs] = await db.query('SELECT code FROM cost_centers ORDER BY code');
    const rowsN = Number(args['import-rows'] ?? 10000);
    const tag = crypto.randomBytes(3).toString('hex');
    const lines = [
      [
        'name',
        'vendor',
        'subcategory',
        'description',
        'capabilities',
        'lifecycle',
        'businessOwnerEmail',
        'technicalOwnerEmail',
        'budgetOwnerCode',
        'allocation',
        'dataClassification',
        'ssoEnabled',
        'hostingRegion',
        'isSystemOfRecord',
        'licensedSeats',
        'activeUsers',
        'website',
      ].join(','),
    ];
    for (let i = 0; i < rowsN; i++) {
      const cc1 = ccs[i % ccs.length].code;
      const cc2 = ccs[(i + 3) % ccs.length].code;
      lines.push(
        [
          `Bench import ${tag} ${String(i + 1).padStart(5, '0')}`,
          `Import vendor ${i % 300}`,
          `"${subs[i % subs.length].name}"`,
          `Imported tool ${i + 1}`,
          'email;crm',
          'ACTIVE',
          'marketer1@bench.stackgate.local',
          i % 2 ? 'it2@bench.stackgate.local' : '',
          cc1,
          i % 3 ? '' : `${cc1}:6000;${cc2}:4000`,
          'INTERNAL',
          'true',
          'EU',
          'false',
          '25',
          '20',
          '',
        ].join(','),
      );
    }
    const csv = Buffer.from(lines.join('\n'));
    const form = new FormData();
    form.append('kind', 'tools');
    form.append('dryRun', 'false');
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'bench-tools.csv');
    const hwmBefore = memOf(app.pid).hwmMb;
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${APP}/api/v1/imports`, { method: 'POST', headers: { authorization: `Bearer ${it}` }, body: form });
    const body = await res.json();
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    if (!res.ok || !body.committed) throw new Error(`import failed: ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
    importResult = {
      rows: rowsN,
      seconds: secs,
      rowsPerSecond: rowsN / secs,
      summary: body.summary,
      bytes: csv.length,
      hwmBeforeMb: hwmBefore,
      hwmAfterMb: memOf(app.pid).hwmMb,
    };
    importResult.rawFloor = await lib.rawImportFloor(db, {
      toolLike: `bench import ${tag} %`,
      vendorLike: 'import vendor %',
      importId: body.id,
    });
    // Clean up so every run starts from the seeded data set (audit events and their chains' checkpoints included).
    await db.query("DELETE c FROM audit_checkpoints c JOIN tools t ON c.chain = CONCAT('Tool/', t.id) WHERE t.nameKey LIKE ?", [
      `bench import ${tag} %`,
    ]);
    await db.query(
      "DELETE c FROM audit_checkpoints c JOIN vendors v ON c.chain = CONCAT('Vendor/', v.id) WHERE v.nameKey " +
        "LIKE 'import vendor %' AND NOT EXISTS (SELECT 1 FROM tools t WHERE t.vendorId = v.id AND t.nameKey NOT " +
        'LIKE ?)',
      [`bench import ${tag} %`],
    );
    await db.query('DELETE FROM audit_checkpoints WHERE chain = ?', [`Import/${body.id}`]);
    await db.query("DELETE e FROM audit_events e JOIN tools t ON t.id = e.entityId WHERE e.entityType = 'Tool' AND t.nameKey LIKE ?", [
      `bench import ${tag} %`,
    ]);
    await db.query(
      "DELETE e FROM audit_events e JOIN vendors v ON v.id = e.entityId WHERE e.entityType = 'Vendor' AND v.nameKey " +
        "LIKE 'import vendor %' AND NOT EXISTS (SELECT 1 FROM tools t WHERE t.vendorId = v.id AND t.nameKey NOT " +
        'LIKE ?)',
      [`bench import ${tag} %`],
    );
    await db.query("DELETE FROM audit_events WHERE entityType = 'Import' AND entityId = ?", [body.id]);
    await db.query('DELETE c FROM tool_capabilities c JOIN tools t ON t.id = c.toolId WHERE t.nameKey LIKE ?', [`bench import ${tag} %`]);
    await db.query('DELETE FROM tools WHERE nameKey LIKE ?', [`bench import ${tag} %`]);
    await db.query(
      "DELETE v FROM vendors v WHERE v.nameKey LIKE 'import vendor %' AND NOT EXISTS (SELECT 1 FROM tools t WHERE t.vendorId = v.id)",
    );
  }
  const finalMem = memOf(app.pid);
  await db.end();
  stopAll();

  // Report.
  const fmt = (x, d = 0) => (x === undefined || x === null ? '-' : Number(x).toFixed(d));
  const summary = {
    started: started.toISOString(),
    counts,
    duration,
    rounds,
    connections,
    endpoints: {},
    spendSeq,
    spendBaseSeq,
    rawSeq,
    rawLedgerSeq,
    coldSeq,
    firstSeq,
    mapSeq,
    mapBaseSeq,
    importResult,
    peakUnderLoad,
    finalMem,
  };
  log('');
  log(
    `${'endpoint'.padEnd(52)} ${'app req/s'.padStart(9)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} | ${'raw req/s'.padStart(9)} ` +
      `${'p50'.padStart(6)} ${'p99'.padStart(6)} | app÷raw | CPU ms/req app  raw  raw÷app | MariaDB CPU ms/req app raw`,
  );
  for (const endpoint of endpoints) {
    const pick = (arr) => {
      const middle = median(arr.map((x) => x.rps));
      return arr.find((x) => x.rps === middle) ?? arr[0];
    };
    const appRun = pick(results[endpoint.key].app);
    const baselineRun = pick(results[endpoint.key].baseline);
    const ratio = appRun.rps / baselineRun.rps;
    const bad = [...results[endpoint.key].app, ...results[endpoint.key].baseline].reduce((s, x) => s + x.non2xx + x.errors + x.timeouts, 0);
    // CPU per request: the median over the rounds of each server, and their ratio (what the
    // throughput ratio would be if each server had a core of its own).
    const cpuMedian = (arr) => {
      const xs = arr.map((x) => x.serverCpuMs).filter((x) => x !== null && x !== undefined);
      return xs.length ? median(xs) : null;
    };
    const cpu = { app: cpuMedian(results[endpoint.key].app), baseline: cpuMedian(results[endpoint.key].baseline) };
    cpu.ratio = cpu.app && cpu.baseline ? cpu.baseline / cpu.app : null;
    // MariaDB's CPU time per answered request (from /proc, when bench:seed started the server): the database's share.
    const dbCpuMedian = (arr) => {
      const xs = arr.map((x) => x.dbCpuMs).filter((x) => x !== null && x !== undefined);
      return xs.length ? median(xs) : null;
    };
    const dbCpu = { app: dbCpuMedian(results[endpoint.key].app), baseline: dbCpuMedian(results[endpoint.key].baseline) };
    summary.endpoints[endpoint.key] = {
      name: endpoint.name,
      sameJson: endpoint.sameJson,
      bytes: endpoint.bytes,
      app: appRun,
      baseline: baselineRun,
      ratio,
      cpuMsPerRequest: cpu,
      dbCpuMsPerRequest: dbCpu,
      rounds: results[endpoint.key],
      failures: bad,
    };
    log(
      `${endpoint.name.padEnd(52)} ${fmt(appRun.rps, 1).padStart(9)} ${fmt(appRun.p50).padStart(6)} ${fmt(appRun.p99).padStart(6)} ` +
        `| ${fmt(baselineRun.rps, 1).padStart(9)} ${fmt(baselineRun.p50).padStart(6)} ${fmt(baselineRun.p99).padStart(6)} ` +
        `| ${fmt(ratio, 2).padStart(7)} | ${fmt(cpu.app, 3).padStart(14)} ${fmt(cpu.baseline, 3).padStart(6)} ` +
        `${fmt(cpu.ratio, 2).padStart(6)} | ${fmt(dbCpu.app, 3).padStart(9)} ${fmt(dbCpu.baseline, 3).padStart(6)}` +
        `${bad ? `  (${bad} non-2xx/errors)` : ''}`,
    );
  }
  log(
    '(latencies in ms; median round of each; raw = node:http + mysql2 running the same SQL; CPU = the server ' +
      "process's user + system time per answered request, median of the rounds)",
  );
  log('');
  for (const groupBy of spendGroups)
    log(
      `spend report groupBy=${groupBy}: app p50 ${fmt(spendSeq[groupBy].p50, 1)} ms (p99 ${fmt(spendSeq[groupBy].p99, 1)}) ` +
        `vs raw GROUP BY alone p50 ${fmt(rawSeq[groupBy].p50, 1)} ms → ${fmt(spendSeq[groupBy].p50 / rawSeq[groupBy].p50, 2)}× ` +
        ` (${spendSeq[groupBy].n} sequential requests); raw baseline over HTTP p50 ${fmt(spendBaseSeq[groupBy].p50, 1)} ` +
        `ms (app ÷ that ${fmt(spendSeq[groupBy].p50 / spendBaseSeq[groupBy].p50, 2)}); the same GROUP BY over ` +
        `${['tool', 'vendor'].includes(groupBy) ? 'ledger_entries' : 'all ledger rows joined to tools'}: p50 ${fmt(rawLedgerSeq[groupBy].p50, 1)} ms; ` +
        `app computing it again after a change in its last month (cold) p50 ${fmt(coldSeq[groupBy].p50, 1)} ms ` +
        `(p99 ${fmt(coldSeq[groupBy].p99, 1)}, ${coldSeq[groupBy].n} requests); after a change in every month (first) ` +
        `p50 ${fmt(firstSeq[groupBy].p50, 1)} ms (${firstSeq[groupBy].n} requests)`,
    );
  log(
    `stack map: app p50 ${fmt(mapSeq.p50, 1)} ms (p99 ${fmt(mapSeq.p99, 1)}), raw baseline p50 ${fmt(mapBaseSeq.p50, 1)} ` +
      `ms, ${summary.endpoints.stackMap?.bytes ?? '-'} bytes`,
  );
  if (importResult) {
    log(
      `CSV import: ${importResult.rows} rows (${(importResult.bytes / 1024).toFixed(0)} KiB) committed in ${fmt(importResult.seconds, 2)} ` +
        `s → ${fmt(importResult.rowsPerSecond)} rows/s; summary ${JSON.stringify(importResult.summary)}`,
    );
    const floor = importResult.rawFloor;
    log(
      `  raw floor: the same rows ${JSON.stringify(floor.rows)} inserted by mysql2 alone in ${fmt(floor.seconds, 2)} ` +
        `s → ${fmt(importResult.rows / floor.seconds)} rows/s (multi-row INSERTs, as the app; app ÷ that ${fmt(floor.seconds / importResult.seconds, 2)})`,
    );
  }
  log(
    `app memory: peak RSS sampled under read load ${fmt(peakUnderLoad.rssMb)} MB (VmHWM then ${fmt(peakUnderLoad.hwmMb)} ` +
      `MB); VmHWM after the import ${fmt(finalMem.hwmMb)} MB`,
  );
  fs.writeFileSync(path.join(OUT_DIR, 'results.json'), JSON.stringify(summary, null, 2));
  log(
    `results: ${OUT_DIR}/results.json; finished in ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min, load average ${require('node:os')
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  void execFileSync;
}

main().then(
  () => process.exit(0),
  (err) => {
    stopAll();
    process.stderr.write(`bench failed: ${err.stack || err.message}\n`);
    process.exit(1);
  },
);
