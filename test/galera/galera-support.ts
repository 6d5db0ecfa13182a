import { attachGalera, GaleraCluster, galeraMissing, startGalera } from '../../scripts/galera-throwaway';
import { createTestDatabase, TestDatabase } from '../support/test-app';

export type { GaleraCluster };

/**
 * The cluster a Galera suite runs on: the one `npm test` started (TEST_GALERA_DIR), or, when a suite runs
 * alone (`npx jest --selectProjects galera`), one of its own, stopped by PID after the file.
 */
export function useGaleraCluster(): { get(): GaleraCluster } {
  let cluster: GaleraCluster | undefined;
  let owned = false;
  beforeAll(async () => {
    const missing = galeraMissing();
    if (missing) throw new Error(`the Galera suites need a cluster: ${missing}`);
    if (process.env.TEST_GALERA_DIR) cluster = attachGalera(process.env.TEST_GALERA_DIR);
    else {
      cluster = await startGalera();
      owned = true;
    }
    // A suite that killed nodes leaves them for the next one to find: every node up and Synced first.
    for (const node of cluster.nodes) if (!cluster.pid(node.index)) await cluster.restart(node.index);
    await cluster.waitSynced(cluster.nodes.length);
  }, 180000);
  afterAll(async () => {
    if (owned) await cluster?.stop();
  }, 60000);
  return {
    get: () => {
      if (!cluster) throw new Error('the Galera cluster is not up');
      return cluster;
    },
  };
}

/** A fresh database created through node 1 (replicated to all), and its DB_URL on each node. */
export async function createClusterDatabase(cluster: GaleraCluster): Promise<TestDatabase & { nodeUrl(index: number): string }> {
  const previous = process.env.TEST_MYSQL_URL;
  process.env.TEST_MYSQL_URL = cluster.url(1);
  try {
    const db = await createTestDatabase('mariadb');
    const name = new URL(db.url.replace(/^mariadb:/, 'http:')).pathname;
    return { ...db, nodeUrl: (index: number) => `${cluster.url(index)}${name}` };
  } finally {
    if (previous === undefined) delete process.env.TEST_MYSQL_URL;
    else process.env.TEST_MYSQL_URL = previous;
  }
}

/** DB_URL with every node, in the given order (the first is preferred). */
export function multiHostUrl(cluster: GaleraCluster, database: string, order: number[]): string {
  const base = new URL(cluster.url(1).replace(/^mariadb:/, 'http:'));
  const hosts = order.map((index) => `127.0.0.1:${cluster.nodes[index - 1].port}`).join(',');
  return `mariadb://${base.username}:${base.password}@${hosts}/${database}`;
}
