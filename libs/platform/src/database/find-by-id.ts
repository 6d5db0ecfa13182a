import { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';

/** The SELECT per entity metadata (metadata belongs to one data source, so to one driver's quoting). */
const statements = new WeakMap<EntityMetadata, string>();

/**
 * One entity by primary key, as Repository.findOneBy({ id }) loads it (every column, through the
 * driver's hydration and the column transformers), from one prepared-once SELECT sent with
 * manager.query (public API only: entity metadata, the Driver interface's escape and
 * prepareHydratedValue). For hot reads of entities without relations: TypeORM's query builder costs
 * more per call than the lookup itself.
 */
export async function findById<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, id: string): Promise<T | null> {
  const meta = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns = meta.columns.filter((c) => !c.isVirtual);
  let sql = statements.get(meta);
  if (!sql) {
    const [pk] = meta.primaryColumns;
    const list = columns.map((c) => driver.escape(c.databaseName)).join(', ');
    sql = `SELECT ${list} FROM ${driver.escape(meta.tableName)} WHERE ${driver.escape(pk.databaseName)} = ?`;
    statements.set(meta, sql);
  }
  const rows = await manager.query<Record<string, unknown>[]>(sql, [id]);
  if (!rows.length) return null;
  const out = meta.create() as T;
  for (const column of columns) column.setEntityValue(out, driver.prepareHydratedValue(rows[0][column.databaseName], column));
  return out;
}
