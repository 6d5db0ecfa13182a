import { Entity } from 'typeorm';
import { TextColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

/**
 * A saved view of the catalog list: one user's named filters and sort. Private to its owner (any
 * other user gets 404); names are unique per owner regardless of case.
 */
@Entity('catalog_views')
export class CatalogView extends VersionedEntity {
  @UuidColumn() ownerId: string;
  @VarcharColumn(100) name: string;
  /** The name lower-cased: unique per owner. */
  @VarcharColumn(100) nameKey: string;
  /** The filters and sort as JSON (the keys of ToolFilterDto that are set). */
  @TextColumn() filters: string;
}
