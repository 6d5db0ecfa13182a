import { isOverlap, OVERLAP_SAVING_BASIS, overlapSavingMinor } from '@stackgate/catalog';

/*
 * The overlap a request page shows, decided by the catalog's overlap rule (the same one the
 * governance report applies): a shared subcategory counts unless it is a channel where several
 * vendors are normal (paid media); across subcategories a capability match needs the minimum
 * number of shared tags.
 */

/** What the rule needs of a catalog tool matched on the proposal's subcategory or capability tags. */
export interface MatchedTool {
  subcategoryId: string;
  subcategoryName: string | null;
  sharedCapabilities: readonly string[];
}

/** The matched tools that count as an overlap of a proposal in `subcategoryId`, in their order. */
export function overlappingMatches<T extends MatchedTool>(matches: readonly T[], subcategoryId: string | null): T[] {
  return matches.filter((match) =>
    isOverlap({
      sameSubcategory: !!subcategoryId && match.subcategoryId === subcategoryId,
      subcategoryName: match.subcategoryName,
      sharedCapabilities: match.sharedCapabilities.length,
    }),
  );
}

/** The basis stated beside a request's estimated saving: the governance rule, and which amounts form the group. */
export function requestSavingBasis(toolCount: number): string {
  const tools = toolCount === 1 ? 'the overlapping tool listed' : `the ${toolCount} overlapping tools listed`;
  return (
    `${OVERLAP_SAVING_BASIS}; the group is this request's estimated annual cost and the annual cost under contract of ${tools} ` +
    '(a tool without an active contract counts as 0)'
  );
}

/**
 * The estimated saving of consolidating a new tool's request with the tools it overlaps, in the base
 * currency: group cost − the most expensive member (the governance report's formula). Null when
 * nothing overlaps, or when the request's estimate has no base-currency value yet (no exchange rate).
 */
export function requestOverlapSaving(
  proposalBaseMinor: bigint | null,
  overlappingCostsMinor: readonly bigint[],
): { savingMinor: bigint; groupCostMinor: bigint; basis: string } | null {
  if (!overlappingCostsMinor.length || proposalBaseMinor === null) return null;
  const costs = [proposalBaseMinor, ...overlappingCostsMinor];
  return {
    savingMinor: overlapSavingMinor(costs),
    groupCostMinor: costs.reduce((sum, cost) => sum + cost, 0n),
    basis: requestSavingBasis(overlappingCostsMinor.length),
  };
}
