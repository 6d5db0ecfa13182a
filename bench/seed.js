#!/usr/bin/env node
// `npm run bench:seed [-- --scale 1] [--seed 42] [--db mariadb://u:p@host:port/db | --db sqlite:<path>] [--anchor 2026-12]`
// Deterministic benchmark data set. At scale 1: 10,000 tools, 20,000 integrations, 12,000 contracts
// over 36 months, 200,000 spend entries (about 1,000,000 ledger rows) and 5,000 requests.
//
// Write paths: users, cost centers, vendors, FX rates, budgets, tools (+ IT approvals), integrations
// and requests go through the product's own services (createInTransaction…, batched in transactions).
// Contracts, spend entries and their ledger rows take a bulk path (bench/bulk-rows.js) built from the
// product's pure functions; the self-check below proves on a scratch SQLite database that it writes
// the same rows as ContractsService / SpendEntriesService. Tools' annual cost is then refreshed by
// the product's LedgerService.refreshToolAnnualCost.
//
// Without --db it starts a throwaway MariaDB under /tmp (scripts/mariadb-throwaway.js) and leaves it
// running for `npm run bench`, recording it in /tmp/stackgate-bench/state.json;
// `node bench/seed.js --stop` stops it and deletes its data dir.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { buildIfStale } = require('../scripts/build-if-stale');
const { startMariadb, mariadbAvailable } = require('../scripts/mariadb-throwaway');
const lib = require('./lib');

const { dist, parseArgs, mulberry32, timer, pool, BENCH_PASSWORD } = lib;

function log(msg) { process.stdout.write(`${msg}\n`); }

async function bootApp(dbUrl) {
  const platform = dist('libs/platform/src/index.js');
  const { createApp } = dist('apps/api/src/setup.js');
  const config = platform.loadConfig({
    NODE_ENV: 'test', DB_URL: dbUrl, LOG_LEVEL: 'warn', JOBS_ENABLED: 'false', SEED_DEMO: 'false', DB_POOL_SIZE: '12',
    JWT_SECRET: crypto.randomBytes(32).toString('hex'), IMPORT_MAX_ROWS: '50000',
  });
  const app = await createApp(config);
  return { app, config };
}

const pad = (n) => String(n).padStart(2, '0');
/** yyyy-mm of anchor shifted by n months. */
function monthShift(anchor, months) {
  const [year, month] = anchor.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

function allocationFor(rng, centers) {
  const roll = rng.next();
  if (roll < 0.3) return null;
  const parts = roll < 0.7 ? 2 : 3;
  const chosen = [];
  while (chosen.length < parts) { const center = rng.pick(centers); if (!chosen.includes(center)) chosen.push(center); }
  const shares = parts === 2 ? [rng.pick([5000, 6000, 7000, 7500]), 0] : [rng.pick([3334, 4000, 5000]), rng.pick([2500, 3000, 3333]), 0];
  shares[parts - 1] = 10000 - shares.slice(0, parts - 1).reduce((a, b) => a + b, 0);
  return chosen.map((c, i) => ({ costCenterId: c.id, shareBps: shares[i] }));
}

const amount = (minor, currency = 'EUR') => ({ amount: (Number(minor) / 100).toFixed(2), currency });

// ------------------------------------------------------------------------------------- self-check

/**
 * Creates one contract and one spend entry through the real services on a scratch SQLite database,
 * builds the bulk path's rows for the same inputs, and compares every column but ids and timestamps.
 */
async function selfCheck() {
  const elapsed = timer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgate-bench-check-'));
  const { app } = await bootApp(`sqlite:${path.join(dir, 'check.sqlite')}`);
  try {
    const catalog = dist('libs/catalog/src/index.js');
    const finance = dist('libs/finance/src/index.js');
    const identity = dist('libs/identity/src/index.js');
    const bulk = require('./bulk-rows');
    const ds = app.get(require('typeorm').DataSource);
    // The product's transaction helper: serialised on SQLite, retried on a lost race on MariaDB.
    const { withTransaction } = dist('libs/platform/src/index.js');
    const user = await withTransaction(ds, (m) =>
      app
        .get(identity.UsersService)
        .createWith(m, { email: 'check@bench.local', displayName: 'Check', password: BENCH_PASSWORD, roles: ['ADMIN', 'FINANCE', 'IT'] }),
    );
    const actor = { id: user.id, email: user.email, displayName: 'Check', roles: ['ADMIN', 'FINANCE', 'IT'] };
    const cc = [];
    for (const [code, kind] of [['CHK-M', 'MARKETING'], ['CHK-I', 'IT'], ['CHK-O', 'OTHER']]) cc.push(await app.get(catalog.CostCentersService).create(actor, { code, name: code, kind }));
    const vendor = await app.get(catalog.VendorsService).create(actor, { name: 'Check vendor' });
    const [sub] = await ds.query('SELECT id FROM categories WHERE parentId IS NOT NULL ORDER BY name LIMIT 1');
    const toolRes = await app.get(catalog.ToolsService).create(actor, {
      name: 'Check tool', vendorId: vendor.id, subcategoryId: sub.id, capabilities: ['x'], budgetOwnerId: cc[0].id,
      allocation: [{ costCenterId: cc[0].id, shareBps: 3334 }, { costCenterId: cc[1].id, shareBps: 3333 }, { costCenterId: cc[2].id, shareBps: 3333 }],
    });
    const contractDto = {
      toolId: toolRes.id, reference: 'CHK-1', startDate: '2025-11-01', termMonths: 14, billing: 'ANNUAL', amount: { amount: '12345.67', currency: 'EUR' },
      costType: 'LICENSE', seats: 10, autoRenew: true, noticeDays: 60,
    };
    const viaService = await app.get(finance.ContractsService).create(actor, contractDto);
    const spendDto = {
      date: '2026-02-17',
      toolId: toolRes.id,
      contractId: viaService.id,
      costType: 'LICENSE',
      amount: { amount: '1000.01', currency: 'EUR' },
      description: 'check',
      externalRef: 'CHK-INV-1',
    };
    const spendViaService = await app.get(finance.SpendEntriesService).create(actor, spendDto);

    const tool = await ds.getRepository(catalog.Tool).findOneByOrFail({ id: toolRes.id });
    const kinds = new Map(cc.map((c) => [c.id, c.kind]));
    const now = new Date();
    const contract = bulk.contractRow(contractDto, tool, actor.id, now);
    const storedC = await ds.getRepository(finance.Contract).findOneByOrFail({ id: viaService.id });
    const entry = bulk.spendRow(spendDto, actor.id, now);
    const storedE = await ds.getRepository(finance.SpendEntry).findOneByOrFail({ id: spendViaService.id });
    const problems = [];
    const cmp = (what, bulkRow, serviceRow) => {
      const strip = (row) => {
        const { id: _i, createdAt: _c, updatedAt: _u, sourceId: _s, ...rest } = row;
        return JSON.stringify(Object.fromEntries(Object.keys(rest).sort().map((k) => [k, rest[k]])), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
      };
      if (strip(bulkRow) !== strip(serviceRow)) problems.push(`${what}:\n  bulk    ${strip(bulkRow)}\n  service ${strip(serviceRow)}`);
    };
    cmp('contract', { ...contract }, { ...storedC });
    cmp('spend entry', { ...entry, contractId: storedE.contractId }, { ...storedE });
    const order = (rows) => rows.map((r) => ({ ...r })).sort((x, y) => `${x.sourceType}${x.month}${x.costCenterId}`.localeCompare(`${y.sourceType}${y.month}${y.costCenterId}`));
    const ledgerOf = async (sourceType, sourceId) => order(await ds.getRepository(finance.LedgerEntry).find({ where: { sourceType, sourceId } }));
    const bulkC = order(bulk.contractLedgerRows(contract, tool, kinds, now));
    const svcC = await ledgerOf('CONTRACT', viaService.id);
    const bulkE = order(bulk.spendLedgerRows({ ...entry, contractId: storedC.id }, tool, storedC, kinds, now));
    const svcE = await ledgerOf('SPEND', spendViaService.id);
    if (bulkC.length !== svcC.length || !svcC.length) problems.push(`contract ledger rows: bulk ${bulkC.length}, service ${svcC.length}`);
    if (bulkE.length !== svcE.length || !svcE.length) problems.push(`spend ledger rows: bulk ${bulkE.length}, service ${svcE.length}`);
    bulkC.forEach((r, i) => svcC[i] && cmp(`contract ledger row ${i}`, r, svcC[i]));
    bulkE.forEach((r, i) => svcE[i] && cmp(`spend ledger row ${i}`, r, svcE[i]));
    // Round trip: the bulk rows, once inserted and read back, equal the service's rows too.
    await withTransaction(ds, async (manager) => {
      await bulk.insertChunked(manager, finance.Contract, [contract], 10);
      await bulk.insertChunked(manager, finance.LedgerEntry, bulkC.map((r) => ({ ...r, sourceId: contract.id })), 100);
      await app.get(finance.LedgerService).addTotals(manager, bulkC);
    });
    cmp('re-read contract', { ...(await ds.getRepository(finance.Contract).findOneByOrFail({ id: contract.id })) }, { ...storedC });
    const reread = await ledgerOf('CONTRACT', contract.id);
    reread.forEach((r, i) => cmp(`re-read contract ledger row ${i}`, r, svcC[i]));
    // ledger_totals, written by the services and by the bulk path, still sums exactly the ledger.
    for (const drift of await finance.totalsDrift(ds.manager)) problems.push(`ledger_totals differs at ${drift.key}: ledger ${drift.ledger}, totals ${drift.totals}`);
    if (problems.length) throw new Error(`self-check FAILED: the bulk path differs from the services\n${problems.join('\n')}`);
    log(
      `self-check passed in ${elapsed()} s: contract (${svcC.length} ledger rows) and spend entry (${svcE.length} ` +
        `rows) written by the bulk path equal the services' rows`,
    );
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------- seed

async function seed(app, config, opts) {
  const { DataSource } = require('typeorm');
  const catalog = dist('libs/catalog/src/index.js');
  const finance = dist('libs/finance/src/index.js');
  const identity = dist('libs/identity/src/index.js');
  const integrations = dist('libs/integrations/src/index.js');
  const procurement = dist('libs/procurement/src/index.js');
  const bulk = require('./bulk-rows');
  const ds = app.get(DataSource);
  const { withTransaction } = dist('libs/platform/src/index.js');
  const rng = mulberry32(opts.seed);
  const scale = opts.scale;
  const counts = {
    tools: Math.round(10000 * scale), integrations: Math.round(20000 * scale), contracts: Math.round(12000 * scale),
    spend: Math.round(200000 * scale), requests: Math.round(5000 * scale), vendors: Math.max(20, Math.round(2500 * scale)),
  };
  const conc = opts.sqlite ? 1 : 4;
  const timings = {};
  const step = async (name, fn) => { const elapsed = timer(); const result = await fn(); timings[name] = elapsed(); log(`  ${name.padEnd(26)} ${timings[name].padStart(7)} s`); return result; };
  if ((await ds.getRepository(catalog.Tool).count()) > 0) throw new Error('the database already has tools: seed an empty database (a fresh --db, or no --db for a throwaway server)');
  const anchor = opts.anchor;
  const firstMonth = monthShift(anchor, -35);
  log(`seeding scale ${scale} (seed ${opts.seed}), 36 months ${firstMonth} … ${anchor}`);

  // Users: one per role plus enough deciders and requesters.
  const people = {};
  await step('users', () => withTransaction(ds, async (manager) => {
    const specs = [['admin', ['ADMIN']], ['cmo1', ['CMO']], ['cmo2', ['CMO']], ['cmo3', ['CMO']], ['cio1', ['CIO']], ['cio2', ['CIO']],
      ['it1', ['IT']], ['it2', ['IT']], ['finance1', ['FINANCE']], ['finance2', ['FINANCE']]];
    for (let i = 1; i <= 12; i++) specs.push([`marketer${i}`, ['MARKETER']]);
    for (const [key, roles] of specs) {
      const user = await app.get(identity.UsersService).createWith(manager, { email: `${key}@bench.stackgate.local`, displayName: key, password: BENCH_PASSWORD, roles });
      people[key] = { id: user.id, email: user.email, displayName: key, roles };
    }
  }));
  const marketers = Object.keys(people).filter((k) => k.startsWith('marketer')).map((k) => people[k]);

  const centers = await step('cost centers', async () => {
    const out = [];
    const defs = [['MKT', 'MARKETING', 6], ['IT', 'IT', 5], ['OPS', 'OTHER', 2]];
    for (const [prefix, kind, count] of defs) {
      for (let i = 1; i <= count; i++)
        out.push(
          await app
            .get(catalog.CostCentersService)
            .create(people.admin, { code: `${prefix}-${pad(i)}`, name: `${kind.toLowerCase()} ${i}`, kind, ownerId: null }),
        );
    }
    return out;
  });
  const kinds = new Map(centers.map((c) => [c.id, c.kind]));

  const vendorIds = await step('vendors', async () => {
    const ids = [];
    const svc = app.get(catalog.VendorsService);
    for (let batchStart = 0; batchStart < counts.vendors; batchStart += 500) {
      await withTransaction(ds, async (manager) => {
        for (let i = batchStart; i < Math.min(counts.vendors, batchStart + 500); i++)
          ids.push((await svc.createInTransaction(manager, people.marketer1, { name: `Vendor ${String(i + 1).padStart(5, '0')}` })).id);
      });
    }
    return ids;
  });

  const subs = await ds.query('SELECT id, name FROM categories WHERE parentId IS NOT NULL AND active = 1 ORDER BY name');
  const CAPS = [
    'email',
    'crm',
    'analytics',
    'ads',
    'seo',
    'social',
    'cms',
    'personalization',
    'webinars',
    'chat',
    'surveys',
    'abm',
    'attribution',
    'cdp',
    'dam',
    'video',
    'forms',
    'reporting',
    'enrichment',
    'sms',
  ];

  // Tools through ToolsService.createInTransaction (validation, capability rows, audit), then IT approvals.
  const toolMeta = [];
  await step('tools', async () => {
    const svc = app.get(catalog.ToolsService);
    const batches = [];
    for (let batchStart = 0; batchStart < counts.tools; batchStart += 250) batches.push(batchStart);
    const specs = [];
    for (let i = 0; i < counts.tools; i++) {
      const caps = [...new Set([rng.pick(CAPS), rng.pick(CAPS), rng.pick(CAPS)].slice(0, rng.int(1, 3)))];
      const budgetOwner = rng.pick(centers);
      specs.push({
        name: `Tool ${String(i + 1).padStart(5, '0')} ${rng.pick(['Cloud', 'Hub', 'Suite', 'IQ', 'Flow', 'Pro', 'Engage'])}`,
        vendorId: rng.pick(vendorIds), subcategoryId: rng.pick(subs).id, description: `Benchmark tool ${i + 1} for ${caps.join(', ')}`,
        capabilities: caps, lifecycle: rng.weighted([['ACTIVE', 78], ['APPROVED', 5], ['PROPOSED', 4], ['SUNSETTING', 6], ['RETIRED', 7]]),
        businessOwnerId: rng.pick(marketers).id, technicalOwnerId: rng.chance(0.6) ? rng.pick([people.it1, people.it2]).id : null,
        budgetOwnerId: budgetOwner.id, allocation: allocationFor(rng, centers),
        dataClassification: rng.pick(['NONE', 'INTERNAL', 'PERSONAL', 'SENSITIVE_PERSONAL']), ssoEnabled: rng.chance(0.6),
        hostingRegion: rng.pick(['EU', 'US', 'EU', null]), isSystemOfRecord: rng.chance(0.05), licensedSeats: rng.int(1, 500), activeUsers: rng.int(1, 400), website: null,
        approval: rng.weighted([['APPROVED', 55], ['APPROVED_WITH_CONDITIONS', 15], ['REJECTED', 5], [null, 25]]),
      });
    }
    await pool(batches, conc, (b) => withTransaction(ds, async (manager) => {
      for (let i = b; i < Math.min(counts.tools, b + 250); i++) {
        const { approval, ...dto } = specs[i];
        const tool = await svc.createInTransaction(manager, people.it1, dto);
        if (approval) {
          await svc.setItApprovalInTransaction(manager, people.cio1, tool.id, {
            status: approval, rationale: 'Security review passed (SSO, SOC 2, DPA).', conditions: approval === 'APPROVED_WITH_CONDITIONS' ? 'EU data residency only.' : null,
          });
        }
        toolMeta[i] = { id: tool.id, lifecycle: dto.lifecycle };
      }
    }));
  });

  await step('integrations', async () => {
    const svc = app.get(integrations.IntegrationsService);
    const live = toolMeta.filter((t) => t.lifecycle !== 'RETIRED' && t.lifecycle !== 'PROPOSED');
    const seen = new Set();
    const specs = [];
    while (specs.length < counts.integrations) {
      const source = rng.pick(live); const target = rng.pick(live);
      const method = rng.pick(['NATIVE', 'API', 'IPAAS', 'FILE', 'MANUAL']);
      const key = `${source.id}|${target.id}|${method}`;
      if (source.id === target.id || seen.has(key)) continue;
      seen.add(key);
      specs.push({
        sourceToolId: source.id, targetToolId: target.id, dataObjects: [rng.pick(['contacts', 'leads', 'events', 'orders', 'accounts', 'campaigns'])], method,
        frequency: rng.pick(['REALTIME', 'HOURLY', 'DAILY', 'WEEKLY', 'AD_HOC']), status: rng.weighted([['ACTIVE', 80], ['PLANNED', 10], ['BROKEN', 5], ['RETIRED', 5]]),
        carriesPersonalData: rng.chance(0.4), ownerId: rng.pick([people.it1, people.it2]).id,
      });
    }
    const batches = [];
    for (let batchStart = 0; batchStart < specs.length; batchStart += 500) batches.push(batchStart);
    await pool(batches, conc, (b) => withTransaction(ds, async (manager) => {
      for (let i = b; i < Math.min(specs.length, b + 500); i++) await svc.createInTransaction(manager, people.it1, specs[i]);
    }));
  });

  // FX rates (USD) for every month a contract or entry can touch, through FxRatesService.
  await step('fx rates', async () => {
    const fx = app.get(finance.FxRatesService);
    for (let i = -40; i <= 40; i++) await fx.create({ currency: config.baseCurrency === 'USD' ? 'EUR' : 'USD', month: monthShift(anchor, i), rate: `0.${9000 + ((i + 40) * 37) % 400}` });
  });
  const foreign = config.baseCurrency === 'USD' ? 'EUR' : 'USD';

  await step('budgets', async () => {
    const budgets = app.get(finance.BudgetsService);
    const [ay] = anchor.split('-').map(Number);
    for (const fy of [ay - 2, ay - 1, ay, ay + 1])
      for (const center of centers)
        await budgets.create({
          costCenterId: center.id,
          fiscalYear: fy,
          amount: { amount: `${rng.int(200, 900)}000.00`, currency: config.baseCurrency },
        });
  });

  // Contracts and spend: bulk path (bench/bulk-rows.js), in transactions of multi-row INSERTs.
  const tools = new Map((await ds.getRepository(catalog.Tool).find()).map((t) => [t.id, t]));
  const ledgerService = app.get(finance.LedgerService);
  const paying = toolMeta.filter((t) => t.lifecycle !== 'PROPOSED').map((t) => tools.get(t.id));
  let ledgerCount = 0;
  const contractsByTool = new Map();
  await step('contracts + ledger', async () => {
    let batch = []; let ledger = [];
    const flush = async () => {
      await withTransaction(ds, async (manager) => {
        await bulk.insertChunked(manager, finance.Contract, batch, 300);
        await bulk.insertChunked(manager, finance.LedgerEntry, ledger, 1000);
        await ledgerService.addTotals(manager, ledger);
      });
      ledgerCount += ledger.length; batch = []; ledger = [];
    };
    for (let i = 0; i < counts.contracts; i++) {
      const tool = rng.pick(paying);
      const billing = rng.weighted([['MONTHLY', 40], ['QUARTERLY', 20], ['ANNUAL', 35], ['ONE_TIME', 5]]);
      const currency = rng.chance(0.15) ? foreign : config.baseCurrency;
      const perPeriod = { MONTHLY: rng.int(20000, 500000), QUARTERLY: rng.int(60000, 1500000), ANNUAL: rng.int(200000, 6000000), ONE_TIME: rng.int(100000, 3000000) }[billing];
      const dto = {
        toolId: tool.id, reference: `BENCH-C-${i + 1}`, startDate: `${monthShift(anchor, -rng.int(0, 35))}-01`, termMonths: rng.weighted([[12, 3], [24, 4], [36, 3]]),
        billing, amount: amount(perPeriod, currency), costType: rng.weighted([['LICENSE', 70], ['IMPLEMENTATION', 10], ['OPERATIONS', 10], ['INFRASTRUCTURE', 7], ['TRAINING', 3]]),
        seats: rng.int(1, 300), autoRenew: rng.chance(0.6), noticeDays: rng.pick([0, 30, 60, 90]), internalLeadDays: 30,
        allocation: rng.chance(0.15) ? allocationFor(rng, centers) : undefined,
      };
      const contract = bulk.contractRow(dto, tool, people.finance1.id, new Date());
      batch.push(contract);
      for (const row of bulk.contractLedgerRows(contract, tool, kinds, contract.createdAt)) ledger.push(row);
      if (!contractsByTool.has(tool.id)) contractsByTool.set(tool.id, []);
      contractsByTool.get(tool.id).push(contract);
      if (batch.length >= 500) await flush();
    }
    if (batch.length) await flush();
  });
  const contractLedger = ledgerCount;

  await step('tool annual costs', async () => {
    const ledgerSvc = app.get(finance.LedgerService);
    const ids = [...contractsByTool.keys()];
    const batches = [];
    for (let batchStart = 0; batchStart < ids.length; batchStart += 500) batches.push(ids.slice(batchStart, batchStart + 500));
    await pool(batches, conc, (chunk) => withTransaction(ds, async (manager) => { for (const id of chunk) await ledgerSvc.refreshToolAnnualCost(manager, id, `${anchor}-15`); }));
  });

  await step('spend entries + ledger', async () => {
    let batch = []; let ledger = [];
    const flush = async () => {
      await withTransaction(ds, async (manager) => {
        await bulk.insertChunked(manager, finance.SpendEntry, batch, 500);
        await bulk.insertChunked(manager, finance.LedgerEntry, ledger, 1000);
        await ledgerService.addTotals(manager, ledger);
      });
      ledgerCount += ledger.length; batch = []; ledger = [];
    };
    for (let i = 0; i < counts.spend; i++) {
      const tool = rng.pick(paying);
      const month = monthShift(anchor, -rng.int(0, 35));
      const date = `${month}-${pad(rng.int(1, 28))}`;
      const cs = (contractsByTool.get(tool.id) ?? []).filter((c) => c.startDate <= date && c.endDate >= date);
      const contract = cs.length && rng.chance(0.7) ? rng.pick(cs) : null;
      const dto = {
        date, toolId: tool.id, contractId: contract?.id, costType: contract?.costType ?? rng.pick(['OPERATIONS', 'INFRASTRUCTURE', 'IMPLEMENTATION', 'TRAINING']),
        amount: amount(rng.int(5000, 2500000), contract?.currency ?? config.baseCurrency), description: `Invoice ${i + 1}`, externalRef: `BENCH-INV-${i + 1}`,
        allocation: rng.chance(0.05) ? allocationFor(rng, centers) ?? undefined : undefined,
      };
      const entry = bulk.spendRow(dto, people.finance1.id, new Date());
      batch.push(entry);
      for (const row of bulk.spendLedgerRows(entry, tool, contract, kinds, entry.createdAt)) ledger.push(row);
      if (batch.length >= 2000) await flush();
    }
    if (batch.length) await flush();
  });

  // Requests through RequestsService: every state a reviewer meets. cmo1 decides none, so its
  // awaiting-me queue is every MARKETING-stage request (paged 50 at a time).
  const reqCounts = {};
  await step('requests', async () => {
    const svc = app.get(procurement.RequestsService);
    const live = toolMeta.filter((t) => t.lifecycle === 'ACTIVE');
    const specs = [];
    for (let i = 0; i < counts.requests; i++) {
      const state = rng.weighted([['DRAFT', 10], ['AT_MARKETING', 45], ['AT_IT', 20], ['AT_FINANCE', 5], ['APPROVED', 8], ['REJECTED', 6], ['CHANGES', 6]]);
      const requester = rng.pick(marketers);
      const cost = state === 'AT_FINANCE' ? rng.int(5000000, 20000000) : rng.int(100000, 4900000);
      const expansion = state !== 'APPROVED' && rng.chance(0.3);
      const dto = {
        type: expansion ? 'EXPANSION' : 'NEW_TOOL', title: `Request ${i + 1}: ${expansion ? 'more seats' : 'new tool'} for ${rng.pick(CAPS)}`,
        businessCase: `Request ${i + 1}: the team loses hours every week doing this by hand.`,
        estimatedAnnualCost: amount(cost, config.baseCurrency), allocation: [{ costCenterId: rng.pick(centers).id, shareBps: 10000 }],
        dataCategories: [rng.pick(['contacts', 'behavioural', 'none'])],
        requiredIntegrations: rng.chance(0.5) ? [{ toolId: rng.pick(live).id, direction: rng.pick(['INBOUND', 'OUTBOUND', 'BIDIRECTIONAL']), dataObjects: ['contacts'] }] : [],
      };
      if (expansion) dto.toolId = rng.pick(live).id;
      else
        dto.proposedTool = {
          name: `Proposed ${String(i + 1).padStart(5, '0')}`,
          vendorName: `Vendor ${String(rng.int(1, counts.vendors)).padStart(5, '0')}`,
          subcategoryId: rng.pick(subs).id,
          capabilities: [rng.pick(CAPS)],
        };
      if (dto.requiredIntegrations.length && dto.requiredIntegrations[0].toolId === dto.toolId) dto.requiredIntegrations = [];
      specs.push({ state, requester, dto, cmo: rng.pick([people.cmo2, people.cmo3]), cio: rng.pick([people.cio1, people.cio2]) });
      reqCounts[state] = (reqCounts[state] ?? 0) + 1;
    }
    const versionOf = async (id) => Number((await ds.query('SELECT version FROM tool_requests WHERE id = ?', [id]))[0].version);
    const decide = async (u, id, stage, decision, more = {}) => svc.decide(u, id, { stage, decision, version: await versionOf(id), ...more });
    // Each request's own steps run in order; different requests share no rows, so on MariaDB
    // 8 of them run at once (the step is wait-bound: a few small transactions per request).
    await pool(specs, opts.sqlite ? 1 : 8, async (spec) => {
      const request = await svc.create(spec.requester, spec.dto);
      if (spec.state === 'DRAFT') return;
      await svc.submit(spec.requester, request.id, await versionOf(request.id));
      if (spec.state === 'AT_MARKETING') return;
      if (spec.state === 'REJECTED') return decide(spec.cmo, request.id, 'MARKETING', 'REJECT', { comment: 'Consolidate first.' });
      if (spec.state === 'CHANGES') return decide(spec.cmo, request.id, 'MARKETING', 'REQUEST_CHANGES', { comment: 'Add the expected reach.' });
      await decide(spec.cmo, request.id, 'MARKETING', 'APPROVE');
      if (spec.state === 'AT_IT') return;
      // The IT stage is approved only on an IT assessment of the round.
      await svc.assess(people.it1, request.id, { ssoSupported: true, securityAttestation: 'SOC2', dpaInPlace: true, dataResidency: 'EU' });
      await decide(spec.cio, request.id, 'IT', spec.state === 'APPROVED' ? 'APPROVE_WITH_CONDITIONS' : 'APPROVE', { conditions: spec.state === 'APPROVED' ? 'EU data residency.' : null });
      if (spec.state === 'AT_FINANCE') return;
    });
  });

  const count = async (t) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
  const summary = {};
  for (const table of ['users', 'cost_centers', 'vendors', 'tools', 'integrations', 'contracts', 'spend_entries', 'ledger_entries', 'tool_requests', 'review_stages', 'audit_events']) {
    try { summary[table] = await count(table); } catch { /* table name differs */ }
  }
  if (!opts.sqlite) await ds.query('ANALYZE TABLE ledger_entries, tools, integrations, tool_requests, review_stages, contracts, spend_entries');
  return {
    timings,
    summary,
    requests: reqCounts,
    ledger: { contract: contractLedger, spend: ledgerCount - contractLedger },
    anchor,
    firstMonth,
    users: Object.fromEntries(Object.entries(people).map(([k, u]) => [k, u.email])),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.stop) { lib.stopRecordedMariadb(log); return; }
  const scale = Number(args.scale ?? 1);
  if (!(scale > 0 && scale <= 10)) throw new Error('--scale must be a number in (0, 10]');
  const seedValue = Number(args.seed ?? 42);
  const now = new Date();
  const anchor = typeof args.anchor === 'string' ? args.anchor : `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}`;
  if (!/^\d{4}-\d{2}$/.test(anchor)) throw new Error('--anchor is yyyy-mm');
  buildIfStale();
  const total = timer();
  if (!args['skip-check']) await selfCheck();
  if (args['check-only']) return;

  let dbUrl = typeof args.db === 'string' ? args.db : null;
  let server = null;
  if (!dbUrl) {
    const prev = lib.readState();
    if (prev?.mariadb?.pid && lib.pidAlive(prev.mariadb.pid)) throw new Error(`a benchmark MariaDB is already running (pid ${prev.mariadb.pid}); run \`node bench/seed.js --stop\` first`);
    if (!mariadbAvailable()) throw new Error('mariadbd is not installed (apt-get install mariadb-server), or pass --db');
    server = await startMariadb({ log });
    // The whole data set (about 600 MB with indexes) fits in memory, as on a sized production server.
    server.sql("SET GLOBAL innodb_buffer_pool_size = 1073741824; CREATE DATABASE stackgate_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;");
    dbUrl = `${server.adminUrl}/stackgate_bench`;
    lib.writeState({ mariadb: { pid: server.pid, dir: server.dir, port: server.port, socket: server.socket }, dbUrl });
  }
  const sqlite = dbUrl.startsWith('sqlite:');
  const elapsed = timer();
  const { app, config } = await bootApp(dbUrl);
  log(`migrated ${dbUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')} in ${elapsed()} s`);
  let result;
  try {
    result = await seed(app, config, { scale, seed: seedValue, anchor, sqlite });
  } finally {
    await app.close();
  }
  lib.writeState({ ...(lib.readState() ?? {}), dbUrl, scale, seed: seedValue, ...result });
  log(`rows: ${JSON.stringify(result.summary)}`);
  log(`ledger rows: ${result.ledger.contract} from contracts + ${result.ledger.spend} from spend; requests: ${JSON.stringify(result.requests)}`);
  const running = server ? `; MariaDB left running (pid ${server.pid}) for \`npm run bench\` — stop it with \`node bench/seed.js --stop\`` : '';
  log(`seeded in ${total()} s total${running}`);
}

main().then(() => process.exit(0), (err) => { process.stderr.write(`bench:seed failed: ${err.stack || err.message}\n`); process.exit(1); });
