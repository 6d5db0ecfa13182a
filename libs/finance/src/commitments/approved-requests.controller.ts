import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, Page } from '@stackgate/platform';
import { FINANCE_READERS } from '../finance.roles';
import { ApprovedCommitmentsService } from './approved-commitments.service';
import { ApprovedRequestPageResponse, ApprovedRequestResponse, CommitmentQueryDto } from './dto/commitment.dto';

@ApiTags('contracts')
@Controller('approved-requests')
export class ApprovedRequestsController {
  constructor(private readonly commitments: ApprovedCommitmentsService) {}

  @ApiOperation({
    summary: 'Approved requests awaiting a contract',
    description:
      'Each approved request carries its estimate as an approved, not yet contracted commitment (reports: basis APPROVED) until finance attaches ' +
      'its contract with POST /contracts and requestId. status=PENDING (default) lists those awaiting a contract, oldest approval first; ATTACHED those done.',
  })
  @Get()
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: ApprovedRequestPageResponse })
  list(@Query() query: CommitmentQueryDto): Promise<Page<ApprovedRequestResponse>> {
    return this.commitments.list(query);
  }

  @ApiOperation({ summary: "One approved request's commitment (404 when the request is not approved)" })
  @Get(':id')
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: ApprovedRequestResponse })
  get(@Param('id', ParseUUIDPipe) requestId: string): Promise<ApprovedRequestResponse> {
    return this.commitments.forRequest(requestId);
  }
}
