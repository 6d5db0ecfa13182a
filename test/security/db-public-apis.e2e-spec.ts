import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AuditEvent } from '@stackgate/audit';
import { insertRows, uuidv7, withTransaction } from '@stackgate/platform';
import { EntityManager } from 'typeorm';
import { startTestApp, TEST_ENGINE, TestApp } from '../support/test-app';
import { ROOT, sourceFiles } from './source-files';

/**
 * Issue 22 §2: the database layer uses TypeORM's public API only, has one write path (multi-row
 * INSERT) and one explicit transaction helper (withTransaction) that services call, instead of a
 * `dataSource.transaction` patched at start-up.
 */

describe('database layer: public APIs, one write path, explicit transactions', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => testApp?.close());

  const mysql = TEST_ENGINE === 'mariadb';

  it('leaves dataSource.transaction as TypeORM defines it (no start-up patch)', () => {
    expect(Object.prototype.hasOwnProperty.call(testApp.dataSource.manager, 'transaction')).toBe(false);
    expect(testApp.dataSource.manager.transaction).toBe(EntityManager.prototype.transaction);
  });

  it('has no private driver access, no LOAD DATA and no direct dataSource.transaction call in the product code', () => {
    const found: string[] = [];
    const rules: [RegExp, string][] = [
      [/driver\.pool\b|\.prepareDbConnection\b|poolCluster/, 'private driver pool access'],
      [/LOAD DATA|infileStreamFactory|local_infile/i, 'LOAD DATA LOCAL INFILE'],
      [/(?:dataSource|\bds|manager)\.transaction\(/, 'a transaction not through withTransaction'],
    ];
    for (const file of [...sourceFiles(join(ROOT, 'libs')), ...sourceFiles(join(ROOT, 'apps'))]) {
      const rel = relative(ROOT, file);
      const text = readFileSync(file, 'utf8');
      for (const [pattern, what] of rules) {
        if (rel === join('libs', 'platform', 'src', 'database', 'transactions.ts') && what.startsWith('a transaction')) continue;
        if (pattern.test(text)) found.push(`${rel}: ${what}`);
      }
    }
    expect(found).toEqual([]);
  });

  (mysql ? it : it.skip)('writes bulk rows in a transaction as INSERT statements, never LOAD DATA', async () => {
    const loads = async (m: EntityManager) => Number((await m.query("SHOW SESSION STATUS LIKE 'Com_load'"))[0].Value);
    const inserts = async (m: EntityManager) => Number((await m.query("SHOW SESSION STATUS LIKE 'Com_insert'"))[0].Value);
    const now = new Date(Date.UTC(2026, 0, 1));
    const rows = Array.from({ length: 1200 }, (_, i) =>
      Object.assign(new AuditEvent(), {
        id: uuidv7(),
        occurredAt: now,
        actorId: null,
        actorEmail: null,
        action: `db-public.${i}`,
        entityType: 'Probe',
        entityId: null,
        requestId: null,
        ip: null,
        changes: null,
        metadata: { i },
        chainSeq: null,
        prevHash: null,
        hash: 'h'.repeat(64),
        createdAt: now,
        updatedAt: now,
      }),
    );
    const counted = await withTransaction(testApp.dataSource, async (manager) => {
      const [l0, i0] = [await loads(manager), await inserts(manager)];
      await insertRows(manager, AuditEvent, rows);
      return { loads: (await loads(manager)) - l0, inserts: (await inserts(manager)) - i0 };
    });
    expect(counted).toEqual({ loads: 0, inserts: 3 }); // 500 + 500 + 200 rows
    expect(await testApp.dataSource.getRepository(AuditEvent).countBy({ entityType: 'Probe' })).toBe(1200);
  });

  (mysql ? it : it.skip)('runs both transactions of a real deadlock to completion: the loser is rolled back and run again', async () => {
    await testApp.dataSource.query('CREATE TABLE deadlock_probe (id INT PRIMARY KEY, n INT NOT NULL) ENGINE=InnoDB');
    await testApp.dataSource.query('INSERT INTO deadlock_probe (id, n) VALUES (1, 0), (2, 0)');
    let waiting = 0;
    let release!: () => void;
    const bothHoldOne = new Promise<void>((resolve) => {
      release = resolve;
    });
    const attempts = { a: 0, b: 0 };
    const transfer = (name: 'a' | 'b', first: number, second: number) =>
      withTransaction(testApp.dataSource, async (manager) => {
        const attempt = ++attempts[name];
        await manager.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = ?', [first]);
        if (attempt === 1) {
          if (++waiting === 2) release();
          await bothHoldOne;
        }
        await manager.query('UPDATE deadlock_probe SET n = n + 1 WHERE id = ?', [second]);
        return attempt;
      });
    const results = await Promise.all([transfer('a', 1, 2), transfer('b', 2, 1)]);
    expect(results.sort()).toEqual([1, 2]); // one won at once, the other on its second attempt
    const rows: { id: number; n: number }[] = await testApp.dataSource.query('SELECT id, n FROM deadlock_probe ORDER BY id');
    expect(rows.map((r) => Number(r.n))).toEqual([2, 2]); // each committed once: the rolled-back attempt left nothing
  });
});
