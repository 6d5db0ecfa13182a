import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Allow, AuthUser, CurrentUser, Page, Role } from '@stackgate/platform';
import { FINANCE_READERS } from '../finance.roles';
import { parseVersionQuery } from '../version-query';
import {
  CreateSpendEntryDto,
  SpendEntryPageResponse,
  SpendEntryQueryDto,
  SpendEntryResponse,
  UpdateSpendEntryDto,
} from './dto/spend-entry.dto';
import { SpendEntriesService } from './spend-entries.service';

@ApiTags('spend-entries')
@Controller('spend-entries')
export class SpendEntriesController {
  constructor(private readonly spend: SpendEntriesService) {}

  @ApiOperation({ summary: 'List spend entries with filters and paging' })
  @Get()
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: SpendEntryPageResponse })
  list(@Query() query: SpendEntryQueryDto): Promise<Page<SpendEntryResponse>> {
    return this.spend.list(query);
  }

  @ApiOperation({ summary: 'One spend entry' })
  @Get(':id')
  @Allow(...FINANCE_READERS)
  @ApiOkResponse({ type: SpendEntryResponse })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<SpendEntryResponse> {
    return this.spend.get(id);
  }

  @ApiOperation({ summary: 'Record a spend entry and its ledger rows (FINANCE)' })
  @Post()
  @Allow(Role.FINANCE)
  @ApiCreatedResponse({ type: SpendEntryResponse })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateSpendEntryDto): Promise<SpendEntryResponse> {
    return this.spend.create(actor, dto);
  }

  @ApiOperation({ summary: 'Edit a spend entry and its ledger rows (FINANCE; send the version you read)' })
  @Patch(':id')
  @Allow(Role.FINANCE)
  @ApiOkResponse({ type: SpendEntryResponse })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSpendEntryDto): Promise<SpendEntryResponse> {
    return this.spend.update(id, dto);
  }

  @ApiOperation({ summary: 'Delete a spend entry and its ledger rows (FINANCE; ?version= guards against stale deletes)' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.FINANCE)
  @ApiQuery({ name: 'version', required: false, type: Number })
  @ApiNoContentResponse({ description: 'Deleted with its ledger rows' })
  remove(@Param('id', ParseUUIDPipe) id: string, @Query('version') version?: string): Promise<void> {
    return this.spend.remove(id, parseVersionQuery(version));
  }
}
