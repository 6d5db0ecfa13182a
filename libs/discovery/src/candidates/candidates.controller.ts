import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { CandidateActionsService } from './candidate-actions.service';
import { CandidatesService } from './candidates.service';
import {
  CandidateDetailResponse,
  CandidatePageResponse,
  CandidateQueryDto,
  DismissCandidateDto,
  LinkCandidateDto,
  RegisterCandidateDto,
  ReopenCandidateDto,
} from './dto/candidate.dto';

/** Who reads the discovery queue, and who acts on it. */
export const DISCOVERY_READERS = [Role.IT, Role.CIO, Role.CMO, Role.FINANCE] as const;
export const DISCOVERY_ACTORS = [Role.IT, Role.CIO] as const;

const STATE_409 =
  'CANDIDATE_STATE: not allowed from the current status (register, link: from OPEN or DISMISSED; dismiss: from OPEN; ' +
  'reopen: from DISMISSED, REGISTERED or LINKED); STALE_VERSION when another action got there first';

@ApiTags('discovery')
@Controller('discovery/candidates')
export class CandidatesController {
  constructor(
    private readonly candidates: CandidatesService,
    private readonly actions: CandidateActionsService,
  ) {}

  @ApiOperation({
    summary:
      'The discovery queue: tools nobody registered, found in imported spend (source SPEND) or in the identity provider (IDP). ' +
      'Filters status, source, q; sort totalSpend (default, descending), lastSeen, firstSeen, transactions, merchant, createdAt. ' +
      'totalSpend is in the base currency. IT, CIO, CMO, FINANCE.',
  })
  @Get()
  @Allow(...DISCOVERY_READERS)
  @ApiOkResponse({ type: CandidatePageResponse })
  list(@Query() query: CandidateQueryDto) {
    return this.candidates.list(query);
  }

  @ApiOperation({ summary: 'One candidate with its latest transactions' })
  @Get(':id')
  @Allow(...DISCOVERY_READERS)
  @ApiOkResponse({ type: CandidateDetailResponse })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.candidates.get(id);
  }

  @ApiOperation({
    summary:
      'Register the candidate as a tool in use (lifecycle ACTIVE, IT approval NOT_REVIEWED: shadow IT until IT reviews it). ' +
      'The vendor is found by name or registered; the merchant is learned as an alias; its transactions become actual spend ' +
      "entries on the tool (the line's cost center, else the tool's allocation). IT, CIO.",
  })
  @Post(':id/register')
  @HttpCode(200)
  @Allow(...DISCOVERY_ACTORS)
  @ApiOkResponse({ type: CandidateDetailResponse })
  @ApiConflictResponse({ description: `${STATE_409}; TOOL_NAME_TAKEN` })
  @ApiUnprocessableEntityResponse({ description: 'REFERENCE_NOT_FOUND (subcategory, budget owner)' })
  register(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: RegisterCandidateDto) {
    return this.actions.register(actor, id, dto);
  }

  @ApiOperation({ summary: 'Link the candidate to an existing tool: the merchant becomes its alias and the spend moves to it. IT, CIO.' })
  @Post(':id/link')
  @HttpCode(200)
  @Allow(...DISCOVERY_ACTORS)
  @ApiOkResponse({ type: CandidateDetailResponse })
  @ApiConflictResponse({ description: STATE_409 })
  @ApiUnprocessableEntityResponse({ description: 'REFERENCE_NOT_FOUND (toolId), CANDIDATE_TOOL_RETIRED' })
  link(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: LinkCandidateDto) {
    return this.actions.link(actor, id, dto);
  }

  @ApiOperation({ summary: 'Dismiss the candidate as not software; later transactions of the merchant are ignored. IT, CIO.' })
  @Post(':id/dismiss')
  @HttpCode(200)
  @Allow(...DISCOVERY_ACTORS)
  @ApiOkResponse({ type: CandidateDetailResponse })
  @ApiConflictResponse({ description: STATE_409 })
  dismiss(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DismissCandidateDto) {
    return this.actions.dismiss(actor, id, dto);
  }

  @ApiOperation({
    summary:
      'Put the candidate back in the queue (from DISMISSED, REGISTERED or LINKED): the alias is forgotten and spend moved to a ' +
      'tool moves back (its spend entries are deleted); a registered tool stays in the catalog. IT, CIO.',
  })
  @Post(':id/reopen')
  @HttpCode(200)
  @Allow(...DISCOVERY_ACTORS)
  @ApiOkResponse({ type: CandidateDetailResponse })
  @ApiConflictResponse({ description: STATE_409 })
  reopen(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ReopenCandidateDto) {
    return this.actions.reopen(actor, id, dto);
  }
}
