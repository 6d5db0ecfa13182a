import { ApiProperty } from '@nestjs/swagger';
import { BoolField, IntField, StringField, UuidField } from '@stackgate/platform';

export class CreateCategoryDto {
  @StringField({ max: 120, description: 'Unique across both levels regardless of case' }) name: string;
  @UuidField({ nullable: true, description: 'A top-level category: the new one becomes its subcategory. Omit for a top-level category' })
  parentId?: string | null;
}

export class UpdateCategoryDto {
  @StringField({ optional: true, max: 120 }) name?: string;
  @BoolField({ optional: true, description: 'false deactivates it: no new tools may use it' }) active?: boolean;
  @IntField({ optional: true, min: 0, max: 10000 }) sortOrder?: number;
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version: number;
}

export class CategoryResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) parentId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() sortOrder: number;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CategoryTreeResponse extends CategoryResponse {
  @ApiProperty({ type: CategoryResponse, isArray: true }) subcategories: CategoryResponse[];
}
