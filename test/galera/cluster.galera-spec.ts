import { useGaleraCluster } from './galera-support';

/** The harness itself: three nodes replicate synchronously, lose a node and take it back (IST). */
describe('Galera test cluster', () => {
  const galera = useGaleraCluster();

  it('replicates a write on node 1 to node 3, survives a killed node and takes it back by IST', async () => {
    const cluster = galera.get();
    const table = `smoke_${Date.now()}`;
    cluster.sql(1, `CREATE DATABASE IF NOT EXISTS sg_smoke; CREATE TABLE sg_smoke.${table} (id INT PRIMARY KEY, note VARCHAR(20))`);
    cluster.sql(1, `INSERT INTO sg_smoke.${table} VALUES (1, 'from node 1')`);
    expect(cluster.sql(3, `SELECT note FROM sg_smoke.${table} WHERE id = 1`).trim()).toBe('from node 1');

    await cluster.kill(2, 'SIGKILL');
    await cluster.waitSynced(2);
    expect(cluster.status(1)).toMatchObject({ size: 2, state: 'Synced', primary: true });
    cluster.sql(3, `INSERT INTO sg_smoke.${table} VALUES (2, 'while 2 was down')`);

    await cluster.restart(2);
    await cluster.waitSynced(3);
    expect(cluster.lastJoin(2)).toBe('IST');
    for (const node of [1, 2, 3]) {
      expect(cluster.status(node)).toMatchObject({ size: 3, state: 'Synced', ready: true, primary: true });
      expect(cluster.sql(node, `SELECT COUNT(*) FROM sg_smoke.${table}`).trim()).toBe('2');
    }
    cluster.sql(1, 'DROP DATABASE sg_smoke');
  });
});
