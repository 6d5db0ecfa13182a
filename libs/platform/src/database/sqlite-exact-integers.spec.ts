import { exactInteger, readBigIntegersExactly, SqliteDatabase } from './sqlite-exact-integers';

// The driver TypeORM uses for SQLite (no type package is installed: the few calls used here, typed by hand).
interface Db extends SqliteDatabase {
  exec(sql: string): void;
  close(): void;
  prepare(sql: string): ReturnType<SqliteDatabase['prepare']> & { run(...p: unknown[]): { changes: number } };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Database = require('better-sqlite3') as new (file: string) => Db;

describe('readBigIntegersExactly (better-sqlite3 BIGINT above 2^53, issue 21 item 6)', () => {
  let db: Db;
  beforeEach(() => {
    db = new Database(':memory:');
    readBigIntegersExactly(db);
    db.exec('CREATE TABLE t (id varchar(36), amountMinor bigint NOT NULL, month integer NOT NULL, flag boolean NOT NULL)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
    insert.run('a', '9007199254740993', 202601, 1);
    insert.run('b', '99999999999999999', 202601, 0);
    insert.run('c', '-5', 202602, 1);
  });
  afterEach(() => db.close());

  it('answers a BIGINT column exactly: a number when safe, a decimal string beyond 2^53', () => {
    const rows = db.prepare('SELECT id, amountMinor, month, flag FROM t ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'a', amountMinor: '9007199254740993', month: 202601, flag: 1 },
      { id: 'b', amountMinor: '99999999999999999', month: 202601, flag: 0 },
      { id: 'c', amountMinor: -5, month: 202602, flag: 1 },
    ]);
    expect(db.prepare('SELECT amountMinor AS amount FROM t WHERE id = ?').get('a')).toEqual({ amount: '9007199254740993' });
    expect([...db.prepare('SELECT amountMinor FROM t WHERE id = ?').iterate('b')]).toEqual([{ amountMinor: '99999999999999999' }]);
  });

  it('answers SUM and COUNT exactly (expressions have no declared type)', () => {
    expect(db.prepare('SELECT month, SUM(amountMinor) AS s, COUNT(*) AS n FROM t GROUP BY month ORDER BY month').all()).toEqual([
      { month: 202601, s: '109007199254740992', n: 2 },
      { month: 202602, s: -5, n: 1 },
    ]);
  });

  it('leaves statements without BIGINT or expression columns as they were', () => {
    expect(db.prepare('SELECT id, month FROM t WHERE id = ?').get('a')).toEqual({ id: 'a', month: 202601 });
    expect(db.prepare('UPDATE t SET month = ? WHERE id = ?').run(202603, 'c').changes).toBe(1);
  });

  it('maps the safe range to numbers and everything beyond to strings', () => {
    expect(exactInteger(9007199254740991n)).toBe(9007199254740991);
    expect(exactInteger(-9007199254740991n)).toBe(-9007199254740991);
    expect(exactInteger(9007199254740992n)).toBe('9007199254740992');
    expect(exactInteger(-(2n ** 63n))).toBe('-9223372036854775808');
  });
});
