import { Column, Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IntColumn, UuidColumn, VarcharColumn } from '@stackgate/platform';

/**
 * A file the web import page checked, kept for a short while so that committing it (or downloading
 * its error rows) does not ask the user to choose it again. Reachable only with its token, by the
 * user who checked it, for the kind it was checked as (see ImportUploads).
 */
@Entity('import_uploads')
export class ImportUpload {
  /** SHA-256 (hex) of the token handed to the browser: the token itself is never stored. */
  @PrimaryColumn({ type: 'varchar', length: 64 }) tokenHash: string;
  @UuidColumn() userId: string;
  @VarcharColumn(40) kind: string;
  /** The column layout the file was checked with (the kind's preset, named or found from the headers); null: the kind's only one. */
  @VarcharColumn(80, { nullable: true }) preset: string | null;
  @VarcharColumn(255) fileName: string;
  @VarcharColumn(100) mimeType: string;
  @IntColumn() sizeBytes: number;
  /** The file as uploaded (at most UPLOAD_LIMIT bytes). */
  @Column({ type: 'blob' }) content: Buffer;
  @DateTimeColumn() createdAt: Date;
  @DateTimeColumn() expiresAt: Date;
}
