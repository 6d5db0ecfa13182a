import { Entity } from 'typeorm';
import {
  AllocationShare,
  BigIntColumn,
  BoolColumn,
  DateColumn,
  IntColumn,
  JsonColumn,
  UuidColumn,
  VarcharColumn,
  VersionedEntity,
} from '@stackgate/platform';
import { Billing, ContractStatus, CostType } from '../finance.enums';

@Entity('contracts')
export class Contract extends VersionedEntity {
  @UuidColumn() toolId: string;
  @UuidColumn() vendorId: string;
  @VarcharColumn(120, { nullable: true }) reference: string | null;
  @DateColumn() startDate: string;
  @IntColumn() termMonths: number;
  @VarcharColumn(20) billing: Billing;
  /** Per billing period. */
  @BigIntColumn() amountMinor: bigint;
  @VarcharColumn(3) currency: string;
  @VarcharColumn(20) costType: CostType;
  @IntColumn({ nullable: true }) seats: number | null;
  @BoolColumn() autoRenew: boolean;
  @IntColumn() noticeDays: number;
  @IntColumn() internalLeadDays: number;
  /** The contract's own allocation; null = the tool's (resolved when the ledger is written). */
  @JsonColumn({ nullable: true }) allocation: AllocationShare[] | null;
  @VarcharColumn(20) status: ContractStatus;
  /** Derived from the terms (contract-terms.ts) and stored so renewals and reminders can query them. */
  @DateColumn() endDate: string;
  @DateColumn() cancelByDate: string;
  @DateColumn() reviewStartDate: string;
  @BigIntColumn() annualValueMinor: bigint;
  @UuidColumn({ nullable: true }) createdById: string | null;
  /** Set by the terminate operation (its effective date and reason); null when not terminated or terminated before these were kept. */
  @DateColumn({ nullable: true }) terminatedOn: string | null;
  @VarcharColumn(500, { nullable: true }) terminationReason: string | null;
}
