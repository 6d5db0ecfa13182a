export * from './procurement.module';
export * from './requests/review-policy';
export * from './requests/tool-request.entity';
export * from './requests/requests.service';
export * from './requests/review-turnaround.service';
export * from './requests/sla-reminders.job';
export * from './requests/dto/request.dto';
export * from './procurement.errors';
