import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ExportQueryDto, ImportsService } from '@stackgate/catalog';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import {
  CreateIntegrationDto,
  IntegrationPageResponse,
  IntegrationQueryDto,
  IntegrationResponse,
  RetireIntegrationDto,
  UpdateIntegrationDto,
} from './dto/integration.dto';
import { IntegrationsService } from './integrations.service';

export const INTEGRATION_WRITERS = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];

@ApiTags('integrations')
@Controller('integrations')
export class IntegrationsController {
  constructor(
    private readonly integrations: IntegrationsService,
    private readonly imports: ImportsService,
  ) {}

  @ApiOperation({ summary: 'List data flows (filters: toolId at either end, status, carriesPersonalData, method)' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: IntegrationPageResponse })
  list(@Query() query: IntegrationQueryDto) {
    return this.integrations.list(query);
  }

  @ApiOperation({ summary: 'Download every integration as CSV or XLSX in the integrations import template columns' })
  @Get('export')
  @Allow(ANY_ROLE)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@Query() query: ExportQueryDto, @Res() res: Response): Promise<void> {
    await this.imports.sendExport('integrations', query.format ?? 'csv', res);
  }

  @ApiOperation({ summary: 'One data flow' })
  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: IntegrationResponse })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.integrations.get(id);
  }

  @ApiOperation({ summary: 'Map a data flow between two different catalog tools; one live flow per (source, target, method)' })
  @Post()
  @Allow(...INTEGRATION_WRITERS)
  @ApiCreatedResponse({ type: IntegrationResponse })
  @ApiConflictResponse({ description: 'DUPLICATE_INTEGRATION' })
  @ApiUnprocessableEntityResponse({ description: 'SAME_TOOL, REFERENCE_NOT_FOUND, TOOL_RETIRED' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateIntegrationDto) {
    return this.integrations.create(actor, dto);
  }

  @ApiOperation({ summary: 'Edit a data flow (send the version you read)' })
  @Patch(':id')
  @Allow(...INTEGRATION_WRITERS)
  @ApiOkResponse({ type: IntegrationResponse })
  @ApiConflictResponse({ description: 'STALE_VERSION, DUPLICATE_INTEGRATION' })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateIntegrationDto) {
    return this.integrations.update(actor, id, dto);
  }

  @ApiOperation({ summary: 'Retire a data flow (it no longer counts as live; a new flow with the same method may be mapped)' })
  @Post(':id/retire')
  @HttpCode(200)
  @Allow(...INTEGRATION_WRITERS)
  @ApiOkResponse({ type: IntegrationResponse })
  retire(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RetireIntegrationDto) {
    return this.integrations.retire(actor, id, dto);
  }
}
