import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateScimTokenDto, ScimTokensService } from '@stackgate/identity';
import { Allow, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { NewTokenReveal } from '../session/new-token-reveal';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

type Extra = { errors?: FieldErrors; form?: Record<string, unknown>; error?: string };

/** ADMIN: the SCIM base URL and the SCIM tokens identity providers provision with (create: shown once; list; revoke). */
@ApiExcludeController()
@Controller('admin/scim')
@UseGuards(WebGuard)
export class ScimTokensPages {
  constructor(
    private readonly tokens: ScimTokensService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly reveal: NewTokenReveal,
  ) {}

  private async show(user: AuthUser, res: Response, status: number, extra: Extra) {
    const revealed = status === 200 ? this.reveal.take(res.req, res, user.id) : null;
    const items = (await this.tokens.list()).map((token) => ({
      ...token,
      live: token.status === 'ACTIVE',
      isNew: token.id === revealed?.id,
    }));
    const ctx = await this.page.build(user, res, 'SCIM provisioning', 'admin', {
      baseUrl: this.tokens.baseUrl,
      absolute: this.tokens.baseUrl.startsWith('http'),
      revealed,
      items,
      form: extra.form ?? {},
      errors: extra.errors ?? {},
      error: extra.error,
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('scim-tokens', ctx));
  }

  @Get()
  @Allow(Role.ADMIN)
  list(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.show(user, res, 200, {});
  }

  @Post()
  @Allow(Role.ADMIN)
  @SubmitOnce('scim-token.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body);
    if (plain.expiresAt === '' || plain.expiresAt === undefined) delete plain.expiresAt;
    if (plain.name === '') delete plain.name;
    const { dto, errors } = await validateForm(CreateScimTokenDto, plain);
    if (!dto) return this.show(user, res, 400, { errors, form: plain });
    try {
      const created = await this.tokens.create(user, dto);
      this.reveal.keep(res, user.id, { id: created.id, token: created.token });
      this.flash.redirect(res, '/admin/scim', { notice: `SCIM token “${created.name}” created. Copy it now: it is shown only once.` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, {
        error: err.message,
        form: plain,
        errors: err.status === 400 ? { expiresAt: err.message } : {},
      });
    }
  }

  @Post(':id/revoke')
  @Allow(Role.ADMIN)
  async revoke(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    try {
      await this.tokens.revoke(user, id);
      this.flash.redirect(res, '/admin/scim', { notice: 'SCIM token revoked: the identity provider can no longer provision with it.' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, '/admin/scim', { error: err.message });
    }
  }
}
