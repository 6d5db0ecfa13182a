import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import {
  AllocationField,
  AllocationShare,
  AllocationShareDto,
  BoolField,
  EnumField,
  IntField,
  MoneyJson,
  PageMetaResponse,
  QueryBoolField,
  SortablePageQueryDto,
  StringArrayField,
  StringField,
  UuidField,
} from '@stackgate/platform';
import { DataClassification, ItApprovalStatus, Lifecycle } from '../../catalog.enums';

const URL_PATTERN = /^https?:\/\/[^\s]+$/;
const VERSION = { min: 1, max: 2_147_483_647 };

export class CreateToolDto {
  @StringField({ max: 200, description: 'Unique regardless of case' })
  name: string;

  @UuidField({ description: 'Vendor id' })
  vendorId: string;

  @UuidField({ description: 'A subcategory (second level of the taxonomy); a top-level category is refused' })
  subcategoryId: string;

  @StringField({ nullable: true, max: 5000, multiline: true })
  description?: string | null;

  @StringArrayField({ optional: true, maxItems: 50, maxLength: 100, description: 'Free capability tags (e.g. email, sms)' })
  capabilities?: string[];

  @EnumField(Lifecycle, { optional: true, description: 'Default ACTIVE (registering a tool already in use)' })
  lifecycle?: Lifecycle;

  @UuidField({ nullable: true, description: 'User id' })
  businessOwnerId?: string | null;

  @UuidField({ nullable: true, description: 'User id' })
  technicalOwnerId?: string | null;

  @UuidField({ description: 'Cost center that owns the budget' })
  budgetOwnerId: string;

  @AllocationField({ nullable: true, description: 'Default cost split; null or omitted = 100 % to the budget owner' })
  allocation?: AllocationShare[] | null;

  @EnumField(DataClassification, { optional: true, description: 'Technical field (IT, CIO, ADMIN). Default NONE' })
  dataClassification?: DataClassification;

  @BoolField({ optional: true, description: 'Technical field (IT, CIO, ADMIN). Default false' })
  ssoEnabled?: boolean;

  @StringField({ nullable: true, max: 60, description: 'Technical field (IT, CIO, ADMIN)' })
  hostingRegion?: string | null;

  @BoolField({ optional: true, description: 'CRM, CDP, data warehouse… Default false' })
  isSystemOfRecord?: boolean;

  @IntField({ nullable: true, min: 0, max: 10_000_000 })
  licensedSeats?: number | null;

  @IntField({ nullable: true, min: 0, max: 10_000_000, description: 'Active users in the last 30 days' })
  activeUsers?: number | null;

  @StringField({ nullable: true, max: 500, pattern: URL_PATTERN, patternMessage: 'website must be an http(s) URL' })
  website?: string | null;
}

export class UpdateToolDto {
  @StringField({
    optional: true,
    max: 200,
    description:
      'Renaming an IT-approved tool (other than a change of case) resets its IT approval to NOT_REVIEWED unless done by IT or CIO',
  })
  name?: string;

  @UuidField({
    optional: true,
    description: 'Changing the vendor of an IT-approved tool resets its IT approval to NOT_REVIEWED unless done by IT or CIO',
  })
  vendorId?: string;

  @UuidField({ optional: true })
  subcategoryId?: string;

  @StringField({ nullable: true, max: 5000, multiline: true })
  description?: string | null;

  @StringArrayField({ optional: true, maxItems: 50, maxLength: 100 })
  capabilities?: string[];

  @EnumField(Lifecycle, {
    optional: true,
    description: 'Moves are validated; RETIRED is final. Retiring with live integrations is 422 unless retireIntegrations is true',
  })
  lifecycle?: Lifecycle;

  @UuidField({ nullable: true })
  businessOwnerId?: string | null;

  @UuidField({ nullable: true })
  technicalOwnerId?: string | null;

  @UuidField({ optional: true })
  budgetOwnerId?: string;

  @AllocationField({ nullable: true, description: 'null resets to 100 % for the budget owner' })
  allocation?: AllocationShare[] | null;

  @EnumField(DataClassification, { optional: true, description: 'Technical field (IT, CIO, ADMIN)' })
  dataClassification?: DataClassification;

  @BoolField({ optional: true, description: 'Technical field (IT, CIO, ADMIN)' })
  ssoEnabled?: boolean;

  @StringField({ nullable: true, max: 60, description: 'Technical field (IT, CIO, ADMIN)' })
  hostingRegion?: string | null;

  @BoolField({ optional: true })
  isSystemOfRecord?: boolean;

  @IntField({ nullable: true, min: 0, max: 10_000_000 })
  licensedSeats?: number | null;

  @IntField({ nullable: true, min: 0, max: 10_000_000 })
  activeUsers?: number | null;

  @StringField({ nullable: true, max: 500, pattern: URL_PATTERN, patternMessage: 'website must be an http(s) URL' })
  website?: string | null;

  @BoolField({ optional: true, description: "With lifecycle RETIRED: also retire the tool's live integrations, in the same transaction" })
  retireIntegrations?: boolean;

  @IntField({ ...VERSION, description: 'The version you read; a stale one is 409' })
  version: number;
}

export class ItApprovalDto {
  @EnumField(ItApprovalStatus)
  status: ItApprovalStatus;

  @StringField({ max: 4000, multiline: true, description: 'Why: required' })
  rationale: string;

  @StringField({ nullable: true, max: 4000, multiline: true, description: 'Required for APPROVED_WITH_CONDITIONS' })
  conditions?: string | null;

  @IntField({ optional: true, ...VERSION, description: 'The version you read; a stale one is 409' })
  version?: number;
}

export class RetireToolDto {
  @IntField({ ...VERSION, description: 'The version you read; a stale one is 409' })
  version: number;

  @BoolField({ optional: true, description: "Also retire the tool's live integrations (otherwise their presence is 422)" })
  retireIntegrations?: boolean;
}

/** The fields the tools list sorts by (an allow-list: nothing else reaches SQL). Ties are broken by id, so pages never overlap. */
export const TOOL_SORT_FIELDS = ['name', 'vendor', 'category', 'lifecycle', 'itApproval', 'annualCost', 'createdAt', 'updatedAt'] as const;

export class ToolQueryDto extends SortablePageQueryDto {
  @StringField({
    optional: true,
    max: 60,
    pattern: /^-?[A-Za-z]+$/,
    patternMessage: 'sort must be a field name, optionally prefixed by - for descending',
    description: `One of ${TOOL_SORT_FIELDS.join(', ')}; prefix with - for descending (e.g. -annualCost). Default name. Anything else is 400 INVALID_SORT`,
  })
  override sort?: string = undefined;

  @StringField({ optional: true, max: 100, description: 'Matches name, vendor name and description' })
  search?: string;

  @UuidField({ optional: true }) categoryId?: string;
  @UuidField({ optional: true }) subcategoryId?: string;
  @EnumField(Lifecycle, { optional: true }) lifecycle?: Lifecycle;
  @EnumField(ItApprovalStatus, { optional: true }) itApproval?: ItApprovalStatus;
  @UuidField({ optional: true }) budgetOwnerId?: string;
  @UuidField({ optional: true }) businessOwnerId?: string;
  @UuidField({ optional: true }) vendorId?: string;
  @EnumField(DataClassification, { optional: true }) dataClassification?: DataClassification;
  @QueryBoolField({ description: 'true: only shadow IT (ACTIVE and not IT-approved)' }) shadowIt?: boolean;
}

/** The list's filters and sort without paging: what a saved view keeps and what an export carries. */
export class ToolFilterDto extends OmitType(ToolQueryDto, ['page', 'pageSize'] as const) {}

export class ExportQueryDto extends ToolFilterDto {
  @EnumField(['csv', 'xlsx'], { optional: true, description: 'Default csv' })
  format?: 'csv' | 'xlsx';
}

export class RefResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class MoneyResponse implements MoneyJson {
  @ApiProperty({ example: '1234.50' }) amount: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
}

export class ItApprovalResponse {
  @ApiProperty({ enum: ItApprovalStatus }) status: ItApprovalStatus;
  @ApiProperty({ type: String, nullable: true }) rationale: string | null;
  @ApiProperty({ type: String, nullable: true }) conditions: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedById: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
}

export class ToolResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() vendorId: string;
  @ApiProperty({ type: RefResponse }) vendor: RefResponse;
  @ApiProperty() subcategoryId: string;
  @ApiProperty({ type: RefResponse }) subcategory: RefResponse;
  @ApiProperty() categoryId: string;
  @ApiProperty({ type: RefResponse }) category: RefResponse;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, isArray: true }) capabilities: string[];
  @ApiProperty({ enum: Lifecycle }) lifecycle: Lifecycle;
  @ApiProperty({ type: ItApprovalResponse }) itApproval: ItApprovalResponse;
  @ApiProperty({ type: String, nullable: true }) businessOwnerId: string | null;
  @ApiProperty({ type: String, nullable: true }) technicalOwnerId: string | null;
  @ApiProperty() budgetOwnerId: string;
  @ApiProperty({
    type: AllocationShareDto,
    isArray: true,
    description: 'Effective allocation: the stored one, else 100 % to the budget owner',
  })
  allocation: AllocationShare[];
  @ApiProperty({ description: 'false when the allocation is the default (100 % to the budget owner)' }) customAllocation: boolean;
  @ApiProperty({ enum: DataClassification }) dataClassification: DataClassification;
  @ApiProperty() ssoEnabled: boolean;
  @ApiProperty({ type: String, nullable: true }) hostingRegion: string | null;
  @ApiProperty() isSystemOfRecord: boolean;
  @ApiProperty({ type: Number, nullable: true }) licensedSeats: number | null;
  @ApiProperty({ type: Number, nullable: true }) activeUsers: number | null;
  @ApiProperty({ type: String, nullable: true }) website: string | null;
  @ApiProperty({ description: 'ACTIVE and not IT-approved' }) shadowIt: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Set while the tool is shadow IT: tells its registrant that the tool awaits IT review (IT and the CIO are notified when a tool becomes shadow IT)',
  })
  itReviewNotice: string | null;
  @ApiProperty({ type: MoneyResponse, description: 'From active contracts, in the base currency' }) annualCost: MoneyResponse;
  @ApiProperty({ type: String, nullable: true }) createdById: string | null;
  @ApiProperty() version: number;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
}

export class ToolPageResponse extends PageMetaResponse {
  @ApiProperty({ type: ToolResponse, isArray: true }) items: ToolResponse[];
}

export class ToolHistoryEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: Date;
  @ApiProperty() action: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty({ type: String, nullable: true }) actorEmail: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'Changed fields: {field: {before, after}}' }) changes: unknown;
  @ApiPropertyOptional({ type: Object, nullable: true }) metadata: unknown;
}

export class ToolHistoryPageResponse extends PageMetaResponse {
  @ApiProperty({ type: ToolHistoryEventResponse, isArray: true }) items: ToolHistoryEventResponse[];
}
