import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** The renewals calendar's secret links (finance): one per person, stored as the SHA-256 of the token. */
export class CalendarTokens1767001910000 implements MigrationInterface {
  name = 'CalendarTokens1767001910000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'calendar_tokens',
        columns: [
          { ...col.uuid('userId'), isPrimary: true },
          col.varchar('tokenHash', 64),
          col.datetime('createdAt'),
          col.datetime('lastUsedAt', true),
        ],
        indices: [new TableIndex({ name: 'UQ_calendar_tokens_hash', columnNames: ['tokenHash'], isUnique: true })],
        foreignKeys: foreignKeys([{ ...fk('userId', 'users', 'CASCADE') }]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('calendar_tokens');
  }
}
