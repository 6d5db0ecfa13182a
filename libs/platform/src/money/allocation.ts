/** One cost center's share of a cost, in basis points (10000 = 100 %). */
export interface AllocationShare {
  costCenterId: string;
  shareBps: number;
}

export const FULL_SHARE_BPS = 10000;

export class AllocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** Problems with an allocation, or an empty list when it is valid. */
export function allocationProblems(allocation: readonly AllocationShare[]): string[] {
  const problems: string[] = [];
  // Bodies reach this unvalidated too; checking an `unknown` copy keeps Array.isArray from widening `allocation` to any[].
  const unchecked: unknown = allocation;
  if (!Array.isArray(unchecked) || allocation.length === 0) return ['allocation must list at least one cost center'];
  const seen = new Set<string>();
  let sum = 0;
  for (const share of allocation) {
    if (!Number.isInteger(share.shareBps) || share.shareBps <= 0 || share.shareBps > FULL_SHARE_BPS) {
      problems.push(`shareBps must be a whole number from 1 to 10000 (cost center ${share.costCenterId})`);
    }
    if (seen.has(share.costCenterId)) problems.push(`cost center ${share.costCenterId} appears more than once`);
    seen.add(share.costCenterId);
    sum += share.shareBps;
  }
  if (sum !== FULL_SHARE_BPS) problems.push(`shares must sum to 10000 basis points, got ${sum}`);
  return problems;
}

/**
 * Splits `total` minor units by basis-point shares with the largest-remainder method: every part
 * is floor(total × share / 10000), and the leftover units go one each to the largest remainders
 * (ties to the earlier share). The parts always sum exactly to `total`. Negative totals (credits)
 * split symmetrically.
 */
export function splitByShares(total: bigint, sharesBps: readonly number[]): bigint[] {
  const sum = sharesBps.reduce((s, b) => s + b, 0);
  if (sharesBps.length === 0 || sum !== FULL_SHARE_BPS || sharesBps.some((b) => !Number.isInteger(b) || b < 0)) {
    throw new AllocationError(`shares must be whole basis points summing to 10000, got ${sum}`);
  }
  if (total < 0n) return splitByShares(-total, sharesBps).map((p) => -p);
  const full = BigInt(FULL_SHARE_BPS);
  const parts = sharesBps.map((b) => (total * BigInt(b)) / full);
  const remainders = sharesBps.map((b, i) => ({ i, r: (total * BigInt(b)) % full }));
  let leftover = total - parts.reduce((s, p) => s + p, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (let rank = 0; leftover > 0n; rank++, leftover--) parts[remainders[rank].i] += 1n;
  return parts;
}

/** Splits an amount across an allocation, keeping the cost center of each part. */
export function splitAllocation(total: bigint, allocation: readonly AllocationShare[]): { costCenterId: string; amountMinor: bigint }[] {
  const parts = splitByShares(
    total,
    allocation.map((a) => a.shareBps),
  );
  return allocation.map((a, i) => ({ costCenterId: a.costCenterId, amountMinor: parts[i] }));
}
