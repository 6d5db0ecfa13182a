import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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

  @ApiOperation({ summary: "The signed-in user's in-app notifications, newest first" })
  @Get()
  @Allow(ANY_ROLE)
  inbox(@CurrentUser() user: AuthUser, @Query() query: InboxQueryDto) {
    return this.notifications.inbox(user.id, query);
  }

  @ApiOperation({ summary: "Mark all of the signed-in user's notifications read" })
  @Post('read-all')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  async readAll(@CurrentUser() user: AuthUser): Promise<{ marked: number }> {
    return { marked: await this.notifications.markAllRead(user.id) };
  }

  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @Post(':id/read')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  read(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.notifications.markRead(user.id, id);
  }
}
