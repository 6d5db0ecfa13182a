import { CostCenter, CostCenterKind } from '@stackgate/catalog';
import { readQuery, uuidv7 } from '@stackgate/platform';
import { QueryFailedError } from 'typeorm';
import { makeCostCenter, makeTool } from '../support/catalog-factories';
import { makeCast } from '../support/factories';
import { startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';

/**
 * readQuery, the hot reads' path (the guard's session lookup, a tool and its names, the spend report). On MariaDB,
 * outside a transaction, it reads straight from the driver's pool; it must answer exactly what
 * manager.query answers, fail the same way, be logged the same way, and inside a transaction use
 * the transaction's connection.
 */
describe('readQuery', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => t?.close());

  const mysql = TEST_ENGINE === 'mariadb';
  /** Query runners created while fn runs: the pool path creates none. */
  async function runners<T>(fn: () => Promise<T>): Promise<{ value: T; created: number }> {
    const ds = t.dataSource;
    const original = ds.createQueryRunner;
    let created = 0;
    ds.createQueryRunner = function (...args: Parameters<typeof original>) { created++; return original.apply(this, args); };
    try {
      return { value: await fn(), created };
    } finally {
      ds.createQueryRunner = original;
    }
  }

  it('answers the rows manager.query answers (bigint, JSON, booleans, dates, NULLs, text with escapes)', async () => {
    const cast = await makeCast(t);
    const cc = await makeCostCenter(t, cast.admin);
    const tool = await makeTool(t, cast.cio, {
      budgetOwnerId: cc.id, description: 'tab\there “quotes” \\ 👩🏽‍💻', capabilities: ['email'], ssoEnabled: true,
      allocation: [{ costCenterId: cc.id, shareBps: 10000 }], licensedSeats: 25,
    });
    const sql = 'SELECT t.*, v.name AS vendorName FROM tools t JOIN vendors v ON v.id = t.vendorId WHERE t.id IN (?, ?) ORDER BY t.id';
    const params = [tool.id, '00000000-0000-0000-0000-000000000000'];
    const { value: rows, created } = await runners(() => readQuery(t.dataSource.manager, sql, params));
    expect(rows).toEqual(await t.dataSource.manager.query(sql, params));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: tool.id, description: 'tab\there “quotes” \\ 👩🏽‍💻' });
    if (mysql) expect(created).toBe(0); // straight from the pool
  });

  it('inside a transaction reads on the transaction\'s connection, so it sees the transaction\'s writes', async () => {
    const code = `RQ${Date.now()}`.slice(0, 20);
    const seen = await t.dataSource.transaction(async (m) => {
      const now = new Date();
      await m.getRepository(CostCenter).insert(Object.assign(new CostCenter(), {
        id: uuidv7(), code, name: code, kind: CostCenterKind.MARKETING, ownerId: null, active: true, version: 1, createdAt: now, updatedAt: now,
      }));
      const inside = await readQuery<{ code: string }>(m, 'SELECT code FROM cost_centers WHERE code = ?', [code]);
      // Another connection does not see the uncommitted row (SQLite has one connection).
      const outside = mysql ? await readQuery(t.dataSource.manager, 'SELECT code FROM cost_centers WHERE code = ?', [code]) : [];
      return { inside, outside };
    });
    expect(seen.inside).toEqual([{ code }]);
    expect(seen.outside).toEqual([]);
  });

  it('fails like manager.query: a QueryFailedError around the driver\'s error, logged as a query error', async () => {
    const logger = t.dataSource.logger;
    const [logQuery, logQueryError] = [logger.logQuery, logger.logQueryError];
    const logged: string[] = [];
    logger.logQuery = (q: string) => { logged.push(`query ${q}`); };
    logger.logQueryError = (_e: string | Error, q: string) => { logged.push(`error ${q}`); };
    try {
      const err = await readQuery(t.dataSource.manager, 'SELECT nope FROM no_such_table WHERE id = ?', ['x']).catch((e: unknown) => e);
      const same = await t.dataSource.manager.query('SELECT nope FROM no_such_table WHERE id = ?', ['x']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(QueryFailedError);
      const code = (e: unknown) => ((e as QueryFailedError).driverError as Error & { code?: string }).code;
      expect(code(err)).toBeDefined();
      expect(code(err)).toBe(code(same));
      expect((err as QueryFailedError).query).toBe('SELECT nope FROM no_such_table WHERE id = ?');
      expect(logged.slice(0, 2)).toEqual(['query SELECT nope FROM no_such_table WHERE id = ?', 'error SELECT nope FROM no_such_table WHERE id = ?']);
    } finally {
      Object.assign(logger, { logQuery, logQueryError });
    }
  });
});
