import { ApiProperty } from '@nestjs/swagger';
import { DateField, EnumField, MonthField, QueryIntField } from '@stackgate/platform';
import { SPEND_GROUP_BY, SpendGroupBy } from './spend/spend-report';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export class ReportFormatQuery {
  @EnumField(REPORT_FORMATS, { optional: true, description: 'json (default), csv or html; or send Accept: text/csv / text/html' })
  format?: ReportFormat;
}

export class SpendReportQuery extends ReportFormatQuery {
  @MonthField({ description: 'First month, inclusive' }) from: string;
  @MonthField({ description: 'Last month, inclusive (at most 10 years after from)' }) to: string;
  @EnumField(['committed', 'actual'], { optional: true, description: 'Default committed' }) basis?: 'committed' | 'actual';
  @EnumField(SPEND_GROUP_BY as unknown as string[], { optional: true, description: 'Default budget' }) groupBy?: SpendGroupBy;
}

export class BudgetReportQuery extends ReportFormatQuery {
  @QueryIntField({ min: 2000, max: 2200, description: 'Fiscal year (named by the year it ends); default the current one' }) fiscalYear?: number;
  @DateField({ optional: true, description: 'Reference date for "to date" (default today)' }) asOf?: string;
}

export class RenewalsReportQuery extends ReportFormatQuery {
  @QueryIntField({ min: 1, max: 3650, default: 90, description: 'Horizon in days (default 90)' }) withinDays?: number;
  @DateField({ optional: true, description: 'Reference date (default today)' }) asOf?: string;
}

export class GovernanceReportQuery extends ReportFormatQuery {
  @DateField({ optional: true, description: 'Reference date (default today); shadow-IT spend covers the 12 months up to it' }) asOf?: string;
}

export class MoneyAmount { @ApiProperty() amount: string; @ApiProperty() currency: string }

export class SpendRowResponse {
  @ApiProperty() key: string;
  @ApiProperty() label: string;
  @ApiProperty({ example: '1234.50' }) total: string;
  @ApiProperty() marketing: string;
  @ApiProperty() it: string;
  @ApiProperty() other: string;
}

export class SpendTotalsResponse {
  @ApiProperty() total: string;
  @ApiProperty() marketing: string;
  @ApiProperty() it: string;
  @ApiProperty() other: string;
}

export class SpendReportResponse {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ enum: ['committed', 'actual'] }) basis: string;
  @ApiProperty({ enum: SPEND_GROUP_BY }) groupBy: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: SpendRowResponse, isArray: true }) rows: SpendRowResponse[];
  @ApiProperty({ type: SpendTotalsResponse }) totals: SpendTotalsResponse;
  @ApiProperty({ example: '0.2500' }) operationsShare: string;
  @ApiProperty({ example: '0.1000' }) shadowItShare: string;
}

