#!/usr/bin/env node
// `node bench/import.js [--rows 10000] [--vendors 300] [--db mariadb://…/db] [--trace] [--profile out.cpuprofile] [--no-raw]`
// Times a tools CSV (the file `npm run bench` imports) through ImportsService.run (commit) in the
// built app, in process, on the seeded database; deletes the imported rows again afterwards.
'use strict';
const crypto = require('node:crypto');
const lib = require('./lib');

const { dist, parseArgs, readState } = lib;

/** This process's peak resident memory so far, from /proc (Linux). */
function peakRssMb() {
  try {
    return (Number(/VmHWM:\s+(\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024).toFixed(0);
  } catch {
    return '-';
  }
}

/** A plain mysql2 connection to the benchmark database (as bench/run.js's). */
function rawConnection(dbUrl) {
  return lib.connectMysql(dbUrl, { timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true });
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const dbUrl = typeof args.db === 'string' ? args.db : readState()?.dbUrl;
  if (!dbUrl) throw new Error('no database: run `npm run bench:seed` or pass --db');
  const platform = dist('libs/platform/src/index.js');
  const catalog = dist('libs/catalog/src/index.js');
  const identity = dist('libs/identity/src/index.js');
  const { createApp } = dist('apps/api/src/setup.js');
  const config = platform.loadConfig({
    NODE_ENV: 'test',
    DB_URL: dbUrl,
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    SEED_DEMO: 'false',
    DB_POOL_SIZE: '10',
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    IMPORT_MAX_ROWS: '50000',
  });
  const app = await createApp(config);
  const ds = app.get(require('typeorm').DataSource);
  try {
    // --trace: wall time per phase and in the driver's query() (sum over statements).
    const trace = {};
    if (args.trace) {
      const wrap = (obj, name, label) => {
        const orig = obj[name];
        obj[name] = async function (...args) {
          const started = process.hrtime.bigint();
          try {
            return await orig.apply(this, args);
          } finally {
            const key = label;
            const entry = trace[key] ?? (trace[key] = { n: 0, ms: 0 });
            entry.n++;
            entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
          }
        };
      };
      {
        const proto = Object.getPrototypeOf(ds.createQueryRunner());
        const orig = proto.query;
        proto.query = async function (sql, ...args) {
          const started = process.hrtime.bigint();
          try {
            return await orig.call(this, sql, ...args);
          } finally {
            const key = `sql ${String(sql).slice(0, 24)}`;
            const entry = trace[key] ?? (trace[key] = { n: 0, ms: 0 });
            entry.n++;
            entry.ms += Number(process.hrtime.bigint() - started) / 1e6;
          }
        };
      }
      wrap(app.get(catalog.ImportPipeline), 'plan', 'pipeline.plan');
      wrap(app.get(catalog.ImportPipeline), 'commit', 'pipeline.commit');
      wrap(app.get(catalog.VendorsService), 'findOrCreateManyByNameInTransaction', 'vendors.findOrCreateMany');
      wrap(app.get(catalog.ToolRegistrationService), 'createManyInTransaction', 'tools.createMany'); // what the tools import kind calls
      wrap(app.get(dist('libs/audit/src/index.js').AuditService), 'recordMany', 'audit.recordMany');
    }
    const [it] = await ds.query("SELECT id, email, displayName FROM users WHERE email = 'it1@bench.stackgate.local'");
    const actor = { id: it.id, email: it.email, displayName: it.displayName, roles: ['IT'] };
    const subs = await ds.query('SELECT name FROM categories WHERE parentId IS NOT NULL AND active = 1 ORDER BY name');
    const ccs = await ds.query('SELECT code FROM cost_centers ORDER BY code');
    const rowsN = Number(args.rows ?? 10000);
    const vendorsN = Number(args.vendors ?? 300);
    const tag = crypto.randomBytes(3).toString('hex');
    const lines = [
      'name,vendor,subcategory,description,capabilities,lifecycle,businessOwnerEmail,technicalOwnerEmail,budgetOwnerCode,allocation,' +
        'dataClassification,ssoEnabled,hostingRegion,isSystemOfRecord,licensedSeats,activeUsers,website',
    ];
    for (let i = 0; i < rowsN; i++) {
      const cc1 = ccs[i % ccs.length].code;
      const cc2 = ccs[(i + 3) % ccs.length].code;
      lines.push(
        [
          `Bench import ${tag} ${String(i + 1).padStart(5, '0')}`,
          `Import vendor ${tag} ${i % vendorsN}`,
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
    const file = { originalname: 'bench-tools.csv', mimetype: 'text/csv', buffer: Buffer.from(lines.join('\n')) };
    // --profile <file.cpuprofile>: a CPU profile of the import alone (not of the app's start).
    const session = typeof args.profile === 'string' ? new (require('node:inspector').Session)() : null;
    const post = (method, params) =>
      new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
    if (session) {
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    }
    const phases = {};
    let phase = 'start';
    const mark = (name) => { phase = name; };
    const sample = () => {
      const m = process.memoryUsage();
      const p = phases[phase] ?? (phases[phase] = { rss: 0, heap: 0, ext: 0, ab: 0 });
      p.rss = Math.max(p.rss, m.rss / 1048576); p.heap = Math.max(p.heap, m.heapUsed / 1048576); p.ext = Math.max(p.ext, m.external / 1048576); p.ab = Math.max(p.ab, m.arrayBuffers / 1048576);
    };
    const timer = setInterval(sample, 10);
    const svc = app.get(catalog.ImportsService);
    const pipe = app.get(catalog.ImportPipeline);
    const wrapPhase = (obj, name) => { const orig = obj[name]; obj[name] = function (...a) { sample(); mark(name); const r = orig.apply(this, a); if (r && r.then) return r.then((v) => { sample(); mark('after ' + name); return v; }); sample(); mark('after ' + name); return r; }; };
    wrapPhase(svc, 'parse'); wrapPhase(pipe, 'mapColumns'); wrapPhase(pipe, 'plan'); wrapPhase(pipe, 'commit');
    wrapPhase(app.get(dist('libs/audit/src/index.js').AuditService), 'recordMany');
    global.gc && global.gc();
    sample();
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const result = await app.get(catalog.ImportsService).run(actor, 'tools', file, false);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    sample(); clearInterval(timer);
    for (const [k, v] of Object.entries(phases)) process.stdout.write(`${k.padEnd(22)} rss ${v.rss.toFixed(0)} heap ${v.heap.toFixed(0)} ext ${v.ext.toFixed(0)} ab ${v.ab.toFixed(0)}\n`);
    const cpu = process.cpuUsage(cpu0); // this process only (app and parse worker; with SQLite, the database too)
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    if (session) {
      const { profile } = await post('Profiler.stop');
      require('node:fs').writeFileSync(args.profile, JSON.stringify(profile));
      session.disconnect();
    }
    const [{ n: vendorsMade }] = await ds.query('SELECT COUNT(*) AS n FROM vendors WHERE nameKey LIKE ?', [`import vendor ${tag} %`]);
    process.stdout.write(
      `commit: ${rowsN} rows, ${vendorsMade} new vendors, committed ${result.committed} in ${secs.toFixed(2)} s ` +
        `(CPU ${cpuSecs.toFixed(2)} s) → ${(rowsN / secs).toFixed(0)} rows/s; summary ${JSON.stringify(result.summary)}; ` +
        `peak RSS (VmHWM) ${peakRssMb()} MB; load ${require('node:os').loadavg()[0].toFixed(1)}\n`,
    );
    if (args.trace)
      process.stdout.write(
        `trace (ms): ${Object.entries(trace)
          .map(([k, v]) => `${k} ${v.ms.toFixed(0)} (${v.n}×)`)
          .join(', ')}\n`,
      );
    if (!args['no-raw'] && /^(mysql|mariadb):/.test(dbUrl)) {
      const raw = await rawConnection(dbUrl);
      const floor = await lib.rawImportFloor(raw, {
        toolLike: `bench import ${tag} %`,
        vendorLike: `import vendor ${tag} %`,
        importId: result.id,
      });
      process.stdout.write(
        `raw floor (multi-row INSERTs, as the app): the same ${JSON.stringify(floor.rows)} rows written by mysql2 alone ` +
          `in ${floor.seconds.toFixed(2)} s → ${(rowsN / floor.seconds).toFixed(0)} tools/s; app ÷ raw ${(floor.seconds / secs).toFixed(2)}\n`,
      );
      await raw.end();
    }
    // Clean up: the tools, their capabilities, the new vendors and the import's audit events, so
    // that every run starts from the seeded data set (a growing audit table slows the next import).
    // The checkpoints of their audit chains go too (else GET /audit-events/verify reports the chains truncated).
    // By id lists of 1,000: `chain IN (SELECT … FROM tools …)` is a subquery per checkpoint on MariaDB (minutes at 50,000).
    const idsOf = async (table, like) => (await ds.query(`SELECT id FROM ${table} WHERE nameKey LIKE ?`, [like])).map((row) => row.id);
    const [toolIds, vendorIds] = [await idsOf('tools', `bench import ${tag} %`), await idsOf('vendors', `import vendor ${tag} %`)];
    const inLists = async (sql, values) => {
      for (let at = 0; at < values.length; at += 1000) {
        const part = values.slice(at, at + 1000);
        await ds.query(sql.replace('(?)', `(${part.map(() => '?').join(', ')})`), part);
      }
    };
    await inLists('DELETE FROM audit_checkpoints WHERE chain IN (?)', [
      ...toolIds.map((id) => `Tool/${id}`),
      ...vendorIds.map((id) => `Vendor/${id}`),
      `Import/${result.id}`,
    ]);
    await inLists("DELETE FROM audit_events WHERE entityType = 'Tool' AND entityId IN (?)", toolIds);
    await inLists("DELETE FROM audit_events WHERE entityType = 'Vendor' AND entityId IN (?)", vendorIds);
    await inLists("DELETE FROM audit_events WHERE entityType = 'Import' AND entityId IN (?)", [result.id]);
    await inLists('DELETE FROM tool_capabilities WHERE toolId IN (?)', toolIds);
    await inLists('DELETE FROM tools WHERE id IN (?)', toolIds);
    await inLists('DELETE FROM vendors WHERE id IN (?)', vendorIds);
  } finally {
    await app.close();
  }
  void identity;
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
