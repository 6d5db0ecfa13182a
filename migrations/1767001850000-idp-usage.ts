import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/** Identity-provider usage (discovery): the apps each provider knows, and each tool's utilisation per month. */
export class IdpUsage1767001850000 implements MigrationInterface {
  name = 'IdpUsage1767001850000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'idp_apps',
        columns: [
          col.id(),
          col.varchar('source', 10),
          col.varchar('appKey', 200),
          col.varchar('name', 200),
          col.uuid('toolId', true),
          col.int('assignedUsers'),
          col.int('activeUsers30'),
          col.int('activeUsers90'),
          col.date('firstSeen'),
          col.date('lastSeen'),
          col.date('asOf'),
          col.datetime('importedAt'),
          col.uuid('importedById', true),
        ],
        indices: [
          new TableIndex({ name: 'UQ_idp_apps_source_key', columnNames: ['source', 'appKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_idp_apps_tool', columnNames: ['toolId'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'tool_utilisation',
        columns: [
          col.id(),
          col.uuid('toolId'),
          col.varchar('month', 7),
          col.varchar('source', 10),
          col.int('seats', true),
          col.int('assignedUsers'),
          col.int('activeUsers30'),
          col.int('activeUsers90'),
          col.int('unusedSeats', true),
          col.bigint('perSeatMinor', true),
          col.bigint('unusedValueMinor', true),
          col.varchar('currency', 3),
          col.date('asOf'),
          col.datetime('importedAt'),
        ],
        indices: [new TableIndex({ name: 'UQ_tool_utilisation_tool_month', columnNames: ['toolId', 'month'], isUnique: true })],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('tool_utilisation');
    await qr.dropTable('idp_apps');
  }
}
