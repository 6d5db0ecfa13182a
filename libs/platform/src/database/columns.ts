import { Column, ColumnOptions, PrimaryColumn, ValueTransformer } from 'typeorm';

/*
 * Portable column decorators for entities. The schema itself is written by migrations; these
 * only tell TypeORM how to read and write values identically on MariaDB/MySQL and SQLite.
 */

/** BIGINT ⇄ bigint: mysql2 answers strings, better-sqlite3 numbers; both become exact bigints. */
export const bigintTransformer: ValueTransformer = {
  to: (v: bigint | null | undefined) => (v === null || v === undefined ? v : v.toString()),
  from: (v: string | number | bigint | null) => (v === null || v === undefined ? null : BigInt(v)),
};

/** JSON stored as text (portable; MariaDB's JSON type is an alias of LONGTEXT anyway). */
export const jsonTransformer: ValueTransformer = {
  to: (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)),
  from: (v: string | null) => (v === null || v === undefined ? null : typeof v === 'string' ? (JSON.parse(v) as unknown) : v),
};

/** A boolean as SQL answers it (tinyint 0/1 from mysql2, integers from SQLite, '1' from some aggregates). */
export const sqlBool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 1n;

/** A SQL aggregate (SUM) as an exact bigint: numbers from SQLite, strings (possibly "n.0") from mysql2. */
export const sqlBigInt = (value: unknown): bigint => {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value !== 'string') throw new TypeError(`not a SQL integer: ${typeof value}`);
  const dot = value.indexOf('.');
  return BigInt(dot < 0 ? value : value.slice(0, dot));
};

/** Booleans: tinyint(1) on MariaDB and integer on SQLite, both read back as true/false. */
export const boolTransformer: ValueTransformer = {
  to: (v: boolean | null | undefined) => v,
  from: (v: unknown) => (v === null || v === undefined ? null : sqlBool(v)),
};

/** Plain integers (counts, versions): mysql2 may answer strings for some aggregates. */
export const intTransformer: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: unknown) => (v === null || v === undefined ? null : Number(v)),
};

export const IdColumn = () => PrimaryColumn({ type: 'varchar', length: 36 });
export const UuidColumn = (o: ColumnOptions = {}) => Column({ type: 'varchar', length: 36, ...o });
export const DateTimeColumn = (o: ColumnOptions = {}) => Column({ type: 'datetime', precision: 3, ...o });
export const DateColumn = (o: ColumnOptions = {}) => Column({ type: 'date', ...o });
export const BigIntColumn = (o: ColumnOptions = {}) => Column({ type: 'bigint', transformer: bigintTransformer, ...o });
export const IntColumn = (o: ColumnOptions = {}) => Column({ type: 'int', transformer: intTransformer, ...o });
export const BoolColumn = (o: ColumnOptions = {}) => Column({ type: 'boolean', transformer: boolTransformer, ...o });
export const JsonColumn = (o: ColumnOptions = {}) => Column({ type: 'text', transformer: jsonTransformer, ...o });
export const VarcharColumn = (length: number, o: ColumnOptions = {}) => Column({ type: 'varchar', length, ...o });
export const TextColumn = (o: ColumnOptions = {}) => Column({ type: 'text', ...o });

/** id, createdAt, updatedAt, version — every mutable aggregate has these. */
export abstract class VersionedEntity {
  @IdColumn() id: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
  @IntColumn() version: number;
}
