/*
 * better-sqlite3 answers every INTEGER as a JS number, so a BIGINT above 2^53 (money in minor
 * units: 9007199254740993 cents is 90071992547409.93) comes back rounded before any transformer
 * sees it. mysql2 (supportBigNumbers + bigNumberStrings) answers such values as exact strings.
 * This makes SQLite answer the same way: an integer within ±(2^53 − 1) stays a number, as before,
 * and one beyond it is a decimal string, which BigInt() and the column transformers read exactly.
 */

interface SqliteStatement {
  readonly reader: boolean;
  columns(): { name: string; type: string | null }[];
  safeIntegers(on?: boolean): SqliteStatement;
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** The part of a better-sqlite3 Database that readBigIntegersExactly wraps. */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer read with safeIntegers, as mysql2 would answer it: a number when exact, else a decimal string. */
export function exactInteger(value: bigint): number | string {
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : value.toString();
}

function normalize<T>(row: T): T {
  if (row && typeof row === 'object') {
    const record = row as Record<string, unknown>;
    for (const key in record) if (typeof record[key] === 'bigint') record[key] = exactInteger(record[key]);
  }
  return row;
}

/**
 * Statements whose result may hold a wide integer: a column declared BIGINT (every money column), or
 * an expression (SUM, COUNT, CAST, …: SQLite reports no declared type for those).
 */
function mayHoldWideIntegers(stmt: SqliteStatement): boolean {
  return stmt.columns().some((c) => c.type === null || /^bigint/i.test(c.type));
}

/**
 * Wraps `db.prepare` (TypeORM prepares, and caches, every statement through it): a reading statement
 * that may answer a wide integer runs with safeIntegers, and its rows are normalized by exactInteger.
 * Other statements (no BIGINT, no expression) are left as they were, so hot reads pay nothing.
 */
export function readBigIntegersExactly(db: SqliteDatabase): void {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => {
    const stmt = prepare(sql);
    if (!stmt.reader || !mayHoldWideIntegers(stmt)) return stmt;
    stmt.safeIntegers(true);
    const all = stmt.all.bind(stmt);
    const get = stmt.get.bind(stmt);
    const iterate = stmt.iterate.bind(stmt);
    stmt.all = (...params: unknown[]) => {
      const rows = all(...params);
      for (const row of rows) normalize(row);
      return rows;
    };
    stmt.get = (...params: unknown[]) => normalize(get(...params));
    stmt.iterate = function* (...params: unknown[]) {
      for (const row of iterate(...params)) yield normalize(row);
    };
    return stmt;
  };
}
