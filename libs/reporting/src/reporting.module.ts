import { Module } from '@nestjs/common';

/** Spend, budget-vs-actual, renewals and governance reports in JSON, CSV and HTML. */
@Module({ imports: [], controllers: [], providers: [], exports: [] })
export class ReportingModule {}
