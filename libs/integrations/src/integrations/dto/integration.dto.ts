import { ApiProperty } from '@nestjs/swagger';
import {
  BoolField,
  EnumField,
  IntField,
  PageMetaResponse,
  QueryBoolField,
  SortablePageQueryDto,
  StringArrayField,
  StringField,
  UuidField,
} from '@stackgate/platform';
import { IntegrationFrequency, IntegrationMethod, IntegrationStatus } from '../integration.entity';

export class CreateIntegrationDto {
  @UuidField({ description: 'Tool the data flows from' }) sourceToolId: string;
  @UuidField({ description: 'Tool the data flows to (not the source)' }) targetToolId: string;
  @StringArrayField({
    maxItems: 50,
    maxLength: 100,
    description: 'Data objects: contacts, leads, events, audiences, orders, consent, spend…',
  })
  dataObjects: string[];
  @EnumField(IntegrationMethod) method: IntegrationMethod;
  @EnumField(IntegrationFrequency) frequency: IntegrationFrequency;
  @EnumField(IntegrationStatus, { optional: true, description: 'Default ACTIVE' }) status?: IntegrationStatus;
  @BoolField({ optional: true, description: 'Default false' }) carriesPersonalData?: boolean;
  @UuidField({ nullable: true, description: 'User id' }) ownerId?: string | null;
  @StringField({ nullable: true, max: 5000, multiline: true }) notes?: string | null;
}

export class UpdateIntegrationDto {
  @StringArrayField({ optional: true, maxItems: 50, maxLength: 100 }) dataObjects?: string[];
  @EnumField(IntegrationMethod, { optional: true }) method?: IntegrationMethod;
  @EnumField(IntegrationFrequency, { optional: true }) frequency?: IntegrationFrequency;
  @EnumField(IntegrationStatus, { optional: true }) status?: IntegrationStatus;
  @BoolField({ optional: true }) carriesPersonalData?: boolean;
  @UuidField({ nullable: true }) ownerId?: string | null;
  @StringField({ nullable: true, max: 5000, multiline: true }) notes?: string | null;
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version: number;
}

export class RetireIntegrationDto {
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; a stale one is 409' }) version: number;
}

export class IntegrationQueryDto extends SortablePageQueryDto {
  @UuidField({ optional: true, description: 'Flows from or to this tool' }) toolId?: string;
  @EnumField(IntegrationStatus, { optional: true }) status?: IntegrationStatus;
  @QueryBoolField() carriesPersonalData?: boolean;
  @EnumField(IntegrationMethod, { optional: true }) method?: IntegrationMethod;
}

export class ToolRefResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class IntegrationResponse {
  @ApiProperty() id: string;
  @ApiProperty() sourceToolId: string;
  @ApiProperty({ type: ToolRefResponse }) sourceTool: ToolRefResponse;
  @ApiProperty() targetToolId: string;
  @ApiProperty({ type: ToolRefResponse }) targetTool: ToolRefResponse;
  @ApiProperty({ type: String, isArray: true }) dataObjects: string[];
  @ApiProperty({ enum: IntegrationMethod }) method: IntegrationMethod;
  @ApiProperty({ enum: IntegrationFrequency }) frequency: IntegrationFrequency;
  @ApiProperty({ enum: IntegrationStatus }) status: IntegrationStatus;
  @ApiProperty() carriesPersonalData: boolean;
  @ApiProperty({ type: String, nullable: true }) ownerId: string | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class IntegrationPageResponse extends PageMetaResponse {
  @ApiProperty({ type: IntegrationResponse, isArray: true }) items: IntegrationResponse[];
}
