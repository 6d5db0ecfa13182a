import { Entity } from 'typeorm';
import { JsonColumn, UuidColumn, VarcharColumn, VersionedEntity } from '@stackgate/platform';

/** A saved custom mapping of an export's headers to the spend-transactions columns (preset "custom:<name>"), shared by the workspace. */
@Entity('spend_import_mappings')
export class SpendImportMapping extends VersionedEntity {
  @VarcharColumn(60) name: string;
  /** The name lower-cased: unique. */
  @VarcharColumn(60) nameKey: string;
  /** Generic column → the export's header. */
  @JsonColumn() headers: Record<string, string>;
  @VarcharColumn(3) dateOrder: string;
  @UuidColumn({ nullable: true }) createdById: string | null;
}
