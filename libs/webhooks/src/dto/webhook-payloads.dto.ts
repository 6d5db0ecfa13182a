import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WebhookEventType } from '../webhook-event-types';

/*
 * The bodies Stackgate POSTs to webhook endpoints, as OpenAPI schemas (components: WebhookPayload and one
 * `<Type>Data` per event type). Every delivery is `{id, type, createdAt, data}` with the header
 * `Stackgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (one v1 per valid secret).
 */

class ActorData {
  @ApiProperty({ nullable: true, type: String, description: 'Who caused the event (null: the system, e.g. a scheduled job)' })
  actorId: string | null;
}

export class RequestSubmittedData extends ActorData {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ example: 'IN_REVIEW' }) status: string;
  @ApiProperty({ type: Number }) round: number;
  @ApiProperty({ type: String, isArray: true, description: 'The review stages of this round, in order' }) stages: string[];
}

export class RequestStageDecidedData extends ActorData {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ example: 'IT' }) stage: string;
  @ApiProperty({ type: Number }) round: number;
  @ApiProperty({ example: 'APPROVE', description: 'APPROVE, APPROVE_WITH_CONDITIONS, REQUEST_CHANGES or REJECT' }) decision: string;
  @ApiProperty({ nullable: true, type: String }) comment: string | null;
  @ApiProperty({ nullable: true, type: String }) conditions: string | null;
  @ApiProperty({ description: "The request's status after the decision" }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'The stage now open (null when none)' }) currentStage: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) toolId: string | null;
}

export class RequestApprovedData extends ActorData {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ example: 'APPROVED' }) status: string;
  @ApiProperty({ type: Number }) round: number;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The catalog tool created or linked' }) toolId: string | null;
}

export class RequestRejectedData extends ActorData {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ example: 'REJECTED' }) status: string;
  @ApiProperty({ type: Number }) round: number;
  @ApiProperty() stage: string;
}

export class RequestWithdrawnData extends ActorData {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ example: 'WITHDRAWN' }) status: string;
}

export class ToolCreatedData extends ActorData {
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty() name: string;
  @ApiProperty() lifecycle: string;
  @ApiProperty() itApprovalStatus: string;
  @ApiPropertyOptional({ format: 'uuid' }) vendorId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) subcategoryId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) businessOwnerId?: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) technicalOwnerId?: string | null;
  @ApiPropertyOptional({ format: 'uuid' }) budgetOwnerId?: string;
  @ApiPropertyOptional() shadowIt?: boolean;
}

export class ToolItApprovalChangedData extends ActorData {
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty({ nullable: true, type: String }) itApprovalStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) previousItApprovalStatus: string | null;
  @ApiProperty({ nullable: true, type: String }) rationale: string | null;
  @ApiProperty({ nullable: true, type: String }) conditions: string | null;
}

export class ContractRenewalDueData {
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ format: 'uuid' }) toolId: string;
  @ApiProperty() toolName: string;
  @ApiProperty({
    enum: ['review-start', 'cancel-by-minus-7'],
    description: 'review-start: the renewal review opens; cancel-by-minus-7: a week left',
  })
  milestone: string;
  @ApiProperty({ format: 'date' }) endDate: string;
  @ApiProperty({ format: 'date' }) cancelByDate: string;
  @ApiProperty({ format: 'date' }) reviewStartDate: string;
  @ApiProperty({ description: 'Decimal string in the contract currency', example: '12000.00' }) annualValue: string;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty() autoRenew: boolean;
}

/** The data schema of each event type. */
export const WEBHOOK_DATA_SCHEMAS = {
  [WebhookEventType.REQUEST_SUBMITTED]: RequestSubmittedData,
  [WebhookEventType.REQUEST_STAGE_DECIDED]: RequestStageDecidedData,
  [WebhookEventType.REQUEST_APPROVED]: RequestApprovedData,
  [WebhookEventType.REQUEST_REJECTED]: RequestRejectedData,
  [WebhookEventType.REQUEST_WITHDRAWN]: RequestWithdrawnData,
  [WebhookEventType.TOOL_CREATED]: ToolCreatedData,
  [WebhookEventType.TOOL_IT_APPROVAL_CHANGED]: ToolItApprovalChangedData,
  [WebhookEventType.CONTRACT_RENEWAL_DUE]: ContractRenewalDueData,
} as const;

export class WebhookPayload {
  @ApiProperty({ format: 'uuid', description: 'The event id: the same in every redelivery; deduplicate on it' }) id: string;
  @ApiProperty({ enum: WebhookEventType }) type: string;
  @ApiProperty({ format: 'date-time', description: 'When the event happened' }) createdAt: string;
  @ApiProperty({
    description: 'The event data; its schema is the `<Type>Data` component of the event type (e.g. ToolCreatedData for tool.created)',
    type: 'object',
    additionalProperties: true,
  })
  data: Record<string, unknown>;
}
