import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ALL_SCOPES,
  ApiTokenResponse,
  ApiTokensService,
  CreateApiTokenDto,
  CreateServiceAccountDto,
  SCOPE_DESCRIPTIONS,
  SERVICE_ACCOUNT_ROLES,
  ServiceAccountsService,
  UpdateServiceAccountDto,
} from '@stackgate/identity';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { NewTokenReveal } from '../session/new-token-reveal';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

type Extra = { errors?: FieldErrors; form?: Record<string, unknown>; error?: string };

/** The token form's fields as the service reads them (an empty expiry means none). */
function tokenForm(body: Record<string, unknown>): Record<string, unknown> {
  const plain = cleanForm(body, { arrays: ['scopes'] });
  if (plain.expiresAt === '' || plain.expiresAt === undefined) delete plain.expiresAt;
  return plain;
}

/** The checkbox groups' errors in a reader's words. */
function readerErrors(errors: FieldErrors): FieldErrors {
  const worded = { ...errors };
  if (worded.scopes) worded.scopes = 'Choose at least one scope';
  if (worded.roles) worded.roles = 'Choose at least one role';
  return worded;
}

const scopeChoices = (form: Record<string, unknown>) =>
  ALL_SCOPES.map((scope) => ({
    scope,
    description: SCOPE_DESCRIPTIONS[scope],
    on: Array.isArray(form.scopes) && (form.scopes as unknown[]).includes(scope),
  }));

const tokenRows = (tokens: ApiTokenResponse[], revealedId: string | undefined) =>
  tokens.map((token) => ({ ...token, live: token.status === 'ACTIVE', isNew: token.id === revealedId }));

/** Each signed-in person's own personal access tokens: create (shown once), list, revoke. */
@ApiExcludeController()
@Controller('account/tokens')
@UseGuards(WebGuard)
export class ApiTokensPages {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly reveal: NewTokenReveal,
  ) {}

  private async show(user: AuthUser, res: Response, status: number, extra: Extra) {
    const revealed = status === 200 ? this.reveal.take(res.req, res, user.id) : null;
    const form = extra.form ?? {};
    const ctx = await this.page.build(user, res, 'API tokens', 'account', {
      revealed,
      form,
      errors: extra.errors ?? {},
      error: extra.error,
      scopes: scopeChoices(form),
      tokenLifetime: this.tokens.lifetime(),
      items: tokenRows(await this.tokens.listOf(user.id, 'PERSONAL'), revealed?.id),
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('api-tokens', ctx));
  }

  @Get()
  @Allow(ANY_ROLE)
  list(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.show(user, res, 200, {});
  }

  @Post()
  @Allow(ANY_ROLE)
  @SubmitOnce('api-token.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = tokenForm(body);
    const { dto, errors } = await validateForm(CreateApiTokenDto, plain);
    if (!dto) return this.show(user, res, 400, { errors: readerErrors(errors), form: plain });
    try {
      const created = await this.tokens.createPersonal(user, dto);
      this.reveal.keep(res, user.id, { id: created.id, token: created.token });
      this.flash.redirect(res, '/account/tokens', { notice: `Token “${created.name}” created. Copy it now: it is shown only once.` });
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
  @Allow(ANY_ROLE)
  async revoke(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    try {
      await this.tokens.revokePersonal({ ...user, roles: [] }, id);
      this.flash.redirect(res, '/account/tokens', { notice: 'Token revoked: it no longer works.' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, '/account/tokens', { error: err.message });
    }
  }
}

/** ADMIN: service accounts and their tokens. */
@ApiExcludeController()
@Controller('admin/service-accounts')
@UseGuards(WebGuard)
export class ServiceAccountsPages {
  constructor(
    private readonly accounts: ServiceAccountsService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly reveal: NewTokenReveal,
    private readonly tokens: ApiTokensService,
  ) {}

  private async showList(user: AuthUser, res: Response, status: number, extra: Extra) {
    const form = extra.form ?? {};
    const ctx = await this.page.build(user, res, 'Service accounts', 'admin', {
      items: await this.accounts.list(),
      form,
      errors: extra.errors ?? {},
      error: extra.error,
      roles: SERVICE_ACCOUNT_ROLES.map((role) => ({ role, on: Array.isArray(form.roles) && (form.roles as unknown[]).includes(role) })),
    });
    res.status(status).type('html').send(this.views.render('service-accounts', ctx));
  }

  private async showOne(user: AuthUser, res: Response, id: string, status: number, extra: Extra) {
    const account = await this.accounts.get(id);
    const revealed = status === 200 ? this.reveal.take(res.req, res, user.id) : null;
    const form = extra.form ?? {};
    const ctx = await this.page.build(user, res, `Service account ${account.name}`, 'admin', {
      account,
      revealed,
      form,
      errors: extra.errors ?? {},
      error: extra.error,
      roles: SERVICE_ACCOUNT_ROLES.map((role) => ({ role, on: account.roles.includes(role) })),
      scopes: scopeChoices(form),
      tokenLifetime: this.tokens.lifetime(),
      tokens: tokenRows(await this.accounts.listTokens(id), revealed?.id),
    });
    res.status(status).type('html').setHeader('Cache-Control', 'no-store');
    res.send(this.views.render('service-account', ctx));
  }

  @Get()
  @Allow(Role.ADMIN)
  list(@CurrentUser() user: AuthUser, @Res() res: Response) {
    return this.showList(user, res, 200, {});
  }

  @Post()
  @Allow(Role.ADMIN)
  @SubmitOnce('service-account.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body, { arrays: ['roles'] });
    const { dto, errors } = await validateForm(CreateServiceAccountDto, plain);
    if (!dto) return this.showList(user, res, 400, { errors: readerErrors(errors), form: plain });
    try {
      const created = await this.accounts.create(user, dto);
      this.flash.redirect(res, `/admin/service-accounts/${created.id}`, { notice: `Service account “${created.name}” created` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const field: FieldErrors = {};
      if (err.code === 'SERVICE_ACCOUNT_NAME_TAKEN') field.name = err.message;
      if (err.code === 'SERVICE_ACCOUNT_ADMIN') field.roles = err.message;
      return this.showList(user, res, err.status, { error: err.message, errors: field, form: plain });
    }
  }

  @Get(':id')
  @Allow(Role.ADMIN)
  one(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    return this.showOne(user, res, id, 200, {});
  }

  @Post(':id')
  @Allow(Role.ADMIN)
  async update(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = cleanForm(body, { arrays: ['roles'], booleans: ['active'], ints: ['version'] });
    const { dto, errors } = await validateForm(UpdateServiceAccountDto, plain);
    if (!dto) return this.showOne(user, res, id, 400, { errors, error: Object.values(errors).join('; ') });
    try {
      const updated = await this.accounts.update(user, id, dto);
      this.flash.redirect(res, `/admin/service-accounts/${id}`, { notice: `Saved ${updated.name}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.showOne(user, res, id, err.status, { error: err.message });
    }
  }

  @Post(':id/tokens')
  @Allow(Role.ADMIN)
  @SubmitOnce('service-account-token.create')
  async createToken(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = tokenForm(body);
    const { dto, errors } = await validateForm(CreateApiTokenDto, plain);
    if (!dto) return this.showOne(user, res, id, 400, { errors: readerErrors(errors), form: plain });
    try {
      const created = await this.accounts.createToken(user, id, dto);
      this.reveal.keep(res, user.id, { id: created.id, token: created.token });
      this.flash.redirect(res, `/admin/service-accounts/${id}`, {
        notice: `Token “${created.name}” created. Copy it now: it is shown only once.`,
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.showOne(user, res, id, err.status, {
        error: err.message,
        form: plain,
        errors: err.status === 400 ? { expiresAt: err.message } : {},
      });
    }
  }

  @Post(':id/tokens/:tokenId/revoke')
  @Allow(Role.ADMIN)
  async revokeToken(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('tokenId', ParseUUIDPipe) tokenId: string,
  ) {
    try {
      await this.accounts.revokeToken(user, id, tokenId);
      this.flash.redirect(res, `/admin/service-accounts/${id}`, { notice: 'Token revoked: it no longer works.' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, `/admin/service-accounts/${id}`, { error: err.message });
    }
  }
}
