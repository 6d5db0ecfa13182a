import { Entity } from 'typeorm';
import { AllocationShare, BigIntColumn, DateColumn, JsonColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';
import { CommitmentStatus } from '../finance.enums';

/**
 * An approved request's estimate, carried as an "approved, not yet contracted" commitment: written
 * to the ledger (basis APPROVED, source REQUEST) when the request is approved, and retired — its
 * ledger rows removed, the record kept as ATTACHED with the contract — when finance attaches the contract.
 */
@Entity('approved_commitments')
export class ApprovedCommitment extends VersionedEntity {
  /** The approved request (procurement's tool_requests.id); one commitment per request. */
  @UuidColumn() requestId: string;
  @VarcharColumn(200) requestTitle: string;
  @UuidColumn() toolId: string;
  /** The request's estimated annual cost, in the currency it was requested in. */
  @BigIntColumn() annualAmountMinor: bigint;
  @VarcharColumn(3) currency: string;
  /** The estimate in BASE_CURRENCY with the FX rate the request used (null when it was in the base currency). */
  @BigIntColumn({ nullable: true }) annualBaseMinor: bigint | null;
  /** The request's allocation split. */
  @JsonColumn() allocation: AllocationShare[];
  /** The day of the final approval: the commitment runs 12 months from its month. */
  @DateColumn() approvedOn: string;
  @VarcharColumn(20) status: CommitmentStatus;
  @UuidColumn({ nullable: true }) contractId: string | null;
  @UuidColumn({ nullable: true }) approvedById: string | null;
}
