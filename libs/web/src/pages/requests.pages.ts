import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApprovedCommitmentsService } from '@stackgate/finance';
import { CatalogQueries } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, DomainError, hasRole, Role } from '@stackgate/platform';
import {
  AssessmentDto,
  CreateRequestDto,
  DECIDER_ROLE,
  DecideStageDto,
  RequestQueryDto,
  RequestsService,
  RequestStatus,
  SecurityAttestation,
  Stage,
  UpdateRequestDto,
} from '@stackgate/procurement';
import { cleanForm, FieldErrors, formErrorSummary, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { Lookups } from './lookups';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { PeopleDirectory } from '@stackgate/identity';
import { withConditionActions } from './conditions.pages';
import { REQUEST_FORM_MARKED, requestFormField, requestFormToBody, requestFormToUpdateBody, requestToForm } from './request-form';

const REQUESTERS = [Role.MARKETER, Role.CMO];
/** Body-field errors keyed by the form field that shows them (the first error of a field wins). */
function fieldErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) {
    // The form asks for percentages; the DTO counts basis points.
    out[requestFormField(field)] ??= /^allocation\.\d+\.shareBps$/.test(field)
      ? 'Enter each share as a percentage such as 60 or 33.33'
      : message;
  }
  return out;
}

/** A refusal from the service as form errors: its message on top, and on the field it names, if the form shows that field. */
function refusalErrors(err: DomainError): FieldErrors {
  const field = (err.details as { field?: unknown } | undefined)?.field;
  return typeof field === 'string' ? { [requestFormField(field)]: err.message } : {};
}

type Detail = Awaited<ReturnType<RequestsService['get']>>;

/** How many condition rows the decision form offers. */
const CONDITION_ROWS = 5;

/** The decision form's filled condition rows as API items; a row filled in part is a reader-worded error on its fields. */
function conditionItemsFromForm(body: Record<string, unknown>) {
  const items: { text: string; ownerId: string; dueDate: string }[] = [];
  const rowErrors: Record<string, string> = {};
  const str = (k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');
  for (let i = 0; i < CONDITION_ROWS; i++) {
    const [text, ownerId, dueDate] = [str(`ci${i}Text`), str(`ci${i}Owner`), str(`ci${i}Due`)];
    if (!text && !ownerId && !dueDate) continue;
    const itemIndex = items.length;
    if (!text) rowErrors[`conditionItems.${itemIndex}.text`] = 'Describe the condition';
    if (!ownerId) rowErrors[`conditionItems.${itemIndex}.ownerId`] = 'Choose who fulfils it';
    if (!dueDate) rowErrors[`conditionItems.${itemIndex}.dueDate`] = 'Pick a due date';
    items.push({ text, ownerId, dueDate });
  }
  return { items, rowErrors };
}

/** The rows as the form shows them again, with the errors of each field (errors name the filled rows in order). */
function conditionRows(form: Record<string, unknown>, errors: Record<string, string>) {
  const str = (k: string) => (typeof form[k] === 'string' ? form[k] : '');
  let filledRows = 0;
  return Array.from({ length: CONDITION_ROWS }, (_, rowIndex) => {
    const row = {
      i: rowIndex,
      n: rowIndex + 1,
      text: str(`ci${rowIndex}Text`),
      owner: str(`ci${rowIndex}Owner`),
      due: str(`ci${rowIndex}Due`),
    };
    const filled = !!(row.text.trim() || row.owner || row.due);
    const itemIndex = filled ? filledRows++ : -1;
    return {
      ...row,
      textError: errors[`conditionItems.${itemIndex}.text`],
      ownerError: errors[`conditionItems.${itemIndex}.ownerId`],
      dueError: errors[`conditionItems.${itemIndex}.dueDate`],
    };
  });
}

@ApiExcludeController()
@Controller('requests')
@UseGuards(WebGuard)
export class RequestsPages {
  constructor(
    private readonly requests: RequestsService,
    private readonly catalog: CatalogQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
    private readonly people: PeopleDirectory,
    private readonly commitments: ApprovedCommitmentsService,
  ) {}

  @Get()
  @Allow(ANY_ROLE)
  async list(@CurrentUser() user: AuthUser, @Res() res: Response, @Query() query: Record<string, unknown>) {
    const reviewer = hasRole(user, Role.CMO, Role.CIO, Role.FINANCE);
    const { dto } = await validateForm(RequestQueryDto, cleanForm(query));
    const requestQuery = dto ?? new RequestQueryDto();
    const assessor = hasRole(user, Role.IT, Role.CIO);
    if (!requestQuery.queue && !requestQuery.status && !requestQuery.type)
      requestQuery.queue = reviewer ? 'awaiting-me' : assessor ? 'awaiting-assessment' : 'mine';
    const result = await this.requests.list(user, { ...requestQuery, pageSize: requestQuery.pageSize ?? 50 });
    const ctx = await this.page.build(user, res, 'Requests', 'requests', {
      result,
      q: requestQuery,
      reviewer,
      assessor,
      canRequest: hasRole(user, ...REQUESTERS),
      tabs: [
        ...(reviewer ? [{ href: '/requests?queue=awaiting-me', label: 'Awaiting me', active: requestQuery.queue === 'awaiting-me' }] : []),
        ...(assessor
          ? [
              {
                href: '/requests?queue=awaiting-assessment',
                label: 'Awaiting assessment',
                active: requestQuery.queue === 'awaiting-assessment',
              },
            ]
          : []),
        { href: '/requests?queue=mine', label: 'My requests', active: requestQuery.queue === 'mine' },
        ...(hasRole(user, Role.CMO, Role.IT, Role.CIO, Role.FINANCE, Role.ADMIN)
          ? [
              {
                href: '/requests?status=IN_REVIEW',
                label: 'All in review',
                active: requestQuery.status === RequestStatus.IN_REVIEW && !requestQuery.queue,
              },
            ]
          : []),
      ],
    });
    res.type('html').send(this.views.render('requests', ctx));
  }

  /** Catalog tools that overlap a subcategory — for the request form, as soon as one is picked. */
  @Get('overlaps')
  @Allow(...REQUESTERS)
  async overlaps(@Query('subcategoryId') subcategoryId: string | undefined, @Res() res: Response) {
    if (!subcategoryId || !/^[0-9a-f-]{36}$/i.test(subcategoryId)) return res.json({ items: [] });
    res.json({ items: await this.catalog.overlappingTools(subcategoryId, 20) });
  }

  private async formCtx(user: AuthUser, res: Response, title: string, extra: Record<string, unknown>) {
    const [tree, costCenters, tools] = await Promise.all([
      this.lookups.categoryTree(),
      this.lookups.costCenters(),
      this.catalog.liveToolChoices(),
    ]);
    return this.page.build(user, res, title, 'requests', { tree, costCenters, tools, rows: [0, 1, 2], ...extra });
  }

  @Get('new')
  @Allow(...REQUESTERS)
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response) {
    res.type('html').send(
      this.views.render(
        'request-form',
        await this.formCtx(user, res, 'Request a tool', {
          form: { type: 'NEW_TOOL', costCurrency: 'EUR', pct0: '100' },
          errors: {},
          action: '/requests/new',
        }),
      ),
    );
  }

  @Post('new')
  @Allow(...REQUESTERS)
  @SubmitOnce('request.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const { dto, errors } = await validateForm(CreateRequestDto, requestFormToBody(body));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        const request = await this.requests.create(user, dto);
        return this.flash.redirect(res, `/requests/${request.id}`, { notice: 'Draft saved. Check it, then submit it for review.' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal) : fieldErrors(errors);
    res
      .status(refusal ? 422 : 400)
      .type('html')
      .send(
        this.views.render(
          'request-form',
          await this.formCtx(user, res, 'Request a tool', {
            form: body,
            errors: fe,
            error: refusal?.message ?? formErrorSummary(fe, REQUEST_FORM_MARKED),
            action: '/requests/new',
          }),
        ),
      );
  }

  @Get(':id')
  @Allow(ANY_ROLE)
  async detail(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const request = await this.requests.get(user, id);
    res.type('html').send(this.views.render('request', await this.detailCtx(user, res, request, {})));
  }

  private async detailCtx(user: AuthUser, res: Response, request: Detail, extra: Record<string, unknown>) {
    const names = await this.lookups.names([
      request.requesterId,
      ...request.stages.map((s) => s.decidedById),
      ...request.comments.map((c) => c.authorId),
      request.assessment?.assessorId,
      ...request.allocation.map((a) => a.costCenterId),
    ]);
    const current = request.currentStage;
    const decidedOther = request.stages.some((s) => s.decidedById === user.id && s.stage !== current);
    const canDecide =
      !!current &&
      request.status === RequestStatus.IN_REVIEW &&
      user.roles.includes(DECIDER_ROLE[current] as Role) &&
      request.requesterId !== user.id &&
      !decidedOther;
    const own = request.requesterId === user.id;
    // Finance's task on an approved request: attach the contract (retires the approved, not yet contracted amount).
    const commitment =
      request.status === RequestStatus.APPROVED && user.roles.includes(Role.FINANCE)
        ? await this.commitments.findForRequest(request.id)
        : null;
    const conditionStage = canDecide && (current === Stage.IT || current === Stage.FINANCE);
    return this.page.build(user, res, request.title, 'requests', {
      commitment,
      conditions: withConditionActions(user, request.conditionItems),
      conditionsBack: `/requests/${request.id}#conditions`,
      conditionStage,
      people: conditionStage ? await this.people.activePeople() : [],
      conditionRows: conditionStage
        ? conditionRows((extra.decisionForm ?? {}) as Record<string, unknown>, (extra.decisionErrors ?? {}) as Record<string, string>)
        : [],
      r: request,
      names: Object.fromEntries(names),
      requester: names.get(request.requesterId) ?? '—',
      canDecide,
      current,
      stages: request.stages.map((s) => ({ ...s, decidedBy: s.decidedById ? names.get(s.decidedById) : null })),
      comments: request.comments.map((c) => ({ ...c, author: names.get(c.authorId) ?? '—' })),
      allocation: request.allocation.map((a) => ({ name: names.get(a.costCenterId), pct: (a.shareBps / 100).toFixed(2) })),
      assessor: request.assessment ? names.get(request.assessment.assessorId) : null,
      canEdit: own && (request.status === RequestStatus.DRAFT || request.status === RequestStatus.CHANGES_REQUESTED),
      canWithdraw: own && ['DRAFT', 'IN_REVIEW', 'CHANGES_REQUESTED'].includes(request.status),
      canAssess: hasRole(user, Role.IT, Role.CIO) && request.status === RequestStatus.IN_REVIEW && !own,
      assessmentOfRound: !!request.assessment && request.assessment.round === request.round,
      canComment: hasRole(user, Role.CMO, Role.IT, Role.CIO, Role.FINANCE) || own,
      attestations: Object.values(SecurityAttestation),
      ...extra,
    });
  }

  private async act(res: Response, id: string, fn: () => Promise<unknown>, notice: string) {
    try {
      await fn();
      this.flash.redirect(res, `/requests/${id}`, { notice });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404 || err.status === 403) throw err;
      const msg =
        err.status === 409 && err.code === 'STALE_VERSION'
          ? 'Someone acted on this request meanwhile; here is its current state.'
          : err.message;
      this.flash.redirect(res, `/requests/${id}`, { error: msg });
    }
  }

  @Post(':id/submit')
  @Allow(...REQUESTERS)
  submit(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.act(res, id, () => this.requests.submit(user, id, Number(body.version)), 'Submitted for review');
  }

  @Post(':id/withdraw')
  @Allow(...REQUESTERS)
  withdraw(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    return this.act(res, id, () => this.requests.withdraw(user, id, Number(body.version)), 'Request withdrawn');
  }

  @Post(':id/comments')
  @Allow(Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.FINANCE)
  @SubmitOnce('request.comment')
  async comment(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const text = typeof body.body === 'string' ? body.body.trim() : '';
    if (!text || text.length > 5000)
      return this.flash.redirect(res, `/requests/${id}`, { error: 'Write a comment (up to 5000 characters)' });
    return this.act(res, id, () => this.requests.comment(user, id, text), 'Comment added');
  }

  @Post(':id/assessment')
  @Allow(Role.IT, Role.CIO)
  @SubmitOnce('request.assessment')
  async assess(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { dto, errors } = await validateForm(AssessmentDto, cleanForm(body, { booleans: ['ssoSupported', 'dpaInPlace'] }));
    if (!dto)
      return this.flash.redirect(res, `/requests/${id}`, {
        error: Object.entries(errors)
          .map(([f, m]) => `${f} ${m}`)
          .join('; '),
      });
    return this.act(res, id, () => this.requests.assess(user, id, dto), 'IT assessment recorded');
  }

  @Post(':id/decisions')
  @Allow(Role.CMO, Role.CIO, Role.FINANCE)
  async decide(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    const { items, rowErrors } = conditionItemsFromForm(body);
    const plain = {
      ...cleanForm(Object.fromEntries(Object.entries(body).filter(([k]) => !/^ci\d+/.test(k))), { ints: ['version'] }),
      ...(items.length ? { conditionItems: items } : {}),
    };
    const { dto, errors } = await validateForm(DecideStageDto, plain);
    if (!dto || Object.keys(rowErrors).length) {
      const request = await this.requests.get(user, id);
      const decisionErrors: Record<string, string> = { ...rowErrors };
      for (const [field, message] of Object.entries(errors)) decisionErrors[field] ??= message;
      const msg = Object.keys(rowErrors).length
        ? 'Complete each condition: its text, owner and due date.'
        : Object.entries(errors)
            .map(([f, m]) => `${f} ${m}`)
            .join('; ');
      return res
        .status(400)
        .type('html')
        .send(this.views.render('request', await this.detailCtx(user, res, request, { error: msg, decisionForm: body, decisionErrors })));
    }
    try {
      await this.requests.decide(user, id, dto);
      this.flash.redirect(res, `/requests/${id}`, { notice: 'Decision recorded' });
    } catch (err) {
      if (!(err instanceof DomainError) || err.status === 404) throw err;
      if (err.status === 400) {
        const request = await this.requests.get(user, id);
        // The refusals a person fixes in one field are marked on it.
        const named = (err.details as { field?: unknown } | undefined)?.field;
        const field =
          err.code === 'CONDITIONS_REQUIRED'
            ? 'conditions'
            : err.code === 'COMMENT_REQUIRED'
              ? 'comment'
              : typeof named === 'string'
                ? named
                : undefined;
        const decisionErrors = field ? { [field]: err.message } : {};
        return res
          .status(400)
          .type('html')
          .send(
            this.views.render(
              'request',
              await this.detailCtx(user, res, request, { error: err.message, decisionForm: body, decisionErrors }),
            ),
          );
      }
      if (err.status === 403) throw err;
      if (err.code === 'CONDITION_OWNER_UNKNOWN') {
        const request = await this.requests.get(user, id);
        const named = (err.details as { field?: string } | undefined)?.field;
        return res
          .status(422)
          .type('html')
          .send(
            this.views.render(
              'request',
              await this.detailCtx(user, res, request, {
                error: err.message,
                decisionForm: body,
                decisionErrors: named ? { [named]: err.message } : {},
              }),
            ),
          );
      }
      this.flash.redirect(res, `/requests/${id}`, { error: err.message });
    }
  }

  @Get(':id/edit')
  @Allow(...REQUESTERS)
  async editForm(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const request = await this.requests.get(user, id);
    res.type('html').send(
      this.views.render(
        'request-form',
        await this.formCtx(user, res, `Edit: ${request.title}`, {
          form: requestToForm(request),
          errors: {},
          action: `/requests/${id}/edit`,
          editing: true,
        }),
      ),
    );
  }

  @Post(':id/edit')
  @Allow(...REQUESTERS)
  async update(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: Record<string, unknown>,
  ) {
    // The stored request decides the shape of the body (its type cannot change), not the posted form.
    const current = await this.requests.get(user, id);
    const plain = { ...requestFormToUpdateBody(body, current.type), version: Number(body.version) };
    const { dto, errors } = await validateForm(UpdateRequestDto, plain);
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        await this.requests.update(user, id, dto);
        return this.flash.redirect(res, `/requests/${id}`, { notice: 'Saved' });
      } catch (err) {
        if (!(err instanceof DomainError) || err.status === 404 || err.status === 403) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal) : fieldErrors(errors);
    const marked = REQUEST_FORM_MARKED.filter((f) => f !== 'type'); // the edit form shows the type as text only
    const error =
      refusal?.status === 409 && refusal.code === 'STALE_VERSION'
        ? 'Someone changed this request meanwhile; reload the page and make your change again.'
        : refusal?.message;
    res
      .status(refusal ? 422 : 400)
      .type('html')
      .send(
        this.views.render(
          'request-form',
          await this.formCtx(user, res, `Edit: ${current.title}`, {
            form: { ...body, type: current.type },
            errors: fe,
            error: error ?? formErrorSummary(fe, marked),
            action: `/requests/${id}/edit`,
            editing: true,
          }),
        ),
      );
  }
}
