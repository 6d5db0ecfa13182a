// Shared helpers of the benchmark scripts (plain Node, CommonJS; they require the built app in dist/).
// bench/lib.d.ts types them for the TypeScript seeder (bench/seed.ts): change both together.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const DIST = path.join(root, 'dist/apps/api');
/**
 * The benchmark's working directory: the state file, logs and results. BENCH_DIR=/tmp/other gives a
 * second data set (and throwaway MariaDB) its own, so two can be seeded and measured side by side.
 */
const BENCH_DIR = process.env.BENCH_DIR || '/tmp/stackgate-bench';
/** Where `bench:seed` records the throwaway MariaDB it leaves running for `npm run bench`. */
const STATE_FILE = path.join(BENCH_DIR, 'state.json');
const BENCH_PASSWORD = 'bench-password-123';

/** Requires a module of the built app, e.g. dist('libs/catalog/src/index.js'). */
function dist(rel) {
  return require(path.join(DIST, rel));
}

/** `--name value` / `--name=value` / `--flag` → { name: value | true }. */
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[arg.slice(2)] = next;
      i++;
    } else out[arg.slice(2)] = true;
  }
  return out;
}

/** mulberry32: a tiny, fast, seeded PRNG (deterministic data for a given seed). */
function mulberry32(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    /** Picks by weight: [[value, weight], …]. */
    weighted: (pairs) => {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let remaining = next() * total;
      for (const [value, weight] of pairs) {
        if ((remaining -= weight) < 0) return value;
      }
      return pairs[pairs.length - 1][0];
    },
  };
}

function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return null;
  }
}

function writeState(state) {
  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the throwaway MariaDB recorded in the state file (by its PID) and deletes its data dir. */
function stopRecordedMariadb(log = console.log) {
  const state = readState();
  if (!state || !state.mariadb) {
    log('no recorded benchmark MariaDB');
    return;
  }
  const { pid, dir } = state.mariadb;
  if (pid && pidAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const end = Date.now() + 30000;
    while (Date.now() < end && pidAlive(pid)) require('node:child_process').execFileSync('sleep', ['0.2']);
    log(`stopped MariaDB pid ${pid}`);
  }
  if (dir && dir.startsWith('/tmp/')) fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(STATE_FILE, { force: true });
}

/** Elapsed-time helper: const t = timer(); … t() → seconds as a string. */
function timer() {
  const t0 = process.hrtime.bigint();
  return () => (Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1);
}

/** Runs `fn` over items with at most `n` in flight. */
async function pool(items, concurrency, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await fn(items[index], index);
    }
  });
  await Promise.all(workers);
}

const SPEND_KEY_COLUMN = {
  budget: 'costCenterKind',
  costCenter: 'costCenterId',
  category: 'categoryId',
  subcategory: 'subcategoryId',
  tool: 'toolId',
  vendor: 'vendorId',
  costType: 'costType',
};
const TIME_GROUPS = ['month', 'quarter', 'year', 'fiscalYear'];

/**
 * The spend report's one aggregate statement, as finance's FinanceQueries.spendSums() has TypeORM write it
 * (parameters: basis, from, to): over the grouping's grain of ledger_totals (TOOL for tool and vendor).
 * `legacyJoin` gives the statement of before ledger_totals (the ledger joined to tools for the shadow-IT
 * flag), and `ledger` the same GROUP BY straight over ledger_entries (what tool and vendor read before
 * the TOOL grain), for comparison.
 */
function spendSql(groupBy, { legacyJoin = false, ledger = false } = {}) {
  const keyCol = TIME_GROUPS.includes(groupBy) ? null : SPEND_KEY_COLUMN[groupBy];
  const keySelect = keyCol
    ? `, SUM(\`l\`.\`amountMinor\`) AS \`amount\`, \`l\`.\`${keyCol}\` AS \`k\``
    : ', SUM(`l`.`amountMinor`) AS `amount`';
  const keyGroup = keyCol ? `, \`l\`.\`${keyCol}\`` : '';
  if (legacyJoin) {
    return (
      `SELECT \`l\`.\`currency\` AS \`currency\`, \`l\`.\`month\` AS \`month\`, \`l\`.\`costCenterKind\` AS \`kind\`, ` +
      `\`l\`.\`costType\` AS \`costType\`, \`t\`.\`shadowIt\` AS \`shadowIt\`${keySelect} FROM \`ledger_entries\` \`l\` ` +
      `INNER JOIN \`tools\` \`t\` ON \`t\`.\`id\` = \`l\`.\`toolId\` WHERE \`l\`.\`basis\` = ? AND \`l\`.\`month\` >= ` +
      `? AND \`l\`.\`month\` <= ? GROUP BY \`l\`.\`currency\`, \`l\`.\`month\`, \`l\`.\`costCenterKind\`, \`l\`.\`costType\`, ` +
      `\`t\`.\`shadowIt\`${keyGroup}`
    );
  }
  const grains = { category: 'CATEGORY', subcategory: 'SUBCATEGORY', tool: 'TOOL', vendor: 'TOOL' };
  const grain = ledger ? null : groupBy in grains ? grains[groupBy] : 'COST_CENTER';
  // vendor also groups by the tool (the key's order), as the app does; its cells are merged after.
  const byTool = groupBy === 'vendor';
  const group = ['month', 'currency', 'costCenterKind', 'costType', 'shadowIt', ...(byTool ? ['toolId'] : []), ...(keyCol ? [keyCol] : [])]
    .map((c) => `\`${c}\``)
    .join(', ');
  const keyColumn = keyCol ? `, \`${keyCol}\` AS \`k\`` : '';
  const table = grain ? 'ledger_totals' : 'ledger_entries';
  const grainFilter = grain ? `\`grain\` = '${grain}' AND ` : '';
  // The TOOL grain's empty key columns, named as the app names them (so the GROUP BY streams the primary key).
  const emptyInToolGrain = grain === 'TOOL' ? " AND `costCenterId` = '' AND `categoryId` = '' AND `subcategoryId` = ''" : '';
  return (
    `SELECT \`currency\`, \`month\`, \`costCenterKind\` AS \`kind\`, \`costType\`, \`shadowIt\`, SUM(\`amountMinor\`) AS \`amount\`${keyColumn}` +
    ` FROM \`${table}\` WHERE ${grainFilter}\`basis\` = ? AND \`month\` >= ? AND \`month\` <= ?${emptyInToolGrain} GROUP BY ${group}`
  );
}

/**
 * The raw floor of an import: the rows it wrote (new vendors, tools, their capabilities, the
 * audit events of all three and their chains' checkpoints), read back and inserted again by mysql2 alone in one transaction, 500
 * per multi-row INSERT, under new keys (same sizes and index entries), then rolled back. `conn` is
 * a mysql2/promise connection. Answers the seconds the inserts took and the row counts: the same
 * write path as the app's (multi-row INSERTs, 500 rows each), without the app.
 */
async function rawImportFloor(conn, { toolLike, vendorLike, importId }) {
  const queryRows = async (sql, params) => (await conn.query(sql, params))[0];
  const tables = [
    ['vendors', await queryRows('SELECT * FROM vendors WHERE nameKey LIKE ?', [vendorLike])],
    ['tools', await queryRows('SELECT * FROM tools WHERE nameKey LIKE ?', [toolLike])],
    [
      'tool_capabilities',
      await queryRows('SELECT c.* FROM tool_capabilities c JOIN tools t ON t.id = c.toolId WHERE t.nameKey LIKE ?', [toolLike]),
    ],
    [
      'audit_events',
      [
        ...(await queryRows(
          "SELECT e.* FROM audit_events e JOIN vendors v ON v.id = e.entityId WHERE e.entityType = 'Vendor' AND v.nameKey LIKE ?",
          [vendorLike],
        )),
        ...(await queryRows(
          "SELECT e.* FROM audit_events e JOIN tools t ON t.id = e.entityId WHERE e.entityType = 'Tool' AND t.nameKey LIKE ?",
          [toolLike],
        )),
        ...(await queryRows("SELECT * FROM audit_events WHERE entityType = 'Import' AND entityId = ?", [importId])),
      ],
    ],
    // The head of each of those audit chains, which the app moves in the same transaction.
    [
      'audit_checkpoints',
      [
        ...(await queryRows(
          "SELECT c.* FROM audit_checkpoints c JOIN vendors v ON c.chain = CONCAT('Vendor/', v.id) WHERE v.nameKey LIKE ?",
          [vendorLike],
        )),
        ...(await queryRows("SELECT c.* FROM audit_checkpoints c JOIN tools t ON c.chain = CONCAT('Tool/', t.id) WHERE t.nameKey LIKE ?", [
          toolLike,
        ])),
        ...(await queryRows('SELECT * FROM audit_checkpoints WHERE chain = ?', [`Import/${importId}`])),
      ],
    ],
  ];
  const ids = new Map();
  const id = (old) => {
    if (!old) return old;
    let fresh = ids.get(old);
    if (!fresh) ids.set(old, (fresh = require('node:crypto').randomUUID()));
    return fresh;
  };
  const rekey = (table, row) => {
    const out = { ...row };
    if (table !== 'tool_capabilities') out.id = id(row.id);
    if (table === 'vendors' || table === 'tools') {
      out.name = `${row.name} copy`;
      out.nameKey = `${row.nameKey} copy`;
    }
    if (table === 'tools') out.vendorId = ids.get(row.vendorId) ?? row.vendorId;
    if (table === 'tool_capabilities') out.toolId = id(row.toolId);
    if (table === 'audit_events') {
      out.entityId = id(row.entityId);
      out.chain = row.chain && row.entityId ? `${row.entityType}/${out.entityId}` : row.chain;
    }
    if (table === 'audit_checkpoints') {
      delete out.id;
      const [type, entityId] = row.chain.split('/');
      out.chain = `${type}/${id(entityId)}`;
      out.headEventId = id(row.headEventId);
    }
    return out;
  };
  await conn.query('START TRANSACTION');
  const t0 = process.hrtime.bigint();
  try {
    for (const [table, rows] of tables) {
      for (let offset = 0; offset < rows.length; offset += 500) {
        const part = rows.slice(offset, offset + 500).map((row) => rekey(table, row));
        const cols = Object.keys(part[0]);
        await conn.query(
          `INSERT INTO \`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')}) VALUES ${part.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ')}`,
          part.flatMap((row) => cols.map((c) => row[c])),
        );
      }
    }
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, rows: Object.fromEntries(tables.map(([t, rows]) => [t, rows.length])) };
  } finally {
    await conn.query('ROLLBACK');
  }
}

/**
 * mysql2 connection options for a mysql:// or mariadb:// DB_URL (TCP, or ?socket=<path>), read by the app's own
 * serverConnection: for a DB_URL with several hosts (a cluster), those of the first; connectMysql and
 * createMysqlPool use them all.
 */
function mysqlOptions(dbUrl) {
  const { username, hosts: _hosts, ...where } = dist('libs/platform/src/database/data-source-options.js').serverConnection(dbUrl);
  return { ...where, user: username };
}

/** The servers of a DB_URL in the order it lists them, as { host, port } (one for a single host or a socket). */
function mysqlHosts(dbUrl) {
  const { hosts, host, port } = dist('libs/platform/src/database/data-source-options.js').serverConnection(dbUrl);
  return hosts ?? [{ host, port }];
}

/** After a host refused a connection, how long it is skipped (the app's failover pool: HOST_RETRY_AFTER_MS). */
const HOST_RETRY_AFTER_MS = 3000;

/**
 * One mysql2/promise connection for a DB_URL: to the first of its hosts that accepts one, in the order the URL
 * lists them (as the app's failover pool picks a host for a new connection).
 */
async function connectMysql(dbUrl, extra = {}) {
  const mysql = require('mysql2/promise');
  const options = { ...mysqlOptions(dbUrl), ...extra };
  if (options.socketPath) return mysql.createConnection(options);
  let lastError = null;
  for (const { host, port } of mysqlHosts(dbUrl)) {
    try {
      return await mysql.createConnection({ ...options, host, port });
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/**
 * A mysql2/promise pool for a DB_URL (query, execute, end). With several hosts, a pool cluster that takes every
 * connection from the first host that accepts one and skips a failed host for HOST_RETRY_AFTER_MS, as the app's
 * failover pool does (libs/platform/src/database/failover-pool.ts), so the raw baseline reaches the same node.
 */
function createMysqlPool(dbUrl, extra = {}) {
  const mysql = require('mysql2/promise');
  const options = { ...mysqlOptions(dbUrl), ...extra };
  const hosts = mysqlHosts(dbUrl);
  if (options.socketPath || hosts.length === 1) return mysql.createPool(options);
  const cluster = mysql.createPoolCluster({ canRetry: true, removeNodeErrorCount: 1, restoreNodeTimeout: HOST_RETRY_AFTER_MS });
  hosts.forEach(({ host, port }, index) => cluster.add(`node${index + 1}`, { ...options, host, port }));
  const inOrder = cluster.of('*', 'ORDER');
  return {
    query: (sql, params) => inOrder.query(sql, params),
    execute: (sql, params) => inOrder.execute(sql, params),
    getConnection: () => inOrder.getConnection(),
    end: () => cluster.end(),
  };
}

module.exports = {
  mysqlOptions,
  mysqlHosts,
  connectMysql,
  createMysqlPool,
  rawImportFloor,
  spendSql,
  SPEND_KEY_COLUMN,
  root,
  DIST,
  BENCH_DIR,
  STATE_FILE,
  BENCH_PASSWORD,
  dist,
  parseArgs,
  mulberry32,
  readState,
  writeState,
  pidAlive,
  stopRecordedMariadb,
  timer,
  pool,
};
