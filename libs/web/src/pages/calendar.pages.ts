import { Controller, Get, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { RenewalsCalendarService } from '@stackgate/finance';
import { Allow, ANY_ROLE, AuthUser, CurrentUser } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { NewTokenReveal } from '../session/new-token-reveal';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

/** Marks the reveal cookie as the calendar link's (the API tokens pages use the same one-time reveal). */
const CALENDAR_REVEAL = 'calendar';

/** The signed-in person's renewals-calendar link: create or rotate (shown once), revoke. */
@ApiExcludeController()
@Controller('account/calendar')
@UseGuards(WebGuard)
export class CalendarPages {
  constructor(
    private readonly calendar: RenewalsCalendarService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly reveal: NewTokenReveal,
  ) {}

  @Get()
  @Allow(ANY_ROLE)
  async show(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const revealed = this.reveal.take(res.req, res, user.id);
    const ctx = await this.page.build(user, res, 'Renewals calendar', 'account', {
      link: await this.calendar.hasLink(user.id),
      revealedUrl: revealed?.id === CALENDAR_REVEAL ? revealed.token : null,
    });
    res.status(200).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('calendar', ctx));
  }

  @Post()
  @Allow(ANY_ROLE)
  async issue(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const link = await this.calendar.issue(user);
    this.reveal.keep(res, user.id, { id: CALENDAR_REVEAL, token: link.url });
    this.flash.redirect(res, '/account/calendar', {
      notice: 'Calendar link created. Copy it now: it is shown only once; any earlier link stopped working.',
    });
  }

  @Post('revoke')
  @Allow(ANY_ROLE)
  async revoke(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const had = await this.calendar.revoke(user);
    this.flash.redirect(res, '/account/calendar', {
      notice: had ? 'Calendar link revoked: calendars subscribed to it stop updating.' : 'There was no calendar link.',
    });
  }
}
