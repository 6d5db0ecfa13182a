import { DataSource, EntityManager } from 'typeorm';
import { requestContext, runInContext } from '../request-context/request-context';
import { isRetryableConflict, withTransaction } from './transactions';

const tick = () => new Promise<void>((r) => setImmediate(r));

/** A DataSource stand-in: `transaction` runs the work with a fake manager, failing first with `failures`. */
function fakeDataSource(type: string, failures: Error[] = []) {
  const calls: string[] = [];
  const ds = {
    options: { type },
    async transaction(work: (m: EntityManager) => Promise<unknown>) {
      calls.push('begin');
      await tick();
      const err = failures.shift();
      if (err) {
        calls.push('rollback');
        throw err;
      }
      const out = await work({} as EntityManager);
      calls.push('commit');
      return out;
    },
  };
  return { ds: ds as unknown as DataSource, calls };
}

const driverError = (props: { sqlMessage?: string } & Record<string, unknown>) =>
  Object.assign(new Error(props.sqlMessage ?? 'query failed'), { driverError: props });
const deadlock = () =>
  driverError({ code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlMessage: 'Deadlock found when trying to get lock; try restarting transaction' });

describe('isRetryableConflict', () => {
  it('retries deadlocks, lock-wait timeouts, Galera conflicts and audit-chain collisions, nothing else', () => {
    expect(isRetryableConflict(deadlock())).toBe(true);
    expect(isRetryableConflict(driverError({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }))).toBe(true);
    expect(
      isRetryableConflict(
        driverError({
          errno: 1213,
          sqlMessage: 'WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction',
        }),
      ),
    ).toBe(true);
    expect(
      isRetryableConflict(
        driverError({
          code: 'ER_UNKNOWN_ERROR',
          sqlMessage: 'WSREP detected deadlock/conflict and aborted the transaction. Try restarting the transaction',
        }),
      ),
    ).toBe(true);
    expect(
      isRetryableConflict(
        driverError({ code: 'ER_DUP_ENTRY', errno: 1062, sqlMessage: "Duplicate entry 'x-3' for key 'UQ_audit_chain_seq'" }),
      ),
    ).toBe(true);
    expect(
      isRetryableConflict(driverError({ code: 'ER_DUP_ENTRY', errno: 1062, sqlMessage: "Duplicate entry 'x' for key 'UQ_tools_nameKey'" })),
    ).toBe(false);
    expect(
      isRetryableConflict(
        driverError({ code: 'ER_UNKNOWN_COM_ERROR', errno: 1047, sqlMessage: 'WSREP has not yet prepared node for application use' }),
      ),
    ).toBe(false);
    expect(isRetryableConflict(new Error('boom'))).toBe(false);
  });
});

describe('withTransaction on MySQL/MariaDB', () => {
  it('runs the work again from scratch after a retryable conflict, and answers what the work answers', async () => {
    const { ds, calls } = fakeDataSource('mariadb', [deadlock(), deadlock()]);
    let runs = 0;
    await expect(withTransaction(ds, async () => ++runs)).resolves.toBe(1);
    expect(calls).toEqual(['begin', 'rollback', 'begin', 'rollback', 'begin', 'commit']);
  });

  it('gives up after `attempts` and rethrows the conflict; never retries other errors', async () => {
    const { ds, calls } = fakeDataSource('mysql', [deadlock(), deadlock(), deadlock()]);
    const err = await withTransaction(ds, async () => 1, { attempts: 2 }).catch((e: unknown) => e);
    expect(isRetryableConflict(err)).toBe(true);
    expect(calls).toEqual(['begin', 'rollback', 'begin', 'rollback']);

    const other = fakeDataSource('mariadb', [new Error('not a conflict')]);
    await expect(withTransaction(other.ds, async () => 1)).rejects.toThrow('not a conflict');
    expect(other.calls).toEqual(['begin', 'rollback']);
  });
});

describe('withTransaction on SQLite', () => {
  it('runs overlapping transactions one at a time, in arrival order, also after one fails', async () => {
    const { ds } = fakeDataSource('better-sqlite3');
    const log: string[] = [];
    const work =
      (name: string, fail = false) =>
      async () => {
        log.push(`${name} start`);
        await tick();
        await tick();
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      withTransaction(ds, work('a')),
      withTransaction(ds, work('b', true)),
      withTransaction(ds, work('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('refuses a transaction started inside another (it would wait for itself)', async () => {
    const { ds } = fakeDataSource('better-sqlite3');
    await expect(withTransaction(ds, () => withTransaction(ds, async () => 1))).rejects.toThrow(/Nested withTransaction\(\) on SQLite/);
    await expect(withTransaction(ds, async () => 'after')).resolves.toBe('after');
  });

  it("keeps each caller's request context in its work while it waits its turn (what audit records)", async () => {
    const { ds } = fakeDataSource('better-sqlite3');
    const seen = await Promise.all(
      ['r1', 'r2', 'r3'].map((requestId) =>
        runInContext({ requestId, actor: { id: requestId, email: `${requestId}@x`, roles: [] } }, () =>
          withTransaction(ds, async () => {
            await tick();
            return `${requestContext()?.requestId}/${requestContext()?.actor?.id}`;
          }),
        ),
      ),
    );
    expect(seen).toEqual(['r1/r1', 'r2/r2', 'r3/r3']);
  });
});
