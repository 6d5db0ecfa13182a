#!/usr/bin/env node
// `node bench/discovery-match.js [--rows 100000] [--tools 10432] [--vendors 2500] [--merchants 3000] [--db mariadb://…/db] [--keep]`
// Issue 25: card and expense lines matched against a scale-1 catalog, streamed from a CSV on disk.
// The catalog is the bench seeder's (`Tool 00001 Cloud` … by vendor `Vendor 00001` …, read from the
// seeded database with --db, else generated with the seeder's naming) plus the known-SaaS products
// under their own names, indexed once (MerchantIndex); the file (written to /tmp first) mixes
// noisy spellings of catalog tools, known SaaS products nobody registered and non-software
// merchants. Reports rows/s of the read → parse → normalise → match loop, distinct merchant keys,
// outcome counts and the peak RSS (VmHWM) of this process.
'use strict';
const fs = require('node:fs');
const readline = require('node:readline');
const lib = require('./lib');

const { dist, parseArgs } = lib;

function peakRssMb() {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** A small deterministic generator (mulberry32), so two runs read the same file. */
function rng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

function generatedCatalog(toolCount, vendorCount, known, random) {
  const suffixes = ['Cloud', 'Hub', 'Suite', 'IQ', 'Flow', 'Pro', 'Engage'];
  const tools = [];
  for (let i = 0; i < toolCount; i++) {
    tools.push({
      id: `t${i}`,
      name: `Tool ${String(i + 1).padStart(5, '0')} ${suffixes[Math.floor(random() * suffixes.length)]}`,
      vendorName: `Vendor ${String(1 + Math.floor(random() * vendorCount)).padStart(5, '0')}`,
      retired: random() < 0.07,
    });
  }
  // Half the known products are in the catalog under their own names (the other half stays unregistered).
  known.forEach((product, index) => {
    if (index % 2 === 0) tools.push({ id: `k${index}`, name: product.name, vendorName: product.name, retired: false });
  });
  return tools;
}

async function catalogFromDb(dbUrl) {
  const crypto = require('node:crypto');
  const platform = dist('libs/platform/src/index.js');
  const catalog = dist('libs/catalog/src/index.js');
  const { createApp } = dist('apps/api/src/setup.js');
  const config = platform.loadConfig({
    NODE_ENV: 'test',
    DB_URL: dbUrl,
    LOG_LEVEL: 'warn',
    JOBS_ENABLED: 'false',
    SEED_DEMO: 'false',
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
  });
  const app = await createApp(config);
  try {
    return await app.get(catalog.CatalogQueries).matchableTools();
  } finally {
    await app.close();
  }
}

function writeFile(file, rows, merchantCount, known, random) {
  const noisy = [
    (name) => `PAYPAL *${name.toUpperCase()}`,
    (name) => `${name.toUpperCase()} LTD DUBLIN IE`,
    (name) => `SQ *${name.toUpperCase()}`,
    (name) => `${name.replace(/ /g, '')}.com 888-${100 + Math.floor(random() * 900)}-${1000 + Math.floor(random() * 9000)}`,
    (name) => `FS *${name}, Inc.`,
  ];
  const other = [
    'UBER *TRIP',
    'STARBUCKS 1234 SEATTLE WA',
    'LUFTHANSA 2201234567',
    'WEWORK AMSTERDAM',
    'DELIVEROO LONDON',
    'AMZN Mktp DE*2K4H71',
  ];
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'zen', 'qua', 'bri', 'dor', 'fle', 'gra', 'plo', 'stu'];
  const brand = () =>
    Array.from({ length: 2 + Math.floor(random() * 2) }, () => syllables[Math.floor(random() * syllables.length)]).join('');
  const typo = (name) => {
    const at = 1 + Math.floor(random() * (name.length - 2));
    return name.slice(0, at) + name.slice(at + 1); // one letter dropped: "Hootsuite" → "Hotsuite"
  };
  const merchants = [];
  for (let i = 0; i < merchantCount; i++) {
    const pick = random();
    const product = known[i % known.length].name;
    if (pick < 0.3) merchants.push(noisy[i % noisy.length](product));
    else if (pick < 0.4) merchants.push(`${typo(product).toUpperCase()} SUBSCRIPTION`);
    else if (pick < 0.5) merchants.push(noisy[i % noisy.length](`Tool ${String(1 + (i % 10000)).padStart(5, '0')} Cloud`));
    else if (pick < 0.6) merchants.push(other[i % other.length]);
    else merchants.push(noisy[i % noisy.length](`${brand()} ${['Labs', 'Studio', 'Works', 'App', 'HQ'][i % 5]}`));
  }
  const out = fs.createWriteStream(file);
  out.write('date,merchant,amount,currency,employee,costCenter,memo,reference\n');
  for (let i = 0; i < rows; i++) {
    const merchant = merchants[Math.floor(random() * merchants.length)].replace(/"/g, '""');
    const day = String(1 + (i % 28)).padStart(2, '0');
    const amount = (5 + random() * 995).toFixed(2);
    out.write(`2026-0${1 + (i % 9)}-${day},"${merchant}",${amount},EUR,person${i % 400}@example.com,MKT,,TX-${i}\n`);
  }
  return new Promise((resolve) => out.end(resolve));
}

/** A CSV line with quoted cells ("" inside quotes) split into cells; enough for the generated file. */
function cells(line) {
  const out = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const rows = Number(args.rows ?? 100000);
  const discovery = dist('libs/discovery/src/index.js');
  const random = rng(25);
  const known = discovery.KNOWN_SAAS;
  const tools =
    typeof args.db === 'string'
      ? await catalogFromDb(args.db)
      : generatedCatalog(Number(args.tools ?? 10432), Number(args.vendors ?? 2500), known, random);
  const file = '/tmp/stackgate-bench-discovery.csv';
  await writeFile(file, rows, Number(args.merchants ?? 3000), known, random);

  const indexStarted = process.hrtime.bigint();
  const index = new discovery.MerchantIndex(tools);
  const indexMs = Number(process.hrtime.bigint() - indexStarted) / 1e6;

  const outcome = { matched: 0, candidate: 0 };
  const byKind = {};
  const keys = new Set();
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let header = true;
  let count = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (header) {
      header = false;
      continue;
    }
    const [, merchant] = cells(line);
    const key = discovery.normaliseMerchant(merchant);
    const match = index.match(key) ?? index.match(discovery.candidateKeyOf(key));
    keys.add(key);
    count++;
    if (match) {
      outcome.matched++;
      byKind[match.how] = (byKind[match.how] ?? 0) + 1;
    } else outcome.candidate++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  // Without the memo: every distinct key matched once on a fresh index (what a file of all-different merchants costs).
  const cold = new discovery.MerchantIndex(tools);
  const coldStarted = process.hrtime.bigint();
  for (const key of keys) cold.match(key) ?? cold.match(discovery.candidateKeyOf(key));
  const coldSeconds = Number(process.hrtime.bigint() - coldStarted) / 1e9;
  const result = {
    rows: count,
    catalogTools: tools.length,
    indexMs: Math.round(indexMs),
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(count / seconds),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    distinctMerchantKeys: keys.size,
    distinctKeysPerSecondWithoutMemo: Math.round(keys.size / coldSeconds),
    ...outcome,
    byKind,
    peakRssMb: Math.round(peakRssMb()),
  };
  console.log(JSON.stringify(result, null, 2));
  if (!args.keep) fs.rmSync(file, { force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
