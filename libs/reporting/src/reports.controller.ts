import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow, Role } from '@stackgate/platform';
import {
  BudgetReportQuery,
  BudgetReportResponse,
  GovernanceReportQuery,
  GovernanceReportResponse,
  RenewalsReportQuery,
  RenewalsReportResponse,
  ReportFormat,
  SpendReportQuery,
  SpendReportResponse,
} from './report-query.dto';
import { ReportsService } from './reports.service';
import { SpendReportService } from './spend/spend-report.service';
import { ReportRenderer } from './render/report-renderer';
import { budgetChart, budgetCsv, governanceCsv, renewalsCsv, shadowChart, spendChart, spendCsv } from './render/report-formats';

const READERS = [Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN];

/** `format` wins; otherwise the Accept header (text/csv, text/html); otherwise JSON. */
export function negotiate(format: ReportFormat | undefined, req: Request): ReportFormat {
  if (format) return format;
  const accept = req.headers.accept ?? '';
  if (!accept || accept.includes('application/json') || accept === '*/*') return 'json';
  const best = req.accepts(['application/json', 'text/csv', 'text/html']);
  return best === 'text/csv' ? 'csv' : best === 'text/html' ? 'html' : 'json';
}

interface Formats<T> {
  csv: (r: T) => string;
  html: (r: T) => string;
  filename: string;
}

function answer<T>(res: Response, format: ReportFormat, report: T, formats: Formats<T>): T | string {
  if (format === 'csv') {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${formats.filename}.csv"`);
    return formats.csv(report);
  }
  if (format === 'html') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    return formats.html(report);
  }
  return report;
}

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly spendReports: SpendReportService,
    private readonly reports: ReportsService,
    private readonly renderer: ReportRenderer,
  ) {}

  @ApiOperation({
    summary:
      'Spend report (committed or actual) grouped by budget, cost center, category, tool, vendor, cost type or period; JSON, CSV or HTML',
  })
  @Get('spend')
  @Allow(...READERS)
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse({ type: SpendReportResponse })
  @ApiUnprocessableEntityResponse({ description: 'FX_RATE_MISSING: details list the missing {currency, month} pairs' })
  async spend(@Query() query: SpendReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.spendReports.spend(query);
    return answer(res, negotiate(query.format, req), report, {
      filename: `spend-${report.basis}-${report.groupBy}-${report.from}-${report.to}`,
      csv: spendCsv,
      html: (r) => this.renderer.render('spend', `Spend report (${r.basis})`, { report: r, chart: spendChart(r) }),
    });
  }

  @ApiOperation({ summary: 'Budget vs actual per cost center for a fiscal year, with the forecast to year end; JSON, CSV or HTML' })
  @Get('budget-vs-actual')
  @Allow(...READERS)
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse({ type: BudgetReportResponse, description: 'Per cost center: budget, committed, actual, remaining, forecast, variance' })
  async budgetVsActual(@Query() query: BudgetReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.budgetVsActual(query);
    return answer(res, negotiate(query.format, req), report, {
      filename: `budget-vs-actual-FY${report.fiscalYear}`,
      csv: budgetCsv,
      html: (r) => this.renderer.render('budget-vs-actual', `Budget vs actual FY${r.fiscalYear}`, { report: r, chart: budgetChart(r) }),
    });
  }

  @ApiOperation({ summary: 'Contracts whose end or cancel-by date falls within withinDays, ordered by cancel-by date; JSON, CSV or HTML' })
  @Get('renewals')
  @Allow(...READERS)
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse({ type: RenewalsReportResponse, description: 'Contracts ending or to be cancelled within withinDays, by cancel-by date' })
  async renewals(@Query() query: RenewalsReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.renewals(query);
    return answer(res, negotiate(query.format, req), report, {
      filename: `renewals-${report.asOf}`,
      csv: renewalsCsv,
      html: (r) => this.renderer.render('renewals', 'Upcoming renewals', { report: r }),
    });
  }

  @ApiOperation({
    summary:
      'Governance report: shadow IT, overlap groups, data silos, personal-data flows, unused seats, review turnaround; JSON, CSV or HTML',
  })
  @Get('governance')
  @Allow(...READERS)
  @ApiProduces('application/json', 'text/csv', 'text/html')
  @ApiOkResponse({
    type: GovernanceReportResponse,
    description: 'Shadow IT, overlap groups, data silos, personal-data flows, unused seats',
  })
  async governance(@Query() query: GovernanceReportQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const report = await this.reports.governance(query);
    return answer(res, negotiate(query.format, req), report, {
      filename: `governance-${report.asOf}`,
      csv: governanceCsv,
      html: (r) => this.renderer.render('governance', 'Governance', { report: r, shadowChart: shadowChart(r) }),
    });
  }
}
