// `npm run bench:seed [-- --scale 1] [--seed 42] [--db mariadb://u:p@host:port/db | --db sqlite:<path>] [--anchor 2026-12] [--skip-check] [--check-only] [--stop]`
// Deterministic benchmark data set. At scale 1: 10,000 tools, 20,000 integrations, 12,000 contracts
// over 36 months, 200,000 spend entries (about 1,000,000 ledger rows) and 5,000 requests. Above scale 1
// the catalog stays that size and the history grows (seedCounts): scale 10 is 120,000 contracts and
// 2,000,000 spend entries over 120 months (about 10,000,000 ledger rows) and 50,000 requests.
//
// Write paths: users, cost centers, vendors, FX rates, budgets, tools (+ IT approvals), integrations
// and requests go through the product's own services (createInTransaction…, batched in transactions).
// Contracts, spend entries and their ledger rows take a bulk path (bench/bulk-rows.ts) built from the
// product's pure functions; the self-check below proves on a scratch SQLite database that it writes
// the same rows as ContractsService / SpendEntriesService. Tools' annual cost is then refreshed by
// the product's LedgerService.refreshToolAnnualCost.
//
// Without --db it starts a throwaway MariaDB under /tmp (scripts/mariadb-throwaway.js) and leaves it
// running for `npm run bench`, recording it in $BENCH_DIR/state.json (default /tmp/stackgate-bench: another
// BENCH_DIR keeps a second data set and server apart);
// `npm run bench:seed -- --stop` stops it and deletes its data dir.
//
// Built as the Nest project `bench` (bench/tsconfig.json) into dist/bench, with the libs it imports
// through @stackgate/*; `npm run bench:seed` builds it when a source changed, then runs it.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  CostCenterKind,
  CostCentersService,
  CreateToolDto,
  DataClassification,
  ItApprovalStatus,
  Lifecycle,
  Tool,
  ToolsService,
  VendorsService,
} from '@stackgate/catalog';
import {
  Billing,
  BudgetsService,
  Contract,
  ContractsService,
  CostType,
  FxRatesService,
  LedgerEntry,
  LedgerService,
  LedgerSource,
  SpendEntriesService,
  SpendEntry,
  totalsDrift,
} from '@stackgate/finance';
import { UsersService } from '@stackgate/identity';
import {
  CreateIntegrationDto,
  IntegrationFrequency,
  IntegrationMethod,
  IntegrationStatus,
  IntegrationsService,
} from '@stackgate/integrations';
import { AppConfig, AuthUser, insertRows, loadConfig, Role, withTransaction } from '@stackgate/platform';
import { CreateRequestDto, Decision, RequestsService, RequestType, SecurityAttestation, Stage } from '@stackgate/procurement';
import { createApp } from '../apps/api/src/setup';
import {
  contractLedgerRows,
  contractRow,
  CostCenterKinds,
  CreateContractDto,
  CreateSpendEntryDto,
  LedgerRow,
  spendLedgerRows,
  spendRow,
} from './bulk-rows';
import type * as BenchLib from './lib';

/** The repository: the directory of nest-cli.json above this file (which runs from dist/bench/bench/). */
function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'nest-cli.json'))) return dir;
    if (dir === path.dirname(dir)) throw new Error(`no nest-cli.json above ${from}`);
  }
}
const ROOT = repositoryRoot(__dirname);

interface ThrowawayMariadb {
  adminUrl: string;
  pid: number;
  dir: string;
  port: number;
  socket: string;
  sql(q: string): Buffer;
}
// The plain-JS helpers that every bench script shares (typed by bench/lib.d.ts) and the throwaway
// MariaDB of the test scripts, loaded from the repository (they are not part of this build).
/* eslint-disable @typescript-eslint/no-require-imports */
const lib = require(path.join(ROOT, 'bench/lib.js')) as typeof BenchLib;
const { startMariadb, mariadbAvailable } = require(path.join(ROOT, 'scripts/mariadb-throwaway.js')) as {
  startMariadb: (opts: { log(msg: string): void }) => Promise<ThrowawayMariadb>;
  mariadbAvailable: () => boolean;
};
/* eslint-enable @typescript-eslint/no-require-imports */
const { parseArgs, mulberry32, timer, pool, BENCH_PASSWORD } = lib;
type Rng = BenchLib.Rng;

function log(msg: string): void {
  process.stdout.write(`${msg}\n`);
}

async function bootApp(dbUrl: string): Promise<{ app: NestExpressApplication; config: AppConfig }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DB_URL: dbUrl,
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    SEED_DEMO: 'false',
    DB_POOL_SIZE: '12',
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    IMPORT_MAX_ROWS: '50000',
  });
  const app = await createApp(config);
  return { app, config };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** yyyy-mm of anchor shifted by `months` months. */
function monthShift(anchor: string, months: number): string {
  const [year, month] = anchor.split('-').map(Number);
  const monthIndex = year * 12 + (month - 1) + months;
  return `${Math.floor(monthIndex / 12)}-${pad((monthIndex % 12) + 1)}`;
}

interface SeededCostCenter {
  id: string;
  kind: CostCenterKind;
}
type Allocation = { costCenterId: string; shareBps: number }[];

function allocationFor(rng: Rng, centers: SeededCostCenter[]): Allocation | null {
  const draw = rng.next();
  if (draw < 0.3) return null;
  const centerCount = draw < 0.7 ? 2 : 3;
  const chosen: SeededCostCenter[] = [];
  while (chosen.length < centerCount) {
    const center = rng.pick(centers);
    if (!chosen.includes(center)) chosen.push(center);
  }
  const shares =
    centerCount === 2 ? [rng.pick([5000, 6000, 7000, 7500]), 0] : [rng.pick([3334, 4000, 5000]), rng.pick([2500, 3000, 3333]), 0];
  shares[centerCount - 1] = 10000 - shares.slice(0, centerCount - 1).reduce((a, b) => a + b, 0);
  return chosen.map((c, i) => ({ costCenterId: c.id, shareBps: shares[i] }));
}

const amount = (minor: number, currency = 'EUR') => ({ amount: (minor / 100).toFixed(2), currency });

/** An actor as the services take it (the signed-in user of a request). */
const actorOf = (user: { id: string; email: string }, displayName: string, roles: Role[]): AuthUser => ({
  id: user.id,
  email: user.email,
  displayName,
  roles,
});

// ------------------------------------------------------------------------------------- self-check

/**
 * Creates one contract and one spend entry through the real services on a scratch SQLite database,
 * builds the bulk path's rows for the same inputs, and compares every column but ids and timestamps.
 */
async function selfCheck(): Promise<void> {
  const elapsed = timer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgate-bench-check-'));
  const { app } = await bootApp(`sqlite:${path.join(dir, 'check.sqlite')}`);
  try {
    const ds = app.get(DataSource);
    const roles = [Role.ADMIN, Role.FINANCE, Role.IT];
    // The product's transaction helper: serialised on SQLite, retried on a lost race on MariaDB.
    const user = await withTransaction(ds, (m) =>
      app.get(UsersService).createWith(m, { email: 'check@bench.local', displayName: 'Check', password: BENCH_PASSWORD, roles }),
    );
    const actor = actorOf(user, 'Check', roles);
    const cc: SeededCostCenter[] = [];
    for (const [code, kind] of [
      ['CHK-M', CostCenterKind.MARKETING],
      ['CHK-I', CostCenterKind.IT],
      ['CHK-O', CostCenterKind.OTHER],
    ] as const) {
      cc.push(await app.get(CostCentersService).create(actor, { code, name: code, kind }));
    }
    const vendor = await app.get(VendorsService).create(actor, { name: 'Check vendor' });
    const [sub] = await ds.query<{ id: string }[]>('SELECT id FROM categories WHERE parentId IS NOT NULL ORDER BY name LIMIT 1');
    const toolRes = await app.get(ToolsService).create(actor, {
      name: 'Check tool',
      vendorId: vendor.id,
      subcategoryId: sub.id,
      capabilities: ['x'],
      budgetOwnerId: cc[0].id,
      allocation: [
        { costCenterId: cc[0].id, shareBps: 3334 },
        { costCenterId: cc[1].id, shareBps: 3333 },
        { costCenterId: cc[2].id, shareBps: 3333 },
      ],
    });
    const contractDto: CreateContractDto = {
      toolId: toolRes.id,
      reference: 'CHK-1',
      startDate: '2025-11-01',
      termMonths: 14,
      billing: Billing.ANNUAL,
      amount: { amount: '12345.67', currency: 'EUR' },
      costType: CostType.LICENSE,
      seats: 10,
      autoRenew: true,
      noticeDays: 60,
    };
    const viaService = await app.get(ContractsService).create(actor, contractDto);
    const spendDto: CreateSpendEntryDto = {
      date: '2026-02-17',
      toolId: toolRes.id,
      contractId: viaService.id,
      costType: CostType.LICENSE,
      amount: { amount: '1000.01', currency: 'EUR' },
      description: 'check',
      externalRef: 'CHK-INV-1',
    };
    const spendViaService = await app.get(SpendEntriesService).create(actor, spendDto);

    const tool = await ds.getRepository(Tool).findOneByOrFail({ id: toolRes.id });
    const kinds: CostCenterKinds = new Map(cc.map((c) => [c.id, c.kind]));
    const now = new Date();
    const bulkContract = contractRow(contractDto, tool, actor.id, now);
    const storedC = await ds.getRepository(Contract).findOneByOrFail({ id: viaService.id });
    const bulkSpendEntry = spendRow(spendDto, actor.id, now);
    const storedE = await ds.getRepository(SpendEntry).findOneByOrFail({ id: spendViaService.id });
    const problems: string[] = [];
    const strip = (row: object) => {
      const rest: Record<string, unknown> = { ...row };
      for (const key of ['id', 'createdAt', 'updatedAt', 'sourceId']) delete rest[key];
      return JSON.stringify(
        Object.fromEntries(
          Object.keys(rest)
            .sort()
            .map((k) => [k, rest[k]]),
        ),
        (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v),
      );
    };
    const compare = (what: string, bulk: object, service: object) => {
      if (strip(bulk) !== strip(service)) problems.push(`${what}:\n  bulk    ${strip(bulk)}\n  service ${strip(service)}`);
    };
    compare('contract', { ...bulkContract }, { ...storedC });
    compare('spend entry', { ...bulkSpendEntry, contractId: storedE.contractId }, { ...storedE });
    const inOrder = <R extends Pick<LedgerEntry, 'sourceType' | 'month' | 'costCenterId'>>(rows: R[]) =>
      rows
        .map((r) => ({ ...r }))
        .sort((x, y) => `${x.sourceType}${x.month}${x.costCenterId}`.localeCompare(`${y.sourceType}${y.month}${y.costCenterId}`));
    const ledgerOf = async (sourceType: LedgerSource, sourceId: string) =>
      inOrder(await ds.getRepository(LedgerEntry).find({ where: { sourceType, sourceId } }));
    const bulkC = inOrder(contractLedgerRows(bulkContract, tool, kinds, now));
    const svcC = await ledgerOf(LedgerSource.CONTRACT, viaService.id);
    const bulkE = inOrder(spendLedgerRows({ ...bulkSpendEntry, contractId: storedC.id }, tool, storedC, kinds, now));
    const svcE = await ledgerOf(LedgerSource.SPEND, spendViaService.id);
    if (bulkC.length !== svcC.length || !svcC.length) problems.push(`contract ledger rows: bulk ${bulkC.length}, service ${svcC.length}`);
    if (bulkE.length !== svcE.length || !svcE.length) problems.push(`spend ledger rows: bulk ${bulkE.length}, service ${svcE.length}`);
    bulkC.forEach((r, i) => svcC[i] && compare(`contract ledger row ${i}`, r, svcC[i]));
    bulkE.forEach((r, i) => svcE[i] && compare(`spend ledger row ${i}`, r, svcE[i]));
    // Round trip: the bulk rows, once inserted and read back, equal the service's rows too.
    await withTransaction(ds, async (manager) => {
      await insertRows(manager, Contract, [bulkContract], 10);
      await insertRows(
        manager,
        LedgerEntry,
        bulkC.map((r) => ({ ...r, sourceId: bulkContract.id })),
        100,
      );
      await app.get(LedgerService).addTotals(manager, bulkC);
    });
    compare('re-read contract', { ...(await ds.getRepository(Contract).findOneByOrFail({ id: bulkContract.id })) }, { ...storedC });
    const reread = await ledgerOf(LedgerSource.CONTRACT, bulkContract.id);
    reread.forEach((r, i) => compare(`re-read contract ledger row ${i}`, r, svcC[i]));
    // ledger_totals, written by the services and by the bulk path, still sums exactly the ledger.
    for (const drift of await totalsDrift(ds.manager))
      problems.push(`ledger_totals differs at ${drift.key}: ledger ${drift.ledger}, totals ${drift.totals}`);
    if (problems.length) throw new Error(`self-check FAILED: the bulk path differs from the services\n${problems.join('\n')}`);
    log(
      `self-check passed in ${elapsed()} s: contract (${svcC.length} ledger rows) and spend entry (${svcE.length} rows) ` +
        "written by the bulk path equal the services' rows",
    );
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------- seed

interface SeedOptions {
  scale: number;
  seed: number;
  anchor: string;
  sqlite: boolean;
}
interface SeedResult {
  timings: Record<string, string>;
  summary: Record<string, number>;
  requests: Record<string, number>;
  ledger: { contract: number; spend: number };
  anchor: string;
  firstMonth: string;
  users: Record<string, string>;
}

/**
 * What a scale seeds. Up to scale 1 everything grows with the scale over 36 months (scale 1: 10,000 tools,
 * 20,000 integrations, 2,500 vendors, 12,000 contracts, 200,000 spend entries, 5,000 requests). Above 1,
 * a larger enterprise keeps a catalog of the same size (tools, integrations and vendors stay at scale 1's)
 * and grows in history and activity: contracts, spend entries and requests grow with the scale, and the
 * months with it, from 36 at scale 1 to 120 (10 years) at scale 10, so each month holds about as many
 * contracts and invoices as at scale 1 times scale ÷ (months ÷ 36). Scale 10: ~10 million ledger rows.
 */
export function seedCounts(scale: number) {
  const catalog = Math.min(scale, 1);
  return {
    tools: Math.round(10000 * catalog),
    integrations: Math.round(20000 * catalog),
    vendors: Math.max(20, Math.round(2500 * catalog)),
    contracts: Math.round(12000 * scale),
    spend: Math.round(200000 * scale),
    requests: Math.round(5000 * scale),
    months: scale <= 1 ? 36 : Math.round(36 + ((scale - 1) * (120 - 36)) / 9),
  };
}

type RequestState = 'DRAFT' | 'AT_MARKETING' | 'AT_IT' | 'AT_FINANCE' | 'APPROVED' | 'REJECTED' | 'CHANGES';

async function seed(app: NestExpressApplication, config: AppConfig, opts: SeedOptions): Promise<SeedResult> {
  const ds = app.get(DataSource);
  const rng = mulberry32(opts.seed);
  const scale = opts.scale;
  const counts = seedCounts(scale);
  // Batches of new tools or integrations run one at a time: each new record starts an audit chain,
  // whose (absent) checkpoint the audit service reads with a row lock, and on MariaDB concurrent
  // batches of such reads lock the same index gap and deadlock again on every retry.
  const creators = 1;
  const timings: Record<string, string> = {};
  const step = async <R>(name: string, fn: () => Promise<R>): Promise<R> => {
    const elapsed = timer();
    const result = await fn();
    timings[name] = elapsed();
    log(`  ${name.padEnd(26)} ${timings[name].padStart(7)} s`);
    return result;
  };
  if ((await ds.getRepository(Tool).count()) > 0)
    throw new Error('the database already has tools: seed an empty database (a fresh --db, or no --db for a throwaway server)');
  const anchor = opts.anchor;
  const months = counts.months;
  const firstMonth = monthShift(anchor, -(months - 1));
  log(`seeding scale ${scale} (seed ${opts.seed}), ${months} months ${firstMonth} … ${anchor}: ${JSON.stringify(counts)}`);

  // Users: one per role plus enough deciders and requesters.
  const people: Record<string, AuthUser> = {};
  await step('users', () =>
    withTransaction(ds, async (manager) => {
      const specs: [string, Role[]][] = [
        ['admin', [Role.ADMIN]],
        ['cmo1', [Role.CMO]],
        ['cmo2', [Role.CMO]],
        ['cmo3', [Role.CMO]],
        ['cio1', [Role.CIO]],
        ['cio2', [Role.CIO]],
        ['it1', [Role.IT]],
        ['it2', [Role.IT]],
        ['finance1', [Role.FINANCE]],
        ['finance2', [Role.FINANCE]],
      ];
      for (let i = 1; i <= 12; i++) specs.push([`marketer${i}`, [Role.MARKETER]]);
      for (const [key, roles] of specs) {
        const user = await app
          .get(UsersService)
          .createWith(manager, { email: `${key}@bench.stackgate.local`, displayName: key, password: BENCH_PASSWORD, roles });
        people[key] = actorOf(user, key, roles);
      }
    }),
  );
  const marketers = Object.keys(people)
    .filter((k) => k.startsWith('marketer'))
    .map((k) => people[k]);

  const centers = await step('cost centers', async () => {
    const out: SeededCostCenter[] = [];
    const defs = [
      ['MKT', CostCenterKind.MARKETING, 6],
      ['IT', CostCenterKind.IT, 5],
      ['OPS', CostCenterKind.OTHER, 2],
    ] as const;
    for (const [prefix, kind, count] of defs) {
      for (let i = 1; i <= count; i++) {
        out.push(
          await app
            .get(CostCentersService)
            .create(people.admin, { code: `${prefix}-${pad(i)}`, name: `${kind.toLowerCase()} ${i}`, kind, ownerId: null }),
        );
      }
    }
    return out;
  });
  const kinds: CostCenterKinds = new Map(centers.map((c) => [c.id, c.kind]));

  const vendorIds = await step('vendors', async () => {
    const ids: string[] = [];
    const vendors = app.get(VendorsService);
    for (let batchStart = 0; batchStart < counts.vendors; batchStart += 500) {
      await withTransaction(ds, async (manager) => {
        for (let i = batchStart; i < Math.min(counts.vendors, batchStart + 500); i++)
          ids.push((await vendors.createInTransaction(manager, people.marketer1, { name: `Vendor ${String(i + 1).padStart(5, '0')}` })).id);
      });
    }
    return ids;
  });

  const subs = await ds.query<{ id: string; name: string }[]>(
    'SELECT id, name FROM categories WHERE parentId IS NOT NULL AND active = 1 ORDER BY name',
  );
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
  const toolMeta: { id: string; lifecycle: Lifecycle }[] = [];
  await step('tools', async () => {
    const tools = app.get(ToolsService);
    const batches: number[] = [];
    for (let batchStart = 0; batchStart < counts.tools; batchStart += 250) batches.push(batchStart);
    const specs: { dto: CreateToolDto & { lifecycle: Lifecycle }; approval: ItApprovalStatus | null }[] = [];
    for (let i = 0; i < counts.tools; i++) {
      const caps = [...new Set([rng.pick(CAPS), rng.pick(CAPS), rng.pick(CAPS)].slice(0, rng.int(1, 3)))];
      const budgetOwner = rng.pick(centers);
      const dto = {
        name: `Tool ${String(i + 1).padStart(5, '0')} ${rng.pick(['Cloud', 'Hub', 'Suite', 'IQ', 'Flow', 'Pro', 'Engage'])}`,
        vendorId: rng.pick(vendorIds),
        subcategoryId: rng.pick(subs).id,
        description: `Benchmark tool ${i + 1} for ${caps.join(', ')}`,
        capabilities: caps,
        lifecycle: rng.weighted([
          [Lifecycle.ACTIVE, 78],
          [Lifecycle.APPROVED, 5],
          [Lifecycle.PROPOSED, 4],
          [Lifecycle.SUNSETTING, 6],
          [Lifecycle.RETIRED, 7],
        ] as const),
        businessOwnerId: rng.pick(marketers).id,
        technicalOwnerId: rng.chance(0.6) ? rng.pick([people.it1, people.it2]).id : null,
        budgetOwnerId: budgetOwner.id,
        allocation: allocationFor(rng, centers),
        dataClassification: rng.pick([
          DataClassification.NONE,
          DataClassification.INTERNAL,
          DataClassification.PERSONAL,
          DataClassification.SENSITIVE_PERSONAL,
        ]),
        ssoEnabled: rng.chance(0.6),
        hostingRegion: rng.pick(['EU', 'US', 'EU', null]),
        isSystemOfRecord: rng.chance(0.05),
        licensedSeats: rng.int(1, 500),
        activeUsers: rng.int(1, 400),
        website: null,
      };
      const approval = rng.weighted([
        [ItApprovalStatus.APPROVED, 55],
        [ItApprovalStatus.APPROVED_WITH_CONDITIONS, 15],
        [ItApprovalStatus.REJECTED, 5],
        [null, 25],
      ] as const);
      specs.push({ dto, approval });
    }
    await pool(batches, creators, (b) =>
      withTransaction(ds, async (manager) => {
        for (let i = b; i < Math.min(counts.tools, b + 250); i++) {
          const { dto, approval } = specs[i];
          const tool = await tools.createInTransaction(manager, people.it1, dto);
          if (approval) {
            await tools.setItApprovalInTransaction(manager, people.cio1, tool.id, {
              status: approval,
              rationale: 'Security review passed (SSO, SOC 2, DPA).',
              conditions: approval === ItApprovalStatus.APPROVED_WITH_CONDITIONS ? 'EU data residency only.' : null,
            });
          }
          toolMeta[i] = { id: tool.id, lifecycle: dto.lifecycle };
        }
      }),
    );
  });

  await step('integrations', async () => {
    const integrations = app.get(IntegrationsService);
    const live = toolMeta.filter((t) => t.lifecycle !== Lifecycle.RETIRED && t.lifecycle !== Lifecycle.PROPOSED);
    const seen = new Set<string>();
    const specs: CreateIntegrationDto[] = [];
    while (specs.length < counts.integrations) {
      const source = rng.pick(live);
      const target = rng.pick(live);
      const method = rng.pick([
        IntegrationMethod.NATIVE,
        IntegrationMethod.API,
        IntegrationMethod.IPAAS,
        IntegrationMethod.FILE,
        IntegrationMethod.MANUAL,
      ]);
      const key = `${source.id}|${target.id}|${method}`;
      if (source.id === target.id || seen.has(key)) continue;
      seen.add(key);
      specs.push({
        sourceToolId: source.id,
        targetToolId: target.id,
        dataObjects: [rng.pick(['contacts', 'leads', 'events', 'orders', 'accounts', 'campaigns'])],
        method,
        frequency: rng.pick([
          IntegrationFrequency.REALTIME,
          IntegrationFrequency.HOURLY,
          IntegrationFrequency.DAILY,
          IntegrationFrequency.WEEKLY,
          IntegrationFrequency.AD_HOC,
        ]),
        status: rng.weighted([
          [IntegrationStatus.ACTIVE, 80],
          [IntegrationStatus.PLANNED, 10],
          [IntegrationStatus.BROKEN, 5],
          [IntegrationStatus.RETIRED, 5],
        ] as const),
        carriesPersonalData: rng.chance(0.4),
        ownerId: rng.pick([people.it1, people.it2]).id,
      });
    }
    const batches: number[] = [];
    for (let batchStart = 0; batchStart < specs.length; batchStart += 500) batches.push(batchStart);
    await pool(batches, creators, (b) =>
      withTransaction(ds, async (manager) => {
        for (let i = b; i < Math.min(specs.length, b + 500); i++) await integrations.createInTransaction(manager, people.it1, specs[i]);
      }),
    );
  });

  // FX rates (USD) for every month a contract or entry can touch, through FxRatesService.
  const foreign = config.baseCurrency === 'USD' ? 'EUR' : 'USD';
  await step('fx rates', async () => {
    const fx = app.get(FxRatesService);
    // Scale 1: the 81 months around the anchor (-40 … +40); a longer history adds its earlier months.
    for (let i = -(months + 4); i <= 40; i++)
      await fx.create({ currency: foreign, month: monthShift(anchor, i), rate: `0.${9000 + (((((i + 40) * 37) % 400) + 400) % 400)}` });
  });

  await step('budgets', async () => {
    const budgets = app.get(BudgetsService);
    const [ay] = anchor.split('-').map(Number);
    // Scale 1: the three fiscal years of the data and the next; a longer history adds its earlier years.
    const years = Math.ceil(months / 12);
    for (const fiscalYear of Array.from({ length: years + 1 }, (_, i) => ay - years + 1 + i)) {
      for (const center of centers)
        await budgets.create({
          costCenterId: center.id,
          fiscalYear,
          amount: { amount: `${rng.int(200, 900)}000.00`, currency: config.baseCurrency },
        });
    }
  });

  // Contracts and spend: bulk path (bench/bulk-rows.ts), in transactions of multi-row INSERTs.
  const tools = new Map((await ds.getRepository(Tool).find()).map((t) => [t.id, t]));
  const toolOf = (id: string) => {
    const tool = tools.get(id);
    if (!tool) throw new Error(`tool ${id} was not written`);
    return tool;
  };
  const ledgerService = app.get(LedgerService);
  const paying = toolMeta.filter((t) => t.lifecycle !== Lifecycle.PROPOSED).map((t) => toolOf(t.id));
  let ledgerCount = 0;
  const contractsByTool = new Map<string, Contract[]>();
  /** Writes a batch of source rows and their ledger rows (and ledger_totals) in one transaction. */
  const flusher =
    <E extends Contract | SpendEntry>(entity: new () => E, chunk: number) =>
    async (batch: E[], ledger: LedgerRow[]) => {
      await withTransaction(ds, async (manager) => {
        await insertRows(manager, entity, batch, chunk);
        await insertRows(manager, LedgerEntry, ledger, 1000);
        await ledgerService.addTotals(manager, ledger);
      });
      ledgerCount += ledger.length;
    };
  await step('contracts + ledger', async () => {
    const flush = flusher(Contract, 300);
    let batch: Contract[] = [];
    let ledger: LedgerRow[] = [];
    for (let i = 0; i < counts.contracts; i++) {
      const tool = rng.pick(paying);
      const billing = rng.weighted([
        [Billing.MONTHLY, 40],
        [Billing.QUARTERLY, 20],
        [Billing.ANNUAL, 35],
        [Billing.ONE_TIME, 5],
      ] as const);
      const currency = rng.chance(0.15) ? foreign : config.baseCurrency;
      const perPeriod = {
        [Billing.MONTHLY]: rng.int(20000, 500000),
        [Billing.QUARTERLY]: rng.int(60000, 1500000),
        [Billing.ANNUAL]: rng.int(200000, 6000000),
        [Billing.ONE_TIME]: rng.int(100000, 3000000),
      }[billing];
      const dto: CreateContractDto = {
        toolId: tool.id,
        reference: `BENCH-C-${i + 1}`,
        startDate: `${monthShift(anchor, -rng.int(0, months - 1))}-01`,
        termMonths: rng.weighted([
          [12, 3],
          [24, 4],
          [36, 3],
        ] as const),
        billing,
        amount: amount(perPeriod, currency),
        costType: rng.weighted([
          [CostType.LICENSE, 70],
          [CostType.IMPLEMENTATION, 10],
          [CostType.OPERATIONS, 10],
          [CostType.INFRASTRUCTURE, 7],
          [CostType.TRAINING, 3],
        ] as const),
        seats: rng.int(1, 300),
        autoRenew: rng.chance(0.6),
        noticeDays: rng.pick([0, 30, 60, 90]),
        internalLeadDays: 30,
        allocation: rng.chance(0.15) ? (allocationFor(rng, centers) ?? undefined) : undefined,
      };
      const contract = contractRow(dto, tool, people.finance1.id, new Date());
      batch.push(contract);
      for (const ledgerRow of contractLedgerRows(contract, tool, kinds, contract.createdAt)) ledger.push(ledgerRow);
      const ofTool = contractsByTool.get(tool.id) ?? [];
      if (!ofTool.length) contractsByTool.set(tool.id, ofTool);
      ofTool.push(contract);
      if (batch.length >= 500) {
        await flush(batch, ledger);
        batch = [];
        ledger = [];
      }
    }
    if (batch.length) await flush(batch, ledger);
  });
  const contractLedger = ledgerCount;

  await step('tool annual costs', async () => {
    const ids = [...contractsByTool.keys()];
    const batches: string[][] = [];
    for (let batchStart = 0; batchStart < ids.length; batchStart += 500) batches.push(ids.slice(batchStart, batchStart + 500));
    await pool(batches, opts.sqlite ? 1 : 4, (chunk) =>
      withTransaction(ds, async (manager) => {
        for (const id of chunk) await ledgerService.refreshToolAnnualCost(manager, id, `${anchor}-15`);
      }),
    );
  });

  await step('spend entries + ledger', async () => {
    const flush = flusher(SpendEntry, 500);
    let batch: SpendEntry[] = [];
    let ledger: LedgerRow[] = [];
    const otherCosts = [CostType.OPERATIONS, CostType.INFRASTRUCTURE, CostType.IMPLEMENTATION, CostType.TRAINING];
    for (let i = 0; i < counts.spend; i++) {
      const tool = rng.pick(paying);
      const month = monthShift(anchor, -rng.int(0, months - 1));
      const date = `${month}-${pad(rng.int(1, 28))}`;
      const running = (contractsByTool.get(tool.id) ?? []).filter((c) => c.startDate <= date && c.endDate >= date);
      const contract = running.length && rng.chance(0.7) ? rng.pick(running) : null;
      const dto: CreateSpendEntryDto = {
        date,
        toolId: tool.id,
        contractId: contract?.id,
        costType: contract?.costType ?? rng.pick(otherCosts),
        amount: amount(rng.int(5000, 2500000), contract?.currency ?? config.baseCurrency),
        description: `Invoice ${i + 1}`,
        externalRef: `BENCH-INV-${i + 1}`,
        allocation: rng.chance(0.05) ? (allocationFor(rng, centers) ?? undefined) : undefined,
      };
      const entry = spendRow(dto, people.finance1.id, new Date());
      batch.push(entry);
      for (const ledgerRow of spendLedgerRows(entry, tool, contract, kinds, entry.createdAt)) ledger.push(ledgerRow);
      if (batch.length >= 2000) {
        await flush(batch, ledger);
        batch = [];
        ledger = [];
      }
    }
    if (batch.length) await flush(batch, ledger);
  });

  // Requests through RequestsService: every state a reviewer meets. cmo1 decides none, so its
  // awaiting-me queue is every MARKETING-stage request (paged 50 at a time).
  const reqCounts: Record<string, number> = {};
  await step('requests', async () => {
    const requests = app.get(RequestsService);
    const live = toolMeta.filter((t) => t.lifecycle === Lifecycle.ACTIVE);
    const specs: { state: RequestState; requester: AuthUser; dto: CreateRequestDto; cmo: AuthUser; cio: AuthUser }[] = [];
    for (let i = 0; i < counts.requests; i++) {
      const state = rng.weighted<RequestState>([
        ['DRAFT', 10],
        ['AT_MARKETING', 45],
        ['AT_IT', 20],
        ['AT_FINANCE', 5],
        ['APPROVED', 8],
        ['REJECTED', 6],
        ['CHANGES', 6],
      ]);
      const requester = rng.pick(marketers);
      const cost = state === 'AT_FINANCE' ? rng.int(5000000, 20000000) : rng.int(100000, 4900000);
      const expansion = state !== 'APPROVED' && rng.chance(0.3);
      const dto: CreateRequestDto = {
        type: expansion ? RequestType.EXPANSION : RequestType.NEW_TOOL,
        title: `Request ${i + 1}: ${expansion ? 'more seats' : 'new tool'} for ${rng.pick(CAPS)}`,
        businessCase: `Request ${i + 1}: the team loses hours every week doing this by hand.`,
        estimatedAnnualCost: amount(cost, config.baseCurrency),
        allocation: [{ costCenterId: rng.pick(centers).id, shareBps: 10000 }],
        dataCategories: [rng.pick(['contacts', 'behavioural', 'none'])],
        requiredIntegrations: rng.chance(0.5)
          ? [
              {
                toolId: rng.pick(live).id,
                direction: rng.pick(['INBOUND', 'OUTBOUND', 'BIDIRECTIONAL'] as const),
                dataObjects: ['contacts'],
              },
            ]
          : [],
      };
      if (expansion) dto.toolId = rng.pick(live).id;
      else {
        dto.proposedTool = {
          name: `Proposed ${String(i + 1).padStart(5, '0')}`,
          vendorName: `Vendor ${String(rng.int(1, counts.vendors)).padStart(5, '0')}`,
          subcategoryId: rng.pick(subs).id,
          capabilities: [rng.pick(CAPS)],
        };
      }
      if (dto.requiredIntegrations?.length && dto.requiredIntegrations[0].toolId === dto.toolId) dto.requiredIntegrations = [];
      specs.push({ state, requester, dto, cmo: rng.pick([people.cmo2, people.cmo3]), cio: rng.pick([people.cio1, people.cio2]) });
      reqCounts[state] = (reqCounts[state] ?? 0) + 1;
    }
    const versionOf = async (id: string) =>
      Number((await ds.query<{ version: number | string }[]>('SELECT version FROM tool_requests WHERE id = ?', [id]))[0].version);
    const decide = async (
      u: AuthUser,
      id: string,
      stage: Stage,
      decision: Decision,
      more: { comment?: string; conditions?: string | null } = {},
    ) => requests.decide(u, id, { stage, decision, version: await versionOf(id), ...more });
    // Each request's own steps run in order; different requests share no rows, so on MariaDB
    // 8 of them run at once (the step is wait-bound: a few small transactions per request).
    await pool(specs, opts.sqlite ? 1 : 8, async (spec) => {
      const request = await requests.create(spec.requester, spec.dto);
      if (spec.state === 'DRAFT') return;
      await requests.submit(spec.requester, request.id, await versionOf(request.id));
      if (spec.state === 'AT_MARKETING') return;
      if (spec.state === 'REJECTED')
        return decide(spec.cmo, request.id, Stage.MARKETING, Decision.REJECT, { comment: 'Consolidate first.' });
      if (spec.state === 'CHANGES')
        return decide(spec.cmo, request.id, Stage.MARKETING, Decision.REQUEST_CHANGES, { comment: 'Add the expected reach.' });
      await decide(spec.cmo, request.id, Stage.MARKETING, Decision.APPROVE);
      if (spec.state === 'AT_IT') return;
      // The IT stage is approved only on an IT assessment of the round.
      await requests.assess(people.it1, request.id, {
        ssoSupported: true,
        securityAttestation: SecurityAttestation.SOC2,
        dpaInPlace: true,
        dataResidency: 'EU',
      });
      await decide(spec.cio, request.id, Stage.IT, spec.state === 'APPROVED' ? Decision.APPROVE_WITH_CONDITIONS : Decision.APPROVE, {
        conditions: spec.state === 'APPROVED' ? 'EU data residency.' : null,
      });
    });
  });

  const count = async (table: string) => Number((await ds.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const summary: Record<string, number> = {};
  for (const table of [
    'users',
    'cost_centers',
    'vendors',
    'tools',
    'integrations',
    'contracts',
    'spend_entries',
    'ledger_entries',
    'tool_requests',
    'review_stages',
    'audit_events',
  ]) {
    try {
      summary[table] = await count(table);
    } catch {
      // a table of another name in this version: left out of the summary
    }
  }
  if (!opts.sqlite)
    await ds.query(
      'ANALYZE TABLE ledger_entries, ledger_totals, tools, integrations, tool_requests, review_stages, contracts, spend_entries',
    );
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.stop) {
    lib.stopRecordedMariadb(log);
    return;
  }
  const scale = Number(args.scale ?? 1);
  if (!(scale > 0 && scale <= 10)) throw new Error('--scale must be a number in (0, 10]');
  const seedValue = Number(args.seed ?? 42);
  const now = new Date();
  const anchor = typeof args.anchor === 'string' ? args.anchor : `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}`;
  if (!/^\d{4}-\d{2}$/.test(anchor)) throw new Error('--anchor is yyyy-mm');
  const total = timer();
  if (!args['skip-check']) await selfCheck();
  if (args['check-only']) return;

  let dbUrl = typeof args.db === 'string' ? args.db : null;
  let server: ThrowawayMariadb | null = null;
  if (!dbUrl) {
    const prev = lib.readState();
    if (prev?.mariadb?.pid && lib.pidAlive(prev.mariadb.pid))
      throw new Error(`a benchmark MariaDB is already running (pid ${prev.mariadb.pid}); run \`npm run bench:seed -- --stop\` first`);
    if (!mariadbAvailable()) throw new Error('mariadbd is not installed (apt-get install mariadb-server), or pass --db');
    server = await startMariadb({ log });
    // The whole data set fits in memory, as on a sized production server: about 600 MB with indexes at
    // scale 1 (a 1 GB buffer pool), about 6 GB at scale 10 (its hot part, ledger_totals and the last
    // years of the ledger, in 4 GB).
    const bufferPool = scale > 1 ? 4294967296 : 1073741824;
    server.sql(
      `SET GLOBAL innodb_buffer_pool_size = ${bufferPool}; CREATE DATABASE stackgate_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    );
    dbUrl = `${server.adminUrl}/stackgate_bench`;
    lib.writeState({ mariadb: { pid: server.pid, dir: server.dir, port: server.port, socket: server.socket }, dbUrl });
  }
  const sqlite = dbUrl.startsWith('sqlite:');
  const elapsed = timer();
  const { app, config } = await bootApp(dbUrl);
  log(`migrated ${dbUrl.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')} in ${elapsed()} s`);
  let result: SeedResult;
  try {
    result = await seed(app, config, { scale, seed: seedValue, anchor, sqlite });
  } finally {
    await app.close();
  }
  lib.writeState({ ...(lib.readState() ?? {}), dbUrl, scale, seed: seedValue, ...result });
  log(`rows: ${JSON.stringify(result.summary)}`);
  log(
    `ledger rows: ${result.ledger.contract} from contracts + ${result.ledger.spend} from spend; requests: ${JSON.stringify(result.requests)}`,
  );
  log(
    `seeded in ${total()} s total` +
      (server ? `; MariaDB left running (pid ${server.pid}) for \`npm run bench\` — stop it with \`npm run bench:seed -- --stop\`` : ''),
  );
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench:seed failed: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
