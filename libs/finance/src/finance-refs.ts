import { EntityManager } from 'typeorm';
import { CatalogQueries, ToolFacts } from '@stackgate/catalog';
import { AllocationShare, unknownReference } from '@stackgate/platform';

/**
 * Find options for a locking read inside a transaction on MySQL/MariaDB: `write` (FOR UPDATE)
 * before changing or deleting a record, `read` (LOCK IN SHARE MODE) before writing a record that
 * depends on it. Both read the latest committed row, not the transaction's snapshot. SQLite runs
 * transactions one at a time and has no row locks: nothing to add there.
 */
export function rowLock(manager: EntityManager, mode: 'read' | 'write'): { lock?: { mode: 'pessimistic_read' | 'pessimistic_write' } } {
  if (manager.dataSource.options.type === 'better-sqlite3') return {};
  return { lock: { mode: mode === 'read' ? 'pessimistic_read' : 'pessimistic_write' } };
}

/**
 * The catalog records a finance write refers to, read through the catalog's CatalogQueries in the
 * write's transaction; a missing one is 422 REFERENCE_NOT_FOUND.
 */
export async function requireTool(catalog: CatalogQueries, manager: EntityManager, id: string): Promise<ToolFacts> {
  const tool = (await catalog.toolFacts([id], manager)).get(id);
  if (!tool) throw unknownReference(`Tool ${id} does not exist`, [{ field: 'toolId', id }]);
  return tool;
}

export async function requireVendor(catalog: CatalogQueries, manager: EntityManager, id: string): Promise<void> {
  if (!(await catalog.existingVendorIds([id], manager)).has(id))
    throw unknownReference(`Vendor ${id} does not exist`, [{ field: 'vendorId', id }]);
}

/** Kind of every cost center of the allocation; 422 listing those that do not exist. */
export async function costCenterKinds(
  catalog: CatalogQueries,
  manager: EntityManager,
  allocation: AllocationShare[],
): Promise<Map<string, string>> {
  const ids = [...new Set(allocation.map((a) => a.costCenterId))];
  const centers = await catalog.costCenterFacts(ids, manager);
  const kinds = new Map([...centers.values()].map((c) => [c.id, c.kind as string]));
  const missing = ids.filter((id) => !kinds.has(id));
  if (missing.length) {
    throw unknownReference(
      `Unknown cost center${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      missing.map((id) => ({ field: 'allocation', id })),
    );
  }
  return kinds;
}
