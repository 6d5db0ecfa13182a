import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Page, Role } from '@stackgate/platform';
import {
  ContractPageResponse,
  ContractQueryDto,
  ContractResponse,
  CreateContractDto,
  TerminateContractDto,
  UpdateContractDto,
} from './dto/contract.dto';
import { ContractsService } from './contracts.service';
import { FINANCE_READERS } from '../finance.roles';
import { parseVersionQuery } from '../version-query';

@ApiTags('contracts')
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @ApiOperation({ summary: 'List contracts with filters and paging' })
  @Get()
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: ContractPageResponse })
  list(@Query() query: ContractQueryDto): Promise<Page<ContractResponse>> {
    return this.contracts.list(query);
  }

  @ApiOperation({ summary: 'One contract (derived endDate, cancelByDate, reviewStartDate, annualValue)' })
  @Get(':id')
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: ContractResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ContractResponse> {
    return this.contracts.get(id);
  }

  @ApiOperation({ summary: 'Record a contract and its ledger rows (FINANCE)' })
  @Post()
  @Allow(Role.FINANCE)
  @ApiCreatedResponse({ type: ContractResponse })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateContractDto): Promise<ContractResponse> {
    return this.contracts.create(actor, dto);
  }

  @ApiOperation({ summary: 'Edit a contract and its ledger rows (FINANCE; send the version you read)' })
  @Patch(':id')
  @Allow(Role.FINANCE)
  @ApiOkResponse({ type: ContractResponse })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateContractDto): Promise<ContractResponse> {
    return this.contracts.update(id, dto);
  }

  @ApiOperation({
    summary: 'Terminate a contract (FINANCE)',
    description:
      "Sets status CANCELLED: the contract leaves renewals, reminders and the tool's annual cost; its committed ledger rows stay. " +
      'effectiveDate and reason are kept on the contract (terminatedOn, terminationReason) and in the audit event contract.terminated. ' +
      '409 STALE_VERSION or CONTRACT_ALREADY_TERMINATED; ' +
      '422 TERMINATION_BEFORE_START.',
  })
  @Post(':id/terminate')
  @HttpCode(200)
  @Allow(Role.FINANCE)
  @ApiOkResponse({ type: ContractResponse })
  terminate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: TerminateContractDto): Promise<ContractResponse> {
    return this.contracts.terminate(id, dto);
  }

  @ApiOperation({ summary: 'Delete a contract and its ledger rows (FINANCE; ?version= guards against stale deletes)' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.FINANCE)
  @ApiQuery({ name: 'version', required: false, type: Number })
  @ApiNoContentResponse({ description: 'Deleted with its ledger rows' })
  remove(@Param('id', ParseUUIDPipe) id: string, @Query('version') version?: string): Promise<void> {
    return this.contracts.remove(id, parseVersionQuery(version));
  }
}
