import { Entity } from 'typeorm';
import { DateColumn, DateTimeColumn, IntColumn, TextColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

export enum RenewalDecisionKind {
  RENEW = 'RENEW',
  RENEGOTIATE = 'RENEGOTIATE',
  DOWNSIZE = 'DOWNSIZE',
  CANCEL = 'CANCEL',
}

/**
 * What was decided about renewing one term of a contract (the term ending on `termEndDate`, the
 * contract's end date when the decision was recorded): one row per contract and term, changed in
 * place with its `version` (every change audited with before/after). Editing the contract's dates
 * starts a new term, which needs a decision of its own.
 */
@Entity('renewal_decisions')
export class RenewalDecision extends VersionedEntity {
  @UuidColumn() contractId: string;
  @DateColumn() termEndDate: string;
  @VarcharColumn(20) decision: RenewalDecisionKind;
  /** DOWNSIZE only: the seats to renew. */
  @IntColumn({ nullable: true }) seats: number | null;
  /** Who carries the decision out (tells the vendor, renegotiates). */
  @UuidColumn() ownerId: string;
  @TextColumn() rationale: string;
  @UuidColumn() decidedById: string;
  @DateTimeColumn() decidedAt: Date;
}
