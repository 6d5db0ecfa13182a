import { EntityManager } from 'typeorm';
import { AuthUser, hasRole, notFound, Role } from '@stackgate/platform';
import { ToolRequest } from './tool-request.entity';
import { ProcurementError, ProcurementErrorCode } from '../procurement.errors';

/** Roles that read every request; a user with none of them (a marketer) reads only their own. */
export const READ_ALL = [Role.CMO, Role.IT, Role.CIO, Role.FINANCE, Role.ADMIN];

/** What the audit trail records about a request. */
export const requestSnapshot = (r: ToolRequest) => ({
  type: r.type,
  title: r.title,
  status: r.status,
  toolId: r.toolId,
  proposedTool: r.proposedTool,
  estimatedAnnualCost: `${r.estimatedAnnualCostMinor} ${r.estimatedAnnualCostCurrency}`,
  allocation: r.allocation,
  dataCategories: r.dataCategories,
  requiredIntegrations: r.requiredIntegrations,
  neededBy: r.neededBy,
  round: r.round,
  currentStage: r.currentStage,
});

export async function loadRequest(manager: EntityManager, id: string): Promise<ToolRequest> {
  const request = await manager.getRepository(ToolRequest).findOne({ where: { id } });
  if (!request) throw notFound('Request', id);
  return request;
}

/** 404 for a request the actor may not see (a marketer sees only their own). */
export function assertVisible(actor: AuthUser, request: ToolRequest): void {
  if (request.requesterId !== actor.id && !hasRole(actor, ...READ_ALL)) throw notFound('Request', request.id);
}

/** 403 unless the actor is the requester (404 first when they may not see it at all). */
export function assertOwn(actor: AuthUser, request: ToolRequest): void {
  assertVisible(actor, request);
  if (request.requesterId !== actor.id)
    throw new ProcurementError(ProcurementErrorCode.NOT_REQUESTER, 'Only the requester changes, submits or withdraws a request');
}
