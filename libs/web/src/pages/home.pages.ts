import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Lifecycle, Tool } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

/** Home pages that extend it (requests, queue, spend) register a contribution per role. */
export interface HomeContribution {
  (user: AuthUser): Promise<Record<string, unknown>>;
}
export const homeContributions: HomeContribution[] = [];

@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class HomePages {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
  ) {}

  @Get()
  @Allow(ANY_ROLE)
  async home(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const tools = this.dataSource.getRepository(Tool);
    const [active, shadow, total] = await Promise.all([
      tools.count({ where: { lifecycle: Lifecycle.ACTIVE } }),
      tools.count({ where: { shadowIt: true } }),
      tools.count(),
    ]);
    const parts = await Promise.all(homeContributions.map((c) => c(user)));
    const ctx = await this.page.build(user, res, 'Home', 'home', Object.assign({ stats: { active, shadow, total } }, ...parts));
    res.type('html').send(this.views.render('home', ctx));
  }
}
