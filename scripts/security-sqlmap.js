#!/usr/bin/env node
// `npm run security:sqlmap`: SQL injection scan of the list, filter, search and report endpoints
// with Debian's sqlmap. Starts its own Stackgate (a fresh SQLite file with the demo data, or a
// throwaway MariaDB with --mariadb) on a free port on 127.0.0.1, signs in as a demo user, runs
// sqlmap in batch mode against each endpoint with that token, prints per endpoint whether any
// parameter was reported injectable, stops everything it started by PID, and exits non-zero when
// one was (or when an endpoint could not be scanned). Not part of `npm test`.
//
//   node scripts/security-sqlmap.js [--mariadb] [--quick|--thorough] [--level N] [--risk N] [--technique BEUST] [--only prefix,prefix] [--keep]
//
// Default depth: --level 2 --risk 2 --technique BEUS (every GET parameter and cookies; boolean,
// error, UNION and stacked queries; about 10–15 min on 2 cores). --quick: --level 1 --risk 1
// BEU, a smoke test of a few minutes. --thorough: --level 3 --risk 2 BEUST (adds User-Agent and
// Referer and time-based blind; about 4 min per endpoint, ~1 h in all). --keep leaves the output.
'use strict';
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { buildIfStale, root } = require('./build-if-stale');
const { startMariadb, freePort, which } = require('./mariadb-throwaway');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 && argv[index + 1] ? argv[index + 1] : fallback;
};
const quick = flag('quick');
const thorough = flag('thorough');
const level = Number(option('level', quick ? '1' : thorough ? '3' : '2'));
const risk = Number(option('risk', quick ? '1' : '2'));
const technique = option('technique', quick ? 'BEU' : thorough ? 'BEUST' : 'BEUS');
const only = option('only', '') ? option('only', '').split(',') : null;
const useMariadb = flag('mariadb');
const keep = flag('keep');

const log = (m) => process.stdout.write(`[sqlmap] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = [];
let mariadb = null;

async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (err) {
      last = err;
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

async function api(base, pathname, { token, method = 'GET', body } = {}) {
  const res = await fetch(base + pathname, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/**
 * Each endpoint with values for the filters its list DTO accepts (see the *QueryDto classes),
 * taken from a real record so the baseline page is not empty: boolean-based blind detection needs
 * a true condition to look different from a false one.
 */
function endpoints(records) {
  const query = (o) => new URLSearchParams(Object.entries(o).filter(([, x]) => x !== undefined && x !== null && x !== '')).toString();
  const today = new Date().toISOString().slice(0, 10);
  return [
    [
      'tools-search',
      'cio',
      `/api/v1/tools?${query({ search: records.tool.name.slice(0, 4), lifecycle: records.tool.lifecycle, sort: 'name', page: '1', pageSize: '20' })}`,
    ],
    [
      'tools-filters',
      'cio',
      '/api/v1/tools?' +
        query({
          categoryId: records.tool.categoryId,
          subcategoryId: records.tool.subcategoryId,
          itApproval: records.tool.itApproval?.status,
          budgetOwnerId: records.tool.budgetOwnerId,
          dataClassification: records.tool.dataClassification,
          shadowIt: String(!!records.tool.shadowIt),
        }),
    ],
    [
      'tools-owners',
      'cio',
      `/api/v1/tools?${query({ businessOwnerId: records.tool.businessOwnerId, vendorId: records.tool.vendorId, sort: '-updatedAt' })}`,
    ],
    [
      'vendors',
      'cio',
      `/api/v1/vendors?${query({ search: records.vendor.name.slice(0, 3), dpaSigned: String(!!records.vendor.dpaSigned), sort: 'name' })}`,
    ],
    [
      'cost-centers',
      'cio',
      `/api/v1/cost-centers?${query({ search: records.costCenter.code.slice(0, 3), kind: records.costCenter.kind, active: 'true', sort: 'code' })}`,
    ],
    ['users', 'admin', `/api/v1/users?${query({ search: 'demo', role: 'CMO', active: 'true' })}`],
    [
      'integrations',
      'cio',
      '/api/v1/integrations?' +
        query({
          toolId: records.integration.sourceToolId,
          status: records.integration.status,
          carriesPersonalData: String(!!records.integration.carriesPersonalData),
          method: records.integration.method,
          sort: 'createdAt',
        }),
    ],
    [
      'requests-mine',
      'marketer',
      `/api/v1/requests?${query({ queue: 'mine', status: records.request?.status, type: records.request?.type, sort: '-createdAt' })}`,
    ],
    ['requests-awaiting', 'cio', `/api/v1/requests?${query({ queue: 'awaiting-me', page: '1', pageSize: '10' })}`],
    [
      'audit-events',
      'cio',
      '/api/v1/audit-events?' +
        query({
          entityType: records.audit.entityType,
          entityId: records.audit.entityId,
          actorId: records.audit.actorId,
          from: '2000-01-01',
          to: '2100-12-31',
        }),
    ],
    [
      'contracts',
      'cio',
      `/api/v1/contracts?${query({ toolId: records.contract.toolId, status: records.contract.status, sort: 'startDate' })}`,
    ],
    [
      'spend-entries',
      'cio',
      '/api/v1/spend-entries?' +
        query({
          toolId: records.spend.toolId,
          contractId: records.spend.contractId,
          costType: records.spend.costType,
          from: records.spend.date.slice(0, 7),
          to: records.spend.date.slice(0, 7),
          sort: '-date',
        }),
    ],
    [
      'reports-spend',
      'cio',
      '/api/v1/reports/spend?' +
        query({
          from: records.spend.date.slice(0, 4) + '-01',
          to: records.spend.date.slice(0, 4) + '-12',
          groupBy: 'category',
          basis: 'actual',
          format: 'json',
        }),
    ],
    ['reports-renewals', 'cio', `/api/v1/reports/renewals?${query({ withinDays: '365', asOf: today })}`],
    ['reports-budget', 'cio', `/api/v1/reports/budget-vs-actual?${query({ fiscalYear: today.slice(0, 4), asOf: today })}`],
    ['reports-governance', 'cio', `/api/v1/reports/governance?${query({ asOf: today })}`],
  ].filter(([name]) => !only || only.some((o) => name.startsWith(o)));
}

function runSqlmap(sqlmap, url, token, outDir) {
  const args = [
    '-u',
    url,
    '--batch',
    `--level=${level}`,
    `--risk=${risk}`,
    `--technique=${technique}`,
    '--headers',
    `Authorization: Bearer ${token}`,
    `--output-dir=${outDir}`,
    '--flush-session',
    '--disable-coloring',
    '--timeout=15',
    '--retries=1',
    '--time-sec=2',
    '--threads=2',
    '-v',
    '1',
    '--skip-waf',
    // The token must stay as it is: sqlmap tests the query parameters (and, from level 2/3, cookies, User-Agent, Referer).
    '--skip=Authorization',
  ];
  return new Promise((resolve) => {
    const child = spawn(sqlmap, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** What sqlmap concluded, from its console output and its log file. */
function verdict(out, outDir) {
  let logText = '';
  for (const dir of fs.existsSync(outDir) ? fs.readdirSync(outDir) : []) {
    const logFile = path.join(outDir, dir, 'log');
    if (fs.existsSync(logFile)) logText += fs.readFileSync(logFile, 'utf8');
  }
  const injectable = [
    ...new Set(
      [
        ...out.matchAll(
          /(?:GET|POST|Cookie|User-Agent|Referer|Host|URI) parameter '([^']+)' (?:is vulnerable|appears to be '[^']*' injectable)/g,
        ),
      ].map((m) => m[1]),
    ),
  ];
  if (/sqlmap identified the following injection point/.test(out) || logText.trim()) {
    for (const match of (logText + out).matchAll(/Parameter: (\S+) \((GET|POST|Cookie|User-Agent|Referer|Host|URI)\)/g))
      if (!injectable.includes(match[1])) injectable.push(match[1]);
    if (!injectable.length) injectable.push('(see sqlmap log)');
  }
  const hints = [
    ...new Set([...out.matchAll(/heuristic \(basic\) test shows that (\S+ parameter '[^']+') might be injectable/g)].map((m) => m[1])),
  ];
  const clean = /all tested parameters do not appear to be injectable/.test(out);
  const tested = [...new Set([...out.matchAll(/testing if (\S+ parameter '[^']+') is dynamic/g)].map((m) => m[1]))];
  const critical = [...out.matchAll(/\[CRITICAL\] (.*)/g)]
    .map((m) => m[1])
    .filter((m) => !/all tested parameters do not appear to be injectable/.test(m));
  return { injectable, hints, clean, tested, critical };
}

async function main() {
  const t0 = Date.now();
  const sqlmap = which('sqlmap');
  if (!sqlmap) throw new Error('sqlmap is not installed (apt-get install sqlmap)');
  const entry = buildIfStale();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgate-sqlmap-'));
  let dbUrl = `sqlite:${path.join(work, 'stackgate.sqlite')}`;
  if (useMariadb) {
    mariadb = await startMariadb({ log });
    const name = `sg_sqlmap_${crypto.randomBytes(4).toString('hex')}`;
    mariadb.sql(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    dbUrl = `${mariadb.adminUrl}/${name}`;
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const appLog = path.join(work, 'app.log');
  const logFd = fs.openSync(appLog, 'a');
  const app = spawn(process.execPath, [entry], {
    cwd: root,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DB_URL: dbUrl,
      SEED_DEMO: 'true',
      JWT_SECRET: crypto.randomBytes(32).toString('hex'),
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
    },
  });
  started.push(app);
  const results = [];
  try {
    log(
      `Stackgate pid ${app.pid} on ${base} with ${useMariadb ? 'MariaDB' : 'SQLite'} (${dbUrl.replace(/\/\/[^@]*@/, '//…@')}); app log ${appLog}`,
    );
    await waitFor(
      async () => {
        if (app.exitCode !== null) throw new Error(`Stackgate exited with ${app.exitCode}; see ${appLog}`);
        return (await api(base, '/api/health')).status === 200;
      },
      120000,
      'Stackgate to answer /api/health',
    );

    // The CIO reads every scanned endpoint (catalog, requests, finance lists, reports, audit log).
    const login = await api(base, '/api/v1/auth/login', {
      method: 'POST',
      body: { email: 'cio@demo.stackgate.local', password: 'demo-password-123' },
    });
    if (login.status !== 200) throw new Error(`demo login failed: ${login.status} ${JSON.stringify(login.body)}`);
    const tokens = {};
    for (const who of ['cio', 'admin', 'marketer']) {
      const res = await api(base, '/api/v1/auth/login', {
        method: 'POST',
        body: { email: `${who}@demo.stackgate.local`, password: 'demo-password-123' },
      });
      if (res.status !== 200) throw new Error(`demo login as ${who} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens[who] = res.body.accessToken;
    }
    const first = async (url, who = 'cio') => {
      const res = await api(base, url, { token: tokens[who] });
      const item = res.status === 200 ? (Array.isArray(res.body) ? res.body[0] : res.body.items?.[0]) : undefined;
      if (!item && !url.startsWith('/api/v1/requests'))
        throw new Error(`no demo record from ${url} (${res.status}); did the demo data load?`);
      return item;
    };
    const hub = await first('/api/v1/tools?search=HubSpot');
    const records = {
      tool: hub,
      vendor: await first('/api/v1/vendors?pageSize=1'),
      costCenter: await first('/api/v1/cost-centers?pageSize=1'),
      integration: await first(`/api/v1/integrations?toolId=${hub.id}`),
      request: await first('/api/v1/requests?queue=mine', 'marketer'),
      audit: await first('/api/v1/audit-events?entityType=Tool&pageSize=1'),
      contract: await first(`/api/v1/contracts?toolId=${hub.id}`),
      spend: await first(`/api/v1/spend-entries?toolId=${hub.id}&pageSize=1`),
    };

    const list = endpoints(records);
    log(`scanning ${list.length} endpoints: --level=${level} --risk=${risk} --technique=${technique}`);
    for (const [name, who, url] of list) {
      const pre = await api(base, url, { token: tokens[who] });
      if (pre.status !== 200) {
        results.push({
          name,
          url,
          status: 'NOT SCANNED',
          detail: `baseline request answered ${pre.status}: ${JSON.stringify(pre.body).slice(0, 200)}`,
        });
        log(`${name}: baseline ${pre.status}, not scanned`);
        continue;
      }
      const baseline = Array.isArray(pre.body?.items)
        ? `${pre.body.items.length} items`
        : Array.isArray(pre.body?.rows)
          ? `${pre.body.rows.length} rows`
          : 'object';
      const outDir = path.join(work, 'sqlmap', name);
      const started = Date.now();
      const { code, out } = await runSqlmap(sqlmap, base + url, tokens[who], outDir);
      fs.writeFileSync(path.join(work, `${name}.out.txt`), out);
      const found = verdict(out, outDir);
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      const status = found.injectable.length ? 'INJECTABLE' : found.clean ? 'clean' : 'INCONCLUSIVE';
      const detail = found.injectable.length
        ? `parameters: ${found.injectable.join(', ')}`
        : found.clean
          ? `${found.tested.length} parameters tested${found.hints.length ? `; heuristic hints (not confirmed): ${found.hints.join(', ')}` : ''}`
          : `sqlmap exit ${code}: ${found.critical.join(' | ') || out.split('\n').slice(-5).join(' ')}`;
      results.push({ name, url, status, detail: `${detail} (baseline ${baseline})`, secs });
      log(`${name}: ${status} (${secs} s) ${detail} (baseline ${baseline})`);
    }
    // The app must still be healthy after the attack.
    const health = await api(base, '/api/health');
    if (health.status !== 200)
      results.push({ name: 'health after scan', url: '/api/health', status: 'UNHEALTHY', detail: `${health.status}` });
    const errors500 = fs
      .readFileSync(appLog, 'utf8')
      .split('\n')
      .filter((l) => /"statusCode":500|request failed/.test(l)).length;
    log(`app log: ${errors500} request(s) failed with 5xx during the scan`);
  } finally {
    app.kill('SIGTERM');
    await waitFor(() => app.exitCode !== null || app.signalCode !== null, 15000, 'Stackgate to stop').catch(() => app.kill('SIGKILL'));
    fs.closeSync(logFd);
    if (mariadb) mariadb.stop();
    if (!keep) fs.rmSync(work, { recursive: true, force: true });
    else log(`output kept in ${work}`);
  }

  process.stdout.write(
    `\n=== sqlmap summary (${useMariadb ? 'MariaDB' : 'SQLite'}, level ${level}, risk ` +
      `${risk}, techniques ${technique}, ${((Date.now() - t0) / 1000).toFixed(0)} s) ===\n`,
  );
  for (const result of results) process.stdout.write(`${result.status.padEnd(13)} ${result.name.padEnd(20)} ${result.detail}\n`);
  const bad = results.filter((r) => r.status !== 'clean');
  process.stdout.write(bad.length ? `\n${bad.length} endpoint(s) injectable or not scanned\n` : '\nno parameter was reported injectable\n');
  process.exit(bad.length ? 1 : 0);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const child of started)
      if (child.exitCode === null) {
        try {
          child.kill('SIGTERM');
        } catch {
          /* gone */
        }
      }
    if (mariadb) mariadb.stop();
    process.exit(130);
  });
}

main().catch((err) => {
  process.stderr.write(`security:sqlmap failed: ${err.stack || err}\n`);
  for (const child of started)
    if (child.exitCode === null) {
      try {
        child.kill('SIGTERM');
      } catch {
        /* gone */
      }
    }
  if (mariadb) mariadb.stop();
  process.exit(1);
});
