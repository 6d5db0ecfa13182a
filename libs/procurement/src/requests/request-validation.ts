import { EntityManager } from 'typeorm';
import { CatalogQueries, Lifecycle } from '@stackgate/catalog';
import { unknownReference } from '@stackgate/platform';
import { RequestType } from './review-policy';
import { ToolRequest } from './tool-request.entity';
import { ProcurementError, ProcurementErrorCode } from '../procurement.errors';

/**
 * Shape and references of a request; 400 for a wrong shape, 422 for unknown references. The
 * catalog's records are read through its CatalogQueries in the caller's transaction.
 */
export async function validateRequest(
  manager: EntityManager,
  catalog: CatalogQueries,
  request: Pick<ToolRequest, 'type' | 'toolId' | 'proposedTool' | 'allocation' | 'requiredIntegrations'>,
): Promise<void> {
  if (request.type === RequestType.NEW_TOOL) {
    if (!request.proposedTool)
      throw new ProcurementError(
        ProcurementErrorCode.PROPOSED_TOOL_REQUIRED,
        'A NEW_TOOL request needs proposedTool {name, vendorName, subcategoryId}',
      );
    if (request.toolId)
      throw new ProcurementError(ProcurementErrorCode.TOOL_NOT_ALLOWED, 'A NEW_TOOL request names no catalog tool (toolId)');
    const sub = (await catalog.categoryFacts([request.proposedTool.subcategoryId], manager)).get(request.proposedTool.subcategoryId);
    if (!sub || !sub.parentId)
      throw unknownReference('proposedTool.subcategoryId is not a subcategory', { field: 'proposedTool.subcategoryId' });
    const taken = await catalog.toolByName(request.proposedTool.name, manager);
    if (taken) {
      throw new ProcurementError(
        ProcurementErrorCode.TOOL_NAME_TAKEN,
        `The catalog already has a tool named ${request.proposedTool.name}; request an EXPANSION of it instead`,
        { field: 'proposedTool.name', toolId: taken.id },
      );
    }
  } else {
    if (!request.toolId)
      throw new ProcurementError(ProcurementErrorCode.TOOL_REQUIRED, `A ${request.type} request names the catalog tool (toolId)`);
    if (request.proposedTool)
      throw new ProcurementError(ProcurementErrorCode.PROPOSED_TOOL_NOT_ALLOWED, `A ${request.type} request has no proposedTool`);
    const tool = (await catalog.toolFacts([request.toolId], manager)).get(request.toolId);
    if (!tool) throw unknownReference('toolId is not a catalog tool', { field: 'toolId' });
    if (tool.lifecycle === Lifecycle.RETIRED) throw new ProcurementError(ProcurementErrorCode.TOOL_RETIRED, `${tool.name} is retired`);
  }
  const ccIds = [...new Set(request.allocation.map((a) => a.costCenterId))];
  const centers = await catalog.costCenterFacts(ccIds, manager);
  if (ccIds.some((id) => !centers.get(id)?.active))
    throw unknownReference('allocation names a cost center that does not exist or is inactive', { field: 'allocation' });
  const toolIds = [...new Set(request.requiredIntegrations.map((i) => i.toolId))];
  if (toolIds.length) {
    const tools = await catalog.toolFacts(toolIds, manager);
    if (toolIds.some((id) => !tools.has(id) || tools.get(id)!.lifecycle === Lifecycle.RETIRED)) {
      throw unknownReference('requiredIntegrations names a tool that is not in the catalog (or is retired)', {
        field: 'requiredIntegrations',
      });
    }
    if (request.toolId && toolIds.includes(request.toolId))
      throw new ProcurementError(ProcurementErrorCode.SAME_TOOL, 'A tool cannot integrate with itself');
  }
}
