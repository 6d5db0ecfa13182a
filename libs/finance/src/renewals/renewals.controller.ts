import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { FINANCE_READERS } from '../finance.roles';
import { RecordRenewalDecisionDto, RenewalPageResponse, RenewalQueryDto, RenewalRowResponse } from './dto/renewal.dto';
import { RenewalsService } from './renewals.service';

@ApiTags('renewals')
@Controller('renewals')
export class RenewalsController {
  constructor(private readonly renewals: RenewalsService) {}

  @ApiOperation({
    summary:
      'The renewal workbench: current contract terms by cancel-by date with state (UPCOMING, DECISION_DUE, MISSED, DECIDED), ' +
      'utilisation, cost trend and decision',
  })
  @Get()
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: RenewalPageResponse })
  list(@CurrentUser() actor: AuthUser, @Query() query: RenewalQueryDto): Promise<RenewalPageResponse> {
    return this.renewals.list(actor, query);
  }

  @ApiOperation({ summary: "One contract's current term on the renewal workbench" })
  @Get(':id')
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: RenewalRowResponse })
  get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) contractId: string): Promise<RenewalRowResponse> {
    return this.renewals.row(actor, contractId);
  }

  @ApiOperation({
    summary:
      "Record or replace the renewal decision of the contract's current term (FINANCE, or the CMO/CIO who owns the tool's " +
      "budget owner cost center; send the decision's version when replacing)",
  })
  @Put(':id/decision')
  @Allow(Role.FINANCE, Role.CMO, Role.CIO)
  @ApiOkResponse({ type: RenewalRowResponse, description: 'The workbench row with the decision' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: a CMO or CIO who does not own the tool budget' })
  @ApiConflictResponse({ description: 'STALE_VERSION: the decision changed since you read it' })
  @ApiUnprocessableEntityResponse({ description: 'RENEWAL_CONTRACT_NOT_ACTIVE, RENEWAL_SEATS_NOT_FEWER, REFERENCE_NOT_FOUND (ownerId)' })
  decide(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) contractId: string,
    @Body() dto: RecordRenewalDecisionDto,
  ): Promise<RenewalRowResponse> {
    return this.renewals.decide(actor, contractId, dto);
  }
}
