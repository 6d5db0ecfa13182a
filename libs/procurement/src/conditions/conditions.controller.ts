import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, EnumField, QueryBoolField, StringField, UuidField } from '@stackgate/platform';
import { ConditionResponse } from '../requests/dto/request.response';
import { ConditionState } from './condition-policy';
import { RequestConditionsService } from './request-conditions.service';

export class ConditionQueryDto {
  @UuidField({ optional: true, description: 'The request the conditions belong to' }) requestId?: string;
  @UuidField({ optional: true, description: 'The catalog tool an approved request brought in' }) toolId?: string;
  @EnumField(['me'], { optional: true, description: 'me: conditions I own on approved requests (my "conditions to do")' }) owner?: 'me';
  @EnumField(ConditionState, { optional: true }) state?: ConditionState;
  @QueryBoolField({ optional: true, description: 'Only open conditions of approved requests after their due date' }) pastDue?: boolean;
}

export class ConditionNoteDto {
  @StringField({
    optional: true,
    nullable: true,
    max: 2000,
    multiline: true,
    description: 'What was done or checked (kept in the audit trail)',
  })
  note?: string | null;
}

export class ConditionReopenDto {
  @StringField({
    optional: true,
    nullable: true,
    max: 2000,
    multiline: true,
    description: 'Required to reopen: why the condition is not fulfilled',
  })
  reason?: string | null;
}

export class ConditionListResponse {
  @ApiProperty({ type: ConditionResponse, isArray: true }) items: ConditionResponse[];
}

/** Conditions of approvals as trackable items: list them, and move them open → done → verified (or reopen). */
@ApiTags('conditions')
@Controller('conditions')
export class ConditionsController {
  constructor(private readonly conditions: RequestConditionsService) {}

  @Get()
  @Allow(ANY_ROLE)
  @ApiOperation({
    summary:
      'Conditions set by the CIO or finance on approvals, past due first (by due date). A marketer sees the ones they own or of their own requests.',
  })
  @ApiOkResponse({ type: ConditionListResponse })
  async list(@CurrentUser() actor: AuthUser, @Query() query: ConditionQueryDto) {
    return { items: await this.conditions.list(actor, { ...query, ownerId: query.owner === 'me' ? actor.id : undefined }) };
  }

  @Post(':id/done')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ConditionResponse })
  @ApiOperation({
    summary: 'Mark an open condition done (its owner, IT or the CIO). 403 anyone else; 409 not open, or the request is not approved.',
  })
  done(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ConditionNoteDto) {
    return this.conditions.transition(actor, id, 'done', null, dto.note);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ConditionResponse })
  @ApiOperation({ summary: 'Verify a done condition (IT or the CIO, not the person who marked it done). 403 anyone else; 409 not done.' })
  verify(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ConditionNoteDto) {
    return this.conditions.transition(actor, id, 'verify', null, dto.note);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: ConditionResponse })
  @ApiOperation({
    summary:
      'Reopen a done or verified condition with a reason (IT or the CIO); its owner is told. 400 no reason; 403 anyone else; 409 already open.',
  })
  reopen(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: ConditionReopenDto) {
    return this.conditions.transition(actor, id, 'reopen', dto.reason);
  }
}
