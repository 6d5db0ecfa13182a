import { AllocationShare, splitAllocation } from '@stackgate/platform';
import { accrualSchedule, AccrualMonth } from '../contracts/contract-terms';
import { Billing } from '../finance.enums';

/** An approved, not yet contracted commitment runs this many months from the approval month (one year of the annual estimate). */
export const COMMITMENT_TERM_MONTHS = 12;

/**
 * The amount the ledger carries for an approved request: the estimate in BASE_CURRENCY as the request
 * converted it (the FX rate of its submission month), or in the request's currency when it was
 * already in the base currency.
 */
export function commitmentAmount(
  commitment: { annualAmountMinor: bigint; currency: string; annualBaseMinor: bigint | null },
  base: string,
): { amountMinor: bigint; currency: string } {
  if (commitment.currency !== base && commitment.annualBaseMinor !== null)
    return { amountMinor: commitment.annualBaseMinor, currency: base };
  return { amountMinor: commitment.annualAmountMinor, currency: commitment.currency };
}

/** The commitment month by month: the annual amount spread over the 12 months from the approval month, as an ANNUAL contract is. */
export function commitmentSchedule(annualMinor: bigint, approvedOn: string): AccrualMonth[] {
  return accrualSchedule({ startDate: approvedOn, termMonths: COMMITMENT_TERM_MONTHS, billing: Billing.ANNUAL, amountMinor: annualMinor });
}

/** The pending amount per cost center over the whole commitment (the request's split, largest remainder: adds up to the cent). */
export function pendingPerCostCenter(annualMinor: bigint, approvedOn: string, allocation: AllocationShare[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const { amountMinor } of commitmentSchedule(annualMinor, approvedOn)) {
    for (const part of splitAllocation(amountMinor, allocation))
      out.set(part.costCenterId, (out.get(part.costCenterId) ?? 0n) + part.amountMinor);
  }
  return out;
}
