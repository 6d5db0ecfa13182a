import { ApiProperty } from '@nestjs/swagger';
import { moneyJson, MoneyJson, ratioString } from '@stackgate/platform';

/*
 * Issue 25 §3: what discovery adds to the governance report, over the same 12 months up to asOf as
 * its shadow-IT figures. "Software spend" is the actual spend in the ledger (spend entries: invoices,
 * card lines matched to a tool) plus the unmatched spend (lines of open discovery candidates, which
 * no tool carries yet); "outside approved tools" is the part of it on shadow-IT tools (in use
 * without IT approval) plus the unmatched spend. Per budget: the cost-center kind of the money
 * (MARKETING, IT, OTHER); unmatched lines without a cost center are UNASSIGNED.
 */

export const DISCOVERY_BUDGETS = ['MARKETING', 'IT', 'OTHER', 'UNASSIGNED'] as const;
export type DiscoveryBudget = (typeof DISCOVERY_BUDGETS)[number];

/** Actual ledger spend of one month and budget, in base-currency minor units. */
export interface ActualCell {
  month: number;
  kind: string;
  shadowIt: boolean;
  amountMinor: bigint;
}

/** Unmatched spend of one month and budget, in base-currency minor units. */
export interface UnmatchedCell {
  month: number;
  kind: DiscoveryBudget;
  amountMinor: bigint;
}

interface Figures {
  software: bigint;
  outside: bigint;
  unmatched: bigint;
}

const zero = (): Figures => ({ software: 0n, outside: 0n, unmatched: 0n });

const kindOf = (kind: string): DiscoveryBudget =>
  (DISCOVERY_BUDGETS as readonly string[]).includes(kind) ? (kind as DiscoveryBudget) : 'OTHER';

/** The shares per budget and the trend per month from the ledger's actual spend and the unmatched spend. */
export function outsideApprovedSpend(
  months: number[],
  actual: readonly ActualCell[],
  unmatched: readonly UnmatchedCell[],
  currency: string,
) {
  const byBudget = new Map<DiscoveryBudget, Figures>(DISCOVERY_BUDGETS.map((b) => [b, zero()]));
  const byMonth = new Map<number, Figures>(months.map((m) => [m, zero()]));
  const total = zero();
  const add = (month: number, kind: DiscoveryBudget, figures: Partial<Figures>) => {
    for (const target of [byBudget.get(kind)!, byMonth.get(month), total]) {
      if (!target) continue;
      target.software += figures.software ?? 0n;
      target.outside += figures.outside ?? 0n;
      target.unmatched += figures.unmatched ?? 0n;
    }
  };
  for (const cell of actual)
    add(cell.month, kindOf(cell.kind), { software: cell.amountMinor, outside: cell.shadowIt ? cell.amountMinor : 0n });
  for (const cell of unmatched)
    add(cell.month, cell.kind, { software: cell.amountMinor, outside: cell.amountMinor, unmatched: cell.amountMinor });
  const json = (figures: Figures) => ({
    softwareSpend: moneyJson(figures.software, currency)!,
    outsideApproved: moneyJson(figures.outside, currency)!,
    unmatched: moneyJson(figures.unmatched, currency)!,
    share: ratioString(figures.outside, figures.software),
  });
  return {
    total: json(total),
    byBudget: DISCOVERY_BUDGETS.map((budget) => ({ budget, ...json(byBudget.get(budget)!) })),
    trend: months.map((month) => ({
      month: `${Math.floor(month / 100)}-${String(month % 100).padStart(2, '0')}`,
      ...json(byMonth.get(month)!),
    })),
  };
}

class SectionMoney {
  @ApiProperty() amount: string;
  @ApiProperty() currency: string;
}

export class OutsideApprovedFigures {
  @ApiProperty({ type: SectionMoney, description: 'Actual ledger spend plus unmatched spend' }) softwareSpend: MoneyJson;
  @ApiProperty({ type: SectionMoney, description: 'Spend on shadow-IT tools plus unmatched spend' }) outsideApproved: MoneyJson;
  @ApiProperty({ type: SectionMoney, description: 'Lines of open discovery candidates' }) unmatched: MoneyJson;
  @ApiProperty({ example: '0.1250', description: 'outsideApproved ÷ softwareSpend, 4 decimals (0.0000 without spend)' }) share: string;
}

export class OutsideApprovedByBudget extends OutsideApprovedFigures {
  @ApiProperty({ enum: DISCOVERY_BUDGETS }) budget: string;
}

export class OutsideApprovedByMonth extends OutsideApprovedFigures {
  @ApiProperty({ example: '2026-04' }) month: string;
}

export class DiscoveredItem {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() merchant: string;
  @ApiProperty({ enum: ['SPEND', 'IDP'] }) source: string;
  @ApiProperty({ enum: ['OPEN', 'REGISTERED', 'LINKED', 'DISMISSED'] }) status: string;
  @ApiProperty({ type: SectionMoney }) totalSpend: MoneyJson;
}

export class DiscoverySection {
  @ApiProperty({ format: 'date', description: 'First day of the period (12 months up to asOf)' }) from: string;
  @ApiProperty({ description: 'Candidates waiting in the discovery queue now' }) openCandidates: number;
  @ApiProperty({ description: 'Candidates first found in the period' }) discoveredCount: number;
  @ApiProperty({ type: DiscoveredItem, isArray: true, description: 'Those candidates, largest spend first (at most 20)' })
  discovered: DiscoveredItem[];
  @ApiProperty({ type: OutsideApprovedFigures }) total: OutsideApprovedFigures;
  @ApiProperty({ type: OutsideApprovedByBudget, isArray: true }) byBudget: OutsideApprovedByBudget[];
  @ApiProperty({ type: OutsideApprovedByMonth, isArray: true }) trend: OutsideApprovedByMonth[];
}
