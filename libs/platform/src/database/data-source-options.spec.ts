import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions, serverConnection, serverUrlProblem } from './data-source-options';
import { FailoverPool } from './failover-pool';

const SECRET = 'test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const config = (DB_URL: string) => loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DB_URL });

describe('DB_URL for a MySQL/MariaDB server', () => {
  it('connects over TCP to host and port by default', () => {
    const options = buildDataSourceOptions('mariadb://u:p%40ss@db.internal:3307/stackgate', {}) as unknown as Record<string, unknown>;
    expect(options).toMatchObject({
      type: 'mariadb',
      host: 'db.internal',
      port: 3307,
      username: 'u',
      password: 'p@ss',
      database: 'stackgate',
    });
    expect(options.socketPath).toBeUndefined();
  });

  it('connects over the Unix socket named by ?socket=, without host or port', () => {
    const url = 'mysql://u:p@localhost/stackgate?socket=%2Frun%2Fmysqld%2Fmysqld.sock';
    expect(config(url).dbUrl).toBe(url);
    const options = buildDataSourceOptions(url, {}) as unknown as Record<string, unknown>;
    expect(options).toMatchObject({
      type: 'mysql',
      socketPath: '/run/mysqld/mysqld.sock',
      username: 'u',
      password: 'p',
      database: 'stackgate',
    });
    expect(options.host).toBeUndefined();
    expect(options.port).toBeUndefined();
    expect(buildDataSourceOptions('mariadb://u:p@localhost/db?socket=/tmp/my.sock', {})).toMatchObject({ socketPath: '/tmp/my.sock' });
  });

  it.each([
    ['mariadb://u:p@localhost/db?socket=run/mysqld.sock', 'socket must be an absolute path, got "run/mysqld.sock"'],
    ['mariadb://u:p@localhost/db?socket=', 'socket must be an absolute path, got ""'],
    ['mariadb://u:p@localhost/db?socket=/a.sock&socket=/b.sock', 'names socket more than once'],
    ['mariadb://u:p@localhost/db?ssl=true', 'has an unknown parameter "ssl" (only socket=<absolute path> is understood)'],
    ['mysql://u:p@[bad/db', 'is not a valid URL'],
  ])('refuses %s at start with a clear message', (url, problem) => {
    expect(serverUrlProblem(url)).toBe(problem);
    expect(() => config(url)).toThrow(problem);
  });

  it('never puts the password in the message', () => {
    expect(() => config('mariadb://u:hunter2-secret@localhost/db?x=1')).toThrow(/^(?!.*hunter2-secret)/s);
  });

  it('leaves SQLite paths alone', () => {
    expect(serverUrlProblem('mariadb://u:p@h:3306/db')).toBeNull();
    expect(config('sqlite:/tmp/x?y.sqlite').dbUrl).toBe('sqlite:/tmp/x?y.sqlite');
  });
});

describe('DB_URL with several hosts (a cluster)', () => {
  const url = 'mariadb://u:p%2Cw@db1.internal:3306,db2.internal:3307,10.0.0.3/stackgate';

  it('lists every host in order, the first also as host and port; the password may hold a comma', () => {
    expect(config(url).dbUrl).toBe(url);
    expect(serverConnection(url)).toEqual({
      host: 'db1.internal',
      port: 3306,
      hosts: [
        { host: 'db1.internal', port: 3306 },
        { host: 'db2.internal', port: 3307 },
        { host: '10.0.0.3', port: 3306 },
      ],
      username: 'u',
      password: 'p,w',
      database: 'stackgate',
    });
    expect(serverConnection('mysql://u:a,b@[::1]:3306,[fd00::2]/db').hosts).toEqual([
      { host: '::1', port: 3306 },
      { host: 'fd00::2', port: 3306 },
    ]);
  });

  it('connects through a failover pool over the hosts; one host keeps the plain mysql2 pool', () => {
    const options = buildDataSourceOptions(url, {}) as unknown as Record<string, unknown> & { driver: { createPool(o: object): unknown } };
    expect(options).toMatchObject({ type: 'mariadb', host: 'db1.internal', port: 3306, database: 'stackgate' });
    expect(options.hosts).toBeUndefined();
    const pool = options.driver.createPool({ user: 'u', password: 'p' }) as FailoverPool;
    expect(pool).toBeInstanceOf(FailoverPool);
    expect(pool.hosts.map((server) => `${server.host}:${server.port}`)).toEqual([
      'db1.internal:3306',
      'db2.internal:3307',
      '10.0.0.3:3306',
    ]);
    pool.end();
    expect((buildDataSourceOptions('mariadb://u:p@db1:3306/x', {}) as unknown as Record<string, unknown>).driver).toBeUndefined();
  });

  it.each([
    ['mariadb://u:p@h1:3306,,h3:3306/db', 'has an empty host in its host list'],
    ['mariadb://u:p@h1:3306,/db', 'has an empty host in its host list'],
    ['mariadb://u:p@h1:3306,h2:99999/db', 'has an invalid port in "h2:99999"'],
    ['mariadb://u:p@h1:3306,h2:0/db', 'has an invalid port in "h2:0"'],
    ['mariadb://u:p@h1:3306,h 2:3306/db', 'has an invalid host "h 2:3306"'],
    ['mariadb://u:p@h1:3306,h2:33x06/db', 'has an invalid host "h2:33x06"'],
    ['mariadb://u:p@h1:3306,H1:3306/db', 'names the server H1:3306 more than once'],
    ['mariadb://u:p@h1,h1:3306/db', 'names the server h1:3306 more than once'],
    [
      'mariadb://u:p@h1,h2/db?socket=/run/mysqld/mysqld.sock',
      'names several hosts and a socket: ?socket= connects to one server on this machine',
    ],
    ['mariadb://u:p@h1,h2/db?pool=rr', 'has an unknown parameter "pool" (only socket=<absolute path> is understood)'],
  ])('refuses %s at start with a clear message', (bad, problem) => {
    expect(serverUrlProblem(bad)).toBe(problem);
    expect(() => config(bad)).toThrow(problem);
  });
});

describe('FailoverPool', () => {
  it('tries the hosts in order, skips one that refused, and answers the last error when none accepts', async () => {
    // Ports 1 and 2 on loopback: nothing listens there, connecting is refused at once.
    let time = 1_000_000;
    const pool = new FailoverPool(
      [
        { host: '127.0.0.1', port: 1 },
        { host: '127.0.0.1', port: 2 },
      ],
      { user: 'u', connectTimeout: 2000 },
      () => time,
    );
    const tried: number[] = [];
    pool.on('failover', ({ host }: { host: { port: number } }) => tried.push(host.port));
    const attempt = () => new Promise<NodeJS.ErrnoException | null>((resolve) => pool.getConnection((err) => resolve(err)));
    expect((await attempt())?.code).toBe('ECONNREFUSED');
    expect(tried).toEqual([1, 2]);
    // Both skipped now: still tried (last resort), in order.
    time += 1000;
    await attempt();
    expect(tried).toEqual([1, 2, 1, 2]);
    await new Promise((resolve) => pool.end(resolve));
    expect((await attempt())?.code).toBe('POOL_CLOSED');
  });
});
