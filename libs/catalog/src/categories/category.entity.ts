import { Entity } from 'typeorm';
import { BoolColumn, IntColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

/**
 * The two-level martech taxonomy: top-level categories (parentId null) and their subcategories.
 * Names are unique across both levels regardless of case (nameKey), so imports match by name.
 */
@Entity('categories')
export class Category extends VersionedEntity {
  @VarcharColumn(120) name: string;
  @VarcharColumn(120) nameKey: string;
  @UuidColumn({ nullable: true }) parentId: string | null;
  @BoolColumn() active: boolean;
  @IntColumn() sortOrder: number;
}
