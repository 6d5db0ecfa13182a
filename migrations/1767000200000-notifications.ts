import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** The notification outbox and in-app inbox. */
export class Notifications1767000200000 implements MigrationInterface {
  name = 'Notifications1767000200000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'notifications',
        columns: [
          col.id(),
          col.uuid('recipientId'),
          col.varchar('recipientEmail', 254),
          col.varchar('event', 60),
          col.varchar('entityType', 60, true),
          col.varchar('entityId', 36, true),
          col.varchar('subject', 300),
          { ...col.text('body'), isNullable: false },
          col.varchar('link', 500, true),
          col.text('data'),
          col.varchar('dedupeKey', 200, true),
          col.datetime('readAt', true),
          col.varchar('deliveryStatus', 20),
          col.int('deliveryAttempts', false, 0),
          col.datetime('nextAttemptAt', true),
          col.datetime('deliveredAt', true),
          col.text('lastError'),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'UQ_notifications_dedupe', columnNames: ['dedupeKey'], isUnique: true }),
          new TableIndex({ name: 'IDX_notifications_inbox', columnNames: ['recipientId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_notifications_delivery', columnNames: ['deliveryStatus', 'nextAttemptAt'] }),
        ],
        foreignKeys: foreignKeys([fk('recipientId', 'users', 'CASCADE')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('notifications');
  }
}
