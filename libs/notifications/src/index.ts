export * from './notification.entity';
export * from './notifications.module';
export * from './notifications.service';
export * from './notification-sinks';
export * from './delivery/email-delivery.job';
export * from './preferences/notification-preference.entity';
export * from './preferences/notification-preferences.service';
export * from './preferences/preference-rules';
