import { ApiProperty } from '@nestjs/swagger';
import {
  BoolField,
  EnumField,
  IntField,
  PageMetaResponse,
  QueryBoolField,
  SortablePageQueryDto,
  StringField,
  UuidField,
} from '@stackgate/platform';
import { CostCenterKind } from '../../catalog.enums';

const CODE = {
  max: 40,
  pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
  patternMessage: 'code may hold letters, digits, dot, dash and underscore',
};

export class CreateCostCenterDto {
  @StringField({ ...CODE, description: 'Unique; stored upper-cased' }) code: string;
  @StringField({ max: 120 }) name: string;
  @EnumField(CostCenterKind, { description: 'Which budget it belongs to' }) kind: CostCenterKind;
  @UuidField({ nullable: true, description: 'User id' }) ownerId?: string | null;
}

export class UpdateCostCenterDto {
  @StringField({ optional: true, ...CODE }) code?: string;
  @StringField({ optional: true, max: 120 }) name?: string;
  @EnumField(CostCenterKind, { optional: true }) kind?: CostCenterKind;
  @UuidField({ nullable: true }) ownerId?: string | null;
  @BoolField({ optional: true, description: 'false deactivates it' }) active?: boolean;
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version: number;
}

export class CostCenterQueryDto extends SortablePageQueryDto {
  @StringField({ optional: true, max: 100, description: 'Matches code or name' }) search?: string;
  @EnumField(CostCenterKind, { optional: true }) kind?: CostCenterKind;
  @QueryBoolField() active?: boolean;
}

export class CostCenterResponse {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: CostCenterKind }) kind: CostCenterKind;
  @ApiProperty({ type: String, nullable: true }) ownerId: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class CostCenterPageResponse extends PageMetaResponse {
  @ApiProperty({ type: CostCenterResponse, isArray: true }) items: CostCenterResponse[];
}
