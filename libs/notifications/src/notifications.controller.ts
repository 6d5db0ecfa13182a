import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, PageQueryDto, QueryBoolField } from '@stackgate/platform';
import { NotificationsService } from './notifications.service';

export class InboxQueryDto extends PageQueryDto {
  @QueryBoolField({ description: 'Only unread notifications' })
  unread?: boolean;
}

/** The in-app inbox: every user sees only their own notifications. */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Allow(ANY_ROLE)
  inbox(@CurrentUser() user: AuthUser, @Query() q: InboxQueryDto) {
    return this.notifications.inbox(user.id, q);
  }

  @Post('read-all')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  async readAll(@CurrentUser() user: AuthUser): Promise<{ marked: number }> {
    return { marked: await this.notifications.markAllRead(user.id) };
  }

  @Post(':id/read')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  read(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.notifications.markRead(user.id, id);
  }
}
