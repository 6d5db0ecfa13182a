import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { columns } from '@stackgate/platform';

/**
 * A file the web import page checked keeps the column layout (preset) it was checked with, so that its commit and its
 * error rows read it the same way without the page sending the preset again (issue 25: presets on the web page).
 */
export class ImportUploadPreset1767002300000 implements MigrationInterface {
  name = 'ImportUploadPreset1767002300000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('import_uploads', new TableColumn(columns(qr).varchar('preset', 80, true)));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('import_uploads', 'preset');
  }
}
