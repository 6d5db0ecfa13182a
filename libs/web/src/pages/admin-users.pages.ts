import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CreateUserDto, UpdateUserDto, UsersService } from '@stackgate/identity';
import { Allow, ALL_ROLES, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

@ApiExcludeController()
@Controller('admin/users')
@UseGuards(WebGuard)
export class AdminUsersPages {
  constructor(
    private readonly users: UsersService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  private async show(
    user: AuthUser,
    res: Response,
    status: number,
    extra: { errors?: FieldErrors; form?: Record<string, unknown>; notice?: string; error?: string; page?: number; search?: string },
  ) {
    const list = await this.users.list({ page: extra.page ?? 1, pageSize: 50, search: extra.search });
    const ctx = await this.page.build(user, res, 'Users and roles', 'admin', {
      list,
      allRoles: ALL_ROLES,
      errors: extra.errors ?? {},
      form: extra.form ?? {},
      notice: extra.notice,
      error: extra.error,
      search: extra.search,
      items: list.items.map((u) => ({
        ...u,
        isSelf: u.id === user.id,
        roleFlags: ALL_ROLES.map((r) => ({ role: r, on: u.roles.includes(r) })),
      })),
    });
    res.status(status).type('html').send(this.views.render('admin-users', ctx));
  }

  @Get()
  @Allow(Role.ADMIN)
  list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('search') search?: string) {
    return this.show(user, res, 200, { search: search?.slice(0, 100) });
  }

  @Post()
  @Allow(Role.ADMIN)
  @SubmitOnce('user.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = cleanForm(body, { arrays: ['roles'] });
    const { dto, errors } = await validateForm(CreateUserDto, plain);
    if (!dto) return this.show(user, res, 400, { errors, form: plain });
    try {
      const created = await this.users.create(dto);
      this.flash.redirect(res, '/admin/users', { notice: `Created ${created.email}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, {
        errors: err.code === 'EMAIL_TAKEN' ? { email: err.message } : {},
        error: err.message,
        form: plain,
      });
    }
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
    // One's own row shows no role boxes (the hidden "active" carries the current state, as a disabled
    // box is never submitted): no roles sent means unchanged, while roles sent are refused as the API does.
    if (id === user.id && body?.roles === undefined) delete plain.roles;
    const { dto, errors } = await validateForm(UpdateUserDto, plain);
    if (!dto)
      return this.show(user, res, 400, {
        error: Object.entries(errors)
          .map(([f, m]) => `${f} ${m}`)
          .join('; '),
      });
    try {
      const updated = await this.users.update(user, id, dto);
      this.flash.redirect(res, '/admin/users', { notice: `Saved ${updated.email}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return this.show(user, res, err.status, { error: err.message });
    }
  }
}
