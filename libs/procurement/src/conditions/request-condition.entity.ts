import { Entity } from 'typeorm';
import { DateColumn, DateTimeColumn, IdColumn, IntColumn, TextColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';
import { ConditionState } from './condition-policy';

/** One condition of an approval (the CIO's or finance's), tracked until IT verifies it. */
@Entity('request_conditions')
export class RequestCondition {
  @IdColumn() id: string;
  @UuidColumn() requestId: string;
  /** The stage whose decision set it (IT or FINANCE) and the round. */
  @VarcharColumn(20) stage: string;
  @IntColumn() round: number;
  @IntColumn() position: number;
  @VarcharColumn(1000) text: string;
  @UuidColumn() ownerId: string;
  @DateColumn() dueDate: string;
  @VarcharColumn(20) state: ConditionState;
  @UuidColumn() createdById: string;
  @UuidColumn({ nullable: true }) doneById: string | null;
  @DateTimeColumn({ nullable: true }) doneAt: Date | null;
  @UuidColumn({ nullable: true }) verifiedById: string | null;
  @DateTimeColumn({ nullable: true }) verifiedAt: Date | null;
  @UuidColumn({ nullable: true }) reopenedById: string | null;
  @DateTimeColumn({ nullable: true }) reopenedAt: Date | null;
  @TextColumn({ nullable: true }) reopenReason: string | null;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
