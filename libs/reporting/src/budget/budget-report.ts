import { formatMinor } from '@stackgate/platform';
import { convertToBase, LedgerCellAmount, RateTable } from '../report-math';

/*
 * Budget vs actual (SPEC §5) per cost center for one fiscal year:
 *   committed = committed spend of the whole fiscal year; actual = actual spend of the fiscal year;
 *   remaining = budget − actual; forecast = actual up to the as-of month + committed for the months
 *   after it (the rest of the year); variance = budget − forecast (negative: heading over budget).
 *   approvedNotContracted = approved requests' estimates not yet covered by a contract (ledger basis
 *   APPROVED) in the fiscal year; the forecast counts them for the months after the as-of month too,
 *   as it counts contracts, so attaching the contract moves the amount from one column to the other.
 * Each basis is converted on the spend report's grain (convertToBase keyed by cost center), so a cost
 * center's committed and actual equal its row in the spend report grouped by cost center, to the cent.
 */

/** A ledger sum of one cost center and basis, with the classes of the conversion grain. */
export interface BudgetCell extends LedgerCellAmount {
  costCenterId: string;
  basis: 'COMMITTED' | 'ACTUAL' | 'APPROVED';
}

const BASES = ['COMMITTED', 'ACTUAL', 'APPROVED'] as const;
export interface CostCenterInfo {
  id: string;
  code: string;
  name: string;
  kind: string;
}

export interface BudgetLineMinor {
  costCenter: CostCenterInfo;
  budget: bigint | null;
  committed: bigint;
  actual: bigint;
  forecast: bigint;
  approvedNotContracted: bigint;
}

const KIND_ORDER = ['MARKETING', 'IT', 'OTHER'];

export function budgetLines(
  centers: CostCenterInfo[],
  budgets: Map<string, bigint>,
  cells: BudgetCell[],
  asOfMonth: number,
  rates: RateTable,
  base: string,
): BudgetLineMinor[] {
  const lines = new Map<string, BudgetLineMinor>();
  const byId = new Map(centers.map((c) => [c.id, c]));
  const line = (id: string) => {
    let budgetLine = lines.get(id);
    if (!budgetLine)
      lines.set(
        id,
        (budgetLine = {
          costCenter: byId.get(id) ?? { id, code: id, name: id, kind: 'OTHER' },
          budget: budgets.get(id) ?? null,
          committed: 0n,
          actual: 0n,
          forecast: 0n,
          approvedNotContracted: 0n,
        }),
      );
    return budgetLine;
  };
  for (const id of budgets.keys()) line(id);
  // One basis at a time: the spend report of one basis converts its own sums.
  const visit = (cell: BudgetCell, amount: bigint) => {
    const budgetLine = line(cell.costCenterId);
    if (cell.basis === 'COMMITTED') {
      budgetLine.committed += amount;
      if (cell.month > asOfMonth) budgetLine.forecast += amount;
    } else if (cell.basis === 'APPROVED') {
      budgetLine.approvedNotContracted += amount;
      if (cell.month > asOfMonth) budgetLine.forecast += amount;
    } else {
      budgetLine.actual += amount;
      if (cell.month <= asOfMonth) budgetLine.forecast += amount;
    }
  };
  for (const basis of BASES)
    convertToBase(
      cells.filter((cell) => cell.basis === basis),
      { rates, base, keyOf: (cell) => cell.costCenterId },
      visit,
    );
  return [...lines.values()].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.costCenter.kind) - KIND_ORDER.indexOf(b.costCenter.kind) || a.costCenter.code.localeCompare(b.costCenter.code),
  );
}

export interface BudgetRow {
  costCenterId: string;
  code: string;
  name: string;
  kind: string;
  budget: string | null;
  committed: string;
  actual: string;
  remaining: string | null;
  forecast: string;
  variance: string | null;
  approvedNotContracted: string;
}

export function budgetRowJson(
  budgetLine: Omit<BudgetLineMinor, 'costCenter'> & { costCenter?: CostCenterInfo },
  cur: string,
): Omit<BudgetRow, 'costCenterId' | 'code' | 'name' | 'kind'> {
  const format = (v: bigint | null) => (v === null ? null : formatMinor(v, cur));
  return {
    budget: format(budgetLine.budget),
    committed: format(budgetLine.committed)!,
    actual: format(budgetLine.actual)!,
    remaining: budgetLine.budget === null ? null : format(budgetLine.budget - budgetLine.actual),
    forecast: format(budgetLine.forecast)!,
    variance: budgetLine.budget === null ? null : format(budgetLine.budget - budgetLine.forecast),
    approvedNotContracted: format(budgetLine.approvedNotContracted)!,
  };
}

export function budgetTotals(lines: BudgetLineMinor[]) {
  const anyBudget = lines.some((l) => l.budget !== null);
  return lines.reduce(
    (t, l) => ({
      budget: anyBudget ? (t.budget ?? 0n) + (l.budget ?? 0n) : null,
      committed: t.committed + l.committed,
      actual: t.actual + l.actual,
      forecast: t.forecast + l.forecast,
      approvedNotContracted: t.approvedNotContracted + l.approvedNotContracted,
    }),
    { budget: anyBudget ? 0n : null, committed: 0n, actual: 0n, forecast: 0n, approvedNotContracted: 0n },
  );
}
