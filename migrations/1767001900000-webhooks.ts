import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** Outgoing webhooks (libs/webhooks): endpoints, the outbox of their events, and one delivery per event and endpoint. */
export class Webhooks1767001900000 implements MigrationInterface {
  name = 'Webhooks1767001900000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          col.id(),
          col.varchar('url', 2000),
          col.varchar('description', 500, true),
          col.text('events', false),
          col.bool('active', true),
          col.text('secretSealed', false),
          col.text('previousSecretSealed'),
          col.datetime('previousSecretExpiresAt', true),
          col.datetime('secretRotatedAt'),
          col.int('consecutiveFailures', false, 0),
          col.datetime('disabledAt', true),
          col.varchar('disabledReason', 300, true),
          col.uuid('createdById', true),
          ...col.timestamps(),
          col.version(),
        ],
        foreignKeys: foreignKeys([fk('createdById', 'users', 'SET NULL')]),
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_events',
        columns: [
          col.id(),
          col.varchar('type', 60),
          col.varchar('resourceType', 40),
          col.uuid('resourceId'),
          col.text('data', false),
          col.datetime('occurredAt'),
          col.int('position', false, 0),
        ],
        indices: [new TableIndex({ name: 'IDX_webhook_events_occurred', columnNames: ['occurredAt'] })],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          col.id(),
          col.uuid('endpointId'),
          col.uuid('eventId'),
          col.varchar('eventType', 60),
          col.varchar('resourceKey', 80),
          col.datetime('occurredAt'),
          col.int('position', false, 0),
          col.varchar('status', 20),
          col.int('attempts', false, 0),
          col.datetime('nextAttemptAt', true),
          col.datetime('claimedUntil', true),
          col.datetime('lastAttemptAt', true),
          col.int('responseStatus', true),
          col.int('latencyMs', true),
          col.text('lastError'),
          col.datetime('deliveredAt', true),
          col.uuid('redeliveryOf', true),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_webhook_deliveries_due', columnNames: ['status', 'nextAttemptAt'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_resource', columnNames: ['endpointId', 'resourceKey', 'status'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_log', columnNames: ['endpointId', 'createdAt'] }),
        ],
        foreignKeys: foreignKeys([fk('endpointId', 'webhook_endpoints', 'CASCADE'), fk('eventId', 'webhook_events', 'CASCADE')]),
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('webhook_deliveries');
    await qr.dropTable('webhook_events');
    await qr.dropTable('webhook_endpoints');
  }
}
