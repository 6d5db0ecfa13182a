import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * Inserts fully built entity objects in chunks of multi-row INSERTs with positional parameters, in
 * the caller's transaction: the one write path of imports and audit trails, on every engine. Every
 * value goes through the driver's preparePersistentValue (the column's transformer, then the
 * driver's date/boolean/JSON handling), as Repository.insert does; only the statement is built here,
 * because TypeORM's insert builder spends more time naming and substituting thousands of parameters
 * than the database spends inserting. For rows that set every column (no database defaults,
 * generated or version columns).
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: T[],
  chunk = 500,
): Promise<void> {
  if (!rows.length) return;
  const meta = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns = meta.columns.filter((c) => !c.isVirtual);
  const values = (row: T) =>
    columns.map((column): unknown => {
      const value: unknown = driver.preparePersistentValue(column.getEntityValue(row), column);
      return value === undefined ? null : value;
    });
  const head = `INSERT INTO ${driver.escape(meta.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  // One statement in flight while the next one's values are prepared: the database inserts chunk k
  // while this process builds chunk k + 1 (on one connection the statements still run in order).
  let inFlight: Promise<unknown> | undefined;
  for (let offset = 0; offset < rows.length; offset += chunk) {
    const part = rows.slice(offset, offset + chunk).map(values);
    if (inFlight) await inFlight;
    inFlight = manager.query(head + part.map(() => tuple).join(', '), part.flat());
  }
  await inFlight;
}
