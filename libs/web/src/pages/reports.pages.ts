import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, AuthUser, CurrentUser, DomainError, PlatformError, PlatformErrorCode, Role, validationFailed } from '@stackgate/platform';
import {
  budgetChart,
  budgetCsv,
  BudgetReportQuery,
  governanceCsv,
  GovernanceReportQuery,
  renewalsCsv,
  RenewalsReportQuery,
  ReportRenderer,
  ReportsService,
  shadowChart,
  spendChart,
  spendCsv,
  SpendReportQuery,
  SpendReportService,
} from '@stackgate/reporting';
import { cleanForm, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

const READERS = [Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN];
const KINDS = ['spend', 'budget-vs-actual', 'renewals', 'governance'] as const;
type Kind = (typeof KINDS)[number];
const TITLES: Record<Kind, string> = {
  spend: 'Spend',
  'budget-vs-actual': 'Budget vs actual',
  renewals: 'Renewals',
  governance: 'Governance',
};
const SUMMARIES: Record<Kind, string> = {
  spend: 'What the stack costs, committed or actually paid, split between the marketing and the IT budget, by any grouping and period.',
  'budget-vs-actual': "Each cost center's budget for a fiscal year against what is committed and spent, with the forecast to year end.",
  renewals: 'Contracts coming up for renewal, with their cancel-by dates, seats in use and the cost at stake.',
  governance: 'Shadow IT, overlapping tools, data silos, unused seats and approvals that need attention.',
};

function defaultSpendRange(): { from: string; to: string } {
  const now = new Date();
  const year = now.getUTCFullYear();
  return { from: `${year}-01`, to: `${year}-12` };
}

/**
 * The reports in the web UI: a filter form, the same report content as the printable page, and
 * CSV download — all through the reporting services, so figures match the API exactly.
 */
@ApiExcludeController()
@Controller('reports')
@UseGuards(WebGuard)
export class ReportsPages {
  constructor(
    private readonly spendReports: SpendReportService,
    private readonly reports: ReportsService,
    private readonly renderer: ReportRenderer,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
  ) {}

  /** Runs a report: { body (HTML), csv, filename } — or throws the service's 4xx. */
  private async run(kind: Kind, query: Record<string, unknown>) {
    const plain = cleanForm(query);
    delete plain.format;
    if (kind === 'spend') {
      const { dto, errors } = await validateForm(SpendReportQuery, {
        ...defaultSpendRange(),
        basis: 'committed',
        groupBy: 'budget',
        ...plain,
      });
      if (!dto)
        throw validationFailed(
          Object.entries(errors)
            .map(([f, m]) => `${f} ${m}`)
            .join('; '),
        );
      const report = await this.spendReports.spend(dto);
      return {
        form: { from: report.from, to: report.to, basis: report.basis, groupBy: report.groupBy },
        csv: () => spendCsv(report),
        filename: `spend-${report.basis}-${report.groupBy}-${report.from}-${report.to}`,
        body: this.renderer.renderBody('spend', { report: report, chart: spendChart(report), links: true }),
      };
    }
    if (kind === 'budget-vs-actual') {
      const { dto, errors } = await validateForm(BudgetReportQuery, plain);
      if (!dto)
        throw validationFailed(
          Object.entries(errors)
            .map(([f, m]) => `${f} ${m}`)
            .join('; '),
        );
      const report = await this.reports.budgetVsActual(dto);
      return {
        form: { fiscalYear: report.fiscalYear },
        csv: () => budgetCsv(report),
        filename: `budget-vs-actual-FY${report.fiscalYear}`,
        body: this.renderer.renderBody('budget-vs-actual', { report: report, chart: budgetChart(report), links: true }),
      };
    }
    if (kind === 'renewals') {
      const { dto, errors } = await validateForm(RenewalsReportQuery, plain);
      if (!dto)
        throw validationFailed(
          Object.entries(errors)
            .map(([f, m]) => `${f} ${m}`)
            .join('; '),
        );
      const report = await this.reports.renewals(dto);
      return {
        form: { withinDays: dto.withinDays ?? 90 },
        csv: () => renewalsCsv(report),
        filename: `renewals-${report.asOf}`,
        body: this.renderer.renderBody('renewals', { report: report, links: true }),
      };
    }
    const { dto, errors } = await validateForm(GovernanceReportQuery, plain);
    if (!dto)
      throw validationFailed(
        Object.entries(errors)
          .map(([f, m]) => `${f} ${m}`)
          .join('; '),
      );
    const report = await this.reports.governance(dto);
    return {
      form: {},
      csv: () => (governanceCsv as (x: unknown) => string)(report),
      filename: `governance-${report.asOf}`,
      body: this.renderer.renderBody('governance', {
        report: report,
        shadowChart: (shadowChart as (x: unknown) => string)(report),
        links: true,
      }),
    };
  }

  private kindOf(raw: string): Kind {
    if (!(KINDS as readonly string[]).includes(raw)) throw new PlatformError(PlatformErrorCode.NOT_FOUND, 'No such report');
    return raw as Kind;
  }

  @Get()
  @Allow(...READERS)
  async index(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const reports = KINDS.map((k) => ({ href: `/reports/${k}`, title: TITLES[k], summary: SUMMARIES[k], csv: `/reports/${k}.csv` }));
    res.type('html').send(this.views.render('reports-index', await this.page.build(user, res, 'Reports', 'reports', { reports })));
  }

  @Get(':kind.csv')
  @Allow(...READERS)
  async csv(@Param('kind') raw: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const kind = this.kindOf(raw);
    const report = await this.run(kind, query);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${report.filename}.csv"`);
    res.send(report.csv());
  }

  @Get(':kind')
  @Allow(...READERS)
  async show(@CurrentUser() user: AuthUser, @Param('kind') raw: string, @Query() query: Record<string, unknown>, @Res() res: Response) {
    const kind = this.kindOf(raw);
    let body = '';
    let error: string | undefined;
    let details: unknown;
    let form: Record<string, unknown> = { ...defaultSpendRange(), basis: 'committed', groupBy: 'budget', withinDays: 90, ...query };
    let status = 200;
    let csvHref = '';
    try {
      const report = await this.run(kind, query);
      body = report.body;
      form = { ...form, ...report.form };
      const qs = new URLSearchParams(
        Object.entries(report.form as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => [k, String(v)] as [string, string]),
      );
      csvHref = `/reports/${kind}.csv?${qs.toString()}`;
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      error = err.message;
      details = err.details;
      status = err.status;
    }
    const missingRates = Array.isArray(details) ? (details as { currency: string; month: string }[]) : undefined;
    const ctx = await this.page.build(user, res, `${TITLES[kind]} report`, 'reports', {
      kind,
      body,
      error,
      missingRates,
      form,
      csvHref,
      tabs: KINDS.map((k) => ({ href: `/reports/${k}`, label: TITLES[k], active: k === kind })),
      isSpend: kind === 'spend',
      isBudget: kind === 'budget-vs-actual',
      isRenewals: kind === 'renewals',
      groupBys: ['budget', 'costCenter', 'category', 'subcategory', 'tool', 'vendor', 'costType', 'month', 'quarter', 'fiscalYear'],
    });
    res.status(status).type('html').send(this.views.render('report', ctx));
  }
}
