import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { isLockConflict, isUniqueViolation } from './db-errors';

/** How withTransaction runs its work. */
export interface TransactionOptions {
  /** MySQL/MariaDB: how many attempts in all when the transaction loses a race (default 10). */
  attempts?: number;
}

const DEFAULT_ATTEMPTS = 10;

/**
 * Runs `work` in one database transaction (committed when its promise resolves, rolled back when it
 * rejects) and answers what `work` answers. Every service that writes calls this, never
 * `dataSource.transaction` directly:
 *
 * - On MySQL/MariaDB, a transaction that lost a race to another one and was rolled back as a whole
 *   (isRetryableConflict: a deadlock, a lock-wait timeout, a Galera certification conflict, or two
 *   events appended to one audit chain at once) runs again from the start, up to `attempts` times
 *   with a short random backoff, so concurrent writers to one tool or one audit chain all succeed
 *   instead of some getting a 409 for a collision they could not avoid. `work` must therefore be
 *   idempotent per attempt: it may run more than once, and each run starts from scratch in a fresh
 *   transaction. Keep side effects inside the database (notifications are an outbox; e-mail is sent
 *   outside transactions).
 * - On SQLite (better-sqlite3 gives TypeORM one connection, so two overlapping transactions would
 *   share it or mix their writes) transactions run one at a time, in arrival order. A transaction
 *   that starts another one would wait for itself: it is refused; pass the outer EntityManager.
 *
 * The caller's async request context (actor, request id, address: what audit records) carries into
 * `work` on both engines, also when `work` waits in the SQLite queue.
 */
export function withTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  opts: TransactionOptions = {},
): Promise<T> {
  if (dataSource.options.type === 'better-sqlite3') return serialised(dataSource, work);
  return retried(dataSource, work, opts.attempts ?? DEFAULT_ATTEMPTS);
}

/**
 * A transaction that lost a race to another one and was rolled back as a whole, so running it
 * again from the start is safe: an InnoDB deadlock or lock-wait timeout, a Galera (WSREP)
 * certification conflict or brute-force abort, or two events appended to the same audit chain at
 * once (the unique (entityType, entityId, chainSeq) and (chain, chainSeq) indexes UQ_audit_chain*
 * refuse the second; a fresh attempt reads the new chain head).
 */
export function isRetryableConflict(err: unknown): boolean {
  if (isLockConflict(err) || isWsrepConflict(err)) return true;
  if (!isUniqueViolation(err)) return false;
  return /UQ_audit_chain/.test(errorText(err));
}

function errorText(err: unknown): string {
  const failure = err as { message?: string; driverError?: { sqlMessage?: string; message?: string } };
  return `${failure?.driverError?.sqlMessage ?? ''} ${failure?.driverError?.message ?? ''} ${failure?.message ?? ''}`;
}

/**
 * Galera's answer to a transaction it aborted for a conflicting write set from another node, or could
 * not certify at commit: mostly ER_LOCK_DEADLOCK (1213, which isLockConflict matches by errno), on
 * some versions with only the text "WSREP detected deadlock/conflict and aborted the transaction.
 * Try restarting the transaction". Not "WSREP has not yet prepared node for application use" (1047):
 * a node out of the cluster, not a lost race.
 */
function isWsrepConflict(err: unknown): boolean {
  return /WSREP detected deadlock|WSREP.*conflict|certification fail/i.test(errorText(err));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function retried<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      // Jittered backoff that grows with the attempt, so the writers that collided don't collide again.
      await sleep(Math.floor(Math.random() * 15 * attempt) + 1);
    }
  }
}

/** The last transaction queued per SQLite data source (settled: never rejects). */
const tails = new WeakMap<DataSource, Promise<unknown>>();
/** true in the work of a SQLite transaction, to refuse a nested one that would wait for itself. */
const inTransaction = new AsyncLocalStorage<boolean>();

function serialised<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (inTransaction.getStore()) {
    return Promise.reject(new Error('Nested withTransaction() on SQLite: pass the EntityManager of the outer transaction instead'));
  }
  // `.then` is called here, in the caller's async context, so its callback (and `work`) runs in that
  // context: the request context reaches the audit events `work` writes after waiting its turn.
  const run = (tails.get(dataSource) ?? Promise.resolve()).then(() => inTransaction.run(true, () => dataSource.transaction(work)));
  tails.set(
    dataSource,
    run.catch(() => undefined),
  );
  return run;
}
