import { makeCostCenter } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { createTestDatabase, startTestApp, TEST_ENGINE, TestApp, TestDatabase } from '../support/test-app';

/*
 * DB_URL …?socket=<path>: the app reaches a MariaDB on the same machine over its Unix socket
 * instead of TCP (MariaDB only; `npm test` passes the throwaway server's socket).
 */
const SOCKET = process.env.TEST_MARIADB_SOCKET;
const RUN = TEST_ENGINE === 'mariadb' && !!SOCKET;
const suite = RUN ? describe : describe.skip;
const title = RUN
  ? 'DB_URL with ?socket=: the app works over the Unix socket'
  : 'DB_URL with ?socket= (skipped: needs TEST_DB_ENGINE=mariadb and TEST_MARIADB_SOCKET)';

suite(title, () => {
  let db: TestDatabase;
  let testApp: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The same schema, reached by the socket: the host and port left in the URL are not used.
    const serverUrl = new URL(db.url.replace(/^mariadb:/, 'http:'));
    const url = `mariadb://${serverUrl.username}:${serverUrl.password}@localhost:1${serverUrl.pathname}?socket=${encodeURIComponent(SOCKET!)}`;
    testApp = await startTestApp({}, {}, { url, drop: async () => undefined });
  });
  afterAll(async () => {
    await testApp?.close();
    await db?.drop();
  });

  it('connects as the socket user, not over TCP', async () => {
    const rows: { who: string }[] = await testApp.dataSource.query('SELECT USER() AS who');
    expect(rows[0].who).toMatch(/@localhost$/);
    const res = await testApp.http().get('/api/health');
    expect(res.status).toBe(200);
  });

  it('migrates, writes and reads through the API', async () => {
    const cast = await makeCast(testApp);
    const cc = await makeCostCenter(testApp, cast.admin, { kind: 'IT', code: 'SOCK-IT' });
    const list = await testApp.http().get('/api/v1/cost-centers').set(cast.finance.auth);
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(cc.id);
  });
});
