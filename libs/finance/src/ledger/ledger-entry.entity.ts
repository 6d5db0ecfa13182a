import { Entity } from 'typeorm';
import { BigIntColumn, BoolColumn, DateTimeColumn, IdColumn, IntColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';
import { CostType, LedgerBasis, LedgerSource } from '../finance.enums';

/**
 * One row per month × tool × cost center × cost type × basis × source record (SPEC §4). The
 * category, vendor, cost-center kind and the tool's shadow-IT flag are copied in so a report is one
 * GROUP BY over this table; the ledger_totals table holds the same sums per month without the tool,
 * vendor and source (LedgerService keeps both in step).
 */
@Entity('ledger_entries')
export class LedgerEntry {
  @IdColumn() id: string;
  /** yyyymm. */
  @IntColumn() month: number;
  @UuidColumn() toolId: string;
  @UuidColumn() costCenterId: string;
  @VarcharColumn(20) costCenterKind: string;
  @UuidColumn() categoryId: string;
  @UuidColumn() subcategoryId: string;
  @UuidColumn() vendorId: string;
  /** The tool's current shadow-IT flag (ACTIVE and not IT-approved). */
  @BoolColumn() shadowIt: boolean;
  @VarcharColumn(20) costType: CostType;
  @VarcharColumn(20) basis: LedgerBasis;
  @VarcharColumn(20) sourceType: LedgerSource;
  @UuidColumn() sourceId: string;
  @BigIntColumn() amountMinor: bigint;
  @VarcharColumn(3) currency: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
