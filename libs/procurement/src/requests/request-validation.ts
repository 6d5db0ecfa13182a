import { EntityManager, In } from 'typeorm';
import { Category, CostCenter, Lifecycle, Tool } from '@stackgate/catalog';
import { unknownReference } from '@stackgate/platform';
import { RequestType } from './review-policy';
import { ToolRequest } from './tool-request.entity';
import { ProcurementError, ProcurementErrorCode } from '../procurement.errors';

/** Shape and references of a request; 400 for a wrong shape, 422 for unknown references. */
export async function validateRequest(m: EntityManager, r: Pick<ToolRequest, 'type' | 'toolId' | 'proposedTool' | 'allocation' | 'requiredIntegrations'>): Promise<void> {
  if (r.type === RequestType.NEW_TOOL) {
    if (!r.proposedTool) throw new ProcurementError(ProcurementErrorCode.PROPOSED_TOOL_REQUIRED, 'A NEW_TOOL request needs proposedTool {name, vendorName, subcategoryId}');
    if (r.toolId) throw new ProcurementError(ProcurementErrorCode.TOOL_NOT_ALLOWED, 'A NEW_TOOL request names no catalog tool (toolId)');
    const sub = await m.getRepository(Category).findOne({ where: { id: r.proposedTool.subcategoryId } });
    if (!sub || !sub.parentId) throw unknownReference('proposedTool.subcategoryId is not a subcategory', { field: 'proposedTool.subcategoryId' });
    const taken = await m.getRepository(Tool).findOne({ where: { nameKey: r.proposedTool.name.trim().toLowerCase() }, select: { id: true } });
    if (taken) {
      throw new ProcurementError(ProcurementErrorCode.TOOL_NAME_TAKEN, `The catalog already has a tool named ${r.proposedTool.name}; request an EXPANSION of it instead`, { field: 'proposedTool.name', toolId: taken.id });
    }
  } else {
    if (!r.toolId) throw new ProcurementError(ProcurementErrorCode.TOOL_REQUIRED, `A ${r.type} request names the catalog tool (toolId)`);
    if (r.proposedTool) throw new ProcurementError(ProcurementErrorCode.PROPOSED_TOOL_NOT_ALLOWED, `A ${r.type} request has no proposedTool`);
    const tool = await m.getRepository(Tool).findOne({ where: { id: r.toolId } });
    if (!tool) throw unknownReference('toolId is not a catalog tool', { field: 'toolId' });
    if (tool.lifecycle === Lifecycle.RETIRED) throw new ProcurementError(ProcurementErrorCode.TOOL_RETIRED, `${tool.name} is retired`);
  }
  const ccIds = [...new Set(r.allocation.map((a) => a.costCenterId))];
  const found = await m.getRepository(CostCenter).count({ where: { id: In(ccIds), active: true } });
  if (found !== ccIds.length) throw unknownReference('allocation names a cost center that does not exist or is inactive', { field: 'allocation' });
  const toolIds = [...new Set(r.requiredIntegrations.map((i) => i.toolId))];
  if (toolIds.length) {
    const tools = await m.getRepository(Tool).find({ where: { id: In(toolIds) } });
    if (tools.length !== toolIds.length || tools.some((t) => t.lifecycle === Lifecycle.RETIRED)) {
      throw unknownReference('requiredIntegrations names a tool that is not in the catalog (or is retired)', { field: 'requiredIntegrations' });
    }
    if (r.toolId && toolIds.includes(r.toolId)) throw new ProcurementError(ProcurementErrorCode.SAME_TOOL, 'A tool cannot integrate with itself');
  }
}
