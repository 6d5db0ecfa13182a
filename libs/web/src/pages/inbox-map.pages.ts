import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CategoriesService } from '@stackgate/catalog';
import { StackMapService } from '@stackgate/integrations';
import { NotificationsService } from '@stackgate/notifications';
import { Allow, ANY_ROLE, AuthUser, CurrentUser } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { renderStackMapSvg } from '../stack-map/stack-map-svg';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';

@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class InboxAndMapPages {
  constructor(
    private readonly stackMap: StackMapService,
    private readonly categories: CategoriesService,
    private readonly notifications: NotificationsService,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
  ) {}

  /** The stack map: six lanes; `category` shows one lane in full; large stacks are grouped by subcategory. */
  @Get('stack-map')
  @Allow(ANY_ROLE)
  async map(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('category') category?: string, @Query('grouped') grouped?: string) {
    const data = await this.stackMap.build(false);
    const all = await this.lanes(data.categories);
    const lanes = category ? all.filter((c) => c.id === category) : all;
    const nodes = category ? data.nodes.filter((n) => n.categoryId === category) : data.nodes;
    const ids = new Set(nodes.map((n) => n.id));
    const edges = data.edges.filter((e) => ids.has(e.sourceToolId) && ids.has(e.targetToolId));
    const svg = renderStackMapSvg(lanes, nodes, edges, {
      grouped: grouped === 'true' ? true : grouped === 'false' ? false : category ? false : undefined,
    });
    const ctx = await this.page.build(user, res, 'Stack map', 'stack-map', {
      svg,
      categories: all,
      category,
      total: data.nodes.length,
      edgeCount: data.edges.length,
      shadow: data.nodes.filter((n) => n.shadowIt).length,
      silos: data.nodes.filter((n) => n.silo).length,
      grouped: svg.includes('stack-map grouped'),
    });
    res.type('html').send(this.views.render('stack-map', ctx));
  }

  @Get('stack-map.svg')
  @Allow(ANY_ROLE)
  async mapSvg(@Res() res: Response) {
    const data = await this.stackMap.build(false);
    res.type('image/svg+xml').send(renderStackMapSvg(await this.lanes(data.categories), data.nodes, data.edges));
  }

  /** Every active top-level category is a lane, empty or not (a stackie shows the gaps too), in taxonomy order. */
  private async lanes(withTools: { id: string; name: string }[]): Promise<{ id: string; name: string }[]> {
    const tree = (await this.categories.tree()).filter((c) => c.active).map((c) => ({ id: c.id, name: c.name }));
    const known = new Set(tree.map((c) => c.id));
    return [...tree, ...withTools.filter((c) => !known.has(c.id))];
  }

  @Get('notifications')
  @Allow(ANY_ROLE)
  async inbox(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('page') page?: string) {
    const pageNumber = Math.max(1, Math.min(10000, Number.parseInt(page ?? '1', 10) || 1));
    const inbox = await this.notifications.inbox(user.id, { page: pageNumber, pageSize: 25 });
    const pages = Math.max(1, Math.ceil(inbox.total / inbox.pageSize));
    const ctx = await this.page.build(user, res, 'Inbox', 'inbox', {
      inbox,
      pages,
      prev: pageNumber > 1 ? `/notifications?page=${pageNumber - 1}` : null,
      next: pageNumber < pages ? `/notifications?page=${pageNumber + 1}` : null,
    });
    res.type('html').send(this.views.render('inbox', ctx));
  }

  @Post('notifications/read-all')
  @Allow(ANY_ROLE)
  async readAll(@CurrentUser() user: AuthUser, @Res() res: Response) {
    await this.notifications.markAllRead(user.id);
    res.redirect(303, '/notifications');
  }

  @Post('notifications/:id/open')
  @Allow(ANY_ROLE)
  async open(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const notification = await this.notifications.markRead(user.id, id);
    res.redirect(
      303,
      notification.link && notification.link.startsWith('/') && !notification.link.startsWith('//') ? notification.link : '/notifications',
    );
  }
}
