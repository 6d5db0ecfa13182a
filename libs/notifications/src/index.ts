export * from './notification.entity';
export * from './notifications.module';
export * from './notifications.service';
export * from './notification-sinks';
export * from './delivery/email-delivery.job';
