import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Allow, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { CreateWebhookDto, UpdateWebhookDto, WEBHOOK_EVENT_TYPES, WebhooksService } from '@stackgate/webhooks';
import { cleanForm, FieldErrors, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { NewTokenReveal } from '../session/new-token-reveal';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

type Extra = { errors?: FieldErrors; form?: Record<string, unknown>; error?: string };

const eventChoices = (chosen: unknown) => WEBHOOK_EVENT_TYPES.map((type) => ({ type, on: Array.isArray(chosen) && chosen.includes(type) }));

/** The form's errors in a reader's words. */
function readerErrors(errors: FieldErrors): FieldErrors {
  const worded = { ...errors };
  if (worded.events) worded.events = 'Choose at least one event';
  if (worded.url) worded.url = 'Enter the address that receives the events, starting with https://';
  return worded;
}

/** ADMIN: webhook endpoints (register, change, pause, rotate the secret, remove) and each one's delivery log with redelivery. */
@ApiExcludeController()
@Controller('admin/webhooks')
@UseGuards(WebGuard)
export class WebhooksPages {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly reveal: NewTokenReveal,
  ) {}

  private async showList(user: AuthUser, res: Response, status: number, extra: Extra) {
    const form = extra.form ?? {};
    const items = await this.webhooks.list();
    const counts = await this.webhooks.statusCounts(items.map((item) => item.id));
    const ctx = await this.page.build(user, res, 'Webhooks', 'admin', {
      items: items.map((item) => ({ ...item, counts: counts.get(item.id) ?? {} })),
      form,
      errors: extra.errors ?? {},
      error: extra.error,
      events: eventChoices(form.events),
    });
    res.status(status).type('html').send(this.views.render('webhooks', ctx));
  }

  private async showOne(user: AuthUser, res: Response, id: string, status: number, extra: Extra & { page?: number }) {
    const endpoint = await this.webhooks.get(id);
    const revealed = status === 200 ? this.reveal.take(res.req, res, user.id) : null;
    const log = await this.webhooks.deliveries(id, { page: extra.page ?? 1, pageSize: 50 });
    const pages = Math.max(1, Math.ceil(log.total / log.pageSize));
    const ctx = await this.page.build(user, res, `Webhook ${endpoint.url}`, 'admin', {
      endpoint,
      revealed: revealed?.id === id ? revealed : null,
      form: extra.form ?? endpoint,
      errors: extra.errors ?? {},
      error: extra.error,
      events: eventChoices((extra.form ?? endpoint).events),
      log: { ...log, pages, previous: log.page > 1 ? log.page - 1 : null, next: log.page < pages ? log.page + 1 : null },
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('webhook', ctx));
  }

  /** Answers a refusal on the page it came from. */
  private refused(err: unknown): { status: number; error: string; errors: FieldErrors } {
    if (!(err instanceof DomainError)) throw err;
    return { status: err.status, error: err.message, errors: err.code === 'WEBHOOK_URL_REFUSED' ? { url: err.message } : {} };
  }

  @Get()
  @Allow(Role.ADMIN)
  list(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.showList(user, res, 200, {});
  }

  @Post()
  @Allow(Role.ADMIN)
  @SubmitOnce('webhook.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body, { arrays: ['events'] });
    const { dto, errors } = await validateForm(CreateWebhookDto, plain);
    if (!dto) return this.showList(user, res, 400, { errors: readerErrors(errors), form: plain });
    try {
      const created = await this.webhooks.create(user, dto);
      this.reveal.keep(res, user.id, { id: created.id, token: created.secret });
      this.flash.redirect(res, `/admin/webhooks/${created.id}`, {
        notice: 'Webhook endpoint added. Copy its signing secret now: it is shown only once.',
      });
    } catch (err) {
      const { status, error, errors: fieldErrors } = this.refused(err);
      return this.showList(user, res, status, { error, errors: fieldErrors, form: plain });
    }
  }

  @Get(':id')
  @Allow(Role.ADMIN)
  one(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Query('page') page?: string) {
    const number = /^\d{1,6}$/.test(page ?? '') ? Math.max(1, Number(page)) : 1;
    return this.showOne(user, res, id, 200, { page: number });
  }

  @Post(':id')
  @Allow(Role.ADMIN)
  async update(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = cleanForm(body, { arrays: ['events'], ints: ['version'] });
    if (plain.description === undefined) plain.description = null;
    const { dto, errors } = await validateForm(UpdateWebhookDto, plain);
    if (!dto) return this.showOne(user, res, id, 400, { errors: readerErrors(errors), form: plain, error: 'Check the highlighted fields' });
    try {
      await this.webhooks.update(id, dto);
      this.flash.redirect(res, `/admin/webhooks/${id}`, { notice: 'Webhook endpoint saved' });
    } catch (err) {
      const { status, error, errors: fieldErrors } = this.refused(err);
      return this.showOne(user, res, id, status, { error, errors: fieldErrors, form: plain });
    }
  }

  /** Pause or enable (enabling clears an automatic disable and resumes the waiting deliveries). */
  @Post(':id/active')
  @Allow(Role.ADMIN)
  async setActive(@Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body, { booleans: ['active'], ints: ['version'] });
    await this.act(
      res,
      id,
      () => this.webhooks.update(id, { version: Number(plain.version), active: !!plain.active }),
      plain.active ? 'Webhook endpoint enabled: waiting deliveries resume' : 'Webhook endpoint paused: deliveries wait',
    );
  }

  @Post(':id/rotate')
  @Allow(Role.ADMIN)
  async rotate(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = cleanForm(body, { ints: ['version', 'graceHours'] });
    const { dto, errors } = await validateForm(UpdateWebhookDto, {
      version: plain.version,
      graceHours: plain.graceHours ?? 24,
      rotateSecret: true,
    });
    if (!dto) return this.showOne(user, res, id, 400, { errors, error: 'The grace period is a whole number of hours from 0 to 168' });
    try {
      const rotated = await this.webhooks.update(id, dto);
      this.reveal.keep(res, user.id, { id, token: rotated.secret! });
      this.flash.redirect(res, `/admin/webhooks/${id}`, { notice: 'New signing secret issued. Copy it now: it is shown only once.' });
    } catch (err) {
      const { status, error } = this.refused(err);
      return this.showOne(user, res, id, status, { error });
    }
  }

  @Post(':id/delete')
  @Allow(Role.ADMIN)
  async remove(@Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    try {
      await this.webhooks.remove(id);
      this.flash.redirect(res, '/admin/webhooks', { notice: 'Webhook endpoint removed' });
    } catch (err) {
      this.flash.redirect(res, '/admin/webhooks', { error: this.refused(err).error });
    }
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @Allow(Role.ADMIN)
  async redeliver(@Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string) {
    await this.act(res, id, () => this.webhooks.redeliver(id, deliveryId), 'The event will be sent again shortly (same event id)');
  }

  private async act(res: Response, id: string, work: () => Promise<unknown>, notice: string) {
    try {
      await work();
      this.flash.redirect(res, `/admin/webhooks/${id}`, { notice });
    } catch (err) {
      this.flash.redirect(res, `/admin/webhooks/${id}`, { error: this.refused(err).error });
    }
  }
}
