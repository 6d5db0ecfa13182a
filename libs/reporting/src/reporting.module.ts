import { Module } from '@nestjs/common';
import { CatalogModule } from '@stackgate/catalog';
import { DiscoveryModule } from '@stackgate/discovery';
import { FinanceModule } from '@stackgate/finance';
import { IdentityModule } from '@stackgate/identity';
import { IntegrationsModule } from '@stackgate/integrations';
import { ProcurementModule } from '@stackgate/procurement';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { ReportRenderer } from './render/report-renderer';
import { SpendReportService } from './spend/spend-report.service';
import { DiscoveryReportService } from './governance/discovery-report.service';
import { DigestsService } from './digests/digests.service';
import { WeeklyDigestJob } from './digests/weekly-digest.job';

/** Spend, budget-vs-actual, renewals and governance reports in JSON, CSV and HTML; the weekly digests. */
@Module({
  imports: [CatalogModule, DiscoveryModule, FinanceModule, IdentityModule, IntegrationsModule, ProcurementModule],
  controllers: [ReportsController],
  providers: [SpendReportService, ReportsService, ReportRenderer, DiscoveryReportService, DigestsService, WeeklyDigestJob],
  exports: [SpendReportService, ReportsService, ReportRenderer, DigestsService, WeeklyDigestJob],
})
export class ReportingModule {}
