import { Module } from '@nestjs/common';
import { FinanceModule } from '@stackgate/finance';
import { ProcurementModule } from '@stackgate/procurement';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ReportRenderer } from './render/report-renderer';
import { SpendReportService } from './spend/spend-report.service';

/** Spend, budget-vs-actual, renewals and governance reports in JSON, CSV and HTML. */
@Module({ imports: [ProcurementModule, FinanceModule], controllers: [ReportsController], providers: [SpendReportService, ReportsService, ReportRenderer], exports: [SpendReportService, ReportsService, ReportRenderer] })
export class ReportingModule {}
