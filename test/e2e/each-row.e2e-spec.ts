import { CostCenter, CostCenterKind } from '@stackgate/catalog';
import { eachRow, uuidv7 } from '@stackgate/platform';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * eachRow, the streamed read of the reports' large statements (a month of sums by tool): every row
 * once, in the statement's order, on every engine, inside a transaction or not; a visitor that throws
 * fails the call and leaves the connection usable.
 */
describe('eachRow', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => testApp?.close());

  // 5,000 rows (10 digits crossed four times; MariaDB stops a recursive CTE at 1,000), with a wide integer beside each number.
  const ROWS = 5000;
  const digits = Array.from({ length: 10 }, (_, digit) => `SELECT ${digit} AS x`).join(' UNION ALL ');
  const numbers =
    `WITH d AS (${digits}), n AS (SELECT a.x * 1000 + b.x * 100 + c.x * 10 + e.x + 1 AS i FROM d a, d b, d c, d e) ` +
    `SELECT i, i * 1000000000000 AS wide FROM n WHERE i <= ? ORDER BY i`;

  it('visits every row once, in order, and answers how many', async () => {
    const seen: number[] = [];
    let wide = 0n;
    const count = await eachRow<{ i: unknown; wide: unknown }>(testApp.dataSource.manager, numbers, [ROWS], (row) => {
      seen.push(Number(row.i));
      wide += BigInt(String(row.wide));
    });
    expect(count).toBe(ROWS);
    expect(seen).toEqual(Array.from({ length: ROWS }, (_, index) => index + 1));
    expect(wide).toBe((BigInt(ROWS) * BigInt(ROWS + 1) * 1_000_000_000_000n) / 2n);
  });

  it('runs inside the caller’s transaction (sees its uncommitted rows)', async () => {
    const manager = testApp.dataSource.manager;
    const quote = (name: string) => manager.connection.driver.escape(name);
    const name = `each-row-${Date.now()}`;
    await manager.transaction(async (tx) => {
      await tx.save(
        tx.create(CostCenter, {
          id: uuidv7(),
          code: name.slice(0, 40),
          name,
          kind: CostCenterKind.IT,
          active: true,
          createdAt: new Date(),
          updatedAt: new Date(),
          version: 1,
        }),
      );
      const names: string[] = [];
      await eachRow<{ name: string }>(
        tx,
        `SELECT ${quote('name')} FROM ${quote('cost_centers')} WHERE ${quote('name')} = ?`,
        [name],
        (row) => names.push(row.name),
      );
      expect(names).toEqual([name]);
      await tx.getRepository(CostCenter).delete({ name });
    });
  });

  it('rejects with the visitor’s error, and every pooled connection answers afterwards', async () => {
    let visited = 0;
    await expect(
      eachRow(testApp.dataSource.manager, numbers, [ROWS], () => {
        visited++;
        if (visited === 10) throw new Error('stop here');
      }),
    ).rejects.toThrow('stop here');
    expect(visited).toBe(10);
    // More statements at once than the pool has connections: each connection served at least one.
    const answers = await Promise.all(Array.from({ length: 25 }, (_, index) => testApp.dataSource.query('SELECT ? AS v', [index])));
    expect(answers.map((rows: { v: unknown }[]) => Number(rows[0].v))).toEqual(Array.from({ length: 25 }, (_, index) => index));
    expect(await eachRow(testApp.dataSource.manager, numbers, [3], () => undefined)).toBe(3);
  });
});
