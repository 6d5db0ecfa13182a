export * from './reporting.module';
export * from './reports.service';
export * from './spend/spend-report';
export * from './spend/spend-report.service';
