import { Entity } from 'typeorm';
import {
  AllocationShare,
  BigIntColumn,
  DateColumn,
  IntColumn,
  JsonColumn,
  TextColumn,
  UuidColumn,
  VarcharColumn,
  VersionedEntity,
} from '@stackgate/platform';
import { CostType, SpendSource } from '../finance.enums';

@Entity('spend_entries')
export class SpendEntry extends VersionedEntity {
  @DateColumn() date: string;
  /** yyyymm of `date`. */
  @IntColumn() month: number;
  @UuidColumn() toolId: string;
  @UuidColumn({ nullable: true }) contractId: string | null;
  @VarcharColumn(20) costType: CostType;
  @BigIntColumn() amountMinor: bigint;
  @VarcharColumn(3) currency: string;
  @TextColumn({ nullable: true }) description: string | null;
  /** 'manual' or 'import': externalRef is unique per source. */
  @VarcharColumn(20) source: SpendSource;
  @VarcharColumn(200, { nullable: true }) externalRef: string | null;
  @JsonColumn({ nullable: true }) allocation: AllocationShare[] | null;
  @UuidColumn({ nullable: true }) createdById: string | null;
}
