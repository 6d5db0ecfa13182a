// Starts a throwaway 3-node MariaDB Galera cluster on 127.0.0.1 (three mariadbd, datadirs in /tmp, free ports
// for SQL, group communication, IST and SST; no systemd, no Docker) and stops it again by PID. Used by the
// Galera test pass; never touches a real server. Needs galera-4 (/usr/lib/galera/libgalera_smm.so) and rsync.
'use strict';
const { execFile, execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { which } = require('./mariadb-throwaway');

const PROVIDER_CANDIDATES = [
  '/usr/lib/galera/libgalera_smm.so',
  '/usr/lib64/galera-4/libgalera_smm.so',
  '/usr/lib/galera-4/libgalera_smm.so',
];

function galeraProvider() {
  return PROVIDER_CANDIDATES.find((candidate) => fs.existsSync(candidate)) ?? null;
}

/** Why the cluster cannot start here (a sentence), or null when it can. */
function galeraMissing() {
  if (!which('mariadbd') || !which('mariadb-install-db')) return 'mariadbd is not installed (apt-get install mariadb-server)';
  if (!galeraProvider()) return 'galera-4 is not installed (apt-get install galera-4)';
  if (!which('rsync') || !which('wsrep_sst_rsync')) return 'rsync / wsrep_sst_rsync are not installed (apt-get install rsync)';
  return null;
}

/** A port nobody listens on now: bound by the kernel, released, and checked again on 127.0.0.1. */
function freePort(taken) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  }).then((port) => (taken.has(port) ? freePort(taken) : (taken.add(port), port)));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last.message).trim()}` : ''}`);
}

/**
 * Whether a process runs. A node killed by a suite in another process (attachGalera) stays a zombie of the process
 * that started it until that one reaps it (scripts/test.js waits in spawnSync meanwhile): a zombie counts as gone.
 */
const alive = (pid) => {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
};

/** Every cluster this process started, so a SIGINT/SIGTERM/exit of the runner stops them by PID. */
const running = new Set();
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const cluster of running) cluster.killAll();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const cluster of running) cluster.killAll();
      // SIGKILLed nodes are gone within moments; then their datadirs go too.
      const end = Date.now() + 5000;
      while (Date.now() < end && [...running].some((cluster) => cluster.nodes.some((node) => alive(cluster.pid(node.index))))) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
      for (const cluster of running) fs.rmSync(cluster.dir, { recursive: true, force: true });
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
}

/**
 * Starts three nodes (node 1 bootstraps with --wsrep-new-cluster, 2 and 3 join by rsync SST) and resolves when
 * wsrep_cluster_size is 3 and every node is Synced: { nodes: [{ index, port, socket, pid, url }], adminUrl(i),
 * sql(i, q), status(i), kill(i, signal), restart(i), joinReport(i), lastJoin(i), waitSynced(size), stop() } (i is 1..3).
 */
async function startGalera({
  log = () => {},
  size = 3,
  fromDatadir = null,
  moveDatadir = false,
  bufferPool = '128M',
  sstTimeoutMs = 120000,
} = {}) {
  const missing = galeraMissing();
  if (missing) throw new Error(missing);
  const mariadbd = which('mariadbd');
  const installDb = which('mariadb-install-db');
  const client = which('mariadb') || which('mysql');
  const provider = galeraProvider();
  const isRoot = process.getuid && process.getuid() === 0;
  const userArgs = isRoot ? ['--user=mysql'] : [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgate-galera-'));
  const taken = new Set();
  const nodes = [];
  for (let index = 1; index <= size; index++) {
    const nodeDir = path.join(dir, `node${index}`);
    fs.mkdirSync(nodeDir);
    nodes.push({
      index,
      dir: nodeDir,
      datadir: path.join(nodeDir, 'data'),
      socket: path.join(nodeDir, 'mysqld.sock'),
      pidFile: path.join(nodeDir, 'mariadbd.pid'),
      port: await freePort(taken),
      gcommPort: await freePort(taken),
      istPort: await freePort(taken),
      sstPort: await freePort(taken),
    });
  }
  for (const node of nodes.slice(1)) fs.mkdirSync(node.datadir);
  // A stopped server's datadir (a seeded benchmark database), copied or moved, becomes node 1's: the cluster starts with its data.
  if (fromDatadir && moveDatadir) fs.renameSync(fromDatadir, nodes[0].datadir);
  else if (fromDatadir) execFileSync('cp', ['-a', fromDatadir, nodes[0].datadir]);
  // The SST script runs as the server's user (mysql) and writes next to the datadir.
  if (isRoot) execFileSync('chown', ['-R', 'mysql:mysql', dir]);
  fs.chmodSync(dir, 0o755);
  log(`initialising ${size} Galera nodes in ${dir}`);
  // Only node 1 is initialised: the joiners receive its datadir by rsync SST.
  for (const node of fromDatadir ? [] : nodes.slice(0, 1)) {
    execFileSync(installDb, [...userArgs, `--datadir=${node.datadir}`, '--auth-root-authentication-method=socket', '--skip-test-db'], {
      stdio: 'ignore',
    });
  }
  const clusterAddress = `gcomm://${nodes.map((node) => `127.0.0.1:${node.gcommPort}`).join(',')}`;
  // Short failure detection, so a killed node leaves the cluster within seconds (defaults take ~15 s).
  const timeouts = [
    'evs.keepalive_period=PT0.5S',
    'evs.inactive_check_period=PT0.5S',
    'evs.suspect_timeout=PT2S',
    'evs.inactive_timeout=PT4S',
    'evs.install_timeout=PT3S',
    'gcache.size=64M',
  ];
  const password = 'test-only-' + Math.random().toString(36).slice(2);
  const descriptor = {
    dir,
    password,
    client,
    nodes: nodes.map((node) => ({
      ...node,
      // The same command line starts a node the first time and again on its datadir (restart()).
      args: [
        '--no-defaults',
        ...userArgs,
        `--datadir=${node.datadir}`,
        `--socket=${node.socket}`,
        `--pid-file=${node.pidFile}`,
        `--port=${node.port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--log-error=${path.join(node.dir, 'error.log')}`,
        `--innodb-buffer-pool-size=${bufferPool}`,
        '--innodb-log-file-size=48M',
        '--innodb-flush-log-at-trx-commit=2',
        '--max-connections=300',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
        '--binlog-format=ROW',
        '--default-storage-engine=InnoDB',
        '--innodb-autoinc-lock-mode=2',
        '--wsrep-on=ON',
        `--wsrep-provider=${provider}`,
        '--wsrep-cluster-name=stackgate-test',
        `--wsrep-cluster-address=${clusterAddress}`,
        `--wsrep-node-name=node${node.index}`,
        `--wsrep-node-address=127.0.0.1:${node.gcommPort}`,
        `--wsrep-provider-options=${[`gmcast.listen_addr=tcp://127.0.0.1:${node.gcommPort}`, `ist.recv_addr=127.0.0.1:${node.istPort}`, ...timeouts].join(';')}`,
        '--wsrep-sst-method=rsync',
        `--wsrep-sst-receive-address=127.0.0.1:${node.sstPort}`,
        '--wsrep-slave-threads=2',
      ],
    })),
    mariadbd,
  };
  fs.writeFileSync(path.join(dir, 'cluster.json'), JSON.stringify(descriptor, null, 2));
  const cluster = clusterApi(descriptor, { log, owner: true });
  try {
    cluster.launch(1, { bootstrap: true });
    await waitFor(() => cluster.status(1).state === 'Synced', fromDatadir ? sstTimeoutMs : 60000, 'node 1 to bootstrap');
    // Created before the others join: they receive it with the SST.
    cluster.sql(
      1,
      ['127.0.0.1', 'localhost']
        .map(
          (host) =>
            `CREATE OR REPLACE USER 'stackgate'@'${host}' IDENTIFIED BY '${password}'; GRANT ALL PRIVILEGES ON *.* TO 'stackgate'@'${host}';`,
        )
        .join(' '),
    );
    // One joiner at a time: node 1 is the donor of each SST.
    for (const node of descriptor.nodes.slice(1)) {
      cluster.launch(node.index, { bootstrap: false });
      await waitFor(() => cluster.status(node.index).state === 'Synced', sstTimeoutMs, `node ${node.index} to join`);
    }
    await cluster.waitSynced(size);
  } catch (err) {
    cluster.killAll();
    running.delete(cluster);
    const logs = descriptor.nodes
      .map((node) => `--- node ${node.index} error.log (tail)\n${tail(path.join(node.dir, 'error.log'))}`)
      .join('\n');
    throw new Error(`${err.message}\n${logs}`, { cause: err });
  }
  log(
    `Galera is up: ${descriptor.nodes.map((node) => `node ${node.index} on 127.0.0.1:${node.port} (pid ${cluster.pid(node.index)})`).join(', ')}`,
  );
  return cluster;
}

/**
 * A cluster another process started (scripts/test.js), from its directory (TEST_GALERA_DIR): the same API;
 * stop() is left to its owner.
 */
function attachGalera(dir, { log = () => {} } = {}) {
  const descriptor = JSON.parse(fs.readFileSync(path.join(dir, 'cluster.json'), 'utf8'));
  return clusterApi(descriptor, { log, owner: false });
}

const STATUS_QUERY =
  "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size','wsrep_local_state_comment','wsrep_ready','wsrep_cluster_status')";

function parseStatus(rows) {
  const map = new Map(
    String(rows)
      .trim()
      .split('\n')
      .map((line) => line.split('\t')),
  );
  return {
    size: Number(map.get('wsrep_cluster_size')),
    state: map.get('wsrep_local_state_comment'),
    ready: map.get('wsrep_ready') === 'ON',
    primary: map.get('wsrep_cluster_status') === 'Primary',
  };
}

function clusterApi(descriptor, { log, owner }) {
  const size = descriptor.nodes.length;
  const nodeAt = (index) => {
    const node = descriptor.nodes[index - 1];
    if (!node) throw new Error(`no Galera node ${index} (1..${size})`);
    return node;
  };
  /** A node's PID from the pid file mariadbd writes (also for a node another process restarted). */
  const pid = (index) => {
    try {
      return Number(fs.readFileSync(nodeAt(index).pidFile, 'utf8').trim()) || nodeAt(index).launchedPid || null;
    } catch {
      return nodeAt(index).launchedPid || null;
    }
  };
  const sql = (index, query) =>
    execFileSync(descriptor.client, ['--no-defaults', '-uroot', `--socket=${nodeAt(index).socket}`, '-N', '-B', '-e', query], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10000,
    }).toString();
  /** wsrep status of one node: { size, state, ready, primary } (throws when the node does not answer). */
  const status = (index) => parseStatus(sql(index, STATUS_QUERY));
  /**
   * The same as status() without blocking: the suites serve HTTP from the process that waits for the cluster, so a
   * synchronous client call that hangs on a starting node would stall every request the apps are answering.
   */
  const statusAsync = (index) =>
    new Promise((resolve, reject) => {
      execFile(
        descriptor.client,
        ['--no-defaults', '-uroot', `--socket=${nodeAt(index).socket}`, '-N', '-B', '-e', STATUS_QUERY],
        { timeout: 10000 },
        (err, stdout) => (err ? reject(err) : resolve(parseStatus(stdout))),
      );
    });
  const runningNodes = () => descriptor.nodes.filter((node) => alive(pid(node.index)));
  const cluster = {
    dir: descriptor.dir,
    nodes: descriptor.nodes.map(({ index, port, socket }) => ({ index, port, socket })),
    sql,
    status,
    pid,
    /** A DB_URL base for a node (no database): the app connects as `stackgate` over TCP. */
    url: (index) => `mariadb://stackgate:${descriptor.password}@127.0.0.1:${nodeAt(index).port}`,
    /** Resolves when every running node reports a primary cluster of `expected` nodes and is Synced. */
    waitSynced: (expected = runningNodes().length, ms = 90000) =>
      waitFor(
        () =>
          Promise.all(runningNodes().map((node) => statusAsync(node.index))).then((all) =>
            all.every((now) => now.size === expected && now.state === 'Synced' && now.ready && now.primary),
          ),
        ms,
        `a Synced cluster of ${expected}`,
      ),
    launch: (index, { bootstrap, startPosition = null }) => {
      const node = nodeAt(index);
      const extra = [...(bootstrap ? ['--wsrep-new-cluster'] : []), ...(startPosition ? [`--wsrep-start-position=${startPosition}`] : [])];
      const child = spawn(descriptor.mariadbd, [...node.args, ...extra], {
        detached: true,
        stdio: 'ignore',
      });
      child.unref();
      node.launchedPid = child.pid;
    },
    /** SIGKILL every node at once (exit paths: no waiting). */
    killAll: () => {
      for (const node of descriptor.nodes) {
        const nodePid = pid(node.index);
        if (alive(nodePid)) {
          try {
            process.kill(nodePid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    },
  };
  if (owner) {
    running.add(cluster);
    hookExit();
  }

  /** Kills one node (default SIGKILL: a crash) and waits until its process is gone. */
  cluster.kill = async (index, signal = 'SIGKILL') => {
    const node = nodeAt(index);
    const nodePid = pid(index);
    if (!nodePid) throw new Error(`node ${index} is not running`);
    process.kill(nodePid, signal);
    await waitFor(() => !alive(nodePid), 60000, `mariadbd ${nodePid} (node ${index}) to exit`);
    fs.rmSync(node.pidFile, { force: true });
    node.launchedPid = null;
    log(`node ${index} (pid ${nodePid}) killed with ${signal}`);
  };
  /**
   * The last position a node's InnoDB committed, as 'uuid:seqno' (`mariadbd --wsrep-recover`: what galera_recovery
   * does before a packaged start), or null. A SIGKILLed node leaves seqno -1 in grastate.dat; started without
   * --wsrep-start-position it joins at 00000000-…:-1 and needs a full SST — with rsync, the donor holds FLUSH TABLES
   * WITH READ LOCK for the whole copy and its clients' writes wait — instead of an IST from the donor's gcache.
   * Asynchronous: the suites serve HTTP from this process while a node recovers.
   */
  const recoverPosition = (index) =>
    new Promise((resolve) => {
      const node = nodeAt(index);
      const logFile = path.join(node.dir, 'error.log');
      const from = fileSize(logFile);
      const child = spawn(
        descriptor.mariadbd,
        [...node.args, `--pid-file=${path.join(node.dir, 'wsrep-recover.pid')}`, '--wsrep-recover'],
        {
          stdio: 'ignore',
        },
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
      child.on('error', () => {
        clearTimeout(timer);
        resolve(null);
      });
      child.on('exit', () => {
        clearTimeout(timer);
        const match = /WSREP: Recovered position: ([0-9a-f-]{36}:(-?\d+))/.exec(readFrom(logFile, from));
        resolve(match && match[2] !== '-1' ? match[1] : null);
      });
    });
  /**
   * Starts a killed node again on its datadir from the position it recovered, so that it rejoins by IST from a
   * donor's gcache (gcache.size=64M holds far more than a suite writes while a node is down); a node whose position
   * cannot be recovered joins by SST. Resolves when it is Synced.
   */
  cluster.restart = async (index) => {
    if (alive(pid(index))) throw new Error(`node ${index} (pid ${pid(index)}) is still running; kill() it first`);
    const position = await recoverPosition(index);
    log(position ? `node ${index} recovered position ${position}` : `node ${index}: no position recovered, it needs an SST`);
    cluster.launch(index, { bootstrap: false, startPosition: position });
    await waitFor(() => statusAsync(index).then((now) => now.state === 'Synced'), 120000, `node ${index} to rejoin`);
    const join = cluster.joinReport(index);
    log(`node ${index} is Synced again (pid ${pid(index)}, ${join.method} from ${join.donor ?? 'unknown donor'})`);
  };
  /**
   * How a node joined the last time it started, from its error log: method 'IST' (write sets from a donor's gcache,
   * the donor keeps serving), 'SST' (a full copy, usually followed by an IST of the writes made during the copy; with
   * rsync the donor is read-locked for the copy) or 'unknown'; the donor's name; the local position it joined from;
   * the write sets it received by IST; and for an SST the seconds the donor was paused (from the donor's log).
   */
  cluster.joinReport = (index) => {
    const text = fs.readFileSync(path.join(nodeAt(index).dir, 'error.log'), 'utf8');
    const lastStart = text.lastIndexOf('Starting MariaDB');
    const recent = text.slice(lastStart < 0 ? 0 : lastStart);
    const name = `node${index}`;
    // The joiner logs 'SST received' after an IST too (the SST script runs in bypass mode): the script's own line says which.
    const scripted = /\w+ (SST|IST) completed on joiner/.exec(recent);
    const method = scripted
      ? scripted[1]
      : /Local state: 0{8}-0{4}-0{4}-0{4}-0{12}:-1/.test(recent)
        ? 'SST'
        : /IST received/.test(recent)
          ? 'IST'
          : 'unknown';
    const donorMatch = new RegExp(`\\(${name}\\) requested state transfer from '[^']*'\\. Selected \\d+\\.\\d+ \\((\\w+)\\)`).exec(recent);
    const donor = donorMatch ? donorMatch[1] : null;
    const istMatch = /Receiving IST\.\.\. 100\.0% \((\d+)\/\d+ events\)/.exec(recent);
    const localMatch = /Local state: (\S+)/.exec(recent);
    let donorPausedSeconds = null;
    const donorNode = donor && descriptor.nodes.find((node) => `node${node.index}` === donor);
    if (method === 'SST' && donorNode) {
      const donorLog = fs.readFileSync(path.join(donorNode.dir, 'error.log'), 'utf8');
      const paused = donorLog.indexOf('WSREP: Provider paused at', donorLog.lastIndexOf(`(${name}) requested state transfer`));
      const resumed = donorLog.indexOf('WSREP: Provider resumed', paused);
      if (paused >= 0 && resumed > paused) donorPausedSeconds = (logTime(donorLog, resumed) - logTime(donorLog, paused)) / 1000;
    }
    return {
      method,
      donor,
      localState: localMatch ? localMatch[1] : null,
      istWriteSets: istMatch ? Number(istMatch[1]) : 0,
      donorPausedSeconds,
    };
  };
  /** How a node joined the last time it started: 'IST', 'SST' or 'unknown' (joinReport(i).method). */
  cluster.lastJoin = (index) => cluster.joinReport(index).method;
  /** Stops every node by PID (SIGTERM, SIGKILL after 20 s) and removes the datadirs (the owner only). */
  cluster.stop = async () => {
    if (!owner) return;
    running.delete(cluster);
    const pids = descriptor.nodes.map((node) => pid(node.index)).filter(alive);
    for (const nodePid of pids) {
      try {
        process.kill(nodePid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    const end = Date.now() + 20000;
    while (Date.now() < end && pids.some(alive)) await sleep(200);
    for (const nodePid of pids.filter(alive)) process.kill(nodePid, 'SIGKILL');
    while (pids.some(alive)) await sleep(100);
    fs.rmSync(descriptor.dir, { recursive: true, force: true });
    log('Galera cluster stopped');
  };
  return cluster;
}

function fileSize(file) {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file, offset) {
  try {
    return fs.readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

/** The time (ms) of the error-log line that holds text offset `at` ('2026-12-05  4:56:01 …'), or NaN. */
function logTime(text, at) {
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const match = /^(\d{4}-\d{2}-\d{2}) +(\d{1,2}):(\d{2}):(\d{2})/.exec(text.slice(lineStart, lineStart + 40));
  return match ? Date.parse(`${match[1]}T${match[2].padStart(2, '0')}:${match[3]}:${match[4]}Z`) : NaN;
}

function tail(file) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}

module.exports = { startGalera, attachGalera, galeraMissing, galeraProvider };

// `node scripts/galera-throwaway.js`: start a cluster, print its URLs, stop it on Ctrl-C.
// `--from-datadir <dir>` starts node 1 on a copy of a stopped server's datadir (e.g. a seeded benchmark database;
// the joiners receive it by SST), `--move-datadir <dir>` on that datadir itself (moved; on the same filesystem),
// `--buffer-pool 2G` sizes each node's InnoDB buffer pool.
if (require.main === module) {
  const option = (name) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  startGalera({
    log: (message) => process.stdout.write(`[galera] ${message}\n`),
    fromDatadir: option('--from-datadir') ?? option('--move-datadir') ?? null,
    moveDatadir: !!option('--move-datadir'),
    bufferPool: option('--buffer-pool') ?? '128M',
    sstTimeoutMs: option('--from-datadir') || option('--move-datadir') ? 3600000 : 120000,
  })
    .then((cluster) => {
      for (const node of cluster.nodes) process.stdout.write(`node ${node.index}: ${cluster.url(node.index)}\n`);
      process.stdout.write(`TEST_GALERA_DIR=${cluster.dir}\n`);
      process.stdout.write('Ctrl-C stops the cluster\n');
      setInterval(() => {}, 1 << 30);
    })
    .catch((err) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    });
}
