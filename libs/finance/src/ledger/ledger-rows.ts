import { AllocationShare, FULL_SHARE_BPS, splitAllocation } from '@stackgate/platform';
import { CostType, LedgerBasis, LedgerSource } from '../finance.enums';
import { AccrualMonth } from '../contracts/contract-terms';

/*
 * How a contract or spend entry becomes ledger rows (SPEC §4): one row per month × cost center of
 * its allocation, each month's amount split by largest remainder so the parts add up to the cent.
 */

/** SPEC §2/§4 precedence: the record's own allocation, else the contract's, else the tool's, else 100 % to the budget owner. */
export function effectiveAllocation(
  own: AllocationShare[] | null | undefined,
  contract: AllocationShare[] | null | undefined,
  tool: AllocationShare[] | null | undefined,
  budgetOwnerId: string,
): AllocationShare[] {
  for (const shares of [own, contract, tool]) if (shares && shares.length) return shares;
  return [{ costCenterId: budgetOwnerId, shareBps: FULL_SHARE_BPS }];
}

export interface LedgerDimensions {
  toolId: string;
  categoryId: string;
  subcategoryId: string;
  vendorId: string;
  /** The tool's shadow-IT flag, copied so reports need no join (kept current by LedgerService.setShadowIt). */
  shadowIt: boolean;
  costType: CostType;
  currency: string;
  basis: LedgerBasis;
  sourceType: LedgerSource;
  sourceId: string;
}

export interface LedgerRowDraft extends LedgerDimensions {
  month: number;
  costCenterId: string;
  costCenterKind: string;
  amountMinor: bigint;
}

/** Rows for a schedule: each month split across the allocation. Zero parts are dropped (they carry nothing). */
export function buildLedgerRows(
  schedule: AccrualMonth[],
  allocation: AllocationShare[],
  kindOf: (costCenterId: string) => string,
  dims: LedgerDimensions,
): LedgerRowDraft[] {
  const rows: LedgerRowDraft[] = [];
  for (const { month, amountMinor } of schedule) {
    for (const part of splitAllocation(amountMinor, allocation)) {
      if (part.amountMinor === 0n) continue;
      rows.push({
        ...dims,
        month,
        costCenterId: part.costCenterId,
        costCenterKind: kindOf(part.costCenterId),
        amountMinor: part.amountMinor,
      });
    }
  }
  return rows;
}
