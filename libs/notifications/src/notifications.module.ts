import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Notification } from './notification.entity';
import { NotificationsController } from './notifications.controller';
import { NotificationSinks } from './notification-sinks';
import { NotificationsService } from './notifications.service';
import { EmailDeliveryJob } from './delivery/email-delivery.job';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Notification])],
  controllers: [NotificationsController],
  providers: [NotificationsService, NotificationSinks, EmailDeliveryJob],
  exports: [NotificationsService, NotificationSinks, EmailDeliveryJob],
})
export class NotificationsModule {}
