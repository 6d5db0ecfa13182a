import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, PageQueryDto } from '@stackgate/platform';
import { CatalogViewsService } from './catalog-views.service';
import { CatalogViewPageResponse, CatalogViewResponse, CreateCatalogViewDto, UpdateCatalogViewDto } from './dto/catalog-view.dto';

const NOT_YOURS = "NOT_FOUND: no such view among yours (another user's view is not found either)";

@ApiTags('catalog-views')
@Controller('catalog-views')
export class CatalogViewsController {
  constructor(private readonly views: CatalogViewsService) {}

  @ApiOperation({ summary: 'Your saved views of the catalog list (filters and sort), by name; each user sees only their own' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CatalogViewPageResponse })
  list(@CurrentUser() actor: AuthUser, @Query() query: PageQueryDto) {
    return this.views.list(actor, query);
  }

  @ApiOperation({ summary: 'One of your saved views' })
  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CatalogViewResponse })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  get(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.views.get(actor, id);
  }

  @ApiOperation({ summary: 'Save the current filters and sort of the catalog list under a name (at most 50 views per user)' })
  @Post()
  @Allow(ANY_ROLE)
  @ApiCreatedResponse({ type: CatalogViewResponse })
  @ApiConflictResponse({ description: 'CATALOG_VIEW_NAME_TAKEN (names are unique per user regardless of case)' })
  @ApiUnprocessableEntityResponse({ description: 'CATALOG_VIEW_LIMIT' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCatalogViewDto) {
    return this.views.create(actor, dto);
  }

  @ApiOperation({ summary: 'Rename a view and/or replace its filters (send the version you read)' })
  @Patch(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CatalogViewResponse })
  @ApiNotFoundResponse({ description: NOT_YOURS })
  @ApiConflictResponse({ description: 'CATALOG_VIEW_NAME_TAKEN, STALE_VERSION' })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCatalogViewDto) {
    return this.views.update(actor, id, dto);
  }

  @ApiOperation({ summary: 'Delete one of your views' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(ANY_ROLE)
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: NOT_YOURS })
  async remove(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.views.remove(actor, id);
  }
}
