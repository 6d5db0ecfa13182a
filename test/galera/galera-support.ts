import { monitorEventLoopDelay } from 'node:perf_hooks';
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

/** One write a suite made through a node's instance: the phase it started and ended in, its answer, how long it took. */
export interface TimedWrite<P extends string> {
  node: number;
  phase: P;
  ended: P;
  status: number;
  code?: string;
  /** When it was sent (epoch ms) and how long its answer took. */
  startedAt: number;
  ms: number;
}

/** Nanoseconds a node's replication has been paused by flow control since it started, or null when it does not answer. */
function flowControlPausedNs(cluster: GaleraCluster, index: number): number | null {
  try {
    return Number(cluster.sql(index, "SHOW GLOBAL STATUS LIKE 'wsrep_flow_control_paused_ns'").trim().split('\t')[1]);
  } catch {
    return null;
  }
}

/**
 * What a run under load needs to be diagnosed afterwards, per phase: each node's answers and slowest write, the
 * longest event-loop stall of this process (the instances and the harness share it: a stall delays every answer),
 * and the fraction of the phase the watched nodes' replication was paused by flow control.
 */
export function phaseRecorder<P extends string>(cluster: GaleraCluster, watched: number[]) {
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  const marks: { phase: P; at: number; pausedNs: (number | null)[]; loopMaxMs?: number }[] = [];
  const close = () => {
    const last = marks.at(-1);
    if (last && last.loopMaxMs === undefined) last.loopMaxMs = Math.round(loop.max / 1e6);
    loop.reset();
  };
  return {
    enter(phase: P) {
      close();
      marks.push({ phase, at: Date.now(), pausedNs: watched.map((node) => flowControlPausedNs(cluster, node)) });
    },
    /** One line per phase (closes the last one). */
    summary(writes: TimedWrite<P>[]): string[] {
      close();
      loop.disable();
      const end = { at: Date.now(), pausedNs: watched.map((node) => flowControlPausedNs(cluster, node)) };
      return marks.map((mark, at) => {
        const next = marks[at + 1] ?? end;
        const wallNs = (next.at - mark.at) * 1e6;
        const flowControlPaused = Object.fromEntries(
          watched.map((node, slot) => {
            const [from, to] = [mark.pausedNs[slot], next.pausedNs[slot]];
            return [`node${node}`, from === null || to === null ? null : Number(((to - from) / wallNs).toFixed(3))];
          }),
        );
        const nodes = [...new Set(writes.map((write) => write.node))].sort().map((node) => {
          const mine = writes.filter((write) => write.node === node && write.phase === mark.phase);
          const statuses = new Map<string, number>();
          for (const write of mine) {
            const answer = write.code ? `${write.status} ${write.code}` : String(write.status);
            statuses.set(answer, (statuses.get(answer) ?? 0) + 1);
          }
          const slowest = mine.reduce<TimedWrite<P> | undefined>((max, write) => (max && max.ms >= write.ms ? max : write), undefined);
          const answers = [...statuses].map(([what, count]) => `${what}×${count}`).join(', ');
          const when = slowest ? ` (sent at +${((slowest.startedAt - mark.at) / 1000).toFixed(1)} s)` : '';
          return `node${node}: ${mine.length} writes (${answers}), slowest ${slowest?.ms ?? 0} ms${when}`;
        });
        return (
          `phase ${mark.phase} (from ${new Date(mark.at).toISOString().slice(11, 23)} UTC, ${((next.at - mark.at) / 1000).toFixed(1)} s): ` +
          `${nodes.join('; ')}; ` +
          `longest event-loop stall ${mark.loopMaxMs} ms; flow control paused ${JSON.stringify(flowControlPaused)}`
        );
      });
    },
  };
}
