import { loadConfig } from '../config/app-config';
import { buildDataSourceOptions, serverUrlProblem } from './data-source-options';

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
