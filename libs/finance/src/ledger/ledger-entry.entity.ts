import { Entity } from 'typeorm';
import { BigIntColumn, DateTimeColumn, IdColumn, IntColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';
import { CostType, LedgerBasis, LedgerSource } from '../finance.enums';

/**
 * One row per month × tool × cost center × cost type × basis × source record (SPEC §4). The
 * category, vendor and cost-center kind are copied in so a report is one GROUP BY over this table.
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
  @VarcharColumn(20) costType: CostType;
  @VarcharColumn(20) basis: LedgerBasis;
  @VarcharColumn(20) sourceType: LedgerSource;
  @UuidColumn() sourceId: string;
  @BigIntColumn() amountMinor: bigint;
  @VarcharColumn(3) currency: string;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() updatedAt: Date;
}
