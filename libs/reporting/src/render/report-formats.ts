import { parseDecimalToMinor } from '@stackgate/platform';
import { SpendReport } from '../spend/spend-report';
import { BudgetReport } from '../reports.service';
import { toCsv } from './csv';
import { barChart } from './svg-chart';
import { formatMoney } from './report-renderer';

/* CSV tables and chart data for each report, from the same JSON the API answers. */

const COLORS = {
  marketing: '#d0453a',
  it: '#2f6fd6',
  other: '#8a93a3',
  budget: '#8a93a3',
  actual: '#2f6fd6',
  forecast: '#e0a21b',
  spend: '#d0453a',
};
const minor = (amount: string | null, cur: string) => (amount === null ? 0n : parseDecimalToMinor(amount, cur));

export function spendCsv(r: SpendReport): string {
  const rows = r.rows.map((x) => [x.key, x.label, r.currency, x.total, x.marketing, x.it, x.other]);
  rows.push(['TOTAL', 'Total', r.currency, r.totals.total, r.totals.marketing, r.totals.it, r.totals.other]);
  return toCsv(['key', 'label', 'currency', 'total', 'marketing', 'it', 'other'], rows);
}

export function spendChart(r: SpendReport): string {
  return barChart(
    r.rows.slice(0, 40).map((x) => ({
      label: x.label,
      values: [minor(x.marketing, r.currency), minor(x.it, r.currency), minor(x.other, r.currency)],
      caption: formatMoney(x.total, r.currency),
    })),
    [
      { name: 'Marketing', color: COLORS.marketing },
      { name: 'IT', color: COLORS.it },
      { name: 'Other', color: COLORS.other },
    ],
    { title: `Spend by ${r.groupBy}`, stacked: true },
  );
}

export function budgetCsv(r: BudgetReport): string {
  const rows = r.rows.map((x) => [
    x.code,
    x.name,
    x.kind,
    r.fiscalYear,
    r.currency,
    x.budget,
    x.committed,
    x.actual,
    x.remaining,
    x.forecast,
    x.variance,
    x.approvedNotContracted,
  ]);
  rows.push([
    'TOTAL',
    'Total',
    '',
    r.fiscalYear,
    r.currency,
    r.totals.budget,
    r.totals.committed,
    r.totals.actual,
    r.totals.remaining,
    r.totals.forecast,
    r.totals.variance,
    r.totals.approvedNotContracted,
  ]);
  return toCsv(
    [
      'costCenterCode',
      'costCenterName',
      'kind',
      'fiscalYear',
      'currency',
      'budget',
      'committed',
      'actual',
      'remaining',
      'forecast',
      'variance',
      'approvedNotContracted',
    ],
    rows,
  );
}

export function budgetChart(r: BudgetReport): string {
  return barChart(
    r.rows.map((x) => ({
      label: `${x.code} ${x.name}`,
      values: [minor(x.budget, r.currency), minor(x.actual, r.currency), minor(x.forecast, r.currency)],
      caption: formatMoney(x.forecast, r.currency),
    })),
    [
      { name: 'Budget', color: COLORS.budget },
      { name: 'Actual', color: COLORS.actual },
      { name: 'Forecast', color: COLORS.forecast },
    ],
    { title: `Budget vs actual FY${r.fiscalYear}`, stacked: false },
  );
}

type Renewals = {
  items: {
    reference: string | null;
    tool: { name: string } | null;
    vendor: { name: string } | null;
    startDate: string;
    endDate: string;
    cancelByDate: string;
    reviewStartDate: string;
    daysToCancelBy: number;
    annualValue: { amount: string; currency: string };
    autoRenew: boolean;
    seats: number | null;
    licensedSeats: number | null;
    activeUsers: number | null;
    overlap: boolean;
    businessOwner: { displayName: string } | null;
    budgetOwner: { code: string } | null;
    state?: string | null;
    overdue?: boolean;
    decision?: {
      decision: string;
      seats: number | null;
      owner: { displayName: string };
      rationale: string;
      decidedBy: { displayName: string };
      decidedAt: Date | string;
    } | null;
  }[];
};

export function renewalsCsv(r: Renewals): string {
  return toCsv(
    [
      'reference',
      'tool',
      'vendor',
      'startDate',
      'endDate',
      'cancelByDate',
      'reviewStartDate',
      'daysToCancelBy',
      'annualValue',
      'currency',
      'autoRenew',
      'seats',
      'licensedSeats',
      'activeUsers',
      'overlap',
      'businessOwner',
      'budgetOwner',
      'state',
      'overdue',
      'decision',
      'decisionSeats',
      'decisionOwner',
      'decisionRationale',
      'decidedBy',
      'decidedAt',
    ],
    r.items.map((i) => [
      i.reference,
      i.tool?.name,
      i.vendor?.name,
      i.startDate,
      i.endDate,
      i.cancelByDate,
      i.reviewStartDate,
      i.daysToCancelBy,
      i.annualValue.amount,
      i.annualValue.currency,
      i.autoRenew,
      i.seats,
      i.licensedSeats,
      i.activeUsers,
      i.overlap,
      i.businessOwner?.displayName,
      i.budgetOwner?.code,
      i.state,
      i.overdue,
      i.decision?.decision,
      i.decision?.seats,
      i.decision?.owner.displayName,
      i.decision?.rationale,
      i.decision?.decidedBy.displayName,
      i.decision?.decidedAt ? new Date(i.decision.decidedAt).toISOString() : null,
    ]),
  );
}

type Named = { name: string } | null;
type Money = { amount: string; currency: string };
type Governance = {
  currency: string;
  shadowIt: { tool: Named; itApproval: string; annualSpend: Money }[];
  overlapGroups: { subcategory: { name: string }; tools: { name: string }[]; groupCost: Money; estimatedSaving: Money }[];
  dataSilos: { isolated: Named[]; noPathToSystemOfRecord: Named[] };
  personalDataFlows: { source: Named; target: Named; reasons: string[] }[];
  unusedSeats: { tool: Named; unusedSeats: number; value: Money }[];
  openConditionsPastDue: { tool: Named; request: { title: string }; openPastDue: number; oldestDueDate: string }[];
};

/** One table for all findings: finding, subject, detail, amount, currency. */
export function governanceCsv(r: Governance): string {
  const rows: (string | number | null | undefined)[][] = [];
  for (const s of r.shadowIt) rows.push(['shadow_it', s.tool?.name, s.itApproval, s.annualSpend.amount, s.annualSpend.currency]);
  for (const g of r.overlapGroups)
    rows.push([
      'overlap_group',
      g.subcategory.name,
      g.tools.map((t) => t.name).join('; '),
      g.estimatedSaving.amount,
      g.estimatedSaving.currency,
    ]);
  for (const t of r.dataSilos.isolated) rows.push(['silo_no_active_integration', t?.name, '', '', '']);
  for (const t of r.dataSilos.noPathToSystemOfRecord) rows.push(['silo_no_path_to_system_of_record', t?.name, '', '', '']);
  for (const f of r.personalDataFlows)
    rows.push(['personal_data_flow', `${f.source?.name} -> ${f.target?.name}`, f.reasons.join('; '), '', '']);
  for (const u of r.unusedSeats) rows.push(['unused_seats', u.tool?.name, String(u.unusedSeats), u.value.amount, u.value.currency]);
  for (const c of r.openConditionsPastDue)
    rows.push(['open_conditions_past_due', c.tool?.name, `${c.openPastDue} open past due since ${c.oldestDueDate}`, '', '']);
  return toCsv(['finding', 'subject', 'detail', 'amount', 'currency'], rows);
}

export function shadowChart(r: Governance): string {
  return barChart(
    r.shadowIt.map((s) => ({
      label: s.tool?.name ?? '',
      values: [minor(s.annualSpend.amount, s.annualSpend.currency)],
      caption: formatMoney(s.annualSpend.amount, s.annualSpend.currency),
    })),
    [{ name: 'Actual spend', color: COLORS.spend }],
    { title: 'Shadow-IT spend', stacked: true },
  );
}
