import { EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { Category, isItApproved, ItApprovalStatus, Lifecycle, Tool, ToolCapability } from '@stackgate/catalog';
import { moneyJson } from '@stackgate/platform';
import { ItAssessment, RequestComment, ReviewStage, ToolRequest } from './tool-request.entity';

/** What reviewers see besides the request itself, computed server-side in a few set-based queries. */

/** At most this many overlap candidates, by name. */
const OVERLAP_LIMIT = 50;

export async function overlapCandidates(m: EntityManager, req: ToolRequest, baseCurrency: string) {
  let subcategoryId: string | null = req.proposedTool?.subcategoryId ?? null;
  let capabilities = (req.proposedTool?.capabilities ?? []).map((c) => c.trim().toLowerCase()).filter(Boolean);
  if (req.toolId) {
    const tool = await m.getRepository(Tool).findOne({ where: { id: req.toolId } });
    if (tool) {
      subcategoryId ??= tool.subcategoryId;
      if (!capabilities.length) capabilities = tool.capabilities.map((c) => c.toLowerCase());
    }
  }
  // The first 50 by name of each kind of match, then the first 50 of both. One statement with an OR
  // of the two scans every live tool; the capability match as a join (not IN (subquery), which
  // MariaDB drives from the lifecycle index) starts from the capability index, so the request detail
  // no longer reads and sorts every live tool (docs/PERFORMANCE.md).
  const firstIds = (qb: SelectQueryBuilder<Tool>) => {
    qb.select('t.id', 'id').addSelect('t.name', 'name').andWhere('t.lifecycle <> :retired', { retired: Lifecycle.RETIRED });
    if (req.toolId) qb.andWhere('t.id <> :own', { own: req.toolId });
    return qb.orderBy('t.name', 'ASC').addOrderBy('t.id', 'ASC').limit(OVERLAP_LIMIT).getRawMany<{ id: string }>();
  };
  const tools$ = () => m.getRepository(Tool).createQueryBuilder('t');
  const [bySub, byCaps] = await Promise.all([
    subcategoryId ? firstIds(tools$().where('t.subcategoryId = :sub', { sub: subcategoryId })) : [],
    capabilities.length
      ? firstIds(tools$().distinct(true).innerJoin(ToolCapability, 'c', 'c.toolId = t.id').where('c.capability IN (:...caps)', { caps: capabilities }))
      : [],
  ]);
  const ids = [...new Set([...bySub, ...byCaps].map((r) => r.id))];
  if (!ids.length) return [];
  const tools = await tools$().where('t.id IN (:...ids)', { ids })
    .orderBy('t.name', 'ASC').addOrderBy('t.id', 'ASC').limit(OVERLAP_LIMIT).getMany();
  const [caps, subs] = await Promise.all([
    capabilities.length ? m.getRepository(ToolCapability).find({ where: { toolId: In(tools.map((t) => t.id)), capability: In(capabilities) } }) : [],
    m.getRepository(Category).find({ where: { id: In([...new Set(tools.map((t) => t.subcategoryId))]) } }),
  ]);
  return tools.map((t) => ({
    toolId: t.id, name: t.name, subcategory: subs.find((s) => s.id === t.subcategoryId)?.name ?? null,
    lifecycle: t.lifecycle, itApproval: t.itApprovalStatus,
    annualCost: moneyJson(t.annualCostMinor ?? 0n, t.annualCostCurrency ?? baseCurrency),
    sameSubcategory: t.subcategoryId === subcategoryId,
    sharedCapabilities: caps.filter((c) => c.toolId === t.id).map((c) => c.capability),
  }));
}

export async function integrationImpact(m: EntityManager, req: ToolRequest) {
  const ids = [...new Set(req.requiredIntegrations.map((i) => i.toolId))];
  const tools = ids.length ? await m.getRepository(Tool).find({ where: { id: In(ids) } }) : [];
  const personal = req.dataCategories.length > 0;
  const flows = req.requiredIntegrations.map((i) => {
    const t = tools.find((x) => x.id === i.toolId);
    return {
      toolId: i.toolId, toolName: t?.name ?? null, direction: i.direction, dataObjects: i.dataObjects, carriesPersonalData: personal,
      targetItApproval: (t?.itApprovalStatus ?? null) as ItApprovalStatus | null, targetApproved: t ? isItApproved(t.itApprovalStatus) : false,
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
    stage: s.stage, round: s.round, status: s.status, openedAt: s.openedAt, dueAt: s.dueAt,
    overdue: s.status === 'OPEN' && !!s.dueAt && s.dueAt < now,
    decidedById: s.decidedById, decidedAt: s.decidedAt, decision: s.decision, comment: s.comment, conditions: s.conditions,
  };
}

export function requestSummary(r: ToolRequest, open: ReviewStage | undefined, now = new Date()) {
  return {
    id: r.id, type: r.type, title: r.title, status: r.status, requesterId: r.requesterId, toolId: r.toolId,
    estimatedAnnualCost: moneyJson(r.estimatedAnnualCostMinor, r.estimatedAnnualCostCurrency),
    currentStage: r.currentStage, round: r.round, dueAt: open?.dueAt ?? null, overdue: !!open?.dueAt && open.dueAt < now && open.status === 'OPEN',
    neededBy: r.neededBy, submittedAt: r.submittedAt, createdAt: r.createdAt, updatedAt: r.updatedAt, version: r.version,
  };
}

export function requestDetail(
  r: ToolRequest, stages: ReviewStage[], comments: RequestComment[], assessment: ItAssessment | null, extra: Record<string, unknown>, baseCurrency: string, now = new Date(),
) {
  const open = stages.find((s) => s.round === r.round && s.stage === r.currentStage && s.status === 'OPEN');
  return {
    ...requestSummary(r, open, now),
    proposedTool: r.proposedTool, businessCase: r.businessCase, expectedOutcomes: r.expectedOutcomes, alternativesConsidered: r.alternativesConsidered,
    estimatedAnnualCostBase: r.estimatedAnnualCostBaseMinor === null ? null : moneyJson(r.estimatedAnnualCostBaseMinor, baseCurrency),
    allocation: r.allocation, dataCategories: r.dataCategories, requiredIntegrations: r.requiredIntegrations, closedAt: r.closedAt,
    stages: stages.sort((a, b) => a.round - b.round || a.position - b.position).map((s) => stageView(s, now)),
    comments: comments.map((c) => ({ id: c.id, authorId: c.authorId, body: c.body, createdAt: c.createdAt })),
    assessment: assessment ? { id: assessment.id, assessorId: assessment.assessorId, round: assessment.round, ...assessment.checklist, createdAt: assessment.createdAt } : null,
    ...extra,
  };
}
