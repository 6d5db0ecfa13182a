export * from './reporting.module';
export * from './reports.service';
export * from './spend/spend-report';
export * from './spend/spend-report.service';
export * from './report-query.dto';
export * from './render/report-formats';
export * from './render/report-renderer';
export * from './render/svg-chart';
