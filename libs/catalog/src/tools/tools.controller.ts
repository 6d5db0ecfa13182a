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
import { Allow, ANY_ROLE, AuthUser, CurrentUser, PageQueryDto, Role } from '@stackgate/platform';
import { ImportsService } from '../imports/imports.service';
import {
  CreateToolDto,
  ExportQueryDto,
  ItApprovalDto,
  RetireToolDto,
  ToolHistoryPageResponse,
  ToolPageResponse,
  ToolQueryDto,
  ToolResponse,
  UpdateToolDto,
} from './dto/tool.dto';
import { ToolsService } from './tools.service';

export const TOOL_WRITERS = [Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.ADMIN];

@ApiTags('tools')
@Controller('tools')
export class ToolsController {
  constructor(
    private readonly tools: ToolsService,
    private readonly imports: ImportsService,
  ) {}

  @ApiOperation({ summary: 'List catalog tools with filters (search over name, vendor, description), sorting and paging' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ToolPageResponse })
  list(@Query() query: ToolQueryDto) {
    return this.tools.list(query);
  }

  @ApiOperation({
    summary:
      'Download the catalog as CSV or XLSX, with the same columns as the tools import template (export → import is a no-op). ' +
      'Takes the list filters and sort (no paging): the export holds the tools the list would show, in its order',
  })
  @Get('export')
  @Allow(ANY_ROLE)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  async export(@Query() query: ExportQueryDto, @Res() res: Response): Promise<void> {
    const { format, ...filter } = query;
    await this.imports.sendExport('tools', format ?? 'csv', res, filter);
  }

  @ApiOperation({ summary: 'One tool with owners, allocation, IT approval, shadow-IT flag and annual cost' })
  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ToolResponse })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.tools.get(id);
  }

  @ApiOperation({ summary: "The tool's audit events, newest first" })
  @Get(':id/history')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ToolHistoryPageResponse })
  history(@Param('id', ParseUUIDPipe) id: string, @Query() query: PageQueryDto) {
    return this.tools.history(id, query);
  }

  @ApiOperation({
    summary: 'Register a tool. Technical fields (ssoEnabled, hostingRegion, dataClassification) only by IT, CIO, ADMIN: 403 otherwise',
  })
  @Post()
  @Allow(...TOOL_WRITERS)
  @ApiCreatedResponse({ type: ToolResponse })
  @ApiConflictResponse({ description: 'TOOL_NAME_TAKEN (names are unique regardless of case)' })
  @ApiUnprocessableEntityResponse({ description: 'REFERENCE_NOT_FOUND (details.field names the unknown id), NOT_A_SUBCATEGORY' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateToolDto) {
    return this.tools.create(actor, dto);
  }

  @ApiOperation({
    summary:
      'Edit a tool (send the version you read). Technical fields only by IT, CIO, ADMIN; lifecycle moves are validated. ' +
      'Renaming an IT-approved tool or changing its vendor, by anyone but IT or CIO, sends its IT approval back to NOT_REVIEWED ' +
      '(audited as tool.it_approval_reset)',
  })
  @Patch(':id')
  @Allow(...TOOL_WRITERS)
  @ApiOkResponse({ type: ToolResponse })
  @ApiConflictResponse({ description: 'STALE_VERSION, TOOL_NAME_TAKEN' })
  @ApiUnprocessableEntityResponse({ description: 'LIFECYCLE_TRANSITION, TOOL_HAS_LIVE_INTEGRATIONS, REFERENCE_NOT_FOUND' })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateToolDto) {
    return this.tools.update(actor, id, dto);
  }

  @ApiOperation({ summary: "Set the tool's IT approval (CIO only) with a rationale; conditions required for APPROVED_WITH_CONDITIONS" })
  @Post(':id/it-approval')
  @HttpCode(200)
  @Allow(Role.CIO)
  @ApiOkResponse({ type: ToolResponse })
  setItApproval(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ItApprovalDto) {
    return this.tools.setItApproval(actor, id, dto);
  }

  @ApiOperation({
    summary:
      'Retire a tool. With live integrations: 422 listing them unless retireIntegrations is true (then all retire in one transaction)',
  })
  @Post(':id/retire')
  @HttpCode(200)
  @Allow(...TOOL_WRITERS)
  @ApiOkResponse({ type: ToolResponse })
  @ApiUnprocessableEntityResponse({ description: 'TOOL_HAS_LIVE_INTEGRATIONS, LIFECYCLE_TRANSITION' })
  retire(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RetireToolDto) {
    return this.tools.retire(actor, id, dto);
  }
}
