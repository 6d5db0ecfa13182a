import { ApiProperty } from '@nestjs/swagger';
import { AllocationShareDto, MoneyDto, PageMetaResponse } from '@stackgate/platform';
import { RequestStatus, RequestType, Stage } from '../review-policy';
import { SecurityAttestation } from '../tool-request.entity';
import { ConditionState } from '../../conditions/condition-policy';
import { ProposedToolDto, RequiredIntegrationDto, StageResponse } from './request.dto';

/*
 * OpenAPI shapes of what request-views.ts answers, so a client generated from the spec sees the
 * id, version and stages it needs to drive the workflow.
 */

export class RequestSummaryResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: RequestType }) type: RequestType;
  @ApiProperty() title: string;
  @ApiProperty({ enum: RequestStatus }) status: RequestStatus;
  @ApiProperty({ format: 'uuid' }) requesterId: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The catalog tool (EXPANSION, RENEWAL; NEW_TOOL once approved)',
  })
  toolId: string | null;
  @ApiProperty({ type: MoneyDto }) estimatedAnnualCost: MoneyDto;
  @ApiProperty({ enum: Stage, nullable: true, description: 'The stage under review; null unless IN_REVIEW' }) currentStage: Stage | null;
  @ApiProperty() round: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueAt: Date | null;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ type: String, format: 'date', nullable: true }) neededBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ description: 'Send it back with edits, submits and decisions; stale is 409' }) version: number;
}

export class RequestPageResponse extends PageMetaResponse {
  @ApiProperty({ type: RequestSummaryResponse, isArray: true }) items: RequestSummaryResponse[];
}

export class RequestCommentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) authorId: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class AssessmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) assessorId: string;
  @ApiProperty() round: number;
  @ApiProperty() ssoSupported: boolean;
  @ApiProperty({ enum: SecurityAttestation }) securityAttestation: SecurityAttestation;
  @ApiProperty() dpaInPlace: boolean;
  @ApiProperty({ type: String, nullable: true }) dataResidency: string | null;
  @ApiProperty({ type: String, nullable: true }) integrationMethod: string | null;
  @ApiProperty({ type: String, nullable: true }) risks: string | null;
  @ApiProperty({ type: String, nullable: true }) recommendation: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class OverlapCandidateResponse {
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, nullable: true }) subcategory: string | null;
  @ApiProperty() lifecycle: string;
  @ApiProperty() itApproval: string;
  @ApiProperty({ type: MoneyDto }) annualCost: MoneyDto;
  @ApiProperty() sameSubcategory: boolean;
  @ApiProperty({ type: String, isArray: true }) sharedCapabilities: string[];
}

export class OverlapSavingResponse {
  @ApiProperty({ type: MoneyDto, description: 'In the base currency' }) estimatedSaving: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: "The group's annual cost: the request's estimate and the overlapping tools' annual cost" })
  groupCost: MoneyDto;
  @ApiProperty({ description: "How estimatedSaving is computed, in words (the governance report's overlap formula)" })
  estimatedSavingBasis: string;
}

export class IntegrationFlowResponse {
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ type: String, nullable: true }) toolName: string | null;
  @ApiProperty({ enum: ['INBOUND', 'OUTBOUND', 'BIDIRECTIONAL'] }) direction: 'INBOUND' | 'OUTBOUND' | 'BIDIRECTIONAL';
  @ApiProperty({ type: String, isArray: true }) dataObjects: string[];
  @ApiProperty() carriesPersonalData: boolean;
  @ApiProperty({ type: String, nullable: true }) targetItApproval: string | null;
  @ApiProperty() targetApproved: boolean;
  @ApiProperty() targetIsSystemOfRecord: boolean;
}

export class IntegrationImpactResponse {
  @ApiProperty({ type: IntegrationFlowResponse, isArray: true }) flows: IntegrationFlowResponse[];
  @ApiProperty() personalDataFlows: number;
  @ApiProperty() unapprovedTargets: number;
  @ApiProperty() connectsToSystemOfRecord: boolean;
}

export class ToolWarningResponse {
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty() toolName: string;
  @ApiProperty({
    enum: ['SUNSETTING', 'RENEWAL_CANCEL'],
    description: 'SUNSETTING: the tool is being sunset; RENEWAL_CANCEL: its renewal decision is to cancel it',
  })
  reason: 'SUNSETTING' | 'RENEWAL_CANCEL';
  @ApiProperty() message: string;
}

export class ConditionResponse {
  @ApiProperty() id: string;
  @ApiProperty() requestId: string;
  @ApiProperty() requestTitle: string;
  @ApiProperty({ type: String, nullable: true, description: 'The catalog tool, once the request is approved' }) toolId: string | null;
  @ApiProperty({ enum: ['IT', 'FINANCE'] }) stage: string;
  @ApiProperty() round: number;
  @ApiProperty() position: number;
  @ApiProperty() text: string;
  @ApiProperty() ownerId: string;
  @ApiProperty({ type: String, nullable: true }) ownerName: string | null;
  @ApiProperty({ format: 'date' }) dueDate: string;
  @ApiProperty({ enum: ConditionState }) state: ConditionState;
  @ApiProperty({ description: 'Open after its due date, on an approved request' }) pastDue: boolean;
  @ApiProperty() createdById: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, nullable: true }) doneById: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) doneAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) verifiedById: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) verifiedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) reopenedById: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reopenedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) reopenReason: string | null;
}

export class RequestResponse extends RequestSummaryResponse {
  @ApiProperty({ type: ConditionResponse, isArray: true, description: 'Conditions of approvals as trackable items (every round)' })
  conditionItems: ConditionResponse[];
  @ApiProperty({ type: ProposedToolDto, nullable: true }) proposedTool: ProposedToolDto | null;
  @ApiProperty() businessCase: string;
  @ApiProperty({ type: String, nullable: true }) expectedOutcomes: string | null;
  @ApiProperty({ type: String, nullable: true }) alternativesConsidered: string | null;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'The estimate in the base currency (set on submit)' })
  estimatedAnnualCostBase: MoneyDto | null;
  @ApiProperty({ type: AllocationShareDto, isArray: true }) allocation: AllocationShareDto[];
  @ApiProperty({ type: String, isArray: true }) dataCategories: string[];
  @ApiProperty({ type: RequiredIntegrationDto, isArray: true }) requiredIntegrations: RequiredIntegrationDto[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: Date | null;
  @ApiProperty({ type: StageResponse, isArray: true, description: 'Every round, in order' }) stages: StageResponse[];
  @ApiProperty({ type: RequestCommentResponse, isArray: true }) comments: RequestCommentResponse[];
  @ApiProperty({ type: AssessmentResponse, nullable: true, description: 'The latest IT assessment' }) assessment: AssessmentResponse | null;
  @ApiProperty({
    type: OverlapCandidateResponse,
    isArray: true,
    description:
      "Catalog tools the request overlaps by the governance report's rule: a shared subcategory (except paid-media channels, " +
      'where several vendors are normal) or at least two shared capability tags',
  })
  overlapCandidates: OverlapCandidateResponse[];
  @ApiProperty({
    type: OverlapSavingResponse,
    nullable: true,
    description: 'For a new tool with overlap candidates: the estimated saving of consolidating them, with its basis; else null',
  })
  overlapSaving: OverlapSavingResponse | null;
  @ApiProperty({ type: IntegrationImpactResponse }) integrationImpact: IntegrationImpactResponse;
  @ApiProperty({
    type: ToolWarningResponse,
    isArray: true,
    description: 'The request names or integrates with a tool that is being sunset or whose renewal decision is to cancel it',
  })
  toolWarnings: ToolWarningResponse[];
}
