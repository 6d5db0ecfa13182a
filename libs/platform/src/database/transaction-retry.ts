import { DataSource, EntityManager } from 'typeorm';
import { isLockConflict, isUniqueViolation } from './db-errors';

/**
 * A transaction that lost a race to another one and was rolled back as a whole, so running it
 * again from the start is safe: an InnoDB deadlock or lock-wait timeout, or two events appended
 * to the same audit chain at once (the unique (entityType, entityId, chainSeq) and (chain, chainSeq)
 * indexes UQ_audit_chain* refuse the second; a fresh attempt reads the new chain head).
 */
export function isRetryableConflict(err: unknown): boolean {
  if (isLockConflict(err)) return true;
  if (!isUniqueViolation(err)) return false;
  const e = err as { message?: string; driverError?: { sqlMessage?: string; message?: string } };
  return /UQ_audit_chain/.test(`${e?.driverError?.sqlMessage ?? ''} ${e?.driverError?.message ?? ''} ${e?.message ?? ''}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * On MySQL/MariaDB, `dataSource.transaction()` runs its callback again (up to `attempts` times,
 * with a short random backoff) when the transaction was rolled back by a retryable conflict, so
 * concurrent writers to one tool or one audit chain all succeed instead of some getting a 409 for
 * a collision they could not avoid. Callbacks must keep their side effects inside the database
 * (they do: notifications are an outbox, e-mail is sent outside transactions). SQLite runs
 * transactions one at a time (see sqlite-serial.ts) and needs none of this.
 */
export function retryConflictingTransactions(ds: DataSource, attempts = 10): void {
  if (ds.options.type === 'better-sqlite3') return;
  const manager = ds.manager as EntityManager & { transaction: (...a: unknown[]) => Promise<unknown> };
  const original = manager.transaction.bind(manager) as (...a: unknown[]) => Promise<unknown>;
  manager.transaction = (async (...args: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await original(...args);
      } catch (err) {
        if (attempt >= attempts || !isRetryableConflict(err)) throw err;
        await sleep(Math.floor(Math.random() * 15 * attempt) + 1);
      }
    }
  }) as never;
}
