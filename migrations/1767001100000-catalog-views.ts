import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Saved views of the catalog list (catalog): one user's named filters and sort, names unique per user. */
export class CatalogViews1767001100000 implements MigrationInterface {
  name = 'CatalogViews1767001100000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'catalog_views',
        columns: [
          col.id(),
          col.uuid('ownerId'),
          col.varchar('name', 100),
          col.varchar('nameKey', 100),
          col.text('filters', false),
          ...col.timestamps(),
          col.version(),
        ],
        indices: [new TableIndex({ name: 'UQ_catalog_views_owner_name', columnNames: ['ownerId', 'nameKey'], isUnique: true })],
        foreignKeys: foreignKeys([fk('ownerId', 'users', 'CASCADE')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('catalog_views');
  }
}
