import { ApiProperty } from '@nestjs/swagger';
import { IntField, NestedField, PageMetaResponse, StringField } from '@stackgate/platform';
import { ToolFilterDto } from '../../tools/dto/tool.dto';

const VERSION = { min: 1, max: 2_147_483_647 };

export class CreateCatalogViewDto {
  @StringField({ max: 100, description: 'Unique among your views regardless of case' })
  name: string;

  @NestedField(() => ToolFilterDto, {
    description: 'The list filters and sort of GET /tools (no paging); {} saves the whole catalog in its default order',
  })
  filters: ToolFilterDto;
}

export class UpdateCatalogViewDto {
  @StringField({ optional: true, max: 100, description: 'Rename the view' })
  name?: string;

  @NestedField(() => ToolFilterDto, { optional: true, description: 'Replace the filters and sort (the whole set)' })
  filters?: ToolFilterDto;

  @IntField({ ...VERSION, description: 'The version you read; a stale one is 409' })
  version: number;
}

export class CatalogViewResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: ToolFilterDto, description: 'Only the filters that are set' }) filters: ToolFilterDto;
  @ApiProperty({
    description:
      'The filters as a query string for GET /tools, GET /tools/export and the web catalog (e.g. lifecycle=ACTIVE&sort=-annualCost)',
  })
  query: string;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CatalogViewPageResponse extends PageMetaResponse {
  @ApiProperty({ type: CatalogViewResponse, isArray: true }) items: CatalogViewResponse[];
}
