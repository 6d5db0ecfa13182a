import { Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Inserts fully built entity objects in chunks, in the caller's transaction. Every value goes
 * through the driver's preparePersistentValue (the column's transformer, then the driver's
 * date/boolean/JSON handling), as Repository.insert does; only the statement is built here, because
 * TypeORM's insert builder spends more time naming and substituting thousands of parameters than the
 * database spends inserting. For rows that set every column (no database defaults, generated or
 * version columns).
 *
 * On MySQL/MariaDB inside a transaction, chunks go to the server as `LOAD DATA LOCAL INFILE` from
 * memory (LoadData below), which MariaDB parses faster than multi-row INSERTs of the same rows; where
 * the server or the driver refuses it (`local_infile` off), multi-row INSERTs with positional
 * parameters, as on SQLite.
 */
export async function insertRows<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: T[], chunk = 500): Promise<void> {
  if (!rows.length) return;
  const meta = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns = meta.columns.filter((c) => !c.isVirtual);
  const values = (row: T) => columns.map((c) => {
    const v = driver.preparePersistentValue(c.getEntityValue(row), c);
    return v === undefined ? null : v;
  });
  const load = loadDataPossible(manager) ? new LoadData(manager, meta.tableName, columns) : null;
  const head = `INSERT INTO ${driver.escape(meta.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  // One statement in flight while the next one's values are prepared: the database inserts chunk k
  // while this process builds chunk k + 1 (on one connection the statements still run in order).
  let inFlight: Promise<unknown> | undefined;
  const size = load ? LOAD_CHUNK : chunk;
  for (let k = 0; k < rows.length; k += size) {
    const part = rows.slice(k, k + size).map(values);
    const text = load ? loadDataText(part) : undefined;
    if (inFlight) await inFlight;
    if (load && text !== undefined && !loadDataRefused.has(manager.connection)) {
      inFlight = load.run(text, part.length).then((done) => (done ? undefined : insertValues(part)));
    } else {
      inFlight = insertValues(part);
    }
  }
  await inFlight;

  function insertValues(part: unknown[][]): Promise<unknown> {
    const pieces: Promise<unknown>[] = [];
    for (let i = 0; i < part.length; i += chunk) {
      const slice = part.slice(i, i + chunk);
      pieces.push(manager.query(head + slice.map(() => tuple).join(', '), slice.flat()));
    }
    return Promise.all(pieces);
  }
}

/** Rows per LOAD DATA statement (about 1 MB of tools rows). */
const LOAD_CHUNK = 1000;
/** Data sources whose server or driver refused LOAD DATA LOCAL: they get INSERTs from then on. */
const loadDataRefused = new WeakSet<DataSource>();
/** MySQL's and MariaDB's "local infile is disabled" errors (server variable, or the client's capability). */
const LOAD_REFUSED_ERRNOS = new Set([1148, 3948, 3950, 4166]);

function loadDataPossible(manager: EntityManager): boolean {
  const type = manager.connection.options.type;
  const qr = manager.queryRunner;
  return (type === 'mysql' || type === 'mariadb') && !!qr && qr.isTransactionActive && !qr.isReleased && !loadDataRefused.has(manager.connection);
}

interface MysqlConnection {
  query(opts: { sql: string; infileStreamFactory: () => Readable }, cb: (err: (Error & { errno?: number }) | null, result?: { affectedRows: number; warningStatus: number }) => void): void;
}

/**
 * One table's chunks as `LOAD DATA LOCAL INFILE`, the rows streamed from memory in MySQL's default
 * text format (tab-separated, `\N` for NULL, backslash escapes). The driver only ever sends what the
 * factory returns, whatever file name the server asks for. With LOCAL the server turns duplicate
 * keys, foreign-key failures and conversion problems into warnings and skips or adjusts the row, so
 * every chunk must report exactly its row count and no warning; anything else throws (a duplicate as
 * ER_DUP_ENTRY, like an INSERT), and the caller's transaction rolls back.
 */
class LoadData {
  private readonly sql: string;

  constructor(private readonly manager: EntityManager, private readonly table: string, columns: ColumnMetadata[]) {
    const e = (n: string) => manager.connection.driver.escape(n);
    this.sql = `LOAD DATA LOCAL INFILE 'stackgate-rows' INTO TABLE ${e(table)} CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.map((c) => e(c.databaseName)).join(', ')})`;
  }

  /** Loads one chunk; false when LOAD DATA LOCAL is refused (nothing was written: the caller inserts instead). */
  async run(text: string, expected: number): Promise<boolean> {
    const conn = (await this.manager.queryRunner!.connect()) as MysqlConnection;
    const body = Buffer.from(text, 'utf8');
    const parts: Buffer[] = [];
    for (let i = 0; i < body.length; i += 65536) parts.push(body.subarray(i, i + 65536));
    let result: { affectedRows: number; warningStatus: number };
    try {
      result = await new Promise((resolve, reject) => {
        conn.query({ sql: this.sql, infileStreamFactory: () => Readable.from(parts) }, (err, r) => (err ? reject(err) : resolve(r!)));
      });
    } catch (err) {
      if (LOAD_REFUSED_ERRNOS.has((err as { errno?: number }).errno ?? 0)) {
        loadDataRefused.add(this.manager.connection);
        new Logger('Database').warn({ msg: 'the server refuses LOAD DATA LOCAL INFILE (local_infile is off): bulk writes use INSERTs from now on', errno: (err as { errno?: number }).errno });
        return false;
      }
      throw err;
    }
    if (result.affectedRows === expected && result.warningStatus === 0) return true;
    const warnings: { Level: string; Code: number; Message: string }[] = await this.manager.query('SHOW WARNINGS');
    const dup = warnings.find((w) => Number(w.Code) === 1062);
    const message = `loading ${this.table}: ${result.affectedRows} of ${expected} rows, ${warnings.map((w) => `${w.Code} ${w.Message}`).slice(0, 3).join('; ') || 'no warning text'}`;
    throw Object.assign(new Error(message), dup ? { code: 'ER_DUP_ENTRY', errno: 1062 } : { code: 'ER_LOAD_DATA_INCOMPLETE' });
  }
}

/**
 * Rows of driver values in LOAD DATA's default text format (tab-separated fields, one line per row);
 * undefined when a value has no text form here (a Buffer, an object, NaN). Also used by the
 * benchmark's raw floor.
 */
export function loadDataText(rows: unknown[][]): string | undefined {
  const lines: string[] = [];
  for (const row of rows) {
    const fields: string[] = [];
    for (const v of row) {
      const f = field(v);
      if (f === undefined) return undefined;
      fields.push(f);
    }
    lines.push(fields.join('\t'));
  }
  return lines.join('\n') + '\n';
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** One value in LOAD DATA's text format, as mysql2 would have sent it in an INSERT (dates in UTC). */
function field(v: unknown): string | undefined {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    return `${pad(v.getUTCFullYear(), 4)}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}.${pad(v.getUTCMilliseconds(), 3)}`;
  }
  return undefined;
}

const SPECIAL = /[\\\t\n\r\0\x1a]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', '\x1a': '\\Z' };

function escapeText(s: string): string {
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r\0\x1a]/g, (c) => ESCAPES[c]) : s;
}
