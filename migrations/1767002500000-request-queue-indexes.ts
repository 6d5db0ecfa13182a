import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';
import { isMysqlFamily } from '@stackgate/platform';

/**
 * Indexes for the awaiting-me queue (GET /requests?queue=awaiting-me, issue 27): its page is read from the open stages in
 * due-date order (review_stages: stage, status, dueAt, then the join columns), its total is an index-only count of the
 * requests in review (tool_requests: status, currentStage, requesterId, type), less the requests the reader decided at
 * another stage, read from the reader's decisions (review_stages: decidedById, stage, requestId).
 */
export class RequestQueueIndexes1767002500000 implements MigrationInterface {
  name = 'RequestQueueIndexes1767002500000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex(
      'review_stages',
      new TableIndex({ name: 'IDX_review_stages_queue', columnNames: ['stage', 'status', 'dueAt', 'requestId', 'round'] }),
    );
    await qr.createIndex(
      'review_stages',
      new TableIndex({ name: 'IDX_review_stages_decider', columnNames: ['decidedById', 'stage', 'requestId'] }),
    );
    await qr.createIndex(
      'tool_requests',
      new TableIndex({ name: 'IDX_tool_requests_queue', columnNames: ['status', 'currentStage', 'requesterId', 'type'] }),
    );
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('tool_requests', 'IDX_tool_requests_queue');
    if (isMysqlFamily(qr)) {
      // MariaDB dropped the index it had made for the decidedById foreign key when IDX_review_stages_decider could serve
      // it, and refuses to drop that one while the key needs it: give the key its own index back first.
      const table = await qr.getTable('review_stages');
      const key = table?.foreignKeys.find((fk) => fk.columnNames.length === 1 && fk.columnNames[0] === 'decidedById');
      const served = table?.indices.some((index) => index.name !== 'IDX_review_stages_decider' && index.columnNames[0] === 'decidedById');
      if (key?.name && !served) await qr.createIndex('review_stages', new TableIndex({ name: key.name, columnNames: ['decidedById'] }));
    }
    await qr.dropIndex('review_stages', 'IDX_review_stages_decider');
    await qr.dropIndex('review_stages', 'IDX_review_stages_queue');
  }
}
