import { Entity, PrimaryColumn } from 'typeorm';
import {
  AllocationShare,
  BigIntColumn,
  BoolColumn,
  DateTimeColumn,
  IntColumn,
  JsonColumn,
  TextColumn,
  UuidColumn,
  VarcharColumn,
  VersionedEntity,
} from '@stackgate/platform';
import { DataClassification, ItApprovalStatus, Lifecycle } from '../catalog.enums';

/** A catalog entry: one marketing tool the company runs (or proposes to). */
@Entity('tools')
export class Tool extends VersionedEntity {
  @VarcharColumn(200) name: string;
  /** Lower-cased name: unique regardless of case; imports match tools by it. */
  @VarcharColumn(200) nameKey: string;
  @UuidColumn() vendorId: string;
  @UuidColumn() subcategoryId: string;
  /** The subcategory's top-level category, kept with the tool for filters and the stack map. */
  @UuidColumn() categoryId: string;
  @TextColumn({ nullable: true }) description: string | null;
  @JsonColumn() capabilities: string[];
  @VarcharColumn(20) lifecycle: Lifecycle;
  @VarcharColumn(30) itApprovalStatus: ItApprovalStatus;
  @TextColumn({ nullable: true }) itApprovalRationale: string | null;
  @TextColumn({ nullable: true }) itApprovalConditions: string | null;
  @UuidColumn({ nullable: true }) itApprovalDecidedById: string | null;
  @DateTimeColumn({ nullable: true }) itApprovalDecidedAt: Date | null;
  @UuidColumn({ nullable: true }) businessOwnerId: string | null;
  @UuidColumn({ nullable: true }) technicalOwnerId: string | null;
  /** The cost center that owns the budget. */
  @UuidColumn() budgetOwnerId: string;
  /** Default cost allocation; null means 100 % to the budget owner. */
  @JsonColumn({ nullable: true }) allocation: AllocationShare[] | null;
  @VarcharColumn(30) dataClassification: DataClassification;
  @BoolColumn() ssoEnabled: boolean;
  @VarcharColumn(60, { nullable: true }) hostingRegion: string | null;
  @BoolColumn() isSystemOfRecord: boolean;
  @IntColumn({ nullable: true }) licensedSeats: number | null;
  @IntColumn({ nullable: true }) activeUsers: number | null;
  @VarcharColumn(500, { nullable: true }) website: string | null;
  /** Derived (ACTIVE and not IT-approved), stored so lists and reports can filter on it. */
  @BoolColumn() shadowIt: boolean;
  /** Derived from active contracts by the finance library, in BASE_CURRENCY minor units. */
  @BigIntColumn({ nullable: true }) annualCostMinor: bigint | null;
  @VarcharColumn(3, { nullable: true }) annualCostCurrency: string | null;
  @UuidColumn({ nullable: true }) createdById: string | null;
}

/** One row per (tool, capability tag), lower-cased, for overlap queries. */
@Entity('tool_capabilities')
export class ToolCapability {
  @PrimaryColumn({ type: 'varchar', length: 36 }) toolId: string;
  @PrimaryColumn({ type: 'varchar', length: 100 }) capability: string;
}
