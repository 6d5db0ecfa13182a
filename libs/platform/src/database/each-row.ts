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
    // 'data' events, not `for await`: a statement of tens of thousands of rows would pay a promise per row.
    // `visit` is synchronous, so the rows are handled as fast as mysql2 parses them and none queue up.
    return await new Promise<number>((resolve, reject) => {
      let count = 0;
      let failure: { error: Error } | undefined;
      stream.on('data', (row: R) => {
        if (failure) return;
        try {
          visit(row);
          count++;
        } catch (error) {
          failure = { error: error instanceof Error ? error : new Error(String(error)) };
        }
      });
      stream.once('error', reject);
      stream.once('end', () => (failure ? reject(failure.error) : resolve(count)));
    });
  } finally {
    if (own) await own.release();
  }
}
