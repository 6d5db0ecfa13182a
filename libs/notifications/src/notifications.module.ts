import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Notification } from './notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationSinks } from './notification-sinks';
import { NotificationsService } from './notifications.service';
import { EmailDeliveryJob } from './delivery/email-delivery.job';
import { NotificationPreference } from './preferences/notification-preference.entity';
import { NotificationPreferencesController } from './preferences/notification-preferences.controller';
import { NotificationPreferencesService } from './preferences/notification-preferences.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Notification, NotificationPreference])],
  controllers: [NotificationsController, NotificationPreferencesController],
  providers: [NotificationsService, NotificationSinks, EmailDeliveryJob, NotificationPreferencesService],
  exports: [NotificationsService, NotificationSinks, EmailDeliveryJob, NotificationPreferencesService],
})
export class NotificationsModule {}
