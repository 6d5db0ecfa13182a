import { Controller, Delete, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExcludeController, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Public } from '@stackgate/platform';
import { RenewalsCalendarService } from './renewals-calendar.service';

export class CalendarLinkResponse {
  @ApiProperty({ description: 'The secret token (shown in this answer only)' }) token: string;
  @ApiProperty({ description: 'The feed to subscribe to in Outlook or Google Calendar: /calendar/renewals.ics?token=…' }) url: string;
  @ApiProperty() createdAt: Date;
}

/** The signed-in person's renewals-calendar link: POST issues (or rotates), DELETE revokes. */
@ApiTags('calendar')
@Controller('me/calendar-token')
export class CalendarTokenController {
  constructor(private readonly calendar: RenewalsCalendarService) {}

  @ApiOperation({
    summary: 'Your secret renewals-calendar link (a new one replaces the old, which stops working)',
    description:
      'Subscribe to `url` in a calendar application: one all-day event per cancel-by date and per renewal date of the contracts ' +
      'you may see. Not callable with an API token.',
  })
  @Post()
  @Allow(ANY_ROLE)
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: CalendarLinkResponse })
  issue(@CurrentUser() actor: AuthUser): Promise<CalendarLinkResponse> {
    return this.calendar.issue(actor);
  }

  @ApiOperation({ summary: 'Revoke your renewals-calendar link (the feed answers 404 from now on)' })
  @Delete()
  @HttpCode(204)
  @Allow(ANY_ROLE)
  @ApiNoContentResponse({ description: 'Revoked (or there was none)' })
  async revoke(@CurrentUser() actor: AuthUser): Promise<void> {
    await this.calendar.revoke(actor);
  }
}

/**
 * GET /calendar/renewals.ics?token=…: the feed itself, outside /api. Only the token opens it (calendar
 * applications send no session): a session cookie or bearer token alone is 404, like a wrong token.
 */
@ApiExcludeController()
@Controller('calendar')
export class CalendarFeedController {
  constructor(private readonly calendar: RenewalsCalendarService) {}

  @Get('renewals.ics')
  @Public()
  async feed(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const body = await this.calendar.feed(token);
    res
      .status(200)
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': 'inline; filename="stackgate-renewals.ics"',
        'Cache-Control': 'private, max-age=300',
        'Referrer-Policy': 'no-referrer',
        'X-Robots-Tag': 'noindex',
      })
      .send(body);
  }
}
