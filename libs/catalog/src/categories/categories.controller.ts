import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ANY_ROLE, AuthUser, CurrentUser, Role } from '@stackgate/platform';
import { CategoriesService } from './categories.service';
import { CategoryResponse, CategoryTreeResponse, CreateCategoryDto, UpdateCategoryDto } from './dto/category.dto';

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @ApiOperation({ summary: 'The whole two-level martech taxonomy: top-level categories with their subcategories (not paged)' })
  @Get()
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CategoryTreeResponse, isArray: true })
  tree() {
    return this.categories.tree();
  }

  @ApiOperation({ summary: 'One category or subcategory' })
  @Get(':id')
  @Allow(ANY_ROLE)
  @ApiOkResponse({ type: CategoryResponse })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.categories.get(id);
  }

  @ApiOperation({ summary: 'Add a top-level category, or a subcategory with parentId (ADMIN)' })
  @Post()
  @Allow(Role.ADMIN)
  @ApiCreatedResponse({ type: CategoryResponse })
  @ApiConflictResponse({ description: 'CATEGORY_NAME_TAKEN' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateCategoryDto) {
    return this.categories.create(actor, dto);
  }

  @ApiOperation({ summary: 'Rename, reorder or deactivate a category (ADMIN; send the version you read)' })
  @Patch(':id')
  @Allow(Role.ADMIN)
  @ApiOkResponse({ type: CategoryResponse })
  update(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCategoryDto) {
    return this.categories.update(actor, id, dto);
  }

  @ApiOperation({ summary: 'Delete an unused category (ADMIN). In use by tools or with subcategories: 409 CATEGORY_IN_USE' })
  @Delete(':id')
  @HttpCode(204)
  @Allow(Role.ADMIN)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiConflictResponse({ description: 'CATEGORY_IN_USE' })
  remove(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.categories.remove(actor, id);
  }
}
