import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, isMysqlFamily } from '@stackgate/platform';

/** Files the web import page checked, kept for a short while under a token so that committing them does not need the file again. */
export class ImportUploads1767001300000 implements MigrationInterface {
  name = 'ImportUploads1767001300000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'import_uploads',
        columns: [
          { ...col.varchar('tokenHash', 64), isPrimary: true },
          col.uuid('userId'),
          col.varchar('kind', 40),
          col.varchar('fileName', 255),
          col.varchar('mimeType', 100),
          col.int('sizeBytes'),
          { name: 'content', type: isMysqlFamily(qr) ? 'longblob' : 'blob', isNullable: false },
          col.datetime('createdAt'),
          col.datetime('expiresAt'),
        ],
        indices: [
          new TableIndex({ name: 'IDX_import_uploads_user', columnNames: ['userId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_import_uploads_expires', columnNames: ['expiresAt'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('import_uploads');
  }
}
