/*
 * When two tools count as an overlap (a candidate for consolidation). Used by the governance report's
 * overlap groups and the overlap candidates a request page shows.
 *
 * - Channels where several vendors are normal — paid media, where a marketer buys reach from each
 *   network separately — never make an overlap by sharing their subcategory: MULTI_VENDOR_SUBCATEGORIES.
 * - Any other shared subcategory is an overlap.
 * - Across subcategories, a capability match needs strength: at least OVERLAP_MIN_SHARED_CAPABILITIES
 *   shared capability tags (one common tag such as "lead-capture" is not enough), and never between two
 *   tools of the same multi-vendor subcategory.
 */

/** Subcategories (by name) where several vendors are normal: paid media channels. */
export const MULTI_VENDOR_SUBCATEGORIES: readonly string[] = [
  'Display & Programmatic Advertising',
  'Native/Content Advertising',
  'Search & Social Advertising',
  'Video Advertising',
];

/** Shared capability tags two tools of different subcategories need to count as an overlap. */
export const OVERLAP_MIN_SHARED_CAPABILITIES = 2;

/** How an overlap group's estimated saving is computed (stated next to the figure in the API and the pages). */
export const OVERLAP_SAVING_BASIS = 'the annual cost of every tool in the group except the most expensive one (consolidating onto it)';

export const isMultiVendorSubcategory = (name: string | null | undefined): boolean =>
  !!name && MULTI_VENDOR_SUBCATEGORIES.includes(name.trim());

/** Whether a tool overlaps a proposal (or another tool): the rule above. */
export function isOverlap(match: { sameSubcategory: boolean; subcategoryName: string | null; sharedCapabilities: number }): boolean {
  if (match.sameSubcategory && isMultiVendorSubcategory(match.subcategoryName)) return false;
  if (match.sameSubcategory) return true;
  return match.sharedCapabilities >= OVERLAP_MIN_SHARED_CAPABILITIES;
}

/** An overlap group's estimated saving (OVERLAP_SAVING_BASIS): the sum of its members' annual costs minus the largest one. */
export function overlapSavingMinor(annualCostsMinor: readonly bigint[]): bigint {
  if (!annualCostsMinor.length) return 0n;
  const total = annualCostsMinor.reduce((sum, cost) => sum + cost, 0n);
  const largest = annualCostsMinor.reduce((max, cost) => (cost > max ? cost : max));
  return total - largest;
}
