import { EntityManager } from 'typeorm';
import { CatalogQueries, isItApproved } from '@stackgate/catalog';
import { moneyJson } from '@stackgate/platform';
import { overlappingMatches, requestOverlapSaving } from './request-overlap';
import { ItAssessment, RequestComment, ReviewStage, ToolRequest } from './tool-request.entity';
import { StageStatus } from './review-policy';

/** What reviewers see besides the request itself, computed server-side in a few set-based queries. */

/** At most this many overlap candidates, by name. */
const OVERLAP_LIMIT = 50;

/**
 * Catalog tools the request would overlap: those CatalogQueries.overlapCandidates matches (its
 * subcategory or a shared capability, compared on the proposal, else on the tool it names) that the
 * catalog's overlap rule counts (request-overlap.ts), and for a new tool the estimated saving of
 * consolidating them with the basis it was computed on.
 */
export async function overlapCandidates(manager: EntityManager, catalog: CatalogQueries, req: ToolRequest, baseCurrency: string) {
  let subcategoryId: string | null = req.proposedTool?.subcategoryId ?? null;
  let capabilities = (req.proposedTool?.capabilities ?? []).map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (req.toolId) {
    const tool = (await catalog.toolFacts([req.toolId], manager)).get(req.toolId);
    if (tool) {
      subcategoryId ??= tool.subcategoryId;
      if (!capabilities.length) capabilities = tool.capabilities.map((c) => c.toLowerCase());
    }
  }
  const matches = await catalog.overlapCandidates({ subcategoryId, capabilities, excludeToolId: req.toolId }, OVERLAP_LIMIT, manager);
  const candidates = overlappingMatches(matches, subcategoryId);
  const proposalBase =
    req.estimatedAnnualCostBaseMinor ?? (req.estimatedAnnualCostCurrency === baseCurrency ? req.estimatedAnnualCostMinor : null);
  const saving = req.proposedTool
    ? requestOverlapSaving(
        proposalBase,
        candidates.map((t) => t.annualCostMinor ?? 0n),
      )
    : null;
  const overlapSaving = saving && {
    estimatedSaving: moneyJson(saving.savingMinor, baseCurrency)!,
    groupCost: moneyJson(saving.groupCostMinor, baseCurrency)!,
    estimatedSavingBasis: saving.basis,
  };
  const items = candidates.map((t) => ({
    toolId: t.id,
    name: t.name,
    subcategory: t.subcategoryName,
    lifecycle: t.lifecycle,
    itApproval: t.itApprovalStatus,
    annualCost: moneyJson(t.annualCostMinor ?? 0n, t.annualCostCurrency ?? baseCurrency),
    sameSubcategory: t.subcategoryId === subcategoryId,
    sharedCapabilities: t.sharedCapabilities,
  }));
  return { items, overlapSaving };
}

export async function integrationImpact(manager: EntityManager, catalog: CatalogQueries, req: ToolRequest) {
  const tools = await catalog.toolFacts(
    req.requiredIntegrations.map((i) => i.toolId),
    manager,
  );
  const personal = req.dataCategories.length > 0;
  const flows = req.requiredIntegrations.map((required) => {
    const tool = tools.get(required.toolId);
    return {
      toolId: required.toolId,
      toolName: tool?.name ?? null,
      direction: required.direction,
      dataObjects: required.dataObjects,
      carriesPersonalData: personal,
      targetItApproval: tool?.itApprovalStatus ?? null,
      targetApproved: tool ? isItApproved(tool.itApprovalStatus) : false,
      targetIsSystemOfRecord: tool?.isSystemOfRecord ?? false,
    };
  });
  return {
    flows,
    personalDataFlows: flows.filter((f) => f.carriesPersonalData).length,
    unapprovedTargets: flows.filter((f) => !f.targetApproved).length,
    connectsToSystemOfRecord: flows.some((f) => f.targetIsSystemOfRecord),
  };
}

export function stageView(stage: ReviewStage, now = new Date()) {
  return {
    stage: stage.stage,
    round: stage.round,
    status: stage.status,
    openedAt: stage.openedAt,
    dueAt: stage.dueAt,
    overdue: stage.status === StageStatus.OPEN && !!stage.dueAt && stage.dueAt < now,
    decidedById: stage.decidedById,
    decidedAt: stage.decidedAt,
    decision: stage.decision,
    comment: stage.comment,
    conditions: stage.conditions,
  };
}

export function requestSummary(request: ToolRequest, open: ReviewStage | undefined, now = new Date()) {
  return {
    id: request.id,
    type: request.type,
    title: request.title,
    status: request.status,
    requesterId: request.requesterId,
    toolId: request.toolId,
    estimatedAnnualCost: moneyJson(request.estimatedAnnualCostMinor, request.estimatedAnnualCostCurrency),
    currentStage: request.currentStage,
    round: request.round,
    dueAt: open?.dueAt ?? null,
    overdue: !!open?.dueAt && open.dueAt < now && open.status === StageStatus.OPEN,
    neededBy: request.neededBy,
    submittedAt: request.submittedAt,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    version: request.version,
  };
}

export function requestDetail<X extends Record<string, unknown>>(
  request: ToolRequest,
  stages: ReviewStage[],
  comments: RequestComment[],
  assessment: ItAssessment | null,
  extra: X,
  baseCurrency: string,
  now = new Date(),
) {
  const open = stages.find((s) => s.round === request.round && s.stage === request.currentStage && s.status === StageStatus.OPEN);
  return {
    ...requestSummary(request, open, now),
    proposedTool: request.proposedTool,
    businessCase: request.businessCase,
    expectedOutcomes: request.expectedOutcomes,
    alternativesConsidered: request.alternativesConsidered,
    estimatedAnnualCostBase:
      request.estimatedAnnualCostBaseMinor === null ? null : moneyJson(request.estimatedAnnualCostBaseMinor, baseCurrency),
    allocation: request.allocation,
    dataCategories: request.dataCategories,
    requiredIntegrations: request.requiredIntegrations,
    closedAt: request.closedAt,
    stages: stages.sort((a, b) => a.round - b.round || a.position - b.position).map((s) => stageView(s, now)),
    comments: comments.map((c) => ({ id: c.id, authorId: c.authorId, body: c.body, createdAt: c.createdAt })),
    assessment: assessment
      ? {
          id: assessment.id,
          assessorId: assessment.assessorId,
          round: assessment.round,
          ...assessment.checklist,
          createdAt: assessment.createdAt,
        }
      : null,
    ...extra,
  };
}
