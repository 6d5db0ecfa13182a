import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/**
 * Per-person notification preferences (notifications), and the outbox's `hidden` flag: a row the
 * recipient turned the inbox off for is still written (dedupe, e-mail, audit) but not listed.
 */
export class NotificationPreferences1767002100000 implements MigrationInterface {
  name = 'NotificationPreferences1767002100000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'notification_preferences',
        columns: [
          { ...col.uuid('userId'), isPrimary: true },
          { ...col.varchar('event', 60), isPrimary: true },
          col.bool('inbox', true),
          col.bool('email', true),
          col.bool('slack', true),
          col.datetime('updatedAt'),
        ],
        foreignKeys: foreignKeys([{ ...fk('userId', 'users', 'CASCADE') }]),
      }),
    );
    await qr.addColumn('notifications', new TableColumn(col.bool('hidden')));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('notifications', 'hidden');
    await qr.dropTable('notification_preferences');
  }
}
