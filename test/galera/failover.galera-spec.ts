import { makeCostCenter } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { createClusterDatabase, GaleraCluster, multiHostUrl, useGaleraCluster } from './galera-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * DB_URL with several hosts: the instance prefers the first listed node, and when that node dies its next
 * requests go through the next node; once the node is back, new connections return to it.
 */
describe('DB_URL with several Galera nodes fails over', () => {
  const galera = useGaleraCluster();
  let cluster: GaleraCluster;
  let db: Awaited<ReturnType<typeof createClusterDatabase>>;
  let testApp: TestApp;

  beforeAll(async () => {
    cluster = galera.get();
    db = await createClusterDatabase(cluster);
    const database = new URL(db.url.replace(/^mariadb:/, 'http:')).pathname.slice(1);
    // Node 2 first, then 1 and 3.
    testApp = await startTestApp({ DB_URL: multiHostUrl(cluster, database, [2, 1, 3]), DB_POOL_SIZE: '4' }, {}, db);
  });
  afterAll(async () => {
    await testApp?.close();
    await db?.drop().catch(() => undefined);
  });

  const servingPort = async () => Number((await testApp.dataSource.query('SELECT @@port AS port'))[0].port);

  it('serves through the next node while the first is down, and returns to it after it rejoins', async () => {
    const cast = await makeCast(testApp);
    expect(await servingPort()).toBe(cluster.nodes[1].port);
    await makeCostCenter(testApp, cast.admin);

    await cluster.kill(2, 'SIGKILL');
    // Connections open to node 2 die with it; the pool drops them as their sockets close.
    await sleep(200);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const res = await testApp
        .http()
        .post('/api/v1/cost-centers')
        .set(cast.admin.auth)
        .send({ code: `FAILOVER-${attempt}`, name: `Failover ${attempt}`, kind: 'IT' });
      statuses.push(res.status);
      statuses.push((await testApp.http().get('/api/v1/cost-centers').set(cast.admin.auth)).status);
    }
    expect(statuses).toEqual(Array.from({ length: 20 }, (_, index) => (index % 2 ? 200 : 201)));
    expect(await servingPort()).toBe(cluster.nodes[0].port);
    expect((await testApp.http().get('/api/health/ready')).status).toBe(200);

    await cluster.restart(2);
    await cluster.waitSynced(3);
    // The node is skipped for a few seconds after it refused; then new connections go to it again.
    await sleep(3500);
    const ports = new Set<number>();
    await Promise.all(Array.from({ length: 6 }, async () => ports.add(await servingPort())));
    expect(ports.has(cluster.nodes[1].port)).toBe(true);
    // Every write made through node 1 is on node 2 after its IST.
    const name = new URL(db.url.replace(/^mariadb:/, 'http:')).pathname.slice(1);
    expect(cluster.sql(2, `SELECT COUNT(*) FROM \`${name}\`.cost_centers WHERE code LIKE 'FAILOVER-%'`).trim()).toBe('10');
  });
});
