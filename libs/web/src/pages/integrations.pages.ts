import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CatalogQueries, ToolsService } from '@stackgate/catalog';
import {
  CreateIntegrationDto,
  IntegrationFrequency,
  IntegrationMethod,
  IntegrationsService,
  IntegrationStatus,
  RetireIntegrationDto,
  UpdateIntegrationDto,
} from '@stackgate/integrations';
import { Allow, AuthUser, CurrentUser, DomainError, isDomainError, Role } from '@stackgate/platform';
import { cleanForm, FieldErrors, formErrorSummary, validateForm } from '../forms';
import { PageContext } from '../page-context';
import { ViewRenderer } from '../view-renderer';
import { WebGuard } from '../web.guard';
import { FlashMessages } from '../session/flash';
import { SubmitOnce } from '../session/submit-once';
import { Lookups } from './lookups';
import { readerRefusal, refusalErrors } from './refusals';

/** Who may map, edit and retire data flows (the API's POST/PATCH /integrations). */
const INTEGRATION_WRITERS = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];
const MARKED = ['otherToolId', 'direction', 'dataObjects', 'method', 'frequency', 'status', 'ownerId', 'notes'];
const CODES = { SAME_TOOL: 'otherToolId', TOOL_RETIRED: 'otherToolId', DUPLICATE_INTEGRATION: 'method' };

type FormBody = Record<string, unknown>;
const str = (body: FormBody, k: string) => (typeof body[k] === 'string' ? body[k].trim() : '');
const list = (body: FormBody, k: string) =>
  str(body, k)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The flow form seen from one tool ("data flows in from" / "out to" another tool) as the API's create body. */
export function flowFormToCreateBody(toolId: string, body: FormBody): FormBody {
  const other = str(body, 'otherToolId');
  const inbound = str(body, 'direction') === 'INBOUND';
  const out: FormBody = {
    sourceToolId: inbound ? other : toolId,
    targetToolId: inbound ? toolId : other,
    dataObjects: list(body, 'dataObjects'),
    method: str(body, 'method'),
    frequency: str(body, 'frequency'),
    carriesPersonalData: body.carriesPersonalData === 'on',
  };
  if (str(body, 'status')) out.status = str(body, 'status');
  if (str(body, 'ownerId')) out.ownerId = str(body, 'ownerId');
  if (str(body, 'notes')) out.notes = str(body, 'notes');
  return out;
}

/** The edit form as the API's update body: the ends of a flow do not change; an emptied owner or note is cleared. */
export function flowFormToUpdateBody(body: FormBody): FormBody {
  return {
    dataObjects: list(body, 'dataObjects'),
    method: str(body, 'method'),
    frequency: str(body, 'frequency'),
    status: str(body, 'status'),
    carriesPersonalData: body.carriesPersonalData === 'on',
    ownerId: str(body, 'ownerId') || null,
    notes: str(body, 'notes') || null,
    ...(/^\d+$/.test(str(body, 'version')) ? { version: Number(str(body, 'version')) } : {}),
  };
}

/** FormBody field errors where the flow form shows them. */
function flowField(field: string): string {
  if (field === 'sourceToolId' || field === 'targetToolId') return 'otherToolId';
  if (field.startsWith('dataObjects')) return 'dataObjects';
  return field;
}

function flowErrors(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(errors)) out[flowField(field)] ??= message;
  return out;
}

/** Data flows mapped, edited and retired from a tool page, with the API's rules (one live flow per source, target and method). */
@ApiExcludeController()
@Controller()
@UseGuards(WebGuard)
export class IntegrationsPages {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly tools: ToolsService,
    private readonly catalog: CatalogQueries,
    private readonly lookups: Lookups,
    private readonly views: ViewRenderer,
    private readonly page: PageContext,
    private readonly flash: FlashMessages,
  ) {}

  private async formCtx(user: AuthUser, res: Response, toolId: string, title: string, extra: Record<string, unknown>) {
    const [tool, tools, people] = await Promise.all([this.tools.get(toolId), this.catalog.liveToolChoices(), this.lookups.people()]);
    return this.page.build(user, res, title, 'catalog', {
      tool,
      tools: tools.filter((t) => t.id !== toolId),
      people,
      methods: Object.values(IntegrationMethod),
      frequencies: Object.values(IntegrationFrequency),
      statuses: Object.values(IntegrationStatus).filter((s) => s !== IntegrationStatus.RETIRED),
      ...extra,
    });
  }

  @Get('tools/:id/integrations/new')
  @Allow(...INTEGRATION_WRITERS)
  async newForm(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    const form = {
      direction: 'OUTBOUND',
      method: IntegrationMethod.API,
      frequency: IntegrationFrequency.DAILY,
      status: IntegrationStatus.ACTIVE,
    };
    res
      .type('html')
      .send(
        this.views.render(
          'integration-form',
          await this.formCtx(user, res, id, 'Map a data flow', { form, errors: {}, action: `/tools/${id}/integrations` }),
        ),
      );
  }

  @Post('tools/:id/integrations')
  @Allow(...INTEGRATION_WRITERS)
  @SubmitOnce('integration.create')
  async create(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const { dto, errors } = await validateForm(CreateIntegrationDto, flowFormToCreateBody(id, body));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        await this.integrations.create(user, dto);
        return this.flash.redirect(res, `/tools/${id}`, { notice: 'Data flow mapped' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal, CODES, flowField) : flowErrors(errors);
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(
        this.views.render(
          'integration-form',
          await this.formCtx(user, res, id, 'Map a data flow', {
            form: body,
            errors: fe,
            error: refusal ? readerRefusal(refusal) : formErrorSummary(fe, MARKED),
            action: `/tools/${id}/integrations`,
          }),
        ),
      );
  }

  @Get('integrations/:id/edit')
  @Allow(...INTEGRATION_WRITERS)
  async editForm(
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('tool') from?: string,
  ) {
    const flow = await this.integrations.get(id);
    const toolId = from === flow.targetToolId ? flow.targetToolId : flow.sourceToolId;
    const form = { ...flow, dataObjects: flow.dataObjects.join(', ') };
    res.type('html').send(
      this.views.render(
        'integration-form',
        await this.formCtx(user, res, toolId, `Edit the flow ${flow.sourceTool.name} → ${flow.targetTool.name}`, {
          form,
          flow,
          errors: {},
          action: `/integrations/${id}`,
          editing: true,
          ...(flow.status === IntegrationStatus.RETIRED ? { statuses: Object.values(IntegrationStatus), retired: true } : {}),
        }),
      ),
    );
  }

  @Post('integrations/:id')
  @Allow(...INTEGRATION_WRITERS)
  async update(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const flow = await this.integrations.get(id);
    const toolId = str(body, 'tool') === flow.targetToolId ? flow.targetToolId : flow.sourceToolId;
    const { dto, errors } = await validateForm(UpdateIntegrationDto, flowFormToUpdateBody(body));
    let refusal: DomainError | undefined;
    if (dto) {
      try {
        await this.integrations.update(user, id, dto);
        return this.flash.redirect(res, `/tools/${toolId}`, { notice: 'Data flow saved' });
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        refusal = err;
      }
    }
    const fe = refusal ? refusalErrors(refusal, CODES, flowField) : flowErrors(errors);
    res
      .status(refusal ? refusal.status : 400)
      .type('html')
      .send(
        this.views.render(
          'integration-form',
          await this.formCtx(user, res, toolId, `Edit the flow ${flow.sourceTool.name} → ${flow.targetTool.name}`, {
            form: { ...body, sourceTool: flow.sourceTool, targetTool: flow.targetTool },
            flow,
            errors: fe,
            error: refusal ? readerRefusal(refusal) : formErrorSummary(fe, MARKED),
            action: `/integrations/${id}`,
            editing: true,
            ...(flow.status === IntegrationStatus.RETIRED ? { statuses: Object.values(IntegrationStatus), retired: true } : {}),
          }),
        ),
      );
  }

  @Post('integrations/:id/retire')
  @Allow(...INTEGRATION_WRITERS)
  async retire(@CurrentUser() user: AuthUser, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() body: FormBody) {
    const flow = await this.integrations.get(id);
    const back = `/tools/${str(body, 'tool') === flow.targetToolId ? flow.targetToolId : flow.sourceToolId}`;
    const { dto } = await validateForm(RetireIntegrationDto, cleanForm({ version: body.version }, { ints: ['version'] }));
    if (!dto) return this.flash.redirect(res, back, { error: 'This page is out of date. Reload it, then retire the flow again.' });
    try {
      await this.integrations.retire(user, id, dto);
      this.flash.redirect(res, back, { notice: `The flow ${flow.sourceTool.name} → ${flow.targetTool.name} is retired` });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      this.flash.redirect(res, back, { error: readerRefusal(err) });
    }
  }
}
