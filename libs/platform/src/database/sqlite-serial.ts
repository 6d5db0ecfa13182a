import { DataSource, EntityManager } from 'typeorm';
import { ScopedStorage } from '../request-context/scoped-storage';

// Open only while a transaction runs, so that reads between writes run without promise hooks.
const inTransaction = new ScopedStorage<boolean>();

/**
 * better-sqlite3 gives TypeORM one connection, so two overlapping transactions would share it
 * ("cannot start a transaction within a transaction") or mix their writes. On SQLite every
 * `dataSource.transaction()` therefore runs one at a time, in arrival order. MySQL/MariaDB use a
 * pool and need none of this.
 */
export function serializeSqliteTransactions(ds: DataSource): void {
  if (ds.options.type !== 'better-sqlite3') return;
  const manager = ds.manager as EntityManager & { transaction: (...a: unknown[]) => Promise<unknown> };
  const original = manager.transaction.bind(manager) as (...a: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    if (inTransaction.getStore()) {
      return Promise.reject(new Error('Nested dataSource.transaction() on SQLite: pass the EntityManager of the outer transaction instead'));
    }
    const run = tail.then(() => inTransaction.run(true, () => original(...args)));
    tail = run.catch(() => undefined);
    return run;
  }) as never;
}
