import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CategoriesService,
  CostCenterKind,
  CostCentersService,
  CreateCategoryDto,
  CreateCostCenterDto,
  UpdateCategoryDto,
  UpdateCostCenterDto,
} from '@stackgate/catalog';
import { Allow, AuthUser, CurrentUser, DomainError, Role } from '@stackgate/platform';
import { cleanForm, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { Lookups } from './lookups';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';

const problems = (errors: Record<string, string>) =>
  Object.entries(errors)
    .map(([f, m]) => `${f} ${m}`)
    .join('; ');

/** Admin pages for the cost centers and the martech taxonomy (same services and rules as the API). */
@ApiExcludeController()
@Controller('admin')
@UseGuards(WebGuard)
export class AdminCatalogPages {
  constructor(
    private readonly costCenters: CostCentersService,
    private readonly categories: CategoriesService,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  @Get('cost-centers')
  @Allow(Role.ADMIN)
  async costCenterList(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const [list, people] = await Promise.all([this.costCenters.list({ page: 1, pageSize: 200 }), this.lookups.people()]);
    const ctx = await this.page.build(user, res, 'Cost centers', 'admin', { list, people, kinds: Object.values(CostCenterKind) });
    res.type('html').send(this.views.render('admin-cost-centers', ctx));
  }

  @Post('cost-centers')
  @Allow(Role.ADMIN)
  @SubmitOnce('cost-center.create')
  async createCostCenter(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const { dto, errors } = await validateForm(CreateCostCenterDto, cleanForm(body));
    if (!dto) return this.flash.redirect(res, '/admin/cost-centers', { error: problems(errors) });
    try {
      const cc = await this.costCenters.create(user, dto);
      this.flash.redirect(res, '/admin/cost-centers', { notice: `Created ${cc.code}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, '/admin/cost-centers', { error: err.message });
    }
  }

  @Post('cost-centers/:id')
  @Allow(Role.ADMIN)
  async updateCostCenter(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = cleanForm(body, { booleans: ['active'], ints: ['version'] });
    if (body.ownerId === '') plain.ownerId = null;
    const { dto, errors } = await validateForm(UpdateCostCenterDto, plain);
    if (!dto) return this.flash.redirect(res, '/admin/cost-centers', { error: problems(errors) });
    try {
      const cc = await this.costCenters.update(user, id, dto);
      this.flash.redirect(res, '/admin/cost-centers', { notice: `Saved ${cc.code}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, '/admin/cost-centers', {
        error:
          err.status === 409 && err.code === 'STALE_VERSION'
            ? 'Someone changed this cost center meanwhile; reload and try again.'
            : err.message,
      });
    }
  }

  @Get('categories')
  @Allow(Role.ADMIN)
  async categoryTree(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const tree = await this.categories.tree();
    const ctx = await this.page.build(user, res, 'Categories', 'admin', { tree });
    res.type('html').send(this.views.render('admin-categories', ctx));
  }

  @Post('categories')
  @Allow(Role.ADMIN)
  @SubmitOnce('category.create')
  async createCategory(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const { dto, errors } = await validateForm(CreateCategoryDto, cleanForm(body));
    if (!dto) return this.flash.redirect(res, '/admin/categories', { error: problems(errors) });
    try {
      const category = await this.categories.create(user, dto);
      this.flash.redirect(res, '/admin/categories', { notice: `Added ${category.name}` });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, '/admin/categories', { error: err.message });
    }
  }

  @Post('categories/:id')
  @Allow(Role.ADMIN)
  async updateCategory(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    if (body.delete === 'yes') {
      try {
        await this.categories.remove(user, id);
        return this.flash.redirect(res, '/admin/categories', { notice: 'Deleted' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return this.flash.redirect(res, '/admin/categories', { error: err.message });
      }
    }
    const plain = cleanForm(body, { booleans: ['active'], ints: ['version'] });
    delete plain.delete;
    const { dto, errors } = await validateForm(UpdateCategoryDto, plain);
    if (!dto) return this.flash.redirect(res, '/admin/categories', { error: problems(errors) });
    try {
      await this.categories.update(user, id, dto);
      this.flash.redirect(res, '/admin/categories', { notice: 'Saved' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, '/admin/categories', { error: err.message });
    }
  }
}
