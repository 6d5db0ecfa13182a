#!/usr/bin/env node
// `node test/security/hostile-upload-bench.js [--only wide.csv] [--rows 50000] [--entry dist/…/main.js] [--heap 384]`
// Uploads each hostile file of issue 21 (test/security/hostile-files.js) and a legitimate tools CSV
// and XLSX of --rows rows as a marketer's dry run to the built app (`npm run build` first), one fresh server
// per file (node with the flags of `npm start`, a throwaway SQLite database, a free port on
// 127.0.0.1). While the upload runs it samples the server's RSS from /proc/<pid>/status every 50 ms
// and calls GET /api/health back to back, and prints one line per file: answer, time, peak RSS
// (VmHWM), /api/health latency (max and median) and whether the server is still alive afterwards.
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { HOSTILE_FILES, toolsCsv } = require('./hostile-files');

const root = path.resolve(__dirname, '../..');
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg.startsWith('--')) args[arg.slice(2)] = process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[++i] : true;
}
const ENTRY = path.resolve(root, args.entry ?? 'dist/apps/api/apps/api/src/main.js');
const ROWS = Number(args.rows ?? 50000);
const { DEFAULT_HEAP_LIMIT_MB, serverExecArgv } = require('../../scripts/server-flags');
const HEAP_MB = Number(args.heap ?? DEFAULT_HEAP_LIMIT_MB);
const UPLOAD_TIMEOUT_MS = Number(args.timeout ?? 180) * 1000;
const ADMIN = { email: 'bench-admin@example.test', password: 'bench-admin-password-123' };
const MARKETER = { email: 'bench-marketer@example.test', password: 'bench-marketer-password-123' };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer();
  server.on('error', reject);
  server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

function procStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch { return null; }
}

async function call(base, method, url, { token, json, form, timeoutMs = 10_000 } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form) body = form;
  const res = await fetch(base + url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let parsed;
  try { parsed = JSON.parse(text); } catch { parsed = text; }
  return { status: res.status, body: parsed };
}

async function startServer() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgate-hostile-'));
  const env = {
    ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DB_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'), SEED_DEMO: 'false', JOBS_ENABLED: 'false', LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password, IMPORT_MAX_ROWS: String(Math.max(ROWS, 50000)),
  };
  const flags = serverExecArgv({ HEAP_LIMIT_MB: String(HEAP_MB) }); // the server's flags (`npm start`)
  const child = spawn(process.execPath, [...flags, ENTRY], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let exited = null;
  exit.then((result) => { exited = result; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (exited) throw new Error(`server exited at start: ${JSON.stringify(exited)} ${stderr}`);
    try { if ((await call(base, 'GET', '/api/health', { timeoutMs: 1000 })).status === 200) break; } catch { /* not up yet */ }
    if (i > 300) throw new Error('server did not start within 60 s');
    await sleep(200);
  }
  return {
    child, base, exit, dir,
    get exited() { return exited; },
    get stderr() { return stderr; },
    async stop() {
      if (!exited) { child.kill('SIGTERM'); await Promise.race([exit, sleep(5000)]); if (!exited) child.kill('SIGKILL'); }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function prepare(server) {
  const admin = (await call(server.base, 'POST', '/api/v1/auth/login', { json: ADMIN })).body.accessToken;
  const user = await call(server.base, 'POST', '/api/v1/users', { token: admin, json: { ...MARKETER, displayName: 'Bench marketer', roles: ['MARKETER'] } });
  if (user.status !== 201) throw new Error(`creating the marketer: ${user.status} ${JSON.stringify(user.body)}`);
  const cc = await call(server.base, 'POST', '/api/v1/cost-centers', { token: admin, json: { code: 'BENCH', name: 'Bench', kind: 'MARKETING' } });
  if (cc.status !== 201) throw new Error(`creating the cost center: ${cc.status} ${JSON.stringify(cc.body)}`);
  return (await call(server.base, 'POST', '/api/v1/auth/login', { json: MARKETER })).body.accessToken;
}

async function measure(name, build) {
  const server = await startServer();
  try {
    const token = await prepare(server);
    const file = build();
    const pid = server.child.pid;
    let done = false;
    let peakRss = 0;
    const sampler = (async () => {
      while (!done) { const status = procStatus(pid); if (status) peakRss = Math.max(peakRss, status.rss); await sleep(50); }
    })();
    const latencies = [];
    let healthFailures = 0;
    const prober = (async () => {
      while (!done) {
        const t0 = performance.now();
        try {
          const response = await call(server.base, 'GET', '/api/health', { timeoutMs: 30_000 });
          if (response.status !== 200) healthFailures++;
        } catch { healthFailures++; if (server.exited) break; }
        latencies.push(performance.now() - t0);
        await sleep(20);
      }
    })();
    const form = new FormData();
    form.append('kind', 'tools');
    form.append('dryRun', 'true');
    form.append('file', new Blob([file]), name);
    const t0 = performance.now();
    let answer;
    try {
      const response = await call(server.base, 'POST', '/api/v1/imports', { token, form, timeoutMs: UPLOAD_TIMEOUT_MS });
      const detail =
        typeof response.body === 'object'
          ? (response.body.code ?? (response.body.totalRows !== undefined ? `${response.body.totalRows} rows` : ''))
          : '';
      answer = `${response.status} ${detail}`;
    } catch (err) {
      answer = server.exited ? 'connection lost' : `no answer (${err.name})`;
    }
    const seconds = (performance.now() - t0) / 1000;
    await sleep(300);
    done = true;
    await Promise.all([sampler, prober]);
    const hwm = procStatus(pid)?.hwm ?? peakRss;
    let after = 'alive';
    if (server.exited) {
      after = `died (${server.exited.signal ?? `exit ${server.exited.code}`}${/heap out of memory/i.test(server.stderr) ? ', heap out of memory' : ''})`;
    } else {
      try {
        if ((await call(server.base, 'GET', '/api/health', { timeoutMs: 5000 })).status !== 200) after = 'health not 200';
      } catch {
        after = 'health no answer';
      }
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      file: name, size: `${(file.length / 1024).toFixed(0)} KB`, answer, seconds: seconds.toFixed(1),
      peakRssMb: Math.max(hwm, peakRss).toFixed(0), healthMaxMs: sorted.length ? sorted[sorted.length - 1].toFixed(0) : '-',
      healthMedianMs: sorted.length ? sorted[Math.floor(sorted.length / 2)].toFixed(0) : '-', healthCalls: latencies.length, healthFailures, after,
    };
  } finally {
    await server.stop();
  }
}

let xlsxCache = null;
/** The legitimate tools file as ExcelJS writes it (built before the server starts: see measure). */
async function buildToolsXlsx(rows) {
  const ExcelJS = require('exceljs');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('tools');
  for (const line of toolsCsv(rows, 'BENCH').toString().trim().split('\n')) ws.addRow(line.split(','));
  xlsxCache = Buffer.from(await wb.xlsx.writeBuffer());
}
const toolsXlsx = () => xlsxCache;

async function main() {
  await buildToolsXlsx(ROWS);
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist: run \`npm run build\` first`);
  const cases = { ...HOSTILE_FILES, [`tools-${ROWS}.csv`]: () => toolsCsv(ROWS, 'BENCH'), [`tools-${ROWS}.xlsx`]: () => toolsXlsx(ROWS) };
  const names = Object.keys(cases).filter((n) => !args.only || String(args.only).split(',').includes(n));
  const rows = [];
  for (const name of names) {
    process.stderr.write(`${name}…\n`);
    try { rows.push(await measure(name, cases[name])); } catch (err) { rows.push({ file: name, answer: `bench error: ${err.message}` }); }
    process.stderr.write(`${JSON.stringify(rows[rows.length - 1])}\n`);
  }
  const cols = ['file', 'size', 'answer', 'seconds', 'peakRssMb', 'healthMaxMs', 'healthMedianMs', 'healthCalls', 'healthFailures', 'after'];
  const head = ['file', 'size', 'answer', 'time s', 'peak RSS MB', 'health max ms', 'health median ms', 'health calls', 'health failures', 'server after'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => ' --- ').join('|')}|`);
  for (const row of rows) console.log(`| ${cols.map((c) => row[c] ?? '').join(' | ')} |`);
}

main().catch((err) => { console.error(err); process.exit(1); });
