import { Entity, Index } from 'typeorm';
import {
  AllocationShare,
  BigIntColumn,
  DateColumn,
  DateTimeColumn,
  IdColumn,
  IntColumn,
  JsonColumn,
  TextColumn,
  UuidColumn,
  VarcharColumn,
  VersionedEntity,
} from '@stackgate/platform';
import { Decision, RequestStatus, RequestType, Stage, StageStatus } from './review-policy';

export interface ProposedTool {
  name: string;
  vendorName: string;
  subcategoryId: string;
  website?: string | null;
  capabilities?: string[];
}
export interface RequiredIntegration {
  toolId: string;
  direction: 'INBOUND' | 'OUTBOUND' | 'BIDIRECTIONAL';
  dataObjects: string[];
}

@Entity('tool_requests')
/** The awaiting-me queue's total: an index-only count (migration 1767002500000). */
@Index('IDX_tool_requests_queue', ['status', 'currentStage', 'requesterId', 'type'])
export class ToolRequest extends VersionedEntity {
  @VarcharColumn(20) type: RequestType;
  @VarcharColumn(200) title: string;
  @VarcharColumn(30) status: RequestStatus;
  @UuidColumn() requesterId: string;
  /** The catalog tool: the target of an EXPANSION/RENEWAL, or the tool a NEW_TOOL request created. */
  @UuidColumn({ nullable: true }) toolId: string | null;
  @JsonColumn({ nullable: true }) proposedTool: ProposedTool | null;
  @TextColumn() businessCase: string;
  @TextColumn({ nullable: true }) expectedOutcomes: string | null;
  @TextColumn({ nullable: true }) alternativesConsidered: string | null;
  @BigIntColumn() estimatedAnnualCostMinor: bigint;
  @VarcharColumn(3) estimatedAnnualCostCurrency: string;
  /** In BASE_CURRENCY, fixed at submission with the FX rate of that month. */
  @BigIntColumn({ nullable: true }) estimatedAnnualCostBaseMinor: bigint | null;
  @JsonColumn() allocation: AllocationShare[];
  @JsonColumn() dataCategories: string[];
  @JsonColumn() requiredIntegrations: RequiredIntegration[];
  @DateColumn({ nullable: true }) neededBy: string | null;
  @IntColumn() round: number;
  @VarcharColumn(20, { nullable: true }) currentStage: Stage | null;
  @DateTimeColumn({ nullable: true }) submittedAt: Date | null;
  @DateTimeColumn({ nullable: true }) closedAt: Date | null;
}

@Entity('review_stages')
/**
 * The awaiting-me queue: open stages in its order (due date, the request's creation, its id; migration 1767002600000),
 * and the reader's decisions (migration 1767002500000).
 */
@Index('IDX_review_stages_queue', ['stage', 'status', 'dueAt', 'requestCreatedAt', 'requestId', 'round'])
@Index('IDX_review_stages_decider', ['decidedById', 'stage', 'requestId'])
export class ReviewStage {
  @IdColumn() id: string;
  @UuidColumn() requestId: string;
  /** The request's createdAt, copied when the stage is created (it never changes): the queue's order, read from the index. */
  @DateTimeColumn() requestCreatedAt: Date;
  @IntColumn() round: number;
  @VarcharColumn(20) stage: Stage;
  @IntColumn() position: number;
  @VarcharColumn(30) status: StageStatus;
  @DateTimeColumn({ nullable: true }) openedAt: Date | null;
  @DateTimeColumn({ nullable: true }) dueAt: Date | null;
  @UuidColumn({ nullable: true }) decidedById: string | null;
  @DateTimeColumn({ nullable: true }) decidedAt: Date | null;
  @VarcharColumn(30, { nullable: true }) decision: Decision | null;
  @TextColumn({ nullable: true }) comment: string | null;
  @TextColumn({ nullable: true }) conditions: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}

@Entity('request_comments')
export class RequestComment {
  @IdColumn() id: string;
  @UuidColumn() requestId: string;
  @UuidColumn() authorId: string;
  @TextColumn() body: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}

export enum SecurityAttestation {
  NONE = 'NONE',
  SOC2 = 'SOC2',
  ISO27001 = 'ISO27001',
  SOC2_AND_ISO27001 = 'SOC2_AND_ISO27001',
}

/** IT's checklist on a request (the latest one is shown to the CIO). */
@Entity('it_assessments')
export class ItAssessment {
  @IdColumn() id: string;
  @UuidColumn() requestId: string;
  @UuidColumn() assessorId: string;
  @IntColumn() round: number;
  @JsonColumn() checklist: {
    ssoSupported: boolean;
    securityAttestation: SecurityAttestation;
    dpaInPlace: boolean;
    dataResidency: string | null;
    integrationMethod: string | null;
    risks: string | null;
    recommendation: string | null;
  };
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
