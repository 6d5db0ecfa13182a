import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { CostCentersService } from './cost-centers.service';
import {
  CostCenterPageResponse,
  CostCenterQueryDto,
  CostCenterResponse,
  CreateCostCenterDto,
  UpdateCostCenterDto,
} from './dto/cost-center.dto';

@ApiTags('cost-centers')
@Controller('cost-centers')
export class CostCentersController {
  constructor(private readonly costCenters: CostCentersService) {}

  @ApiOperation({ summary: 'List cost centers (filters: search, kind, active)' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CostCenterPageResponse })
  list(@Query() query: CostCenterQueryDto) {
    return this.costCenters.list(query);
  }

  @ApiOperation({ summary: 'One cost center' })
  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CostCenterResponse })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.costCenters.get(id);
  }

  @ApiOperation({ summary: 'Create a cost center (ADMIN); kind MARKETING, IT or OTHER decides which budget it counts toward' })
  @Post()
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: CostCenterResponse })
  @ApiConflictResponse({ description: 'COST_CENTER_CODE_TAKEN' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCostCenterDto) {
    return this.costCenters.create(actor, dto);
  }

  @ApiOperation({ summary: 'Edit or deactivate a cost center (ADMIN; send the version you read)' })
  @Patch(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: CostCenterResponse })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCostCenterDto) {
    return this.costCenters.update(actor, id, dto);
  }
}
