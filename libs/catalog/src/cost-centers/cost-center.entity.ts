import { Entity } from 'typeorm';
import { BoolColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';
import { CostCenterKind } from '../catalog.enums';

/** A budget holder. The "marketing budget" and "IT budget" are sums over cost centers of that kind. */
@Entity('cost_centers')
export class CostCenter extends VersionedEntity {
  /** Unique, stored upper-cased. */
  @VarcharColumn(40) code: string;
  @VarcharColumn(120) name: string;
  @VarcharColumn(20) kind: CostCenterKind;
  @UuidColumn({ nullable: true }) ownerId: string | null;
  @BoolColumn() active: boolean;
}
