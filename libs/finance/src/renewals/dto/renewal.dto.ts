import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DateField, EnumField, IntField, MoneyDto, PageQueryDto, QueryIntField, StringField, UuidField } from '@stackgate/platform';
import { RenewalDecisionKind } from '../renewal-decision.entity';
import { RENEWAL_STATES, RenewalState } from '../renewal-state';

export class RecordRenewalDecisionDto {
  @EnumField(RenewalDecisionKind, { description: 'RENEW, RENEGOTIATE, DOWNSIZE (with seats) or CANCEL' }) decision: RenewalDecisionKind;
  @IntField({ nullable: true, min: 1, max: 10_000_000, description: 'DOWNSIZE only: seats to keep (fewer than purchased)' }) seats?:
    number | null;
  @UuidField({ description: 'Who carries the decision out (an active user)' }) ownerId: string;
  @StringField({ max: 2000, multiline: true, description: 'Why' }) rationale: string;
  @IntField({
    optional: true,
    min: 1,
    max: 2_147_483_647,
    description: 'The version of the decision you read (when replacing one); a stale one is 409',
  })
  version?: number;
}

export class RenewalQueryDto extends PageQueryDto {
  @EnumField(RENEWAL_STATES, { optional: true, description: 'Only rows in this state' }) state?: RenewalState;
  @QueryIntField({
    optional: true,
    min: 0,
    max: 3650,
    default: 180,
    description:
      'Contracts whose cancel-by date is at most this many days ahead (default 180); missed and decided terms stay listed until the term ends',
  })
  withinDays?: number;
  @DateField({ optional: true, description: 'The day to compute states for (default today, UTC)' }) asOf?: string;
}

export class RenewalPersonResponse {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
}

export class RenewalDecisionResponse {
  @ApiProperty() id: string;
  @ApiProperty() contractId: string;
  @ApiProperty({ format: 'date', description: 'The term the decision is for (the contract end date when it was recorded)' })
  termEndDate: string;
  @ApiProperty({ enum: RenewalDecisionKind }) decision: RenewalDecisionKind;
  @ApiPropertyOptional({ type: Number, nullable: true }) seats: number | null;
  @ApiProperty({ type: RenewalPersonResponse }) owner: RenewalPersonResponse;
  @ApiProperty() rationale: string;
  @ApiProperty({ type: RenewalPersonResponse }) decidedBy: RenewalPersonResponse;
  @ApiProperty() decidedAt: Date;
  @ApiProperty() version: number;
}

export class CostTrendPoint {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ type: MoneyDto }) amount: MoneyDto;
}

export class RenewalNamed {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class RenewalRowResponse {
  @ApiProperty() contractId: string;
  @ApiPropertyOptional({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: RenewalNamed }) tool: RenewalNamed;
  @ApiProperty({ description: 'The tool lifecycle (SUNSETTING tools are flagged)' }) toolLifecycle: string;
  @ApiProperty({ type: RenewalNamed }) vendor: RenewalNamed;
  @ApiProperty({
    enum: RENEWAL_STATES,
    description:
      'UPCOMING before the review starts, DECISION_DUE from review start through the cancel-by date, MISSED after it without a ' +
      'decision, DECIDED once a decision is recorded for the term',
  })
  state: RenewalState;
  @ApiProperty({ description: 'MISSED, or DECISION_DUE with 7 days or fewer left (shown in red)' }) overdue: boolean;
  @ApiProperty({ format: 'date' }) cancelByDate: string;
  @ApiProperty({ format: 'date' }) reviewStartDate: string;
  @ApiProperty({ format: 'date' }) endDate: string;
  @ApiProperty({ description: 'Days from asOf to the cancel-by date (negative once passed)' }) daysToCancelBy: number;
  @ApiProperty() autoRenew: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Seats purchased on the contract' }) seats: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: "The tool's active users (last 30 days)" }) activeUsers: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'activeUsers ÷ seats, 0–1 (4 places); null without both' })
  utilisation: string | null;
  @ApiProperty({ type: MoneyDto }) annualValue: MoneyDto;
  @ApiProperty({
    type: CostTrendPoint,
    isArray: true,
    description: "The tool's actual spend per month over the last 6 months (in the contract currency; months without spend are 0)",
  })
  costTrend: CostTrendPoint[];
  @ApiProperty({ enum: ['UP', 'DOWN', 'FLAT'], description: 'Last 3 months against the 3 before' }) costTrendDirection:
    'UP' | 'DOWN' | 'FLAT';
  @ApiPropertyOptional({ type: RenewalDecisionResponse, nullable: true }) decision: RenewalDecisionResponse | null;
  @ApiProperty({ description: 'Whether the caller may record a decision (FINANCE, or the CMO/CIO owning the budget)' }) canDecide: boolean;
}

export class RenewalPageResponse {
  @ApiProperty({ type: RenewalRowResponse, isArray: true }) items: RenewalRowResponse[];
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiProperty({ format: 'date' }) asOf: string;
  @ApiProperty({ description: 'Rows per state over the whole window (before the state filter)' }) counts: Record<string, number>;
}
