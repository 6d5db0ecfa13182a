import { Body, Controller, Get, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChatAdminService, ChatSettingsService, ChatTestDto, UpdateChatSettingsDto } from '@stackgate/chat';
import { Allow, AuthUser, CurrentUser, DomainError, label, Role } from '@stackgate/platform';
import { WEBHOOK_EVENT_TYPES } from '@stackgate/webhooks';
import { cleanForm, FieldErrors, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

type Form = { slackChannels?: Record<string, unknown>; teamsEvents?: unknown; directMessages?: unknown; version?: unknown };
type Extra = { errors?: FieldErrors; form?: Form; error?: string };

/** The form's fields are `channel:<event type>`; the settings take a map. */
function channelsFrom(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [type, typeof body[`channel:${type}`] === 'string' ? String(body[`channel:${type}`]).trim() : '']),
  );
}

const MODES: Record<string, string> = {
  BOT: 'Slack app (bot token): channel messages, direct messages with decision buttons, users matched by e-mail.',
  WEBHOOK:
    'Slack incoming webhook: channel messages only, all in the webhook’s own channel — no direct messages, no decision buttons, ' +
    'no user lookups. A Slack app’s bot token adds those.',
  NONE: 'Slack is not configured: set a Slack app’s bot token or an incoming webhook.',
};

/** ADMIN: Slack and Teams — how they are configured, recent failures, the channel per event type, a test message. */
@ApiExcludeController()
@Controller('admin/chat')
@UseGuards(WebGuard)
export class ChatPages {
  constructor(
    private readonly settings: ChatSettingsService,
    private readonly admin: ChatAdminService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  private async show(user: AuthUser, res: Response, status: number, extra: Extra) {
    const current = await this.settings.get();
    const state = await this.admin.status();
    const form = extra.form ?? current;
    const channels: Record<string, unknown> = form.slackChannels ?? {};
    const teams = Array.isArray(form.teamsEvents) ? (form.teamsEvents as string[]) : [];
    const errors = extra.errors ?? {};
    const ctx = await this.page.build(user, res, 'Slack and Teams', 'admin', {
      state: { ...state, modeText: MODES[state.slack], bot: state.slack === 'BOT', slackOn: state.slack !== 'NONE' },
      failures: state.recentFailures.map((row) => ({ ...row, eventLabel: label(row.eventType) })),
      routes: WEBHOOK_EVENT_TYPES.map((type) => ({
        type,
        label: label(type, 'WebhookEventType'),
        channel: typeof channels[type] === 'string' ? channels[type] : '',
        teams: teams.includes(type),
        error: errors[`slackChannels.${type}`],
      })),
      directMessages: form.directMessages !== false,
      version: current.version,
      errors,
      error: extra.error,
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('chat', ctx));
  }

  @Get()
  @Allow(Role.ADMIN)
  view(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.show(user, res, 200, {});
  }

  @Post()
  @Allow(Role.ADMIN)
  async save(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body, { arrays: ['teamsEvents'], booleans: ['directMessages'], ints: ['version'] });
    const form = {
      version: plain.version,
      slackChannels: channelsFrom(body),
      teamsEvents: plain.teamsEvents,
      directMessages: plain.directMessages,
    };
    const { dto, errors } = await validateForm(UpdateChatSettingsDto, form);
    if (!dto) {
      const worded = Object.fromEntries(
        Object.entries(errors).map(([field, message]) => [
          field,
          field.startsWith('slackChannels.') ? 'Enter a channel as #name (lowercase letters, digits, - and _) or a channel id' : message,
        ]),
      );
      return this.show(user, res, 400, { errors: worded, form, error: 'Check the highlighted channels' });
    }
    try {
      await this.settings.update(user, dto);
      this.flash.redirect(res, '/admin/chat', { notice: 'Chat settings saved' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, { error: err.message, form });
    }
  }

  @Post('test')
  @Allow(Role.ADMIN)
  async test(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body);
    const { dto } = await validateForm(ChatTestDto, { target: plain.target, channel: plain.channel });
    if (!dto) return this.show(user, res, 400, { error: 'Choose Slack or Teams, and a channel as #name or a channel id' });
    try {
      const sent = await this.admin.sendTest(dto);
      const where = sent.channel ? ` to ${sent.channel}` : '';
      if (sent.status === 'DELIVERED') this.flash.redirect(res, '/admin/chat', { notice: `Test message sent${where}` });
      else
        this.flash.redirect(res, '/admin/chat', { error: `The test message${where} was not delivered: ${sent.lastError ?? 'no answer'}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, { error: err.message });
    }
  }
}
