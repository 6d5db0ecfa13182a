import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { notFound, staleVersion } from '../errors/domain-error';

/**
 * Optimistic concurrency by hand: `UPDATE … SET …, version = version + 1 WHERE id = ? AND
 * version = ?`. TypeORM's version column does not guard writes, so this is the only way a stale
 * write is refused. Throws 404 when the row does not exist and 409 when the version is stale.
 */
export async function updateVersioned<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  label: string,
  id: string,
  expectedVersion: number,
  changes: Partial<T>,
): Promise<void> {
  const result = await manager
    .createQueryBuilder()
    .update(target)
    .set({ ...changes, updatedAt: new Date(), version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id, version: expectedVersion })
    .execute();
  if (!result.affected) {
    const exists = await manager.getRepository(target).exists({ where: { id } as never });
    if (!exists) throw notFound(label, id);
    throw staleVersion(label);
  }
}
