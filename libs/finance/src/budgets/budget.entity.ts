import { Entity } from 'typeorm';
import { BigIntColumn, IntColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

/** Cost center × fiscal year → amount in BASE_CURRENCY. */
@Entity('budgets')
export class Budget extends VersionedEntity {
  @UuidColumn() costCenterId: string;
  @IntColumn() fiscalYear: number;
  @BigIntColumn() amountMinor: bigint;
  @VarcharColumn(3) currency: string;
}
