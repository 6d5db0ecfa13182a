import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CategoriesService } from '@stackgate/catalog';
import { StackMapService } from '@stackgate/integrations';
import { NotificationsService } from '@stackgate/notifications';
import { Allow, ANY_ROLE, AuthUser, CurrentUser } from '@stackgate/platform';
import { PageContext } from '../page-context';
import { mapParams } from '../stack-map/stack-map-params';
import { EDGE_COLOURS, flowRows, RenderOptions, renderStackMap } from '../stack-map/stack-map-svg';
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

  /**
   * The stack map: six lanes that wrap (three a row; one a row on a phone), large subcategories
   * collapsed into a box that `expand` opens, `category` shows one lane in full. The same map is
   * rendered for both widths (CSS shows one), with its flows as a table for screen readers.
   */
  @Get('stack-map')
  @Allow(ANY_ROLE)
  async map(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const data = await this.stackMap.build(false);
    const all = await this.lanes(data.categories);
    const params = mapParams(query, all);
    const lanes = params.category ? all.filter((c) => c.id === params.category) : all;
    const nodes = params.category ? data.nodes.filter((n) => n.categoryId === params.category) : data.nodes;
    const ids = new Set(nodes.map((n) => n.id));
    const edges = data.edges.filter((e) => ids.has(e.sourceToolId) && ids.has(e.targetToolId));
    const hrefWith = (expand: Set<string>) => {
      const search = new URLSearchParams();
      if (params.category) search.set('category', params.category);
      if (params.grouped) search.set('grouped', params.grouped);
      if (expand.size) search.set('expand', [...expand].join(','));
      const text = search.toString();
      return `/stack-map${text ? `?${text}` : ''}#map`;
    };
    const options: RenderOptions = {
      mode: params.mode,
      expand: params.expand,
      expandHref: (id) => hrefWith(new Set([...params.expand, id])),
      collapseHref: (id) => hrefWith(new Set([...params.expand].filter((open) => open !== id))),
    };
    const wide = renderStackMap(lanes, nodes, edges, { ...options, columns: 3, idPrefix: 'wide-' });
    const narrow = renderStackMap(lanes, nodes, edges, { ...options, columns: 1, idPrefix: 'narrow-' });
    const subcategoryNames = new Map(data.nodes.map((n) => [n.subcategoryId, n.subcategoryName]));
    const ctx = await this.page.build(user, res, 'Stack map', 'stack-map', {
      svgWide: wide.svg,
      svgNarrow: narrow.svg,
      flows: flowRows(wide),
      hiddenFlows: wide.routed.hiddenFlows,
      internalFlows: wide.routed.internalFlows,
      categories: all,
      category: params.category,
      detail: params.grouped ?? '',
      total: data.nodes.length,
      edgeCount: data.edges.length,
      shadow: data.nodes.filter((n) => n.shadowIt).length,
      silos: data.nodes.filter((n) => n.silo).length,
      collapsedGroups: wide.grid.collapsedGroups,
      opened: [...params.expand]
        .filter((id) => subcategoryNames.has(id))
        .map((id) => ({ name: subcategoryNames.get(id), href: hrefWith(new Set([...params.expand].filter((open) => open !== id))) })),
      colours: EDGE_COLOURS,
    });
    res.type('html').send(this.views.render('stack-map', ctx));
  }

  @Get('stack-map.svg')
  @Allow(ANY_ROLE)
  async mapSvg(@Res() res: Response) {
    const data = await this.stackMap.build(false);
    res
      .type('image/svg+xml')
      .send(renderStackMap(await this.lanes(data.categories), data.nodes, data.edges, { standalone: true, idPrefix: 'file-' }).svg);
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
