import { EntityManager } from 'typeorm';
import { RequestStatus, RequestType, Stage } from './review-policy';

/*
 * request_queue_counts: how many requests are in review at each (stage, type), so that the awaiting-me queue's total
 * reads a handful of rows instead of counting every request in review (migration 1767002700000). Every write that
 * moves a request into, between or out of review stages (submit, decide, withdraw) moves its count in the same
 * transaction, as its last write: a writer that lost the race has changed nothing, and the few shared rows stay locked
 * only until the commit. recountQueue rewrites the counts from the requests (an hourly job), which heals what an older
 * instance wrote during a rolling upgrade.
 */

const isMysql = (m: EntityManager) => ['mysql', 'mariadb'].includes(m.connection.options.type);
/** The table and its columns, quoted for the engine. */
const names = (manager: EntityManager) => {
  const [table, stage, type, requests] = ['request_queue_counts', 'stage', 'type', 'requests'].map((name) =>
    manager.connection.driver.escape(name),
  );
  return { table, stage, type, requests };
};
/** INSERT … or, when (stage, type) has its row, `set` the requests of that row (`incoming`: the inserted value). */
const upsert = (manager: EntityManager, set: (requests: string, incoming: string) => string) => {
  const { table, stage, type, requests } = names(manager);
  const onConflict = isMysql(manager)
    ? ` ON DUPLICATE KEY UPDATE ${requests} = ${set(requests, `VALUES(${requests})`)}`
    : ` ON CONFLICT (${stage}, ${type}) DO UPDATE SET ${requests} = ${set(requests, `excluded.${requests}`)}`;
  return (rows: number) =>
    `INSERT INTO ${table} (${stage}, ${type}, ${requests}) VALUES ${Array(rows).fill('(?, ?, ?)').join(', ')}${onConflict}`;
};

/** Where a request counts: at its current stage while in review, nowhere otherwise. */
export function queuedAt(request: { status: RequestStatus; currentStage: Stage | null }): Stage | null {
  return request.status === RequestStatus.IN_REVIEW ? request.currentStage : null;
}

/**
 * Moves one request of `type` from stage `from` to stage `to` in the counts (null: not in review). The rows are
 * written in one statement, sorted by stage: writers that share stages lock them in the same order.
 */
export async function moveQueueCount(manager: EntityManager, type: RequestType, from: Stage | null, to: Stage | null): Promise<void> {
  if (from === to) return;
  const deltas: [Stage, number][] = [];
  if (from) deltas.push([from, -1]);
  if (to) deltas.push([to, 1]);
  deltas.sort(([a], [b]) => a.localeCompare(b));
  const add = upsert(manager, (requests, incoming) => `${requests} + ${incoming}`);
  await manager.query(
    add(deltas.length),
    deltas.flatMap(([at, delta]) => [at, type, delta]),
  );
}

/** The requests in review at `stages` (of `type` if given): a sum over at most a row per (stage, type). */
export function queueCountSql(manager: EntityManager, stages: readonly Stage[], type?: RequestType): { sql: string; params: unknown[] } {
  const { table, stage, type: typeCol, requests } = names(manager);
  return {
    sql:
      `(SELECT COALESCE(SUM(${requests}), 0) FROM ${table} WHERE ${stage} IN (${stages.map(() => '?').join(', ')})` +
      `${type ? ` AND ${typeCol} = ?` : ''})`,
    params: [...stages, ...(type ? [type] : [])],
  };
}

/** One (stage, type) whose count was not what the requests say. */
export interface QueueCountDrift {
  stage: string;
  type: string;
  counted: number;
  actual: number;
}

/**
 * Rewrites the counts from the requests in review, in the caller's transaction, and answers the rows that were wrong.
 * The count rows are locked first: a writer that moves a count meanwhile waits, and adds its move to the recounted
 * value once this commits (its request change, uncommitted, was not counted). On Galera, where locks stay on their
 * node, a concurrent writer on another node makes one of the two fail certification, and it runs again.
 */
export async function recountQueue(manager: EntityManager): Promise<QueueCountDrift[]> {
  const { table, stage, type: typeCol, requests } = names(manager);
  const lock = isMysql(manager) ? ' FOR UPDATE' : '';
  const counted = await manager.query<{ stage: string; type: string; requests: number | string }[]>(
    `SELECT ${stage} AS ${stage}, ${typeCol} AS ${typeCol}, ${requests} AS ${requests} FROM ${table}${lock}`,
  );
  const actual = await manager.query<{ stage: string; type: string; requests: number | string }[]>(
    'SELECT r.currentStage AS stage, r.type AS type, COUNT(*) AS requests FROM tool_requests r ' +
      'WHERE r.status = ? AND r.currentStage IS NOT NULL GROUP BY r.currentStage, r.type',
    [RequestStatus.IN_REVIEW],
  );
  const key = (row: { stage: string; type: string }) => `${row.stage}\u0000${row.type}`;
  const want = new Map(actual.map((row) => [key(row), { stage: row.stage, type: row.type, actual: Number(row.requests) }]));
  const drift: QueueCountDrift[] = [];
  for (const row of counted) {
    const found = want.get(key(row));
    want.delete(key(row));
    if (Number(row.requests) !== (found?.actual ?? 0))
      drift.push({ stage: row.stage, type: row.type, counted: Number(row.requests), actual: found?.actual ?? 0 });
  }
  for (const missing of want.values()) if (missing.actual !== 0) drift.push({ ...missing, counted: 0 });
  const replace = upsert(manager, (_requests, incoming) => incoming);
  if (drift.length)
    await manager.query(
      replace(drift.length),
      drift.flatMap((wrong) => [wrong.stage, wrong.type, wrong.actual]),
    );
  return drift;
}
