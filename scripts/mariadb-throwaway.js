// Starts a throwaway MariaDB server in a temp dir on a free port (no systemd, no Docker) and
// stops it again by PID. Used by the test runner and the benchmarks; never touches a real server.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function which(bin) {
  for (const dir of (process.env.PATH || '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    const candidate = path.join(dir, bin);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(fn, ms, what) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

function mariadbAvailable() {
  return !!which('mariadbd') && !!which('mariadb-install-db');
}

/** Starts a server; resolves { adminUrl, port, dir, socket, pid, stop(), sql(q), kill(signal?), restart() }. */
async function startMariadb({ log = () => {} } = {}) {
  const mariadbd = which('mariadbd');
  const installDb = which('mariadb-install-db');
  const client = which('mariadb') || which('mysql');
  if (!mariadbd || !installDb || !client) throw new Error('mariadbd / mariadb-install-db / mariadb client not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stackgate-mariadb-'));
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const pidFile = path.join(dir, 'mariadbd.pid');
  const isRoot = process.getuid && process.getuid() === 0;
  const userArgs = isRoot ? ['--user=mysql'] : [];
  if (isRoot) execFileSync('chown', ['-R', 'mysql:mysql', dir]);
  log(`initialising MariaDB in ${dir}`);
  execFileSync(installDb, [...userArgs, `--datadir=${datadir}`, '--auth-root-authentication-method=socket', '--skip-test-db'], {
    stdio: 'ignore',
  });
  const port = await freePort();
  // The same command line starts the server the first time and again on the same datadir and port (restart()).
  const launch = () => {
    const child = spawn(
      mariadbd,
      [
        '--no-defaults',
        ...userArgs,
        `--datadir=${datadir}`,
        `--socket=${socket}`,
        `--pid-file=${pidFile}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--log-error=${path.join(dir, 'error.log')}`,
        '--innodb-buffer-pool-size=256M',
        '--innodb-flush-log-at-trx-commit=2',
        '--max-connections=500',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
      ],
      { detached: true, stdio: 'ignore' },
    );
    child.unref();
    return child;
  };
  let child = launch();
  const sql = (q) =>
    execFileSync(client, ['--no-defaults', '-uroot', `--socket=${socket}`, '-e', q], { stdio: ['ignore', 'pipe', 'pipe'] });
  await waitFor(
    () => {
      sql('SELECT 1');
      return true;
    },
    30000,
    'MariaDB to accept connections',
  );
  const password = 'test-only-' + Math.random().toString(36).slice(2);
  // 'localhost' is who a client over the Unix socket is (DB_URL …?socket=<path>).
  sql(
    ['127.0.0.1', 'localhost']
      .map(
        (h) =>
          `CREATE USER 'stackgate'@'${h}' IDENTIFIED BY '${password}'; GRANT ALL PRIVILEGES ON *.* TO 'stackgate'@'${h}' WITH GRANT OPTION;`,
      )
      .join(' ') + ' FLUSH PRIVILEGES;',
  );
  const adminUrl = `mariadb://stackgate:${password}@127.0.0.1:${port}`;
  log(`MariaDB is up on 127.0.0.1:${port} (pid ${child.pid})`);
  const stop = () => {
    try {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim()) || child.pid;
      process.kill(pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const end = Date.now() + 20000;
    while (Date.now() < end && fs.existsSync(pidFile)) execFileSync('sleep', ['0.2']);
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  };
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const server = { adminUrl, port, dir, socket, pid: child.pid, stop, sql };
  /** Kills the server process (default SIGKILL: a crash, no clean shutdown) and waits until it is gone. */
  server.kill = async (signal = 'SIGKILL') => {
    const pid = child.pid;
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
    await waitFor(() => !alive(pid), 20000, `mariadbd ${pid} to exit`);
    try {
      fs.rmSync(pidFile, { force: true });
    } catch {
      /* stale pid file */
    }
    log(`MariaDB ${pid} killed with ${signal}`);
  };
  /**
   * Starts the server again on the same datadir, socket and port (crash recovery included); resolves when it
   * answers. A server that exits while starting (its port briefly held by another socket on this busy machine)
   * is started again, until 60 s have passed.
   */
  server.restart = async () => {
    if (alive(child.pid)) throw new Error(`mariadbd ${child.pid} is still running; kill() it first`);
    let starts = 0;
    let exited = null;
    const start = () => {
      const started = launch();
      child = started;
      server.pid = started.pid;
      starts++;
      exited = null;
      started.once('exit', (code, signal) => {
        if (child === started) exited = code ?? signal;
      });
    };
    start();
    try {
      await waitFor(
        () => {
          if (exited !== null) {
            start();
            return false;
          }
          sql('SELECT 1');
          return true;
        },
        60000,
        'MariaDB to accept connections again',
      );
    } catch (err) {
      // Say why: still recovering, or exiting at start, with the end of its error log.
      let tail = '';
      try {
        tail = fs.readFileSync(path.join(dir, 'error.log'), 'utf8').trim().split('\n').slice(-8).join('\n');
      } catch {
        /* no log written */
      }
      const state = exited === null ? 'is still running' : `exited (${exited})`;
      throw new Error(`${err.message}\nmariadbd ${child.pid} ${state} after ${starts} start(s); error.log ends:\n${tail}`, { cause: err });
    }
    log(`MariaDB is up again on 127.0.0.1:${port} (pid ${child.pid}${starts > 1 ? `, start ${starts}` : ''})`);
  };
  return server;
}

module.exports = { startMariadb, mariadbAvailable, freePort, which };
