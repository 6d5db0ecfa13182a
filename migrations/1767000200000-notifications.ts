import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** The notification outbox and in-app inbox. */
export class Notifications1767000200000 implements MigrationInterface {
  name = 'Notifications1767000200000';

  async up(qr: QueryRunner): Promise<void> {
    const c = columns(qr);
    await qr.createTable(new Table({
      name: 'notifications',
      columns: [
        c.id(), c.uuid('recipientId'), c.varchar('recipientEmail', 254), c.varchar('event', 60), c.varchar('entityType', 60, true),
        c.varchar('entityId', 36, true), c.varchar('subject', 300), { ...c.text('body'), isNullable: false }, c.varchar('link', 500, true),
        c.text('data'), c.varchar('dedupeKey', 200, true), c.datetime('readAt', true), c.varchar('deliveryStatus', 20),
        c.int('deliveryAttempts', false, 0), c.datetime('nextAttemptAt', true), c.datetime('deliveredAt', true), c.text('lastError'),
        ...c.timestamps(),
      ],
      indices: [
        new TableIndex({ name: 'UQ_notifications_dedupe', columnNames: ['dedupeKey'], isUnique: true }),
        new TableIndex({ name: 'IDX_notifications_inbox', columnNames: ['recipientId', 'createdAt'] }),
        new TableIndex({ name: 'IDX_notifications_delivery', columnNames: ['deliveryStatus', 'nextAttemptAt'] }),
      ],
      foreignKeys: foreignKeys([fk('recipientId', 'users', 'CASCADE')]),
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('notifications');
  }
}
