import { EntityManager } from 'typeorm';
import { RequestStatus, RequestType, Stage, StageStatus } from './review-policy';

/** Whose awaiting-me queue: the actor, the stages it decides (at least one), and the type filter if any. */
export interface AwaitingMeQuery {
  actorId: string;
  stages: readonly Stage[];
  type?: RequestType;
}

/** A due date as the driver returns it (a Date on MariaDB, the stored text on SQLite), passed back unchanged. */
type DueAt = Date | string | null;

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
 * review_stages is read first, by IDX_review_stages_queue (stage, status, dueAt, requestId, round): in due-date order,
 * so a LIMIT stops after the rows it needs. STRAIGHT_JOIN (MariaDB) and CROSS JOIN (SQLite) keep that join order:
 * left to itself MariaDB starts from tool_requests (as many rows as the queue) and sorts them all.
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

const sortable = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);
/** Earlier of two due dates; none sorts first (as NULL does in ORDER BY … ASC on both engines). */
const earlier = (left: DueAt, right: DueAt): DueAt =>
  left === null || right === null ? null : sortable(left) <= sortable(right) ? left : right;

/**
 * The ids of one page of the queue, in its order: due date (none first), the request's creation, its id. Reads about
 * skip + take open stages per decided stage, not the whole queue: first, per stage, the due date of its
 * (skip + take)-th request in the queue (an index-ordered read that stops there); the page lies among the requests
 * due by the earliest of those, so the page itself is sorted from those only.
 */
export async function awaitingMePage(manager: EntityManager, query: AwaitingMeQuery, skip: number, take: number): Promise<string[]> {
  const reach = skip + take;
  if (!Number.isSafeInteger(reach) || skip < 0 || take < 1) throw new Error(`awaitingMePage: bad page ${skip}+${take}`);
  const bounds = await Promise.all(
    query.stages.map(async (stage) => {
      const { sql, params } = openStages(manager, query, [stage]);
      const rows = await manager.query<{ dueAt: DueAt }[]>(
        `SELECT s.dueAt AS dueAt ${sql} ORDER BY s.dueAt ASC LIMIT 1 OFFSET ${reach - 1}`,
        params,
      );
      return rows.length ? [rows[0].dueAt] : [];
    }),
  );
  const found = bounds.flat();
  const { sql, params } = openStages(manager, query, query.stages);
  let until = '';
  if (found.length) {
    const bound = found.reduce(earlier);
    until = bound === null ? ' AND s.dueAt IS NULL' : ' AND (s.dueAt IS NULL OR s.dueAt <= ?)';
    if (bound !== null) params.push(bound);
  }
  const rows = await manager.query<{ id: string }[]>(
    `SELECT r.id AS id ${sql}${until} ORDER BY s.dueAt ASC, r.createdAt ASC, r.id ASC LIMIT ${take} OFFSET ${skip}`,
    params,
  );
  return rows.map((row) => row.id);
}

/**
 * How many requests the queue holds, exact, in one statement: the requests in review at the actor's stages (an index-only
 * count on IDX_tool_requests_queue, about 0.25 µs a request), less the actor's own among them (the same index, by
 * requester), less, per stage, the others that the actor decided at another stage (read from the actor's decisions on
 * IDX_review_stages_decider; usually none). A NOT EXISTS per request instead costs a lookup for each request in the queue.
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
  const rows = await manager.query<{ total: number | string }[]>(
    `SELECT (SELECT COUNT(*) ${inReview} AND r.currentStage IN (${marks(query.stages)}))` +
      ` - (SELECT COUNT(*) ${inReview} AND r.currentStage IN (${marks(query.stages)}) AND r.requesterId = ?)` +
      `${exclusions.join('')} AS total`,
    [
      ...inReviewParams,
      ...query.stages,
      ...inReviewParams,
      ...query.stages,
      query.actorId,
      ...query.stages.flatMap((stage) => [...inReviewParams, stage, query.actorId, query.actorId, ...others(stage)]),
    ],
  );
  return Number(rows[0].total);
}
