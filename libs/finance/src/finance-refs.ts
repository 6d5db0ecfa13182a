import { EntityManager, In } from 'typeorm';
import { CostCenter, Tool, Vendor } from '@stackgate/catalog';
import { AllocationShare, unprocessable } from '@stackgate/platform';

/** Reads of catalog records a finance write refers to; a missing one is 422 REFERENCE_NOT_FOUND. */
export async function requireTool(m: EntityManager, id: string): Promise<Tool> {
  const tool = await m.getRepository(Tool).findOne({ where: { id } });
  if (!tool) throw unprocessable('REFERENCE_NOT_FOUND', `Tool ${id} does not exist`, [{ field: 'toolId', id }]);
  return tool;
}

export async function requireVendor(m: EntityManager, id: string): Promise<Vendor> {
  const vendor = await m.getRepository(Vendor).findOne({ where: { id } });
  if (!vendor) throw unprocessable('REFERENCE_NOT_FOUND', `Vendor ${id} does not exist`, [{ field: 'vendorId', id }]);
  return vendor;
}

/** Kind of every cost center of the allocation; 422 listing those that do not exist. */
export async function costCenterKinds(m: EntityManager, allocation: AllocationShare[]): Promise<Map<string, string>> {
  const ids = [...new Set(allocation.map((a) => a.costCenterId))];
  const rows = ids.length ? await m.getRepository(CostCenter).find({ where: { id: In(ids) }, select: { id: true, kind: true } }) : [];
  const kinds = new Map(rows.map((r) => [r.id, r.kind as string]));
  const missing = ids.filter((id) => !kinds.has(id));
  if (missing.length) {
    throw unprocessable('REFERENCE_NOT_FOUND', `Unknown cost center${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, missing.map((id) => ({ field: 'allocation', id })));
  }
  return kinds;
}
