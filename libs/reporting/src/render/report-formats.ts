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

export function spendCsv(report: SpendReport): string {
  const rows = report.rows.map((x) => [x.key, x.label, report.currency, x.total, x.marketing, x.it, x.other]);
  rows.push(['TOTAL', 'Total', report.currency, report.totals.total, report.totals.marketing, report.totals.it, report.totals.other]);
  return toCsv(['key', 'label', 'currency', 'total', 'marketing', 'it', 'other'], rows);
}

export function spendChart(report: SpendReport): string {
  return barChart(
    report.rows.slice(0, 40).map((x) => ({
      label: x.label,
      values: [minor(x.marketing, report.currency), minor(x.it, report.currency), minor(x.other, report.currency)],
      caption: formatMoney(x.total, report.currency),
    })),
    [
      { name: 'Marketing', color: COLORS.marketing },
      { name: 'IT', color: COLORS.it },
      { name: 'Other', color: COLORS.other },
    ],
    { title: `Spend by ${report.groupBy}`, stacked: true },
  );
}

export function budgetCsv(report: BudgetReport): string {
  const rows = report.rows.map((x) => [
    x.code,
    x.name,
    x.kind,
    report.fiscalYear,
    report.currency,
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
    report.fiscalYear,
    report.currency,
    report.totals.budget,
    report.totals.committed,
    report.totals.actual,
    report.totals.remaining,
    report.totals.forecast,
    report.totals.variance,
    report.totals.approvedNotContracted,
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

export function budgetChart(report: BudgetReport): string {
  return barChart(
    report.rows.map((x) => ({
      label: `${x.code} ${x.name}`,
      values: [minor(x.budget, report.currency), minor(x.actual, report.currency), minor(x.forecast, report.currency)],
      caption: formatMoney(x.forecast, report.currency),
    })),
    [
      { name: 'Budget', color: COLORS.budget },
      { name: 'Actual', color: COLORS.actual },
      { name: 'Forecast', color: COLORS.forecast },
    ],
    { title: `Budget vs actual FY${report.fiscalYear}`, stacked: false },
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

export function renewalsCsv(report: Renewals): string {
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
    report.items.map((i) => [
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
  unusedSeats: { tool: Named; unusedSeats: number; value: Money; evidence?: { source: string; asOf: string } | null }[];
  utilisationEvidence?: { source: string; lastImportAt: string; asOf: string } | null;
  openConditionsPastDue: { tool: Named; request: { title: string }; openPastDue: number; oldestDueDate: string }[];
  discovery?: {
    discovered: { name: string; source: string; status: string; totalSpend: Money }[];
    total: { unmatched: Money; share: string };
    byBudget: { budget: string; outsideApproved: Money; share: string }[];
    trend: { month: string; outsideApproved: Money; share: string }[];
  };
};

/** One table for all findings: finding, subject, detail, amount, currency. */
export function governanceCsv(report: Governance): string {
  const rows: (string | number | null | undefined)[][] = [];
  for (const shadow of report.shadowIt)
    rows.push(['shadow_it', shadow.tool?.name, shadow.itApproval, shadow.annualSpend.amount, shadow.annualSpend.currency]);
  for (const group of report.overlapGroups)
    rows.push([
      'overlap_group',
      group.subcategory.name,
      group.tools.map((t) => t.name).join('; '),
      group.estimatedSaving.amount,
      group.estimatedSaving.currency,
    ]);
  for (const tool of report.dataSilos.isolated) rows.push(['silo_no_active_integration', tool?.name, '', '', '']);
  for (const tool of report.dataSilos.noPathToSystemOfRecord) rows.push(['silo_no_path_to_system_of_record', tool?.name, '', '', '']);
  for (const flow of report.personalDataFlows)
    rows.push(['personal_data_flow', `${flow.source?.name} -> ${flow.target?.name}`, flow.reasons.join('; '), '', '']);
  for (const unused of report.unusedSeats)
    rows.push(['unused_seats', unused.tool?.name, String(unused.unusedSeats), unused.value.amount, unused.value.currency]);
  if (report.utilisationEvidence)
    rows.push([
      'utilisation_evidence',
      report.utilisationEvidence.source,
      `last import ${report.utilisationEvidence.lastImportAt}; active users as of ${report.utilisationEvidence.asOf}`,
      '',
      '',
    ]);
  for (const pastDue of report.openConditionsPastDue)
    rows.push([
      'open_conditions_past_due',
      pastDue.tool?.name,
      `${pastDue.openPastDue} open past due since ${pastDue.oldestDueDate}`,
      '',
      '',
    ]);
  const discovery = report.discovery;
  if (discovery) {
    for (const found of discovery.discovered)
      rows.push(['discovered', found.name, `${found.source}; ${found.status}`, found.totalSpend.amount, found.totalSpend.currency]);
    rows.push(['unmatched_spend', 'all budgets', '', discovery.total.unmatched.amount, discovery.total.unmatched.currency]);
    for (const budget of discovery.byBudget)
      rows.push(['outside_approved_share', budget.budget, budget.share, budget.outsideApproved.amount, budget.outsideApproved.currency]);
    for (const month of discovery.trend)
      rows.push(['outside_approved_month', month.month, month.share, month.outsideApproved.amount, month.outsideApproved.currency]);
  }
  return toCsv(['finding', 'subject', 'detail', 'amount', 'currency'], rows);
}

export function shadowChart(report: Governance): string {
  return barChart(
    report.shadowIt.map((s) => ({
      label: s.tool?.name ?? '',
      values: [minor(s.annualSpend.amount, s.annualSpend.currency)],
      caption: formatMoney(s.annualSpend.amount, s.annualSpend.currency),
    })),
    [{ name: 'Actual spend', color: COLORS.spend }],
    { title: 'Shadow-IT spend', stacked: true },
  );
}
