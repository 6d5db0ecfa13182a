import { randomUUID } from 'node:crypto';
import { AddressInfo, connect, Socket } from 'node:net';
import { AppLifecycle, ConfigError, JobScheduler, loadConfig, Role } from '@stackgate/platform';
import { gracefulShutdown } from '../../apps/api/src/shutdown';
import { makeUser } from '../support/factories';
import { createTestDatabase, isMysql, startTestApp, TEST_JWT_SECRET, TestApp } from '../support/test-app';

/*
 * Issue 27 §3, operable: liveness and readiness for load balancers, Prometheus metrics behind a
 * token, and a graceful stop on SIGTERM (no new connections, requests and the running job drained,
 * within a bound).
 */

const METRICS_TOKEN = 'metrics-test-token-0123456789abcdef';

describe('Health checks and metrics', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp({ METRICS_TOKEN });
  });
  afterAll(() => testApp.close());

  const scrape = async () => {
    const res = await testApp.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text;
  };
  /** The value of one sample, e.g. sample(text, 'stackgate_http_requests_total', {route: '/x'}). */
  const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
    const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
    const line = text
      .split('\n')
      .find(
        (candidate) =>
          (candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)) && wanted.every((pair) => candidate.includes(pair)),
      );
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };

  it('answers liveness without the database and readiness with every check named', async () => {
    expect((await testApp.http().get('/api/health/live')).body).toEqual({ status: 'ok' });
    const ready = await testApp.http().get('/api/health/ready');
    expect(ready.status).toBe(200);
    // not a Galera node: the test server is a plain MariaDB (or SQLite)
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'up', migrations: 'applied', cluster: 'none' } });
    expect((await testApp.http().get('/api/health')).body).toEqual({ status: 'ok', database: 'up' });
  });

  it('is not ready while a migration of this version is missing from the database', async () => {
    const [last] = await testApp.dataSource.query('SELECT id, timestamp, name FROM schema_migrations ORDER BY timestamp DESC LIMIT 1');
    await testApp.dataSource.query('DELETE FROM schema_migrations WHERE name = ?', [last.name]);
    try {
      const second = await startTestApp({ DB_MIGRATE_ON_START: 'false' }, {}, testApp.db);
      try {
        const res = await second.http().get('/api/health/ready');
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject({ code: 'NOT_READY', details: { database: 'up', migrations: 'pending' } });
        expect((await second.http().get('/api/health/live')).status).toBe(200);
      } finally {
        await second.close();
      }
    } finally {
      await testApp.dataSource.query('INSERT INTO schema_migrations (id, timestamp, name) VALUES (?, ?, ?)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
  });

  it('refuses /metrics without the token or with a wrong one, and does not document it in the API', async () => {
    const none = await testApp.http().get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(none.text).not.toContain('stackgate_');
    expect((await testApp.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
    expect((await testApp.http().get('/metrics').set('Authorization', METRICS_TOKEN)).status).toBe(401);
    // a user's session is not the metrics token
    const admin = await makeUser(testApp, [Role.ADMIN]);
    expect((await testApp.http().get('/metrics').set(admin.auth)).status).toBe(401);
    const docs = await testApp.http().get('/api/docs-json');
    expect(Object.keys(docs.body.paths)).not.toContain('/metrics');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/health/live', '/api/health/ready']));
  });

  it('counts requests by route pattern and status, with latencies, never by concrete path', async () => {
    const admin = await makeUser(testApp, [Role.ADMIN]);
    const before = await scrape();
    const id = randomUUID();
    await testApp.http().get(`/api/v1/tools/${id}`).set(admin.auth).expect(404);
    await testApp.http().get(`/api/v1/tools/${id}`).expect(401);
    await testApp.http().get('/api/v1/no-such-route').set(admin.auth).expect(404);
    const after = await scrape();
    const delta = (labels: Record<string, string>) =>
      (sample(after, 'stackgate_http_requests_total', labels) ?? 0) - (sample(before, 'stackgate_http_requests_total', labels) ?? 0);
    expect(delta({ method: 'GET', route: '/api/v1/tools/:id', status: '404' })).toBe(1);
    expect(delta({ method: 'GET', route: '/api/v1/tools/:id', status: '401' })).toBe(1);
    expect(delta({ method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(after).not.toContain(id);
    expect(
      sample(after, 'stackgate_http_request_duration_seconds_count', { route: '/api/v1/tools/:id', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(
      /stackgate_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/api\/v1\/tools\/:id",status="404"\}/,
    );
  });

  it('counts refused sign-ins by reason, job runs by outcome, import rows, and reads the outbox backlog', async () => {
    const before = await scrape();
    await testApp.http().post('/api/v1/auth/login').send({ email: 'nobody@example.test', password: 'wrong-password-1' }).expect(401);
    const scheduler = testApp.app.get(JobScheduler);
    scheduler.register({ name: 'metrics-probe-ok', run: async () => undefined });
    scheduler.register({
      name: 'metrics-probe-failing',
      run: async () => {
        throw new Error('probe');
      },
    });
    await scheduler.tick();
    const itUser = await makeUser(testApp, [Role.IT]);
    const csv = 'name,vendor,subcategory,budgetOwnerCode\nMetrics Probe Tool,Probe Vendor,Web Analytics,NOPE\n';
    const dryRun = await testApp
      .http()
      .post('/api/v1/imports')
      .set(itUser.auth)
      .field('kind', 'tools')
      .field('dryRun', 'true')
      .attach('file', Buffer.from(csv), 'tools.csv');
    expect(dryRun.body).toMatchObject({ dryRun: true, summary: { invalid: 1 } });
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('stackgate_login_failures_total', { reason: 'unknown_user' })).toBe(1);
    expect(sample(after, 'stackgate_job_runs_total', { job: 'metrics-probe-ok', outcome: 'ok' })).toBe(1);
    expect(sample(after, 'stackgate_job_runs_total', { job: 'metrics-probe-failing', outcome: 'failed' })).toBe(1);
    expect(sample(after, 'stackgate_job_duration_seconds_count', { job: 'metrics-probe-ok' })).toBe(1);
    expect(delta('stackgate_import_rows_total', { kind: 'tools', mode: 'dry_run', outcome: 'invalid' })).toBe(1);
    expect(sample(after, 'stackgate_outbox_backlog')).toBeGreaterThanOrEqual(0);
    if (isMysql(testApp.config)) {
      expect(sample(after, 'stackgate_db_pool_connections_in_use')).toBeGreaterThanOrEqual(0);
      expect(after).toContain('stackgate_db_pool_waits_total');
    }
  });

  it('has no /metrics without METRICS_TOKEN, and refuses a weak token or shutdown bound at start', async () => {
    const plain = await startTestApp({}, {}, testApp.db);
    try {
      expect((await plain.http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(404);
    } finally {
      await plain.close();
    }
    const base = { JWT_SECRET: TEST_JWT_SECRET, DB_URL: 'sqlite::memory:' };
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, METRICS_TOKEN: 'has a space in it 0123456789abcdef' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ ...base, SHUTDOWN_TIMEOUT_SECONDS: '0' })).toThrow(/SHUTDOWN_TIMEOUT_SECONDS/);
    expect(() => loadConfig({ ...base, SHUTDOWN_TIMEOUT_SECONDS: '5s' })).toThrow(/SHUTDOWN_TIMEOUT_SECONDS/);
    expect(loadConfig(base).operations).toEqual({ metricsToken: undefined, shutdownTimeoutSeconds: 25 });
  });
});

describe('Graceful shutdown', () => {
  /** A started server on a free port of 127.0.0.1. */
  async function listening(): Promise<{ testApp: TestApp; port: number }> {
    const db = await createTestDatabase();
    const testApp = await startTestApp({}, {}, db);
    await testApp.app.listen(0, '127.0.0.1');
    return { testApp, port: (testApp.app.getHttpServer().address() as AddressInfo).port };
  }

  /** A login request whose body is held back after `sent` bytes: in flight until `finish()`. */
  function heldRequest(port: number) {
    const body = JSON.stringify({ email: 'nobody@example.test', password: 'wrong-password-1' });
    const socket: Socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const opened = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return {
      start: async () => {
        await opened;
        socket.write(
          `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
        );
      },
      finish: () => socket.write(body.slice(10)),
      answer: async () => {
        await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
        return answer;
      },
      destroy: () => socket.destroy(),
    };
  }

  const refused = (port: number) =>
    new Promise<string>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('accepted');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });

  it('stops accepting, answers the request in flight, waits for the running job, then closes', async () => {
    const { testApp, port } = await listening();
    const events: string[] = [];
    let releaseJob!: () => void;
    const scheduler = testApp.app.get(JobScheduler);
    scheduler.register({
      name: 'slow-probe',
      run: () =>
        new Promise<void>((resolve) => {
          releaseJob = () => {
            events.push('job finished');
            resolve();
          };
        }),
    });
    const tick = scheduler.tick();
    const held = heldRequest(port);
    await held.start();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const shutdown = gracefulShutdown(testApp.app, 20_000).then((outcome) => {
      events.push(`shutdown ${outcome}`);
      return outcome;
    });
    expect(testApp.app.get(AppLifecycle).draining).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await refused(port)).toBe('ECONNREFUSED');
    expect(events).toEqual([]);

    held.finish();
    const answer = await held.answer();
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('INVALID_CREDENTIALS');
    events.push('request answered');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // the request is done, the job is not: the app (and its database) stays open for it
    expect(events).toEqual(['request answered']);
    releaseJob();
    await tick;
    expect(await shutdown).toBe('drained');
    expect(events).toEqual(['request answered', 'job finished', 'shutdown drained']);
    await testApp.db.drop();
  });

  it('gives up after the bound when a request never finishes', async () => {
    const { testApp, port } = await listening();
    const held = heldRequest(port);
    await held.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    expect(await gracefulShutdown(testApp.app, 500)).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(5000);
    held.destroy();
    // the drain goes on in the background: let it close the app (and its database) before the database is dropped
    for (let waited = 0; testApp.dataSource.isInitialized && waited < 10_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(testApp.dataSource.isInitialized).toBe(false);
    await testApp.db.drop();
  });
});
