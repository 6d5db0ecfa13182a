import { Entity } from 'typeorm';
import {
  BigIntColumn,
  DateColumn,
  DateTimeColumn,
  IntColumn,
  TextColumn,
  UuidColumn,
  VarcharColumn,
  VersionedEntity,
} from '@stackgate/platform';
import { CandidateSource, CandidateStatus } from '../discovery.enums';

/**
 * A tool nobody registered, found from evidence: one per source and normalised merchant (or app) key.
 * Its spend figures are the sums of its discovery transactions, kept here for the queue's filters
 * and sort (CandidatesService refreshes them whenever its transactions change); an identity-provider
 * candidate carries user counts instead.
 */
@Entity('discovery_candidates')
export class DiscoveryCandidate extends VersionedEntity {
  @VarcharColumn(10) source: CandidateSource;
  /** The normalised merchant or app key (unique per source). */
  @VarcharColumn(120) merchantKey: string;
  /** What the queue calls it: the known product's name, else the key in title case. */
  @VarcharColumn(200) displayName: string;
  @VarcharColumn(20) status: CandidateStatus;
  @UuidColumn({ nullable: true }) suggestedSubcategoryId: string | null;
  /** Sum of its transactions in the base currency (minor units); 0 for identity-provider evidence. */
  @BigIntColumn() totalBaseMinor: bigint;
  @IntColumn() transactions: number;
  /** Distinct employees who paid. */
  @IntColumn() payers: number;
  @DateColumn({ nullable: true }) firstSeen: string | null;
  @DateColumn({ nullable: true }) lastSeen: string | null;
  /** Identity-provider evidence: users assigned, and active in the last 30 days. */
  @IntColumn({ nullable: true }) assignedUsers: number | null;
  @IntColumn({ nullable: true }) activeUsers: number | null;
  /** The tool it was registered as or linked to (REGISTERED, LINKED). */
  @UuidColumn({ nullable: true }) toolId: string | null;
  @TextColumn({ nullable: true }) dismissReason: string | null;
  @UuidColumn({ nullable: true }) decidedById: string | null;
  @DateTimeColumn({ nullable: true }) decidedAt: Date | null;
}
