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
export function toToolResponse(tool: Tool, names: ToolRefNames, baseCurrency: string): ToolResponse {
  return {
    id: tool.id,
    name: tool.name,
    vendorId: tool.vendorId,
    vendor: { id: tool.vendorId, name: names.vendors.get(tool.vendorId) ?? '' },
    subcategoryId: tool.subcategoryId,
    subcategory: { id: tool.subcategoryId, name: names.categories.get(tool.subcategoryId) ?? '' },
    categoryId: tool.categoryId,
    category: { id: tool.categoryId, name: names.categories.get(tool.categoryId) ?? '' },
    description: tool.description,
    capabilities: tool.capabilities ?? [],
    lifecycle: tool.lifecycle,
    itApproval: {
      status: tool.itApprovalStatus,
      rationale: tool.itApprovalRationale,
      conditions: tool.itApprovalConditions,
      decidedById: tool.itApprovalDecidedById,
      decidedAt: tool.itApprovalDecidedAt,
    },
    businessOwnerId: tool.businessOwnerId,
    technicalOwnerId: tool.technicalOwnerId,
    budgetOwnerId: tool.budgetOwnerId,
    allocation: effectiveAllocation(tool.allocation, tool.budgetOwnerId),
    customAllocation: !!tool.allocation?.length,
    dataClassification: tool.dataClassification,
    ssoEnabled: tool.ssoEnabled,
    hostingRegion: tool.hostingRegion,
    isSystemOfRecord: tool.isSystemOfRecord,
    licensedSeats: tool.licensedSeats,
    activeUsers: tool.activeUsers,
    website: tool.website,
    shadowIt: tool.shadowIt,
    itReviewNotice: tool.shadowIt ? SHADOW_IT_NOTICE : null,
    annualCost:
      tool.annualCostMinor !== null && tool.annualCostMinor !== undefined && tool.annualCostCurrency
        ? { amount: formatMinor(tool.annualCostMinor, tool.annualCostCurrency), currency: tool.annualCostCurrency }
        : { amount: formatMinor(0n, baseCurrency), currency: baseCurrency },
    createdById: tool.createdById,
    version: tool.version,
    createdAt: tool.createdAt,
    updatedAt: tool.updatedAt,
  };
}

/** What a shadow-IT tool's registrant reads (API `itReviewNotice`, the web page's banner). */
export const SHADOW_IT_NOTICE =
  'In use without IT approval: the tool counts as shadow IT and awaits IT review; IT and the CIO have been notified.';

/** What the audit trail records about a tool (stored fields, no timestamps). */
export function toolSnapshot(tool: Tool): Record<string, unknown> {
  const { createdAt: _c, updatedAt: _u, annualCostMinor: _a, annualCostCurrency: _ac, ...rest } = tool;
  return { ...rest };
}
