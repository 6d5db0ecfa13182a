import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AllocationField,
  AllocationShare,
  AllocationShareDto,
  DateField,
  EnumField,
  IntField,
  MoneyDto,
  MoneyField,
  MonthField,
  SortablePageQueryDto,
  StringField,
  UuidField,
} from '@stackgate/platform';
import { CostType, SpendSource } from '../../finance.enums';

export class CreateSpendEntryDto {
  @DateField() date: string;
  @UuidField() toolId: string;
  @UuidField({ optional: true }) contractId?: string;
  @EnumField(CostType) costType: CostType;
  @MoneyField({ description: 'Negative for a credit note' }) amount: MoneyDto;
  @StringField({ optional: true, max: 2000, multiline: true }) description?: string;
  @StringField({ optional: true, max: 200, description: 'Invoice or card reference; unique, so a re-post is refused' })
  externalRef?: string;
  @AllocationField({ optional: true, description: "Defaults to the contract's, else the tool's allocation" })
  allocation?: AllocationShare[];
}

export class UpdateSpendEntryDto {
  @DateField({ optional: true }) date?: string;
  @UuidField({ optional: true }) toolId?: string;
  @UuidField({ nullable: true }) contractId?: string | null;
  @EnumField(CostType, { optional: true }) costType?: CostType;
  @MoneyField({ optional: true }) amount?: MoneyDto;
  @StringField({ nullable: true, max: 2000, multiline: true }) description?: string | null;
  @StringField({ nullable: true, max: 200 }) externalRef?: string | null;
  @AllocationField({ nullable: true }) allocation?: AllocationShare[] | null;
  @IntField({ optional: true, min: 1, max: 2_147_483_647 }) version?: number;
}

export class SpendEntryQueryDto extends SortablePageQueryDto {
  @UuidField({ optional: true }) toolId?: string;
  @UuidField({ optional: true }) contractId?: string;
  @EnumField(CostType, { optional: true }) costType?: CostType;
  @MonthField({ optional: true, description: 'First month, inclusive' }) from?: string;
  @MonthField({ optional: true, description: 'Last month, inclusive' }) to?: string;
  @UuidField({ optional: true, description: "Entries of this vendor's tools" }) vendorId?: string;
  @UuidField({ optional: true, description: 'Entries with a share on this cost center (own, contract or tool allocation)' })
  costCenterId?: string;
  @EnumField(SpendSource, { optional: true, description: 'manual (form, API) or import' }) source?: SpendSource;
}

export class SpendEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() toolId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) contractId: string | null;
  @ApiProperty({ enum: CostType }) costType: CostType;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
  @ApiPropertyOptional({ type: String, nullable: true }) description: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) externalRef: string | null;
  @ApiProperty({ enum: SpendSource }) source: SpendSource;
  @ApiPropertyOptional({ type: AllocationShareDto, isArray: true, nullable: true, description: 'Own allocation; null = inherited' })
  allocation: AllocationShare[] | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class SpendEntryPageResponse {
  @ApiProperty({ type: SpendEntryResponse, isArray: true }) items: SpendEntryResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
}
