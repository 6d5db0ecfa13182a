import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns, fk, foreignKeys } from '@stackgate/platform';

/** The id of the one chat_settings row (libs/chat CHAT_SETTINGS_ID). */
const CHAT_SETTINGS_ID = '00000000-0000-7000-8000-00000000c4a7';

/** Slack and Microsoft Teams messages (libs/chat): the settings, the outbox of messages, and the Slack users matched by e-mail. */
export class Chat1767002000000 implements MigrationInterface {
  name = 'Chat1767002000000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'chat_settings',
        columns: [
          col.id(),
          col.text('slackChannels', false),
          col.text('teamsEvents', false),
          col.bool('directMessages', true),
          col.uuid('updatedById', true),
          ...col.timestamps(),
          col.version(),
        ],
        foreignKeys: foreignKeys([fk('updatedById', 'users', 'SET NULL')]),
      }),
    );
    // The one settings row: nothing routed yet, direct messages on (they go out once Slack is configured).
    const quote = (name: string) => qr.connection.driver.escape(name);
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const names = ['id', 'slackChannels', 'teamsEvents', 'directMessages', 'createdAt', 'updatedAt', 'version'];
    await qr.query(`INSERT INTO ${quote('chat_settings')} (${names.map(quote).join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      CHAT_SETTINGS_ID,
      '{}',
      '[]',
      1,
      now,
      now,
      1,
    ]);
    await qr.createTable(
      new Table({
        name: 'chat_messages',
        columns: [
          col.id(),
          col.varchar('target', 20),
          col.varchar('eventType', 60),
          col.varchar('routeKey', 120),
          col.varchar('channel', 100, true),
          col.uuid('recipientId', true),
          col.varchar('recipientEmail', 254, true),
          col.varchar('entityType', 40, true),
          col.uuid('entityId', true),
          col.text('payload', false),
          col.int('position', false, 0),
          col.varchar('status', 20),
          col.int('attempts', false, 0),
          col.datetime('nextAttemptAt', true),
          col.datetime('claimedUntil', true),
          col.datetime('lastAttemptAt', true),
          col.text('lastError'),
          col.varchar('slackChannelId', 40, true),
          col.varchar('slackTs', 40, true),
          col.datetime('deliveredAt', true),
          ...col.timestamps(),
        ],
        indices: [
          new TableIndex({ name: 'IDX_chat_messages_due', columnNames: ['status', 'nextAttemptAt'] }),
          new TableIndex({ name: 'IDX_chat_messages_route', columnNames: ['routeKey', 'status'] }),
          new TableIndex({ name: 'IDX_chat_messages_entity', columnNames: ['entityType', 'entityId'] }),
          new TableIndex({ name: 'IDX_chat_messages_created', columnNames: ['createdAt'] }),
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'chat_slack_users',
        columns: [{ ...col.varchar('email', 254), isPrimary: true }, col.varchar('slackUserId', 40, true), col.datetime('checkedAt')],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('chat_slack_users');
    await qr.dropTable('chat_messages');
    await qr.dropTable('chat_settings');
  }
}
