import { formatMinor } from '@stackgate/platform';
import { ToolResponse } from './dto/tool.dto';
import { Tool } from './tool.entity';
import { effectiveAllocation } from './tool-rules';

/** Names of the records a tool points to, for the expanded response. */
export interface ToolRefNames {
  vendors: Map<string, string>;
  categories: Map<string, string>;
}

/** The response allow-list: stored fields, derived ones, and expanded references. */
export function toToolResponse(t: Tool, names: ToolRefNames, baseCurrency: string): ToolResponse {
  return {
    id: t.id,
    name: t.name,
    vendorId: t.vendorId,
    vendor: { id: t.vendorId, name: names.vendors.get(t.vendorId) ?? '' },
    subcategoryId: t.subcategoryId,
    subcategory: { id: t.subcategoryId, name: names.categories.get(t.subcategoryId) ?? '' },
    categoryId: t.categoryId,
    category: { id: t.categoryId, name: names.categories.get(t.categoryId) ?? '' },
    description: t.description,
    capabilities: t.capabilities ?? [],
    lifecycle: t.lifecycle,
    itApproval: {
      status: t.itApprovalStatus,
      rationale: t.itApprovalRationale,
      conditions: t.itApprovalConditions,
      decidedById: t.itApprovalDecidedById,
      decidedAt: t.itApprovalDecidedAt,
    },
    businessOwnerId: t.businessOwnerId,
    technicalOwnerId: t.technicalOwnerId,
    budgetOwnerId: t.budgetOwnerId,
    allocation: effectiveAllocation(t.allocation, t.budgetOwnerId),
    customAllocation: !!t.allocation?.length,
    dataClassification: t.dataClassification,
    ssoEnabled: t.ssoEnabled,
    hostingRegion: t.hostingRegion,
    isSystemOfRecord: t.isSystemOfRecord,
    licensedSeats: t.licensedSeats,
    activeUsers: t.activeUsers,
    website: t.website,
    shadowIt: t.shadowIt,
    itReviewNotice: t.shadowIt ? SHADOW_IT_NOTICE : null,
    annualCost:
      t.annualCostMinor !== null && t.annualCostMinor !== undefined && t.annualCostCurrency
        ? { amount: formatMinor(t.annualCostMinor, t.annualCostCurrency), currency: t.annualCostCurrency }
        : { amount: formatMinor(0n, baseCurrency), currency: baseCurrency },
    createdById: t.createdById,
    version: t.version,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** What a shadow-IT tool's registrant reads (API `itReviewNotice`, the web page's banner). */
export const SHADOW_IT_NOTICE =
  'In use without IT approval: the tool counts as shadow IT and awaits IT review; IT and the CIO have been notified.';

/** What the audit trail records about a tool (stored fields, no timestamps). */
export function toolSnapshot(t: Tool): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, annualCostMinor: _a, annualCostCurrency: _ac, ...rest } = t;
  return { ...rest };
}
