import { EntityManager, In } from 'typeorm';
import { CostCenter, Tool, Vendor } from '@stackgate/catalog';
import { AllocationShare, unknownReference } from '@stackgate/platform';

/**
 * Find options for a locking read inside a transaction on MySQL/MariaDB: `write` (FOR UPDATE)
 * before changing or deleting a record, `read` (LOCK IN SHARE MODE) before writing a record that
 * depends on it. Both read the latest committed row, not the transaction's snapshot. SQLite runs
 * transactions one at a time and has no row locks: nothing to add there.
 */
export function rowLock(m: EntityManager, mode: 'read' | 'write'): { lock?: { mode: 'pessimistic_read' | 'pessimistic_write' } } {
  if (m.dataSource.options.type === 'better-sqlite3') return {};
  return { lock: { mode: mode === 'read' ? 'pessimistic_read' : 'pessimistic_write' } };
}

/** Reads of catalog records a finance write refers to; a missing one is 422 REFERENCE_NOT_FOUND. */
export async function requireTool(m: EntityManager, id: string): Promise<Tool> {
  const tool = await m.getRepository(Tool).findOne({ where: { id } });
  if (!tool) throw unknownReference(`Tool ${id} does not exist`, [{ field: 'toolId', id }]);
  return tool;
}

export async function requireVendor(m: EntityManager, id: string): Promise<Vendor> {
  const vendor = await m.getRepository(Vendor).findOne({ where: { id } });
  if (!vendor) throw unknownReference(`Vendor ${id} does not exist`, [{ field: 'vendorId', id }]);
  return vendor;
}

/** Kind of every cost center of the allocation; 422 listing those that do not exist. */
export async function costCenterKinds(m: EntityManager, allocation: AllocationShare[]): Promise<Map<string, string>> {
  const ids = [...new Set(allocation.map((a) => a.costCenterId))];
  const rows = ids.length ? await m.getRepository(CostCenter).find({ where: { id: In(ids) }, select: { id: true, kind: true } }) : [];
  const kinds = new Map(rows.map((r) => [r.id, r.kind as string]));
  const missing = ids.filter((id) => !kinds.has(id));
  if (missing.length) {
    throw unknownReference(`Unknown cost center${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, missing.map((id) => ({ field: 'allocation', id })));
  }
  return kinds;
}
