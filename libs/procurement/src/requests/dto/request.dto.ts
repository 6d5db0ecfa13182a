import { ApiProperty } from '@nestjs/swagger';
import {
  AllocationField,
  AllocationShare,
  BoolField,
  DateField,
  EnumField,
  IntField,
  MoneyDto,
  MoneyField,
  NestedField,
  SortablePageQueryDto,
  StringArrayField,
  StringField,
  UuidField,
} from '@stackgate/platform';
import { Decision, RequestStatus, RequestType, Stage, StageStatus } from '../review-policy';
import { SecurityAttestation } from '../tool-request.entity';

export class ProposedToolDto {
  @StringField({ max: 200, description: 'Name of the tool to buy' }) name: string;
  @StringField({ max: 200, description: 'Vendor, matched by name (created on approval when new)' }) vendorName: string;
  @UuidField({ description: 'Subcategory of the martech taxonomy' }) subcategoryId: string;
  @StringField({ optional: true, nullable: true, max: 500, pattern: /^https?:\/\/\S+$/, patternMessage: 'website must be an http(s) URL' })
  website?: string | null;
  @StringArrayField({ optional: true, maxItems: 30, maxLength: 100, description: 'Capability tags (used to find overlapping tools)' })
  capabilities?: string[];
}

export class RequiredIntegrationDto {
  @UuidField({ description: 'Catalog tool the new one exchanges data with' }) toolId: string;
  @EnumField(['INBOUND', 'OUTBOUND', 'BIDIRECTIONAL'], { description: 'OUTBOUND: from the requested tool to toolId' }) direction:
    'INBOUND' | 'OUTBOUND' | 'BIDIRECTIONAL';
  @StringArrayField({ maxItems: 30, maxLength: 60, minItems: 1, description: 'e.g. contacts, leads, events' }) dataObjects: string[];
}

export class CreateRequestDto {
  @EnumField(RequestType) type: RequestType;
  @StringField({ max: 200 }) title: string;
  @UuidField({ optional: true, description: 'The catalog tool (EXPANSION, RENEWAL)' }) toolId?: string;
  @NestedField(() => ProposedToolDto, { optional: true, description: 'The proposed tool (NEW_TOOL)' }) proposedTool?: ProposedToolDto;
  @StringField({ max: 10000, multiline: true, description: 'Problem to solve and why now' }) businessCase: string;
  @StringField({ optional: true, nullable: true, max: 10000, multiline: true, description: 'Expected outcomes and KPIs' })
  expectedOutcomes?: string | null;
  @StringField({ optional: true, nullable: true, max: 10000, multiline: true }) alternativesConsidered?: string | null;
  @MoneyField({ nonNegative: true, description: 'Estimated annual cost' }) estimatedAnnualCost: MoneyDto;
  @AllocationField({ description: 'Proposed split across cost centers (sum 10000)' }) allocation: AllocationShare[];
  @StringArrayField({
    optional: true,
    maxItems: 30,
    maxLength: 60,
    description: 'Data categories the tool will process (e.g. contacts, behavioural)',
  })
  dataCategories?: string[];
  @NestedField(() => RequiredIntegrationDto, { optional: true, isArray: true, maxItems: 30 })
  requiredIntegrations?: RequiredIntegrationDto[];
  @DateField({ optional: true, nullable: true }) neededBy?: string | null;
}

export class UpdateRequestDto {
  @StringField({ optional: true, max: 200 }) title?: string;
  @UuidField({ optional: true }) toolId?: string;
  @NestedField(() => ProposedToolDto, { optional: true }) proposedTool?: ProposedToolDto;
  @StringField({ optional: true, max: 10000, multiline: true }) businessCase?: string;
  @StringField({ optional: true, nullable: true, max: 10000, multiline: true }) expectedOutcomes?: string | null;
  @StringField({ optional: true, nullable: true, max: 10000, multiline: true }) alternativesConsidered?: string | null;
  @MoneyField({ optional: true, nonNegative: true }) estimatedAnnualCost?: MoneyDto;
  @AllocationField({ optional: true }) allocation?: AllocationShare[];
  @StringArrayField({ optional: true, maxItems: 30, maxLength: 60 }) dataCategories?: string[];
  @NestedField(() => RequiredIntegrationDto, { optional: true, isArray: true, maxItems: 30 })
  requiredIntegrations?: RequiredIntegrationDto[];
  @DateField({ optional: true, nullable: true }) neededBy?: string | null;
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; stale is 409' }) version: number;
}

export class VersionDto {
  @IntField({ min: 1, max: 2_147_483_647, description: 'The version you read; stale is 409' }) version: number;
}

export class ConditionItemDto {
  @StringField({ max: 1000, description: 'What must be done, e.g. "Sign the DPA before go-live"' }) text: string;
  @UuidField({ description: 'The user who must fulfil it (an active user)' }) ownerId: string;
  @DateField({ description: 'When it must be done (today or later)' }) dueDate: string;
}

export class DecideStageDto {
  @EnumField(Stage) stage: Stage;
  @EnumField(Decision) decision: Decision;
  @StringField({
    optional: true,
    nullable: true,
    max: 5000,
    multiline: true,
    description: 'Required for REJECT (the reason) and REQUEST_CHANGES',
  })
  comment?: string | null;
  @StringField({
    optional: true,
    nullable: true,
    max: 5000,
    multiline: true,
    description: 'Required for APPROVE_WITH_CONDITIONS unless conditionItems are given; with items it is their texts, one per line',
  })
  conditions?: string | null;
  @NestedField(() => ConditionItemDto, {
    optional: true,
    isArray: true,
    maxItems: 20,
    description:
      'APPROVE_WITH_CONDITIONS at the IT or FINANCE stage: the conditions as trackable items (owner, due date; open → done → ' +
      'verified by IT). conditions becomes their joined text.',
  })
  conditionItems?: ConditionItemDto[];
  @IntField({ min: 1, max: 2_147_483_647, description: 'The request version the decision was made on' }) version: number;
}

export class AssessmentDto {
  @BoolField() ssoSupported: boolean;
  @EnumField(SecurityAttestation) securityAttestation: SecurityAttestation;
  @BoolField() dpaInPlace: boolean;
  @StringField({ optional: true, nullable: true, max: 120, description: 'e.g. EU, US, EU+US' }) dataResidency?: string | null;
  @StringField({ optional: true, nullable: true, max: 60, description: 'NATIVE, API, IPAAS, FILE or MANUAL — or free text' })
  integrationMethod?: string | null;
  @StringField({ optional: true, nullable: true, max: 5000, multiline: true }) risks?: string | null;
  @StringField({ optional: true, nullable: true, max: 5000, multiline: true }) recommendation?: string | null;
}

export class CommentDto {
  @StringField({ max: 5000, multiline: true }) body: string;
}

/** The request lists' queues (`?queue=`). */
export const REQUEST_QUEUES = ['mine', 'awaiting-me', 'awaiting-assessment'] as const;
export type RequestQueue = (typeof REQUEST_QUEUES)[number];

export class RequestQueryDto extends SortablePageQueryDto {
  @EnumField(REQUEST_QUEUES, {
    optional: true,
    description:
      'mine: created by me; awaiting-me: the current stage is mine to decide (overdue first); awaiting-assessment (IT, CIO): in ' +
      'review at the IT stage or before it, ' +
      'with no IT assessment in the current round, not created by me (overdue first, then by due date)',
  })
  queue?: RequestQueue;
  @EnumField(RequestStatus, { optional: true }) status?: RequestStatus;
  @EnumField(RequestType, { optional: true }) type?: RequestType;
}

export class TurnaroundQueryDto {
  @DateField({ optional: true, description: 'Decisions from this date (inclusive); default 12 months ago' }) from?: string;
  @DateField({ optional: true, description: 'Decisions up to this date (inclusive); default today' }) to?: string;
}

export class StageResponse {
  @ApiProperty({ enum: Stage }) stage: Stage;
  @ApiProperty() round: number;
  @ApiProperty({ enum: StageStatus }) status: StageStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) openedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: Date | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: String, nullable: true }) decidedById: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: Date | null;
  @ApiProperty({ enum: Decision, nullable: true }) decision: Decision | null;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty({ type: String, nullable: true }) conditions: string | null;
}
