import { Body, Controller, Get, OnModuleDestroy, OnModuleInit, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CatalogQueries } from '@stackgate/catalog';
import {
  CandidateAction,
  CandidateActionsService,
  CandidateQueryDto,
  CandidateSource,
  CandidatesService,
  CandidateStatus,
  DISCOVERY_ACTORS,
  DISCOVERY_READERS,
  DiscoveryQueries,
  DismissCandidateDto,
  LinkCandidateDto,
  RegisterCandidateDto,
  ReopenCandidateDto,
} from '@stackgate/discovery';
import { AuthUser, CurrentUser, DomainError, hasRole, label, Role } from '@stackgate/platform';
import { Allow } from '@stackgate/platform';
import { cleanForm, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { HomeContribution, homeContributions } from './home.pages';
import { Lookups } from './lookups';

/** Reader words for the action forms' fields. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Tool name',
  vendorName: 'Vendor',
  subcategoryId: 'Subcategory',
  budgetOwnerId: 'Budget owner',
  toolId: 'Tool',
  reason: 'Reason',
};

const ACTION_FORMS = {
  register: {
    dto: RegisterCandidateDto,
    done: (name: string) => `${name} is registered as a tool in use; IT reviews it next (shadow IT until then).`,
  },
  link: {
    dto: LinkCandidateDto,
    done: (name: string) => `${name} is linked: its spend is on the tool, and its merchant name is remembered.`,
  },
  dismiss: { dto: DismissCandidateDto, done: (name: string) => `${name} is dismissed; later lines of this merchant are ignored.` },
  reopen: { dto: ReopenCandidateDto, done: (name: string) => `${name} is back in the queue.` },
} as const;
type ActionName = keyof typeof ACTION_FORMS;

const STATUSES = Object.values(CandidateStatus);

/**
 * The discovery queue (issue 25): tools nobody registered, found in card and expense spend or in
 * the identity provider. IT, the CIO, the CMO and finance read it; IT and the CIO register, link,
 * dismiss or reopen candidates through the same service as /api/v1/discovery/candidates.
 */
@ApiExcludeController()
@Controller('discovery')
@UseGuards(WebGuard)
export class DiscoveryPages implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly candidates: CandidatesService,
    private readonly actions: CandidateActionsService,
    private readonly catalog: CatalogQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly queries: DiscoveryQueries,
  ) {}

  /** The CIO's and IT's home page: how many candidates wait in the discovery queue. */
  private readonly homePanel: HomeContribution = async (user) => {
    if (!hasRole(user, Role.CIO, Role.IT)) return {};
    return { discoveryOpen: { count: await this.queries.openCount() } };
  };

  onModuleInit(): void {
    homeContributions.push(this.homePanel);
  }

  /** The list is shared by the process: an app that closes takes its panel with it. */
  onModuleDestroy(): void {
    const at = homeContributions.indexOf(this.homePanel);
    if (at >= 0) homeContributions.splice(at, 1);
  }

  @Get()
  @Allow(...DISCOVERY_READERS)
  async list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() raw: Record<string, unknown>) {
    const status = STATUSES.includes(raw.status as CandidateStatus)
      ? (raw.status as CandidateStatus)
      : raw.status === 'ALL'
        ? undefined
        : CandidateStatus.OPEN;
    const source = Object.values(CandidateSource).includes(raw.source as CandidateSource) ? (raw.source as CandidateSource) : undefined;
    const search = typeof raw.q === 'string' && raw.q.trim() ? raw.q.trim().slice(0, 120) : undefined;
    const page = Math.max(1, Math.min(10_000, Number(raw.page) || 1));
    const query: CandidateQueryDto = { status, source, q: search, page, pageSize: 50 };
    const [result, subcategories] = await Promise.all([this.candidates.list(query), this.lookups.categoryTree()]);
    const subNames = new Map(subcategories.flatMap((c) => c.subcategories.map((s) => [s.id, s.name] as const)));
    const filterQuery = (next: Record<string, string | undefined>) =>
      '?' +
      new URLSearchParams(
        Object.entries({ status: status ?? 'ALL', source, q: search, ...next }).filter(([, v]) => v) as [string, string][],
      ).toString();
    const ctx = await this.page.build(user, res, 'Discovery', 'discovery', {
      items: result.items.map((c) => ({
        ...c,
        suggestedSubcategory: c.suggestedSubcategoryId ? subNames.get(c.suggestedSubcategoryId) : null,
      })),
      total: result.total,
      tabs: [...STATUSES, 'ALL'].map((value: string) => ({
        href: filterQuery({ status: value, page: undefined }),
        label: value === 'ALL' ? 'All' : label(value, 'CandidateStatus'),
        active: String(status ?? 'ALL') === value,
      })),
      sources: Object.values(CandidateSource).map((value) => ({
        value,
        label: label(value, 'CandidateSource'),
        selected: value === source,
      })),
      status: status ?? 'ALL',
      q: search,
      prev: page > 1 ? filterQuery({ page: String(page - 1) }) : null,
      next: page * 50 < result.total ? filterQuery({ page: String(page + 1) }) : null,
    });
    res.type('html').send(this.views.render('discovery', ctx));
  }

  @Get(':id')
  @Allow(...DISCOVERY_READERS)
  async detail(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const candidate = await this.candidates.get(id);
    const canAct = hasRole(user, ...DISCOVERY_ACTORS);
    const [tree, costCenters, tools] = canAct
      ? await Promise.all([this.lookups.categoryTree(), this.lookups.costCenters(), this.catalog.liveToolChoices()])
      : [[], [], []];
    const toolName = candidate.toolId ? (await this.catalog.toolNames([candidate.toolId])).get(candidate.toolId) : null;
    const ctx = await this.page.build(user, res, candidate.name, 'discovery', {
      candidate,
      toolName,
      canAct,
      offers: Object.fromEntries(candidate.actions.map((a) => [a.toLowerCase(), canAct])),
      categories: tree.map((c) => ({
        ...c,
        subcategories: c.subcategories.filter((s) => s.active).map((s) => ({ ...s, selected: s.id === candidate.suggestedSubcategoryId })),
      })),
      costCenters,
      tools,
      actionLabels: Object.values(CandidateAction).map((a) => label(a, 'CandidateAction')),
    });
    res.type('html').send(this.views.render('discovery-candidate', ctx));
  }

  @Post(':id/register')
  @Allow(...DISCOVERY_ACTORS)
  @SubmitOnce('discovery.register')
  register(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.act(user, res, id, 'register', body);
  }

  @Post(':id/link')
  @Allow(...DISCOVERY_ACTORS)
  @SubmitOnce('discovery.link')
  link(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: Record<string, unknown>) {
    return this.act(user, res, id, 'link', body);
  }

  @Post(':id/dismiss')
  @Allow(...DISCOVERY_ACTORS)
  @SubmitOnce('discovery.dismiss')
  dismiss(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.act(user, res, id, 'dismiss', body);
  }

  @Post(':id/reopen')
  @Allow(...DISCOVERY_ACTORS)
  @SubmitOnce('discovery.reopen')
  reopen(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.act(user, res, id, 'reopen', body);
  }

  /** Validates the form, runs the action, and answers with a flash message on the candidate's page. */
  private async act(user: AuthUser, res: Response, id: string, action: ActionName, body: Record<string, unknown>) {
    const back = `/discovery/${id}`;
    const plain = cleanForm(body);
    for (const field of ['name', 'vendorName', 'reason']) if (plain[field] === '' || plain[field] === null) delete plain[field];
    const { dto, errors } = await validateForm<object>(ACTION_FORMS[action].dto, plain);
    if (!dto) {
      const worded = Object.entries(errors).map(([field, message]) => `${FIELD_LABELS[field] ?? field}: ${message}`);
      return this.flash.redirect(res, back, { error: `Check the form: ${worded.join('; ')}` });
    }
    try {
      const done =
        action === 'register'
          ? await this.actions.register(user, id, dto as RegisterCandidateDto)
          : action === 'link'
            ? await this.actions.link(user, id, dto as LinkCandidateDto)
            : action === 'dismiss'
              ? await this.actions.dismiss(user, id, dto)
              : await this.actions.reopen(user, id, dto);
      return this.flash.redirect(res, back, { notice: ACTION_FORMS[action].done(done.name) });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404 || err.status === 403) throw err;
      return this.flash.redirect(res, back, { error: err.message });
    }
  }
}
