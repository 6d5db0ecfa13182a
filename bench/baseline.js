#!/usr/bin/env node
// The raw baseline of `npm run bench`: node:http + a mysql2 pool (same size as the app's) that runs,
// per endpoint, the same SQL statements the app runs (captured from MariaDB's general log with
// TypeORM's aliases kept), verifies the same JWT and answers the same JSON. The JSON shaping reuses
// the product's pure functions (toToolResponse, requestSummary, aggregateSpend/spendReportJson), so
// the difference to the app is Nest + Express + TypeORM + validation/guards/interceptors.
// Env: DB_URL (mariadb://…/db), JWT_SECRET, PORT, HOST, BASE_CURRENCY (EUR), DB_POOL_SIZE (10).
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');
const jwt = require('jsonwebtoken');
const lib = require('./lib');
const { dist } = lib;

const catalog = dist('libs/catalog/src/index.js');
const finance = dist('libs/finance/src/index.js');
const procurement = dist('libs/procurement/src/requests/request-views.js');
const reporting = dist('libs/reporting/src/index.js');
const platform = dist('libs/platform/src/index.js');
const reportMath = dist('libs/reporting/src/report-math.js');

const BASE = process.env.BASE_CURRENCY || 'EUR';
const FY_START = Number(process.env.FISCAL_YEAR_START_MONTH || 1);
// Every host of a multi-host DB_URL, first that answers first, like the app's pool.
const pool = lib.createMysqlPool(process.env.DB_URL, {
  connectionLimit: Number(process.env.DB_POOL_SIZE || 10),
  timezone: 'Z',
  supportBigNumbers: true,
  bigNumberStrings: true,
  charset: 'utf8mb4_unicode_ci',
  enableKeepAlive: true,
});
const queryRows = async (sql, params = []) => (await pool.query(sql, params))[0];
/** Each row of a statement as mysql2 streams it (what the app's eachRow does on MariaDB). */
async function eachStreamedRow(sql, params, visit) {
  const conn = await pool.getConnection();
  try {
    await new Promise((resolve, reject) => {
      const rows = conn.connection.query(sql, params).stream();
      rows.on('data', visit);
      rows.once('error', reject);
      rows.once('end', resolve);
    });
  } finally {
    conn.release();
  }
}

// ------------------------------------------------------------------ hydration (what TypeORM's transformers do)
const big = (v) => (v === null || v === undefined ? null : BigInt(v));
const bool = (v) => v === 1 || v === true || v === '1';
const json = (v) => (v === null || v === undefined ? null : JSON.parse(v));
const num = (v) => (v === null || v === undefined ? null : Number(v));
const strip = (row, prefix) => {
  const fields = {};
  for (const key in row) if (key.startsWith(prefix)) fields[key.slice(prefix.length)] = row[key];
  return fields;
};

const TOOL_COLS = [
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'name',
  'nameKey',
  'vendorId',
  'subcategoryId',
  'categoryId',
  'description',
  'capabilities',
  'lifecycle',
  'itApprovalStatus',
  'itApprovalRationale',
  'itApprovalConditions',
  'itApprovalDecidedById',
  'itApprovalDecidedAt',
  'businessOwnerId',
  'technicalOwnerId',
  'budgetOwnerId',
  'allocation',
  'dataClassification',
  'ssoEnabled',
  'hostingRegion',
  'isSystemOfRecord',
  'licensedSeats',
  'activeUsers',
  'website',
  'shadowIt',
  'annualCostMinor',
  'annualCostCurrency',
  'createdById',
];
const select = (alias, cols) => cols.map((c) => `\`${alias}\`.\`${c}\` AS \`${alias}_${c}\``).join(', ');
function tool(row) {
  return {
    ...row,
    version: num(row.version),
    capabilities: json(row.capabilities),
    allocation: json(row.allocation),
    ssoEnabled: bool(row.ssoEnabled),
    isSystemOfRecord: bool(row.isSystemOfRecord),
    shadowIt: bool(row.shadowIt),
    licensedSeats: num(row.licensedSeats),
    activeUsers: num(row.activeUsers),
    annualCostMinor: big(row.annualCostMinor),
  };
}
async function refNames(tools) {
  // ToolQueriesService.refNames: one UNION ALL of the vendor and category names.
  const vendorIds = [...new Set(tools.map((t) => t.vendorId))];
  const catIds = [...new Set(tools.flatMap((t) => [t.subcategoryId, t.categoryId]))];
  const parts = [];
  if (vendorIds.length) parts.push(`SELECT 'V' AS kind, id, name FROM vendors WHERE id IN (${vendorIds.map(() => '?').join(', ')})`);
  if (catIds.length) parts.push(`SELECT 'C' AS kind, id, name FROM categories WHERE id IN (${catIds.map(() => '?').join(', ')})`);
  const rows = parts.length ? await queryRows(parts.join(' UNION ALL '), [...vendorIds, ...catIds]) : [];
  const names = { vendors: new Map(), categories: new Map() };
  for (const row of rows) (row.kind === 'V' ? names.vendors : names.categories).set(row.id, row.name);
  return names;
}

// ------------------------------------------------------------------ auth: the same JWT check and the same user query as the guard
// (AuthService.authenticate: the secret as a KeyObject, made once; UsersRepository.findSessionById's one SELECT).
const JWT_KEY = crypto.createSecretKey(Buffer.from(process.env.JWT_SECRET));
const USER_SQL =
  'SELECT u.id AS id, u.email AS email, u.displayName AS displayName, u.active AS active, u.tokenVersion AS tokenVersion, r.role AS role ' +
  'FROM users u LEFT JOIN user_roles r ON r.userId = u.id WHERE u.id = ?';
async function authenticate(req) {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization || '');
  if (!bearer) return null;
  let payload;
  try {
    payload = jwt.verify(bearer[1], JWT_KEY, { algorithms: ['HS256'], issuer: 'stackgate', audience: 'stackgate-api', clockTolerance: 0 });
  } catch {
    return null;
  }
  const rows = await queryRows(USER_SQL, [payload.sub]);
  if (!rows.length || !bool(rows[0].active) || Number(rows[0].tokenVersion) !== payload.tv) return null;
  return {
    id: rows[0].id,
    email: rows[0].email,
    roles: rows
      .map((r) => r.role)
      .filter(Boolean)
      .sort(),
  };
}

// ------------------------------------------------------------------ endpoints
function pageOf(sp) {
  const page = Math.max(1, Number(sp.get('page') || 1));
  const pageSize = Math.min(200, Math.max(1, Number(sp.get('pageSize') || 50)));
  return { page, pageSize, skip: (page - 1) * pageSize };
}

async function toolsList(sp) {
  const { page, pageSize, skip } = pageOf(sp);
  const where = [];
  const params = [];
  for (const [param, col] of [
    ['categoryId', 'categoryId'],
    ['subcategoryId', 'subcategoryId'],
    ['lifecycle', 'lifecycle'],
    ['itApproval', 'itApprovalStatus'],
  ]) {
    if (sp.has(param)) {
      where.push(`\`t\`.\`${col}\` = ?`);
      params.push(sp.get(param));
    }
  }
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const rows = await queryRows(
    `SELECT ${select('t', TOOL_COLS)} FROM \`tools\` \`t\`${whereSql} ORDER BY \`t\`.\`nameKey\` ASC, \`t\`.\`id\` ASC LIMIT ${pageSize} OFFSET ${skip}`,
    params,
  );
  const [{ cnt }] = await queryRows(`SELECT COUNT(1) AS \`cnt\` FROM \`tools\` \`t\`${whereSql}`, params);
  const tools = rows.map((r) => tool(strip(r, 't_')));
  const names = await refNames(tools);
  return { items: tools.map((t) => catalog.toToolResponse(t, names, BASE)), page, pageSize, total: Number(cnt) };
}

async function toolDetail(id) {
  // platform's findById: every column, unaliased, by primary key.
  const rows = await queryRows(`SELECT ${TOOL_COLS.map((c) => `\`${c}\``).join(', ')} FROM \`tools\` WHERE \`id\` = ?`, [id]);
  if (!rows.length) return null;
  const found = tool(rows[0]);
  return catalog.toToolResponse(found, await refNames([found]), BASE);
}

const REQ_COLS = [
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'type',
  'title',
  'status',
  'requesterId',
  'toolId',
  'proposedTool',
  'businessCase',
  'expectedOutcomes',
  'alternativesConsidered',
  'estimatedAnnualCostMinor',
  'estimatedAnnualCostCurrency',
  'estimatedAnnualCostBaseMinor',
  'allocation',
  'dataCategories',
  'requiredIntegrations',
  'neededBy',
  'round',
  'currentStage',
  'submittedAt',
  'closedAt',
];
const STAGE_COLS = [
  'id',
  'requestId',
  'round',
  'stage',
  'position',
  'status',
  'openedAt',
  'dueAt',
  'decidedById',
  'decidedAt',
  'decision',
  'comment',
  'conditions',
  'createdAt',
  'updatedAt',
];
const DECIDER = { MARKETING: 'CMO', IT: 'CIO', FINANCE: 'FINANCE' };
const ALL_STAGES = ['MARKETING', 'IT', 'FINANCE'];
// As the app (libs/procurement/src/requests/awaiting-me-queue.ts): a stage's open stages in the queue's order from
// IDX_review_stages_queue, cut at the page; with several stages each one's first skip + take, put together and sorted.
function openStagesSql(stage, userId) {
  return {
    sql:
      'FROM review_stages s STRAIGHT_JOIN tool_requests r ON r.id = s.requestId AND r.round = s.round AND r.currentStage = s.stage ' +
      "WHERE s.stage IN (?) AND s.status = 'OPEN' AND r.status = 'IN_REVIEW' AND r.requesterId <> ? AND NOT EXISTS (SELECT 1 FROM " +
      'review_stages d WHERE d.decidedById = ? AND d.stage IN (?) AND d.requestId = r.id AND d.stage <> r.currentStage) ',
    params: [[stage], userId, userId, ALL_STAGES],
  };
}
const QUEUE_ORDER = 'ORDER BY s.dueAt ASC, s.requestCreatedAt ASC, s.requestId ASC';
async function awaitingMe(user, sp) {
  const { page, pageSize, skip } = pageOf(sp);
  const stages = Object.keys(DECIDER).filter((s) => user.roles.includes(DECIDER[s]));
  if (!stages.length) return { items: [], page, pageSize, total: 0 };
  let ids;
  if (stages.length === 1) {
    const { sql, params } = openStagesSql(stages[0], user.id);
    ids = await queryRows(`SELECT r.id AS id ${sql} ${QUEUE_ORDER} LIMIT ${pageSize} OFFSET ${skip}`, params);
  } else {
    const parts = stages.map((stage, index) => {
      const { sql, params } = openStagesSql(stage, user.id);
      const first = `SELECT s.dueAt AS dueAt, s.requestCreatedAt AS createdAt, s.requestId AS id ${sql} ${QUEUE_ORDER} LIMIT ${skip + pageSize}`;
      return { sql: `SELECT dueAt, createdAt, id FROM (${first}) stage${index}`, params };
    });
    ids = await queryRows(
      `${parts.map((part) => part.sql).join(' UNION ALL ')} ORDER BY dueAt ASC, createdAt ASC, id ASC LIMIT ${pageSize} OFFSET ${skip}`,
      parts.flatMap((part) => part.params),
    );
  }
  const inReview = "FROM tool_requests r WHERE r.status = 'IN_REVIEW'";
  const exclusion =
    ` - (SELECT COUNT(*) ${inReview} AND r.currentStage = ? AND r.requesterId <> ? AND EXISTS ` +
    '(SELECT 1 FROM review_stages d WHERE d.decidedById = ? AND d.stage IN (?) AND d.requestId = r.id))';
  // The requests in review at the stages: the per-stage counts (request_queue_counts), as the app reads them.
  const [{ total }] = await queryRows(
    'SELECT (SELECT COALESCE(SUM(requests), 0) FROM request_queue_counts WHERE stage IN (?)) - (SELECT COUNT(*) ' +
      `${inReview} AND r.currentStage IN (?) AND r.requesterId = ?)${exclusion.repeat(stages.length)} AS total`,
    [stages, stages, user.id, ...stages.flatMap((stage) => [stage, user.id, user.id, ALL_STAGES.filter((other) => other !== stage)])],
  );
  const from =
    'FROM `tool_requests` `r` LEFT JOIN `review_stages` `s` ON `s`.`requestId` = `r`.`id` AND `s`.`round` ' +
    "= `r`.`round` AND `s`.`stage` = `r`.`currentStage` AND `s`.`status` = 'OPEN'";
  const cols = `${select('r', REQ_COLS)}, ${select('s', STAGE_COLS)}`;
  let rows = [];
  if (ids.length) {
    const position = new Map(ids.map((row, index) => [row.id, index]));
    rows = (await queryRows(`SELECT ${cols} ${from} WHERE \`r\`.\`id\` IN (?)`, [ids.map((row) => row.id)])).sort(
      (a, b) => position.get(a.r_id) - position.get(b.r_id),
    );
  }
  const items = rows.map((row) => {
    const request = strip(row, 'r_');
    const stage = row.s_id ? strip(row, 's_') : undefined;
    const req = {
      ...request,
      version: num(request.version),
      round: num(request.round),
      estimatedAnnualCostMinor: big(request.estimatedAnnualCostMinor),
      estimatedAnnualCostBaseMinor: big(request.estimatedAnnualCostBaseMinor),
      proposedTool: json(request.proposedTool),
      allocation: json(request.allocation),
      dataCategories: json(request.dataCategories),
      requiredIntegrations: json(request.requiredIntegrations),
    };
    return procurement.requestSummary(req, stage);
  });
  return { items, page, pageSize, total: Number(total) };
}

const KIND_LABEL = { MARKETING: 'Marketing', IT: 'IT', OTHER: 'Other' };
const LARGE_GROUPINGS = ['tool', 'vendor'];
// As the app: the figures per (grouping, basis, range) kept under the sum of the range's ledger month counters,
// read first; by tool or vendor each month's figures kept under its own counter as well.
const spendFigures = new Map();
const monthFigures = new Map();
async function spendReport(sp) {
  const fromS = sp.get('from');
  const toS = sp.get('to');
  const from = finance.monthFromString(fromS);
  const to = finance.monthFromString(toS);
  const basis = sp.get('basis') || 'committed';
  const groupBy = sp.get('groupBy') || 'budget';
  const keyCol = reporting.TIME_GROUPS.includes(groupBy) ? null : lib.SPEND_KEY_COLUMN[groupBy];
  const counters = await queryRows('SELECT `month`, `generation` FROM `ledger_generations` WHERE `month` >= ? AND `month` <= ?', [
    from,
    to,
  ]);
  const generations = new Map(counters.map((row) => [Number(row.month), String(row.generation)]));
  const generation = String(counters.reduce((sum, row) => sum + BigInt(row.generation), 0n));
  const cacheKey = `${groupBy}|${basis}|${from}|${to}`;
  let kept = spendFigures.get(cacheKey);
  if (!kept || kept.generation !== generation) {
    kept = { generation, result: spendFiguresOf({ fromS, toS, from, to, basis, groupBy, keyCol, generations }) };
    spendFigures.set(cacheKey, kept);
    kept.result.catch(() => spendFigures.delete(cacheKey));
  }
  const result = await kept.result;
  const keys = result.rows.map((row) => row.key);
  let labels = new Map();
  if (groupBy === 'budget') labels = new Map(keys.map((x) => [x, KIND_LABEL[x] ?? x]));
  else if (groupBy === 'costType') labels = new Map(keys.map((x) => [x, reporting.humanize(x)]));
  else if (keys.length && keyCol) {
    const table = { costCenterId: ['cost_centers', 'CostCenter'], toolId: ['tools', 'Tool'], vendorId: ['vendors', 'Vendor'] }[keyCol] ?? [
      'categories',
      'Category',
    ];
    const rows = await queryRows(
      `SELECT \`${table[1]}\`.\`id\` AS \`${table[1]}_id\`, \`${table[1]}\`.\`name\` AS \`${table[1]}_name\` ` +
        `FROM \`${table[0]}\` \`${table[1]}\` WHERE ((\`${table[1]}\`.\`id\` IN (?)))`,
      [keys],
    );
    labels = new Map(rows.map((r) => [r[`${table[1]}_id`], r[`${table[1]}_name`]]));
  }
  return reporting.spendReportJson(
    reporting.labelSpend(result, groupBy, (x) => labels.get(x) ?? x),
    { from: fromS, to: toS, basis, includeApproved: false, groupBy, currency: BASE },
  );
}

/** The app's computation: the rates, then the sums (by tool or vendor a month a read, each month kept), converted. */
async function spendFiguresOf({ fromS, toS, from, to, basis, groupBy, keyCol, generations }) {
  const rateRows = await queryRows(
    'SELECT `currency`, `month`, `rate` FROM `fx_rates` WHERE `month` >= ? AND `month` <= ? AND `currency` <> ?',
    [fromS, toS, BASE],
  );
  const rates = new Map(rateRows.map((r) => [`${r.currency}|${r.month}`, String(r.rate)]));
  const basisCol = basis === 'committed' ? 'COMMITTED' : 'ACTUAL';
  const cellOf = (r) => ({
    key: keyCol ? String(r.k) : null,
    currency: String(r.currency),
    month: Number(r.month),
    kind: String(r.kind),
    costType: String(r.costType),
    shadowIt: platform.sqlBool(r.shadowIt),
    amountMinor: reportMath.toBigInt(r.amount),
  });
  const sums = new reporting.SpendAccumulator(groupBy, { rates, base: BASE, fyStartMonth: FY_START });
  if (!LARGE_GROUPINGS.includes(groupBy)) {
    const cells = (await queryRows(lib.spendSql(groupBy), [basisCol, from, to])).map(cellOf);
    reportMath.assertRates(cells, rates, BASE);
    sums.add(cells);
    return sums.result();
  }
  // By tool or vendor, as the app: each month's sums streamed into the conversion (eachRow), the month's figures kept.
  const monthPart = async (month) => {
    const monthSums = new reporting.SpendAccumulator(groupBy, { rates, base: BASE, fyStartMonth: FY_START });
    const batch = monthSums.batch();
    const unrated = [];
    await eachStreamedRow(lib.spendSql(groupBy), [basisCol, month, month], (row) => {
      const cell = cellOf(row);
      if (cell.currency !== BASE && !rates.has(reportMath.rateKey(cell.currency, cell.month))) unrated.push(cell);
      else batch.add(cell);
    });
    reportMath.assertRates(unrated, rates, BASE);
    batch.end();
    return monthSums.part();
  };
  for (const [month] of reporting.monthBatches(from, to, 1)) {
    const key = `${groupBy}|${basis}|${month}`;
    const generation = generations.get(month) ?? '0';
    let kept = monthFigures.get(key);
    if (!kept || kept.generation !== generation) monthFigures.set(key, (kept = { generation, part: await monthPart(month) }));
    sums.addPart(kept.part);
  }
  return sums.result();
}

async function stackMap() {
  const [rawNodes, rawEdges] = await Promise.all([
    queryRows(
      'SELECT `t`.`id` AS id, `t`.`name` AS name, `t`.`categoryId` AS categoryId, `cat`.`name` AS categoryName, `cat`.`sortOrder` ' +
        'AS categoryOrder, `t`.`subcategoryId` AS subcategoryId, `sub`.`name` AS subcategoryName, `t`.`lifecycle` AS lifecycle, ' +
        '`t`.`itApprovalStatus` AS itApproval, `t`.`shadowIt` AS shadowIt, `t`.`isSystemOfRecord` AS isSystemOfRecord FROM ' +
        '`tools` `t` INNER JOIN `categories` `sub` ON `sub`.`id` = `t`.`subcategoryId`  INNER JOIN `categories` `cat` ON ' +
        '`cat`.`id` = `t`.`categoryId` WHERE `t`.`lifecycle` <> ? ORDER BY `cat`.`sortOrder` ASC, `sub`.`sortOrder` ASC, ' +
        '`t`.`nameKey` ASC',
      ['RETIRED'],
    ),
    queryRows(
      'SELECT `i`.`id` AS id, `i`.`sourceToolId` AS sourceToolId, `i`.`targetToolId` AS targetToolId, `i`.`method` AS ' +
        'method, `i`.`status` AS status, `i`.`carriesPersonalData` AS carriesPersonalData FROM `integrations` `i` WHERE ' +
        '`i`.`status` <> ? ORDER BY `i`.`id` ASC',
      ['RETIRED'],
    ),
  ]);
  const ids = new Set(rawNodes.map((n) => n.id));
  const edges = rawEdges
    .filter((e) => ids.has(e.sourceToolId) && ids.has(e.targetToolId))
    .map((e) => ({
      id: e.id,
      sourceToolId: e.sourceToolId,
      targetToolId: e.targetToolId,
      method: e.method,
      status: e.status,
      carriesPersonalData: bool(e.carriesPersonalData),
    }));
  const connected = new Set(edges.filter((e) => e.status === 'ACTIVE').flatMap((e) => [e.sourceToolId, e.targetToolId]));
  const categories = new Map();
  const nodes = rawNodes.map((rawNode) => {
    if (!categories.has(rawNode.categoryId)) categories.set(rawNode.categoryId, { id: rawNode.categoryId, name: rawNode.categoryName });
    return {
      id: rawNode.id,
      name: rawNode.name,
      categoryId: rawNode.categoryId,
      categoryName: rawNode.categoryName,
      subcategoryId: rawNode.subcategoryId,
      subcategoryName: rawNode.subcategoryName,
      lifecycle: rawNode.lifecycle,
      itApproval: rawNode.itApproval,
      shadowIt: bool(rawNode.shadowIt),
      isSystemOfRecord: bool(rawNode.isSystemOfRecord),
      silo: rawNode.lifecycle === 'ACTIVE' && !connected.has(rawNode.id),
    };
  });
  return { nodes, edges, categories: [...categories.values()] };
}

// ------------------------------------------------------------------ server
const send = (res, status, body) => {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
};
const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/health') return send(res, 200, { status: 'ok' });
    const user = await authenticate(req);
    if (!user) return send(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'Sign in first' });
    const route = url.pathname.replace(/^\/api\/v1/, '');
    if (route === '/tools') return send(res, 200, await toolsList(url.searchParams));
    let match;
    if ((match = /^\/tools\/([0-9a-f-]{36})$/.exec(route))) {
      const detail = await toolDetail(match[1]);
      return detail ? send(res, 200, detail) : send(res, 404, { statusCode: 404 });
    }
    if (route === '/requests' && url.searchParams.get('queue') === 'awaiting-me')
      return send(res, 200, await awaitingMe(user, url.searchParams));
    if (route === '/reports/spend') return send(res, 200, await spendReport(url.searchParams));
    if (route === '/stack-map') return send(res, 200, await stackMap());
    return send(res, 404, { statusCode: 404 });
  } catch (err) {
    process.stderr.write(`${err.stack}\n`);
    return send(res, 500, { statusCode: 500 });
  }
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1', () =>
  process.stdout.write(`baseline listening on ${process.env.PORT}\n`),
);
process.on('SIGTERM', () => {
  server.close();
  pool.end().finally(() => process.exit(0));
});
void platform;
