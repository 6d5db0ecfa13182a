import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '@stackgate/platform';

/** Slack interactivity requests already accepted (chat): replay protection across instances for the 5-minute window. */
export class SlackInteractionReceipts1767002050000 implements MigrationInterface {
  name = 'SlackInteractionReceipts1767002050000';

  async up(qr: QueryRunner): Promise<void> {
    const col = columns(qr);
    await qr.createTable(
      new Table({
        name: 'slack_interaction_receipts',
        columns: [
          { ...col.varchar('bodyDigest', 64), isPrimary: true },
          col.int('requestTimestamp'),
          col.varchar('signature', 67),
          col.datetime('receivedAt'),
        ],
        indices: [
          new TableIndex({ name: 'UQ_slack_receipts_signed', columnNames: ['requestTimestamp', 'signature'], isUnique: true }),
          new TableIndex({ name: 'IDX_slack_receipts_received', columnNames: ['receivedAt'] }),
        ],
      }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('slack_interaction_receipts');
  }
}
