import { EntityManager } from 'typeorm';
import { queueCountSql } from './queue-counts';
import { RequestStatus, RequestType, Stage, StageStatus } from './review-policy';

/** Whose awaiting-me queue: the actor, the stages it decides (at least one), and the type filter if any. */
export interface AwaitingMeQuery {
  actorId: string;
  stages: readonly Stage[];
  type?: RequestType;
}

const isMysql = (manager: EntityManager) => ['mysql', 'mariadb'].includes(manager.connection.options.type);
const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');
const ALL_STAGES = Object.values(Stage);
/**
 * Separation of duties: a decision by the actor on request r at a stage other than its current one. `d.stage IN (every
 * stage)` changes no answer; it lets both engines seek IDX_review_stages_decider (decidedById, stage, requestId) on all
 * three columns, one request at a time, where SQLite would otherwise read all of the actor's decisions for each request.
 */
const decidedElsewhere = `d.decidedById = ? AND d.stage IN (${marks(ALL_STAGES)}) AND d.requestId = r.id AND d.stage <> r.currentStage`;

/**
 * The open stages of `stages` whose request waits for the actor: in review at that stage and round, not the actor's
 * own request, and no stage of it decided by the actor other than the current one (separation of duties; any round).
 * review_stages is read first, by IDX_review_stages_queue (stage, status, dueAt, requestCreatedAt, requestId, round): in
 * the queue's order for one stage, so a LIMIT stops after the rows it needs (requestCreatedAt is r.createdAt, copied).
 * STRAIGHT_JOIN (MariaDB) and CROSS JOIN (SQLite) keep that join order: left to itself MariaDB starts from
 * tool_requests (as many rows as the queue) and sorts them all.
 */
function openStages(manager: EntityManager, query: AwaitingMeQuery, stages: readonly Stage[]): { sql: string; params: unknown[] } {
  const join = isMysql(manager) ? 'STRAIGHT_JOIN' : 'CROSS JOIN';
  return {
    sql:
      `FROM review_stages s ${join} tool_requests r ON r.id = s.requestId AND r.round = s.round AND r.currentStage = s.stage ` +
      `WHERE s.stage IN (${marks(stages)}) AND s.status = ? AND r.status = ? AND r.requesterId <> ? ` +
      `AND NOT EXISTS (SELECT 1 FROM review_stages d WHERE ${decidedElsewhere}) ` +
      (query.type ? ' AND r.type = ?' : ''),
    params: [
      ...stages,
      StageStatus.OPEN,
      RequestStatus.IN_REVIEW,
      query.actorId,
      query.actorId,
      ...ALL_STAGES,
      ...(query.type ? [query.type] : []),
    ],
  };
}

/** The queue's order; IDX_review_stages_queue holds it for one stage (requestCreatedAt and requestId: r.createdAt and r.id). */
const ORDER = 'ORDER BY s.dueAt ASC, s.requestCreatedAt ASC, s.requestId ASC';

/**
 * The ids of one page of the queue, in its order: due date (none first), the request's creation, its id. Reads
 * skip + take open stages per decided stage, not the whole queue, however many share a due date. For one stage, one
 * index-ordered read stops after them. For several, each stage's first skip + take (each such a read) are put together
 * and sorted, and the page is taken from those: every request of the page is among its own stage's first skip + take.
 */
export async function awaitingMePage(manager: EntityManager, query: AwaitingMeQuery, skip: number, take: number): Promise<string[]> {
  const reach = skip + take;
  if (!Number.isSafeInteger(reach) || skip < 0 || take < 1) throw new Error(`awaitingMePage: bad page ${skip}+${take}`);
  if (query.stages.length === 1) {
    const { sql, params } = openStages(manager, query, query.stages);
    const rows = await manager.query<{ id: string }[]>(`SELECT r.id AS id ${sql} ${ORDER} LIMIT ${take} OFFSET ${skip}`, params);
    return rows.map((row) => row.id);
  }
  // A derived table keeps each stage's ORDER BY … LIMIT (SQLite allows neither on a part of a UNION directly).
  const parts = query.stages.map((stage, index) => {
    const { sql, params } = openStages(manager, query, [stage]);
    const first = `SELECT s.dueAt AS dueAt, s.requestCreatedAt AS createdAt, s.requestId AS id ${sql} ${ORDER} LIMIT ${reach}`;
    return { sql: `SELECT dueAt, createdAt, id FROM (${first}) stage${index}`, params };
  });
  const rows = await manager.query<{ id: string }[]>(
    `${parts.map((part) => part.sql).join(' UNION ALL ')} ORDER BY dueAt ASC, createdAt ASC, id ASC LIMIT ${take} OFFSET ${skip}`,
    parts.flatMap((part) => part.params),
  );
  return rows.map((row) => row.id);
}

/**
 * How many requests the queue holds, exact, in one statement: the requests in review at the actor's stages (a few rows
 * of request_queue_counts, whatever the queue's size), less the actor's own among them (IDX_tool_requests_queue, by
 * requester), less, per stage, the others that the actor decided at another stage (read from the actor's decisions on
 * IDX_review_stages_decider; usually none). One statement reads one snapshot: the three parts agree.
 */
export async function awaitingMeTotal(manager: EntityManager, query: AwaitingMeQuery): Promise<number> {
  const inReview = `FROM tool_requests r WHERE r.status = ?${query.type ? ' AND r.type = ?' : ''}`;
  const inReviewParams = [RequestStatus.IN_REVIEW, ...(query.type ? [query.type] : [])];
  // Per stage X: decisions by the actor at the stages other than X (a seek on all three columns of the index, per request).
  const others = (stage: Stage) => ALL_STAGES.filter((other) => other !== stage);
  const exclusions = query.stages.map(
    (stage) =>
      ` - (SELECT COUNT(*) ${inReview} AND r.currentStage = ? AND r.requesterId <> ? AND EXISTS ` +
      `(SELECT 1 FROM review_stages d WHERE d.decidedById = ? AND d.stage IN (${marks(others(stage))}) AND d.requestId = r.id))`,
  );
  const queued = queueCountSql(manager, query.stages, query.type);
  const rows = await manager.query<{ total: number | string }[]>(
    `SELECT ${queued.sql}` +
      ` - (SELECT COUNT(*) ${inReview} AND r.currentStage IN (${marks(query.stages)}) AND r.requesterId = ?)` +
      `${exclusions.join('')} AS total`,
    [
      ...queued.params,
      ...inReviewParams,
      ...query.stages,
      query.actorId,
      ...query.stages.flatMap((stage) => [...inReviewParams, stage, query.actorId, query.actorId, ...others(stage)]),
    ],
  );
  // Never below zero, even if the counts drifted (the hourly recount mends them).
  return Math.max(0, Number(rows[0].total));
}
