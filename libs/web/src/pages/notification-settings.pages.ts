import { Body, Controller, Get, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { mandatoryChannels, NotificationPreferencesService } from '@stackgate/notifications';
import { Allow, ANY_ROLE, APP_CONFIG, AppConfig, AuthUser, CurrentUser, DomainError } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { settingsChange, settingsTable } from './notification-settings';

const CHANNEL_WORDS: Record<string, string> = { inbox: 'in the inbox', email: 'by e-mail', slack: 'as a Slack direct message' };

/** The signed-in person's notification channels per category and their weekly digests. */
@ApiExcludeController()
@Controller('account/notifications')
@UseGuards(WebGuard)
export class NotificationSettingsPages {
  constructor(
    private readonly preferences: NotificationPreferencesService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The Slack column only where Slack is set up (SLACK_BOT_TOKEN, read from the validated config). */
  private slackConfigured(): boolean {
    return !!(this.config as AppConfig & { slackBotToken?: string }).slackBotToken;
  }

  private async show(user: AuthUser, res: Response, status: number, error?: string) {
    const view = await this.preferences.get(user.id);
    const mandatory = view.events
      .filter((e) => mandatoryChannels(e.event).length)
      .map(
        (e) =>
          `“${e.label}” always arrives ${mandatoryChannels(e.event)
            .map((c) => CHANNEL_WORDS[c])
            .join(' and ')}`,
      );
    const ctx = await this.page.build(user, res, 'Notifications', 'account', {
      ...settingsTable(view, this.slackConfigured()),
      mandatory,
      email: !!this.config.smtpUrl,
      error,
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('notification-settings', ctx));
  }

  @Get()
  @Allow(ANY_ROLE)
  get(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.show(user, res, 200);
  }

  @Post()
  @Allow(ANY_ROLE)
  @SubmitOnce('notification-preferences.save')
  async save(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const view = await this.preferences.get(user.id);
    try {
      await this.preferences.update(user, settingsChange(view, this.slackConfigured(), body ?? {}));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, err.message);
    }
    this.flash.redirect(res, '/account/notifications', { notice: 'Notification settings saved.' });
  }
}
