import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import {
  AssessmentDto,
  CommentDto,
  CreateRequestDto,
  DecideStageDto,
  RequestQueryDto,
  TurnaroundQueryDto,
  UpdateRequestDto,
  VersionDto,
} from './dto/request.dto';
import { RequestPageResponse, RequestResponse } from './dto/request.response';
import { RequestsService } from './requests.service';
import { ReviewTurnaroundService } from './review-turnaround.service';

const REQUESTERS = [Role.MARKETER, Role.CMO];

@ApiTags('requests')
@Controller('requests')
export class RequestsController {
  constructor(
    private readonly requests: RequestsService,
    private readonly turnaroundService: ReviewTurnaroundService,
  ) {}

  @Post()
  @Allow(...REQUESTERS)
  @ApiOperation({
    summary: 'Create a draft tool request (NEW_TOOL with proposedTool; EXPANSION or RENEWAL with toolId). 422 for unknown references.',
  })
  @ApiCreatedResponse({ type: RequestResponse })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateRequestDto) {
    return this.requests.create(actor, dto);
  }

  @Get()
  @Allow(ANY_ROLE)
  @ApiOperation({
    summary:
      'List requests: queue=mine|awaiting-me (overdue first)|awaiting-assessment (IT and CIO: in review at or before the IT ' +
      'stage, not yet assessed this round, overdue first), status, type. A marketer sees only their own requests.',
  })
  @ApiOkResponse({ type: RequestPageResponse })
  list(@CurrentUser() actor: AuthUser, @Query() query: RequestQueryDto) {
    return this.requests.list(actor, query);
  }

  @Get('turnaround')
  @Allow(Role.CMO, Role.CIO, Role.FINANCE, Role.ADMIN)
  @ApiOperation({
    summary:
      'Review turnaround per stage: median and p90 business hours (Mon–Fri) from opening to decision, plus open and overdue stages now',
  })
  turnaround(@Query() query: TurnaroundQueryDto) {
    return this.turnaroundService.turnaround(query);
  }

  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOperation({
    summary:
      'A request with its stages (every round), comments, latest IT assessment, overlap candidates and integration impact. 404 ' +
      'for a request the caller may not see.',
  })
  @ApiOkResponse({ type: RequestResponse })
  get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.requests.get(actor, id);
  }

  @Patch(':id')
  @Allow(...REQUESTERS)
  @ApiOperation({ summary: "Edit one's own request while DRAFT or CHANGES_REQUESTED (409 otherwise, or when version is stale)" })
  @ApiOkResponse({ type: RequestResponse })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRequestDto) {
    return this.requests.update(actor, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Allow(...REQUESTERS)
  @ApiOperation({
    summary: "Submit (or resubmit: a new round) one's own request. Opens MARKETING, then IT, and FINANCE at or above the threshold.",
  })
  @ApiOkResponse({ type: RequestResponse })
  submit(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: VersionDto) {
    return this.requests.submit(actor, id, dto.version);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Allow(...REQUESTERS)
  @ApiOperation({ summary: "Withdraw one's own request (DRAFT, IN_REVIEW or CHANGES_REQUESTED)" })
  @ApiOkResponse({ type: RequestResponse })
  withdraw(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: VersionDto) {
    return this.requests.withdraw(actor, id, dto.version);
  }

  @Post(':id/comments')
  @Allow(Role.MARKETER, Role.CMO, Role.IT, Role.CIO, Role.FINANCE)
  @ApiOperation({ summary: 'Comment on a request (a marketer on their own only)' })
  @ApiCreatedResponse({ type: RequestResponse })
  comment(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CommentDto) {
    return this.requests.comment(actor, id, dto.body);
  }

  @Post(':id/assessment')
  @Allow(Role.IT, Role.CIO)
  @ApiOperation({
    summary:
      'Record the IT assessment checklist (SSO, attestation, DPA, residency, integration method, risks, recommendation) for the ' +
      'current review round. 403 OWN_REQUEST: nobody assesses a request they created (audited). 409: the request is not in review.',
  })
  @ApiCreatedResponse({ type: RequestResponse })
  assess(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AssessmentDto) {
    return this.requests.assess(actor, id, dto);
  }

  @Post(':id/decisions')
  @HttpCode(200)
  @Allow(Role.CMO, Role.CIO, Role.FINANCE)
  @ApiOperation({
    summary:
      'Decide the current stage (CMO: MARKETING, CIO: IT, FINANCE: FINANCE). 403: wrong role, own request, or a second stage by ' +
      'the same person (audited). 409: not the current stage, stale version, final request. 422 ASSESSMENT_REQUIRED: the IT ' +
      'stage is approved only after IT recorded an assessment in the current round. The last approval puts a NEW_TOOL in the ' +
      'catalog in the same transaction.',
  })
  @ApiOkResponse({ type: RequestResponse })
  decide(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DecideStageDto) {
    return this.requests.decide(actor, id, dto);
  }
}
