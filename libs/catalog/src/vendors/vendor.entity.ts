import { Entity } from 'typeorm';
import { BoolColumn, TextColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

@Entity('vendors')
export class Vendor extends VersionedEntity {
  @VarcharColumn(200) name: string;
  /** Lower-cased name: unique regardless of case on every engine. */
  @VarcharColumn(200) nameKey: string;
  @VarcharColumn(500, { nullable: true }) website: string | null;
  @BoolColumn() soc2: boolean;
  @BoolColumn() iso27001: boolean;
  @BoolColumn() dpaSigned: boolean;
  @TextColumn({ nullable: true }) notes: string | null;
}
