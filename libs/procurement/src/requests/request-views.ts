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
export async function overlapCandidates(m: EntityManager, catalog: CatalogQueries, req: ToolRequest, baseCurrency: string) {
  let subcategoryId: string | null = req.proposedTool?.subcategoryId ?? null;
  let capabilities = (req.proposedTool?.capabilities ?? []).map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (req.toolId) {
    const tool = (await catalog.toolFacts([req.toolId], m)).get(req.toolId);
    if (tool) {
      subcategoryId ??= tool.subcategoryId;
      if (!capabilities.length) capabilities = tool.capabilities.map((c) => c.toLowerCase());
    }
  }
  const matches = await catalog.overlapCandidates({ subcategoryId, capabilities, excludeToolId: req.toolId }, OVERLAP_LIMIT, m);
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

export async function integrationImpact(m: EntityManager, catalog: CatalogQueries, req: ToolRequest) {
  const tools = await catalog.toolFacts(
    req.requiredIntegrations.map((i) => i.toolId),
    m,
  );
  const personal = req.dataCategories.length > 0;
  const flows = req.requiredIntegrations.map((i) => {
    const t = tools.get(i.toolId);
    return {
      toolId: i.toolId,
      toolName: t?.name ?? null,
      direction: i.direction,
      dataObjects: i.dataObjects,
      carriesPersonalData: personal,
      targetItApproval: t?.itApprovalStatus ?? null,
      targetApproved: t ? isItApproved(t.itApprovalStatus) : false,
      targetIsSystemOfRecord: t?.isSystemOfRecord ?? false,
    };
  });
  return {
    flows,
    personalDataFlows: flows.filter((f) => f.carriesPersonalData).length,
    unapprovedTargets: flows.filter((f) => !f.targetApproved).length,
    connectsToSystemOfRecord: flows.some((f) => f.targetIsSystemOfRecord),
  };
}

export function stageView(s: ReviewStage, now = new Date()) {
  return {
    stage: s.stage,
    round: s.round,
    status: s.status,
    openedAt: s.openedAt,
    dueAt: s.dueAt,
    overdue: s.status === StageStatus.OPEN && !!s.dueAt && s.dueAt < now,
    decidedById: s.decidedById,
    decidedAt: s.decidedAt,
    decision: s.decision,
    comment: s.comment,
    conditions: s.conditions,
  };
}

export function requestSummary(r: ToolRequest, open: ReviewStage | undefined, now = new Date()) {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    status: r.status,
    requesterId: r.requesterId,
    toolId: r.toolId,
    estimatedAnnualCost: moneyJson(r.estimatedAnnualCostMinor, r.estimatedAnnualCostCurrency),
    currentStage: r.currentStage,
    round: r.round,
    dueAt: open?.dueAt ?? null,
    overdue: !!open?.dueAt && open.dueAt < now && open.status === StageStatus.OPEN,
    neededBy: r.neededBy,
    submittedAt: r.submittedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    version: r.version,
  };
}

export function requestDetail<X extends Record<string, unknown>>(
  r: ToolRequest,
  stages: ReviewStage[],
  comments: RequestComment[],
  assessment: ItAssessment | null,
  extra: X,
  baseCurrency: string,
  now = new Date(),
) {
  const open = stages.find((s) => s.round === r.round && s.stage === r.currentStage && s.status === StageStatus.OPEN);
  return {
    ...requestSummary(r, open, now),
    proposedTool: r.proposedTool,
    businessCase: r.businessCase,
    expectedOutcomes: r.expectedOutcomes,
    alternativesConsidered: r.alternativesConsidered,
    estimatedAnnualCostBase: r.estimatedAnnualCostBaseMinor === null ? null : moneyJson(r.estimatedAnnualCostBaseMinor, baseCurrency),
    allocation: r.allocation,
    dataCategories: r.dataCategories,
    requiredIntegrations: r.requiredIntegrations,
    closedAt: r.closedAt,
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
