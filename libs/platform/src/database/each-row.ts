import type { EntityManager, QueryRunner } from 'typeorm';
import type { Readable } from 'node:stream';

/**
 * Runs a reading statement and hands `visit` each row as it arrives, so a statement of many rows is
 * never held whole in memory: on MySQL/MariaDB the rows are streamed from the server (mysql2's query
 * stream, through TypeORM's QueryRunner.stream), each becoming garbage as soon as it was visited.
 * SQLite (in-process, the embedded default) has no TypeORM stream: its rows are read at once and visited
 * in turn. Inside a transaction (`manager.queryRunner`) the statement runs on that connection; else on a
 * connection of the pool, released afterwards. Resolves with the number of rows. If `visit` throws, the
 * rest of the rows are read and dropped (the connection goes back to the pool clean) and the call rejects
 * with that error.
 */
export async function eachRow<R = Record<string, unknown>>(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
  visit: (row: R) => void,
): Promise<number> {
  if (manager.connection.options.type === 'better-sqlite3') {
    const rows = await manager.query<R[]>(sql, parameters);
    rows.forEach((row) => visit(row));
    return rows.length;
  }
  const own: QueryRunner | undefined = manager.queryRunner ? undefined : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? own!;
  try {
    const stream = (await runner.stream(sql, parameters)) as Readable;
    let count = 0;
    let failure: { error: unknown } | undefined;
    for await (const row of stream) {
      if (failure) continue;
      try {
        visit(row as R);
        count++;
      } catch (error) {
        failure = { error };
      }
    }
    if (failure) throw failure.error;
    return count;
  } finally {
    if (own) await own.release();
  }
}
