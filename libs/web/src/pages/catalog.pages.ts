import { IdpUsageService } from '@stackgate/discovery';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CatalogQueries,
  CatalogViewsService,
  CreateCatalogViewDto,
  CreateToolDto,
  ExportQueryDto,
  ImportsService,
  MAX_VIEWS_PER_USER,
  normalizeToolFilter,
  TOOL_FILTER_KEYS,
  ToolFilterDto,
  toolFilterQuery,
  UpdateCatalogViewDto,
  DataClassification,
  ItApprovalDto,
  ItApprovalStatus,
  Lifecycle,
  ToolQueryDto,
  ToolsService,
  UpdateToolDto,
} from '@stackgate/catalog';
import { ApprovedCommitmentsService, ContractsService, LedgerQueries } from '@stackgate/finance';
import { IntegrationQueries } from '@stackgate/integrations';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError, formatMinor, hasRole, Role, validationFailed } from '@stackgate/platform';
import { cleanForm, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { utilisationRows } from './tool-utilisation';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { Lookups } from './lookups';
import { historyLines } from './history-lines';
import { RequestConditionsService } from '@stackgate/procurement';
import { withConditionActions } from './conditions.pages';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { catalogHref, filtersFromQuery, sortHeaders, viewLinks } from './catalog-list';

const EDITORS = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];
const TECHNICAL = [Role.IT, Role.CIO, Role.ADMIN];
const FINANCE_READERS = [Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN];

/** The catalog list's query parameters: its filters and sort, and paging. */
const LIST_PARAMS: readonly string[] = [...TOOL_FILTER_KEYS, 'page', 'pageSize'];

const TOOL_FORM = { booleans: ['ssoEnabled', 'isSystemOfRecord'], ints: ['licensedSeats', 'activeUsers', 'version'] };

function toolFormToDto(body: Record<string, unknown>, technical: boolean): Record<string, unknown> {
  const plain = cleanForm(body, TOOL_FORM);
  if (typeof plain.capabilities === 'string') {
    plain.capabilities = plain.capabilities
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (!technical) for (const field of ['ssoEnabled', 'hostingRegion', 'dataClassification']) delete plain[field];
  return plain;
}

@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class CatalogPages {
  constructor(
    private readonly tools: ToolsService,
    private readonly catalog: CatalogQueries,
    private readonly contracts: ContractsService,
    private readonly commitments: ApprovedCommitmentsService,
    private readonly ledger: LedgerQueries,
    private readonly integrationQueries: IntegrationQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly requestConditions: RequestConditionsService,
    private readonly catalogViews: CatalogViewsService,
    private readonly imports: ImportsService,
    private readonly usage: IdpUsageService,
  ) {}

  @Get('catalog')
  @Allow(ANY_ROLE)
  async list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, unknown>) {
    await this.renderList(user, res, query);
  }

  /** The catalog list; `extra`/`status`: the save-view form refused (its error shown next to the name). */
  private async renderList(
    user: AuthUser,
    res: Response,
    query: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    // Parameters that are no filter (a stray ?notice=, a tracking tag) are ignored; a filter the list cannot take is a 400.
    const known = Object.fromEntries(Object.entries(query).filter(([key]) => LIST_PARAMS.includes(key)));
    const { dto, errors } = await validateForm(ToolQueryDto, cleanForm(known));
    const toolQuery = dto ?? new ToolQueryDto();
    const [result, tree, vendors, costCenters, views] = await Promise.all([
      this.tools.list({ ...toolQuery, pageSize: toolQuery.pageSize ?? 25 }),
      this.lookups.categoryTree(),
      this.lookups.vendors(),
      this.lookups.costCenters(),
      this.catalogViews.list(user, { pageSize: MAX_VIEWS_PER_USER }),
    ]);
    const qs = (p: number) =>
      new URLSearchParams({
        ...(Object.fromEntries(Object.entries(known).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>),
        page: String(p),
      }).toString();
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    // The filters and sort in force (without paging): what the headers re-sort, a view saves and the export carries.
    const filter: ToolFilterDto = dto ? normalizeToolFilter(dto) : {};
    const filterQuery = toolFilterQuery(filter);
    const ctx = await this.page.build(user, res, 'Catalog', 'catalog', {
      result,
      tree,
      vendors,
      costCenters,
      q: query,
      filterError: Object.values(errors).join('; '),
      lifecycles: Object.values(Lifecycle),
      approvals: Object.values(ItApprovalStatus),
      prev: result.page > 1 ? `/catalog?${qs(result.page - 1)}` : null,
      next: result.page < pages ? `/catalog?${qs(result.page + 1)}` : null,
      pages,
      canEdit: hasRole(user, ...EDITORS),
      headers: sortHeaders(filter),
      views: viewLinks(views.items, filter),
      filterQuery,
      exportQuery: filterQuery ? `&${filterQuery}` : '',
      viewErrors: {},
      ...extra,
    });
    // Filters the list cannot take (shown above it, the whole catalog below) answer 400, like the API.
    res
      .status(dto ? status : 400)
      .type('html')
      .send(this.views.render('catalog', ctx));
  }

  /** The catalog as shown (filters and sort) as a CSV or XLSX file: the API's export, reached with the page's session. */
  @Get('catalog/export')
  @Allow(ANY_ROLE)
  async exportList(@Res() res: Response, @Query() query: Record<string, unknown>) {
    const { dto, errors } = await validateForm(ExportQueryDto, cleanForm(query));
    if (!dto)
      throw validationFailed(
        Object.entries(errors)
          .map(([field, message]) => `${field} ${message}`)
          .join('; '),
      );
    const { format, ...filter } = dto;
    await this.imports.sendExport('tools', format ?? 'csv', res, filter);
  }

  @Post('catalog/views')
  @Allow(ANY_ROLE)
  @SubmitOnce('catalog-view.create')
  async saveView(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const filters = filtersFromQuery(body.query);
    const { dto, errors } = await validateForm(CreateCatalogViewDto, { name: body.name, filters });
    let message = errors.name ? `Name the view: ${errors.name.toLowerCase()}` : Object.values(errors).join('; ');
    let status = 400;
    if (dto) {
      try {
        const view = await this.catalogViews.create(user, dto);
        return this.flash.redirect(res, catalogHref(view.filters), { notice: `View "${view.name}" saved` });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        message = err.message;
        status = err.status;
      }
    }
    await this.renderList(user, res, filters, { viewErrors: { name: message }, viewName: body.name }, status);
  }

  @Post('catalog/views/:id/rename')
  @Allow(ANY_ROLE)
  async renameView(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { dto, errors } = await validateForm(
      UpdateCatalogViewDto,
      cleanForm({ name: body.name, version: body.version }, { ints: ['version'] }),
    );
    if (!dto || dto.name === undefined) {
      return this.flash.redirect(res, '/catalog', {
        error: `The view was not renamed: ${errors.name ? errors.name.toLowerCase() : 'enter a new name'}`,
      });
    }
    try {
      const view = await this.catalogViews.update(user, id, dto);
      return this.flash.redirect(res, catalogHref(view.filters), { notice: `View renamed to "${view.name}"` });
    } catch (err) {
      // Not yours or gone: the not-found page, as for any other record.
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      return this.flash.redirect(res, '/catalog', { error: `The view was not renamed: ${err.message}` });
    }
  }

  @Post('catalog/views/:id/delete')
  @Allow(ANY_ROLE)
  async deleteView(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const view = await this.catalogViews.get(user, id);
    await this.catalogViews.remove(user, id);
    this.flash.redirect(res, '/catalog', { notice: `View "${view.name}" deleted` });
  }

  private async formCtx(user: AuthUser, res: Response, title: string, extra: Record<string, unknown>) {
    const [tree, vendors, costCenters, people] = await Promise.all([
      this.lookups.categoryTree(),
      this.lookups.vendors(),
      this.lookups.costCenters(),
      this.lookups.people(),
    ]);
    return this.page.build(user, res, title, 'catalog', {
      tree,
      vendors,
      costCenters,
      people,
      lifecycles: Object.values(Lifecycle),
      classifications: Object.values(DataClassification),
      technical: hasRole(user, ...TECHNICAL),
      // Where the vendor form returns to, with the new vendor chosen.
      vendorReturn: encodeURIComponent(extra.editing ? `${String(extra.action)}/edit` : '/catalog/new'),
      ...extra,
    });
  }

  @Get('catalog/new')
  @Allow(...EDITORS)
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response, @Query('vendorId') vendorId?: string) {
    // ?vendorId=: the vendor just registered from this form's "Missing vendor?" link, chosen.
    res.type('html').send(
      this.views.render(
        'tool-form',
        await this.formCtx(user, res, 'Register a tool', {
          form: { lifecycle: 'ACTIVE', dataClassification: 'INTERNAL', vendorId },
          errors: {},
          action: '/catalog',
        }),
      ),
    );
  }

  @Post('catalog')
  @Allow(...EDITORS)
  @SubmitOnce('tool.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const plain = toolFormToDto(body, hasRole(user, ...TECHNICAL));
    const { dto, errors } = await validateForm(CreateToolDto, plain);
    let error: string | undefined;
    if (dto) {
      try {
        const tool = await this.tools.create(user, dto);
        return this.flash.redirect(res, `/tools/${tool.id}`, {
          notice: tool.shadowIt ? `Tool registered. ${tool.itReviewNotice}` : 'Tool registered',
        });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        error = err.message;
      }
    }
    res
      .status(error ? 422 : 400)
      .type('html')
      .send(
        this.views.render(
          'tool-form',
          await this.formCtx(user, res, 'Register a tool', { form: body, errors: errors, error, action: '/catalog' }),
        ),
      );
  }

  @Get('tools/:id')
  @Allow(ANY_ROLE)
  async detail(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const tool = await this.tools.get(id);
    const [history, flows, names] = await Promise.all([
      this.tools.history(id, { page: 1, pageSize: 20 }),
      this.integrations(id),
      this.lookups.names([
        tool.businessOwnerId,
        tool.technicalOwnerId,
        tool.budgetOwnerId,
        tool.itApproval.decidedById,
        ...tool.allocation.map((a) => a.costCenterId),
      ]),
    ]);
    const financeVisible = hasRole(user, ...FINANCE_READERS);
    // History by people's names (the actors of the page's events, one look-up).
    const actorNames = await this.lookups.names(history.items.map((event) => event.actorId));
    const contracts = financeVisible ? (await this.contracts.list({ toolId: id, page: 1, pageSize: 50 })).items : [];
    const spend = financeVisible ? await this.monthlySpend(id) : [];
    // Approved requests awaiting their contract: the annual cost they commit, labelled as pending.
    const pendingApproved = await this.commitments.pendingForTool(id);
    const ctx = await this.page.build(user, res, tool.name, 'catalog', {
      tool,
      history: historyLines(history.items, actorNames),
      inbound: flows.filter((f) => f.targetToolId === id),
      outbound: flows.filter((f) => f.sourceToolId === id),
      owner: names.get(tool.businessOwnerId ?? '') ?? '—',
      techOwner: names.get(tool.technicalOwnerId ?? '') ?? '—',
      budgetOwner: names.get(tool.budgetOwnerId),
      decidedBy: names.get(tool.itApproval.decidedById ?? ''),
      allocation: tool.allocation.map((a) => ({ name: names.get(a.costCenterId), pct: (a.shareBps / 100).toFixed(2) })),
      contracts,
      spend,
      spendChart: spendSvg(spend),
      financeVisible,
      pendingApproved,
      canEdit: hasRole(user, ...EDITORS),
      canApprove: hasRole(user, Role.CIO),
      approvals: Object.values(ItApprovalStatus),
      // The approval's conditions as items (procurement), with the actions this user may take.
      conditions: withConditionActions(user, await this.requestConditions.forTool(id)),
      conditionsBack: `/tools/${id}#conditions`,
      utilisation: utilisationRows(await this.usage.history(id), financeVisible),
    });
    res.type('html').send(this.views.render('tool', ctx));
  }

  @Get('tools/:id/edit')
  @Allow(...EDITORS)
  async editForm(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('vendorId') vendorId?: string,
  ) {
    const tool = await this.tools.get(id);
    const form = { ...tool, capabilities: tool.capabilities.join(', '), ...(vendorId ? { vendorId } : {}) };
    res
      .type('html')
      .send(
        this.views.render(
          'tool-form',
          await this.formCtx(user, res, `Edit ${tool.name}`, { form, errors: {}, action: `/tools/${id}`, editing: true }),
        ),
      );
  }

  @Post('tools/:id')
  @Allow(...EDITORS)
  async update(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const plain = toolFormToDto(body, hasRole(user, ...TECHNICAL));
    for (const nullable of [
      'businessOwnerId',
      'technicalOwnerId',
      'description',
      'website',
      'hostingRegion',
      'licensedSeats',
      'activeUsers',
    ]) {
      if (body[nullable] === '' && !(nullable === 'hostingRegion' && !hasRole(user, ...TECHNICAL))) plain[nullable] = null;
    }
    const { dto, errors } = await validateForm(UpdateToolDto, plain);
    let error: string | undefined;
    if (dto) {
      try {
        await this.tools.update(user, id, dto);
        return this.flash.redirect(res, `/tools/${id}`, { notice: 'Saved' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        error =
          err.status === 409 ? 'Someone changed this tool meanwhile. Reload the page to see their change, then edit again.' : err.message;
      }
    }
    res
      .status(error ? 422 : 400)
      .type('html')
      .send(
        this.views.render(
          'tool-form',
          await this.formCtx(user, res, 'Edit tool', { form: body, errors, error, action: `/tools/${id}`, editing: true }),
        ),
      );
  }

  @Post('tools/:id/it-approval')
  @Allow(Role.CIO)
  async itApproval(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { dto, errors } = await validateForm(ItApprovalDto, cleanForm(body, { ints: ['version'] }));
    if (!dto)
      return this.flash.redirect(res, `/tools/${id}`, {
        error: Object.entries(errors)
          .map(([f, m]) => `${f} ${m}`)
          .join('; '),
      });
    try {
      await this.tools.setItApproval(user, id, dto);
      this.flash.redirect(res, `/tools/${id}`, { notice: 'IT approval recorded' });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      this.flash.redirect(res, `/tools/${id}`, { error: err.message });
    }
  }

  /** The tool's flows (integrations lib) with the names of the tools at both ends (catalog lib). */
  private async integrations(toolId: string) {
    const flows = await this.integrationQueries.ofTool(toolId);
    const names = await this.catalog.toolNames(flows.flatMap((f) => [f.sourceToolId, f.targetToolId]));
    return flows.map((f) => ({
      id: f.id,
      sourceToolId: f.sourceToolId,
      targetToolId: f.targetToolId,
      method: f.method,
      frequency: f.frequency,
      status: f.status,
      personal: f.carriesPersonalData,
      dataObjects: f.dataObjects,
      sourceName: names.get(f.sourceToolId) ?? null,
      targetName: names.get(f.targetToolId) ?? null,
    }));
  }

  /** Actual spend per month over the last 12 months, per currency, from the finance ledger. */
  private async monthlySpend(toolId: string) {
    const now = new Date();
    const from = (now.getUTCFullYear() - 1) * 100 + now.getUTCMonth() + 1;
    const rows = await this.ledger.toolMonthlyActuals(toolId, from);
    return rows.map((row) => {
      const minor = row.totalMinor;
      const yearMonth = String(row.month);
      return {
        month: `${yearMonth.slice(0, 4)}-${yearMonth.slice(4)}`,
        money: { amount: formatMinor(minor, row.currency), currency: row.currency },
        value: Number(minor),
      };
    });
  }
}

/** A small column chart of monthly spend (one currency per bar label), server-rendered SVG. */
function spendSvg(spend: { month: string; money: { amount: string; currency: string }; value: number }[]): string {
  if (!spend.length) return '';
  const chartWidth = 640,
    chartHeight = 160,
    pad = 24,
    bw = Math.min(40, (chartWidth - pad * 2) / spend.length - 6);
  const max = Math.max(...spend.map((point) => point.value), 1);
  const bars = spend
    .map((point, index) => {
      const bh = Math.round(((chartHeight - 50) * point.value) / max);
      const barX = pad + index * ((chartWidth - pad * 2) / spend.length);
      const label = `${point.month}: ${point.money.amount} ${point.money.currency}`;
      return (
        `<g><title>${label}</title><rect x="${barX.toFixed(1)}" y="${chartHeight - 30 - bh}" width="${bw.toFixed(1)}" height="${bh}" fill="#2457d6" rx="2"/>` +
        `<text x="${(barX + bw / 2).toFixed(1)}" y="${chartHeight - 14}" font-size="10" text-anchor="middle" fill="#5b6776">${point.month.slice(2)}</text></g>`
      );
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${chartWidth} ${chartHeight}" class="chart" role="img"` +
    ` aria-label="Actual spend per month">${bars}</svg>`
  );
}
